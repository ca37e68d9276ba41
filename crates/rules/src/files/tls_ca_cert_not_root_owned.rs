//! FILE009 `tls-ca-cert-not-root-owned`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::files::{each_tls_file, owner_verdict};

declare_rule! {
    /// ## What it checks
    /// Whether the TLS CA certificate (dockerd's `--tlscacert`, or its daemon.json key, or
    /// the default `~/.docker/ca.pem` when TLS is on without a path) is owned by
    /// root:root, compared as numeric uid and gid (never names). The file
    /// is found through the daemon's own configuration, not a fixed path.
    /// Not applicable when the daemon serves no TLS, the file does not
    /// exist, or the daemon is rootless (its files belong to its user).
    ///
    /// ## Why it matters
    /// The CA certificate decides which clients the daemon accepts: whoever can replace it can make the daemon trust certificates they issued themselves, and with them control the daemon.
    ///
    /// ## How to fix
    /// `chown root:root <file>` for the path the daemon's `--tlscacert` names.
    ///
    /// ## Examples
    /// Fails: the file is owned by `1000:1000` (copied in by a user).
    /// Passes: `-r--r--r-- root root` (certificates) or `-r-------- root root` (keys).
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 3.9
    /// - <https://docs.docker.com/engine/security/protect-access/>
    pub TlsCaCertNotRootOwned {
        id: "FILE009",
        name: "tls-ca-cert-not-root-owned",
        severity: Medium,
        target: Files,
        summary: "The TLS CA certificate is not owned by root:root",
    }
}

impl Check for TlsCaCertNotRootOwned {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        each_tls_file(ctx, out, "tlscacert", |f| {
            owner_verdict(&f.file, "The TLS CA certificate")
        });
    }
}

#[cfg(test)]
mod tests {
    crate::testing::tls_owner_rule_tests!(super::TlsCaCertNotRootOwned, "tlscacert");
}
