//! DMN006 `aufs-storage-driver`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// The storage driver the running daemon uses, read from `/info Driver`
    /// (the daemon's own report, not the `docker info` text and not the
    /// configuration, which may name a driver the daemon fell back from).
    /// Fails when it is `aufs`; passes for any other driver. The
    /// `--storage-driver` / `"storage-driver"` setting is shown as evidence
    /// when set.
    ///
    /// ## Why it matters
    /// aufs was never merged into the mainline kernel, is deprecated in
    /// Docker 20.10 and removed from later engines. It depends on
    /// out-of-tree kernel patches that receive few security fixes, and it
    /// has a history of kernel crashes and copy-up bugs that break
    /// isolation between layers.
    ///
    /// ## How to fix
    /// Switch to `overlay2`: set `"storage-driver": "overlay2"` in
    /// `/etc/docker/daemon.json` (or `--storage-driver overlay2`) and
    /// restart the daemon. Images and containers stored under aufs are not
    /// visible to the new driver: push or export what you need first.
    ///
    /// ## Examples
    /// Fails: `docker info` shows `Storage Driver: aufs`.
    /// Passes: `Storage Driver: overlay2`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.6
    /// - <https://docs.docker.com/engine/storage/drivers/select-storage-driver/>
    pub AufsStorageDriver {
        id: "DMN006",
        name: "aufs-storage-driver",
        severity: Medium,
        target: Daemon,
        summary: "The daemon uses the deprecated aufs storage driver",
    }
}

impl Check for AufsStorageDriver {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let driver = engine.info.driver.as_str();
        let verdict = match driver {
            // An empty field is no evidence of anything.
            "" => Verdict::error(
                "info-field-missing",
                "/info did not report a storage driver.",
            ),
            "aufs" => Verdict::fail("The daemon uses the aufs storage driver."),
            other => Verdict::pass(format!("The daemon uses the {other} storage driver.")),
        };
        let configured = ctx.daemon.get("storage-driver").evidence().cloned();
        out.push(
            ctx.daemon_subject(),
            verdict
                .with(Evidence::info("/Driver", driver))
                .with_all(configured),
        );
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    #[test]
    fn aufs_fails() {
        let f = only(run(
            &AufsStorageDriver,
            &with_info(host(), json!({"Driver": "aufs"})),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].at, "/Driver");
        assert_eq!(f.evidence[0].value, json!("aufs"));
    }

    #[test]
    fn overlay2_passes() {
        assert_eq!(only(run(&AufsStorageDriver, &host())).status, Status::Pass);
    }

    #[test]
    fn info_wins_over_the_configuration() {
        // Configured for overlay2 but the running daemon reports aufs.
        let s = with_info(
            with_flags(host(), "--storage-driver overlay2"),
            json!({"Driver": "aufs"}),
        );
        let f = only(run(&AufsStorageDriver, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "--storage-driver overlay2")
        );
    }

    #[test]
    fn a_missing_driver_is_an_error() {
        let f = only(run(
            &AufsStorageDriver,
            &with_info(host(), json!({"Driver": ""})),
        ));
        assert_eq!(f.status, Status::Error);
    }

    #[test]
    fn missing_engine_facts_are_reported() {
        let mut s = host();
        s.engine = Part::Missing(Gap::error("GET /info: 500"));
        let f = only(run(&AufsStorageDriver, &s));
        assert_eq!(f.status, Status::Error);
        assert_eq!(f.reason, Some("collection-failed"));
    }

    #[test]
    fn rendered() {
        let mut findings = run(
            &AufsStorageDriver,
            &with_info(
                with_daemon_json(host(), json!({"storage-driver": "aufs"})),
                json!({"Driver": "aufs"}),
            ),
        );
        findings.extend(run(&AufsStorageDriver, &host()));
        insta::assert_snapshot!(render(&findings));
    }
}
