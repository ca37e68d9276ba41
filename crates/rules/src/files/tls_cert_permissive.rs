//! FILE012 `tls-cert-permissive`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::files::{each_tls_file, mode_verdict};

declare_rule! {
    /// ## What it checks
    /// Whether the daemon's TLS certificate (dockerd's `--tlscert`, or its daemon.json key, or
    /// the default under `~/.docker` when TLS is on without a path) has no
    /// permission bit beyond 0444. Bits are compared as a mask, so
    /// setuid, setgid and sticky bits fail too, and 0400 passes: more restrictive is fine.
    /// Not applicable when the daemon serves no TLS, the file does not
    /// exist, or the daemon is rootless.
    ///
    /// ## Why it matters
    /// Whoever can replace the daemon's certificate can make clients trust a different server; with the key, they can impersonate the daemon to every client and read or alter what clients send, registry credentials included.
    ///
    /// ## How to fix
    /// `chmod 444 <file>` for the path the daemon's `--tlscert` names.
    ///
    /// ## Examples
    /// Fails: mode 0644 (writable by its owner) or 0666.
    /// Passes: 0444 or 0400.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 3.12
    /// - <https://docs.docker.com/engine/security/protect-access/>
    pub TlsCertPermissive {
        id: "FILE012",
        name: "tls-cert-permissive",
        severity: Medium,
        target: Files,
        summary: "The daemon's TLS certificate is more permissive than 444",
    }
}

impl Check for TlsCertPermissive {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        each_tls_file(ctx, out, "tlscert", |f| {
            mode_verdict(&f.file, "The daemon's TLS certificate", 0o444)
        });
    }
}

#[cfg(test)]
mod tests {
    crate::testing::tls_mode_rule_tests!(
        super::TlsCertPermissive,
        "tlscert",
        allowed = 0o444,
        too_open = 0o644
    );
}
