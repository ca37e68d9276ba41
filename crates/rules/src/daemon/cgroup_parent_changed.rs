//! DMN010 `cgroup-parent-changed`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;
use crate::settings::Setting;

declare_rule! {
    /// ## What it checks
    /// Whether the daemon's default parent cgroup for containers was
    /// changed: the `--cgroup-parent` flag on dockerd's command line or the
    /// `"cgroup-parent"` key in daemon.json. `/info` does not expose it, so
    /// the rule is skipped when the command line cannot be seen. Passes when
    /// unset (or empty); needs a person when set, to confirm the parent is
    /// intended and itself limited. `/info CgroupDriver` and
    /// `CgroupVersion` are shown as evidence: the default parent differs by
    /// driver (`/docker` for cgroupfs, `system.slice` for systemd), so the
    /// value is never compared with a literal.
    ///
    /// ## Why it matters
    /// Every container's resource limits nest under the parent cgroup. A
    /// parent shared with other services, or one without limits of its own,
    /// lets containers starve the host or escape the accounting operators
    /// rely on; a parent with tighter limits than expected throttles every
    /// container at once.
    ///
    /// ## How to fix
    /// Remove `--cgroup-parent` / `"cgroup-parent"` unless the host's
    /// resource plan requires it. If it is required, make sure the parent
    /// cgroup exists, is dedicated to containers and carries the intended
    /// CPU, memory and pids limits.
    ///
    /// ## Examples
    /// Needs review: `{"cgroup-parent": "/batch"}` in daemon.json.
    /// Passes: no `--cgroup-parent` flag and no `"cgroup-parent"` key.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.10
    /// - <https://docs.docker.com/reference/cli/dockerd/#default-cgroup-parent>
    pub CgroupParentChanged {
        id: "DMN010",
        name: "cgroup-parent-changed",
        severity: Low,
        target: Daemon,
        summary: "The daemon's default cgroup parent for containers was changed",
    }
}

impl Check for CgroupParentChanged {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(setting) = ctx.setting("cgroup-parent", out) else {
            return;
        };
        let parent = setting.as_str().map(str::trim).unwrap_or_default();
        let verdict = match &setting {
            Setting::Set { .. } if !parent.is_empty() => Verdict::manual(format!(
                "Verify: the default cgroup parent {parent} is intended for containers and carries its own limits."
            )),
            // An empty value is dockerd's default, the same as unset.
            Setting::Set { .. } => {
                Verdict::pass("cgroup-parent is set but empty: the default parent applies.")
            }
            Setting::Unset { checked } => Verdict::pass(format!(
                "cgroup-parent is not set ({checked}): containers use the cgroup driver's default parent."
            )),
            Setting::Unknown(_) => return, // ctx.setting never returns it
        };
        // The driver decides what the default parent is; useful context for
        // the person reviewing, but never fatal if /info is missing.
        let mut evidence: Vec<Evidence> = setting.evidence().cloned().into_iter().collect();
        if let Some(engine) = ctx.snapshot.engine.get() {
            evidence.push(Evidence::info(
                "/CgroupDriver",
                engine.info.cgroup_driver.clone(),
            ));
            evidence.push(Evidence::info(
                "/CgroupVersion",
                engine.info.cgroup_version.clone(),
            ));
        }
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
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
    fn unset_passes() {
        let f = only(run(&CgroupParentChanged, &host()));
        assert_eq!(f.status, Status::Pass);
        assert!(f.evidence.iter().any(|e| e.at == "/CgroupDriver"));
    }

    #[test]
    fn set_by_flag_needs_a_person() {
        let f = only(run(
            &CgroupParentChanged,
            &with_flags(host(), "--cgroup-parent /batch"),
        ));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        assert!(f.message.contains("/batch"));
        assert_eq!(f.evidence[0].at, "--cgroup-parent /batch");
    }

    #[test]
    fn set_in_daemon_json_is_read_too() {
        // The daemon.json branch must be consulted, not only the flags.
        let s = with_daemon_json(host(), json!({"cgroup-parent": "system.slice:docker"}));
        let f = only(run(&CgroupParentChanged, &s));
        assert_eq!(f.status, Status::Manual);
        assert_eq!(f.evidence[0].at, "/etc/docker/daemon.json#/cgroup-parent");
    }

    #[test]
    fn an_empty_value_is_the_default() {
        let s = with_daemon_json(host(), json!({"cgroup-parent": ""}));
        assert_eq!(only(run(&CgroupParentChanged, &s)).status, Status::Pass);
    }

    #[test]
    fn unknown_command_line_is_skipped() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        assert_eq!(only(run(&CgroupParentChanged, &s)).status, Status::Skipped);
    }

    #[test]
    fn rendered() {
        let mut findings = run(
            &CgroupParentChanged,
            &with_info(
                with_daemon_json(host(), json!({"cgroup-parent": "batch.slice"})),
                json!({"CgroupDriver": "systemd", "CgroupVersion": "2"}),
            ),
        );
        findings.extend(run(&CgroupParentChanged, &host()));
        insta::assert_snapshot!(render(&findings));
    }
}
