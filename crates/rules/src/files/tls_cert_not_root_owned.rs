//! FILE011 `tls-cert-not-root-owned`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::files::{each_tls_file, owner_verdict};

declare_rule! {
    /// ## What it checks
    /// Whether the daemon's TLS certificate (dockerd's `--tlscert`, or its daemon.json key, or
    /// the default `~/.docker/cert.pem` when TLS is on without a path) is owned by
    /// root:root, compared as numeric uid and gid (never names). The file
    /// is found through the daemon's own configuration, not a fixed path.
    /// Not applicable when the daemon serves no TLS, the file does not
    /// exist, or the daemon is rootless (its files belong to its user).
    ///
    /// ## Why it matters
    /// Whoever can replace the daemon's certificate can make clients trust a different server; with the key, they can impersonate the daemon to every client and read or alter what clients send, registry credentials included.
    ///
    /// ## How to fix
    /// `chown root:root <file>` for the path the daemon's `--tlscert` names.
    ///
    /// ## Examples
    /// Fails: the file is owned by `1000:1000` (copied in by a user).
    /// Passes: `-r--r--r-- root root` (certificates) or `-r-------- root root` (keys).
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 3.11
    /// - <https://docs.docker.com/engine/security/protect-access/>
    pub TlsCertNotRootOwned {
        id: "FILE011",
        name: "tls-cert-not-root-owned",
        severity: Medium,
        target: Files,
        summary: "The daemon's TLS certificate is not owned by root:root",
    }
}

impl Check for TlsCertNotRootOwned {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        each_tls_file(ctx, out, "tlscert", |f| {
            owner_verdict(&f.file, "The daemon's TLS certificate")
        });
    }
}

#[cfg(test)]
mod tests {
    crate::testing::tls_owner_rule_tests!(super::TlsCertNotRootOwned, "tlscert");
}
