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
    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn status(s: bulwark_facts::Snapshot) -> Status {
        only(run(&TlsCaCertNotRootOwned, &s)).status
    }

    #[test]
    fn pass_and_fail() {
        assert_eq!(status(file("tlscacert", 0, 0, 0o444, true)), Status::Pass);
        assert_eq!(
            status(file("tlscacert", 1000, 1000, 0o444, true)),
            Status::Fail
        );
    }

    #[test]
    fn only_root_root_passes() {
        assert_eq!(status(file("tlscacert", 0, 999, 0o444, true)), Status::Fail);
        assert_eq!(status(file("tlscacert", 999, 0, 0o444, true)), Status::Fail);
    }

    #[test]
    fn not_applicable_without_tls_or_without_the_file() {
        let f = only(run(&TlsCaCertNotRootOwned, &host()));
        assert_eq!(
            (f.status, f.reason.as_deref()),
            (Status::NotApplicable, Some("tls-not-configured"))
        );
        let f = only(run(
            &TlsCaCertNotRootOwned,
            &file("tlscacert", 0, 0, 0o444, false),
        ));
        assert_eq!(
            (f.status, f.reason.as_deref()),
            (Status::NotApplicable, Some("file-absent"))
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render(&run(
            &TlsCaCertNotRootOwned,
            &file("tlscacert", 1000, 1000, 0o444, true)
        )));
    }
}
