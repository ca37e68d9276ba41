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
    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn status(s: bulwark_facts::Snapshot) -> Status {
        only(run(&TlsKeyPermissive, &s)).status
    }

    #[test]
    fn pass_and_fail() {
        assert_eq!(status(file("tlskey", 0, 0, 0o400, true)), Status::Pass);
        assert_eq!(status(file("tlskey", 0, 0, 0o600, true)), Status::Fail);
    }

    #[test]
    fn special_bits_fail_and_stricter_modes_pass() {
        assert_eq!(status(file("tlskey", 0, 0, 0o1400, true)), Status::Fail);
        assert_eq!(status(file("tlskey", 0, 0, 0o0, true)), Status::Pass);
        // 0622 is "less than 0644" as a number, and still writable by others.
        assert_eq!(status(file("tlskey", 0, 0, 0o622, true)), Status::Fail);
    }

    #[test]
    fn not_applicable_without_tls_or_without_the_file() {
        let f = only(run(&TlsKeyPermissive, &host()));
        assert_eq!(
            (f.status, f.reason.as_deref()),
            (Status::NotApplicable, Some("tls-not-configured"))
        );
        let f = only(run(&TlsKeyPermissive, &file("tlskey", 0, 0, 0o444, false)));
        assert_eq!(
            (f.status, f.reason.as_deref()),
            (Status::NotApplicable, Some("file-absent"))
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render(&run(
            &TlsKeyPermissive,
            &file("tlskey", 0, 0, 0o600, true)
        )));
    }
}
