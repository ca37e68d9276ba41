//! FILE014 `tls-key-permissive`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::files::{each_tls_file, mode_verdict};

declare_rule! {
    /// ## What it checks
    /// Whether the daemon's TLS private key (dockerd's `--tlskey`, or its daemon.json key, or
    /// the default under `~/.docker` when TLS is on without a path) has no
    /// permission bit beyond 0400. Bits are compared as a mask, so
    /// setuid, setgid and sticky bits fail too, and 0000 passes: more restrictive is fine.
    /// Not applicable when the daemon serves no TLS, the file does not
    /// exist, or the daemon is rootless.
    ///
    /// ## Why it matters
    /// The private key is the daemon's identity on the network. Anyone who can read it can impersonate the daemon to its clients; anyone who can replace it (with the certificate) can do the same.
    ///
    /// ## How to fix
    /// `chmod 400 <file>` for the path the daemon's `--tlskey` names.
    ///
    /// ## Examples
    /// Fails: mode 0600 (the owner can write it; a key must be 0400).
    /// Passes: 0400, or 0000.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 3.14
    /// - <https://docs.docker.com/engine/security/protect-access/>
    pub TlsKeyPermissive {
        id: "FILE014",
        name: "tls-key-permissive",
        severity: High,
        target: Files,
        summary: "The daemon's TLS private key is more permissive than 400",
    }
}

impl Check for TlsKeyPermissive {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        each_tls_file(ctx, out, "tlskey", |f| {
            mode_verdict(&f.file, "The daemon's TLS private key", 0o400)
        });
    }
}

#[cfg(test)]
mod tests {
    crate::testing::tls_mode_rule_tests!(
        super::TlsKeyPermissive,
        "tlskey",
        allowed = 0o400,
        too_open = 0o600
    );
}
