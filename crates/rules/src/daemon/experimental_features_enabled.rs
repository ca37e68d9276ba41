//! DMN018 `experimental-features-enabled`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether the running daemon has experimental features on, as it
    /// reports itself: `/info ExperimentalBuild` and `/version Experimental`
    /// (either being true fails). The `--experimental` / `"experimental"`
    /// setting is shown as evidence when set. Passes when both are false
    /// (or `/version` does not report the field).
    ///
    /// ## Why it matters
    /// Experimental features are unfinished: their APIs change between
    /// releases, they get less review and fewer security fixes, and some
    /// widen what a client can ask the daemon to do (checkpoint/restore,
    /// new build and network features). A production daemon should run
    /// only the supported feature set.
    ///
    /// ## How to fix
    /// Remove `--experimental` from dockerd's command line and
    /// `"experimental": true` from `/etc/docker/daemon.json`, then restart
    /// the daemon. The flag still exists on Docker 20.10 and later; it is
    /// not a no-op.
    ///
    /// ## Examples
    /// Fails: `dockerd --experimental`; `docker version` shows
    /// `Experimental: true` for the server.
    /// Passes: `Experimental: false`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.18
    /// - <https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file>
    pub ExperimentalFeaturesEnabled {
        id: "DMN018",
        name: "experimental-features-enabled",
        severity: Medium,
        target: Daemon,
        summary: "The daemon runs with experimental features enabled",
    }
}

impl Check for ExperimentalFeaturesEnabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let info = engine.info.experimental_build;
        let version = engine.version.experimental;
        let configured = ctx.daemon.get("experimental");
        let verdict = if info || version == Some(true) {
            Verdict::fail("The daemon runs with experimental features enabled.")
        } else if configured.as_bool() == Some(true) {
            // The running daemon decides (catalog S3), but a configuration
            // that will turn them on at the next restart is worth saying.
            Verdict::pass(
                "Experimental features are off in the running daemon, although its configuration enables them for the next start.",
            )
        } else {
            Verdict::pass("Experimental features are off.")
        };
        let mut evidence = vec![Evidence::info("/ExperimentalBuild", info)];
        if let Some(v) = version {
            evidence.push(Evidence::new(Source::Version, "/Experimental", v));
        }
        evidence.extend(configured.evidence().cloned());
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::Snapshot;
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn with_version_experimental(mut s: Snapshot, v: Option<bool>) -> Snapshot {
        if let bulwark_facts::Part::Collected(e) = &mut s.engine {
            e.version.experimental = v;
        }
        s
    }

    #[test]
    fn off_passes() {
        let f = only(run(
            &ExperimentalFeaturesEnabled,
            &with_version_experimental(host(), Some(false)),
        ));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence.len(), 2);
    }

    #[test]
    fn info_experimental_build_fails() {
        let s = with_info(host(), json!({"ExperimentalBuild": true}));
        assert_eq!(
            only(run(&ExperimentalFeaturesEnabled, &s)).status,
            Status::Fail
        );
    }

    #[test]
    fn version_experimental_alone_fails() {
        let s = with_version_experimental(host(), Some(true));
        let f = only(run(&ExperimentalFeaturesEnabled, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.source == Source::Version && e.value == json!(true))
        );
    }

    #[test]
    fn the_daemon_report_wins_over_a_configured_value() {
        // daemon.json edited after start: the running daemon is what counts.
        let s = with_daemon_json(host(), json!({"experimental": true}));
        let f = only(run(&ExperimentalFeaturesEnabled, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("next start"));
        assert!(f.evidence.iter().any(|e| e.source == Source::DaemonJson));
    }

    #[test]
    fn rendered() {
        let on = with_version_experimental(
            with_info(
                with_flags(host(), "--experimental"),
                json!({"ExperimentalBuild": true}),
            ),
            Some(true),
        );
        let mut findings = run(&ExperimentalFeaturesEnabled, &on);
        findings.extend(run(&ExperimentalFeaturesEnabled, &host()));
        insta::assert_snapshot!(render(&findings));
    }
}
