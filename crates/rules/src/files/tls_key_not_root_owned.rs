//! FILE013 `tls-key-not-root-owned`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::files::{each_tls_file, owner_verdict};

declare_rule! {
    /// ## What it checks
    /// Whether the daemon's TLS private key (dockerd's `--tlskey`, or its daemon.json key, or
    /// the default `~/.docker/key.pem` when TLS is on without a path) is owned by
    /// root:root, compared as numeric uid and gid (never names). The file
    /// is found through the daemon's own configuration, not a fixed path.
    /// Not applicable when the daemon serves no TLS, the file does not
    /// exist, or the daemon is rootless (its files belong to its user).
    ///
    /// ## Why it matters
    /// The private key is the daemon's identity on the network. Anyone who can read it can impersonate the daemon to its clients; anyone who can replace it (with the certificate) can do the same.
    ///
    /// ## How to fix
    /// `chown root:root <file>` for the path the daemon's `--tlskey` names.
    ///
    /// ## Examples
    /// Fails: the file is owned by `1000:1000` (copied in by a user).
    /// Passes: `-r--r--r-- root root` (certificates) or `-r-------- root root` (keys).
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 3.13
    /// - <https://docs.docker.com/engine/security/protect-access/>
    pub TlsKeyNotRootOwned {
        id: "FILE013",
        name: "tls-key-not-root-owned",
        severity: High,
        target: Files,
        summary: "The daemon's TLS private key is not owned by root:root",
    }
}

impl Check for TlsKeyNotRootOwned {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        each_tls_file(ctx, out, "tlskey", |f| {
            owner_verdict(&f.file, "The daemon's TLS private key")
        });
    }
}

#[cfg(test)]
mod tests {
    crate::testing::tls_owner_rule_tests!(super::TlsKeyNotRootOwned, "tlskey");
}
