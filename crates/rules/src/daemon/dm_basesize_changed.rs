//! DMN011 `dm-basesize-changed`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;
use crate::settings::Setting;

declare_rule! {
    /// ## What it checks
    /// Whether the devicemapper base device size was raised from its
    /// default: a `dm.basesize=…` entry in `--storage-opt` (repeatable) or
    /// in daemon.json `"storage-opts"`. Only the devicemapper driver has a
    /// base device, so the rule is not applicable
    /// (`driver-not-devicemapper`) unless `/info Driver` is
    /// `devicemapper`. Passes when no `dm.basesize` is set; needs a person
    /// when it is, to confirm the larger size is needed. Other storage
    /// options (`overlay2.size`, `dm.fs`, …) are not this control.
    ///
    /// ## Why it matters
    /// The base device size is the maximum size of every container's root
    /// filesystem and every image. Raising it for all containers lets any
    /// one of them fill the thin pool, and a full pool takes down every
    /// container on the host, not just the one that wrote the data.
    ///
    /// ## How to fix
    /// Remove `dm.basesize` from `--storage-opt` / `"storage-opts"` unless
    /// the workloads need larger root filesystems; size individual
    /// containers with `docker run --storage-opt size=…` instead. Better
    /// still, move off the deprecated devicemapper driver to `overlay2`.
    ///
    /// ## Examples
    /// Needs review: `{"storage-driver": "devicemapper", "storage-opts":
    /// ["dm.basesize=50G"]}`.
    /// Passes: devicemapper with `"storage-opts": ["dm.thinpooldev=/dev/mapper/pool"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.11
    /// - <https://docs.docker.com/reference/cli/dockerd/#devicemapper-options>
    pub DmBasesizeChanged {
        id: "DMN011",
        name: "dm-basesize-changed",
        severity: Low,
        target: Daemon,
        summary: "The devicemapper base device size was changed from its default",
    }
}

impl Check for DmBasesizeChanged {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let driver = engine.info.driver.as_str();
        if driver != "devicemapper" {
            out.push(
                ctx.daemon_subject(),
                Verdict::not_applicable(
                    "driver-not-devicemapper",
                    format!("The daemon uses the {driver} storage driver, which has no base device size."),
                )
                .with(Evidence::info("/Driver", driver)),
            );
            return;
        }
        let Some(setting) = ctx.setting("storage-opts", out) else {
            return;
        };
        let basesize = setting.as_list().into_iter().find_map(|opt| basesize(&opt));
        let verdict = match (&setting, basesize) {
            (_, Some(size)) => Verdict::manual(format!(
                "Verify: the devicemapper base size {size} is needed by the workloads; it raises the root filesystem limit of every container and image."
            )),
            (Setting::Unset { checked }, None) => Verdict::pass(format!(
                "No storage options are set ({checked}): the default base device size applies."
            )),
            (_, None) => Verdict::pass(
                "No dm.basesize storage option is set: the default base device size applies.",
            ),
        };
        out.push(
            ctx.daemon_subject(),
            verdict
                .with(Evidence::info("/Driver", driver))
                .with_all(setting.evidence().cloned()),
        );
    }
}

/// The size of a `dm.basesize=SIZE` option. dockerd lower-cases option
/// keys before matching them, so the key is compared the same way.
fn basesize(opt: &str) -> Option<String> {
    let (key, value) = opt.split_once('=')?;
    key.trim()
        .eq_ignore_ascii_case("dm.basesize")
        .then(|| value.trim().to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn devicemapper() -> bulwark_facts::Snapshot {
        with_info(host(), json!({"Driver": "devicemapper"}))
    }

    #[test]
    fn other_drivers_are_not_applicable() {
        let f = only(run(&DmBasesizeChanged, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("driver-not-devicemapper"));
        // Even with the option set: the driver decides.
        let s = with_flags(host(), "--storage-opt dm.basesize=50G");
        assert_eq!(
            only(run(&DmBasesizeChanged, &s)).status,
            Status::NotApplicable
        );
    }

    #[test]
    fn devicemapper_without_basesize_passes() {
        assert_eq!(
            only(run(&DmBasesizeChanged, &devicemapper())).status,
            Status::Pass
        );
        let s = with_daemon_json(
            devicemapper(),
            json!({"storage-opts": ["dm.thinpooldev=/dev/mapper/pool"]}),
        );
        assert_eq!(only(run(&DmBasesizeChanged, &s)).status, Status::Pass);
    }

    #[test]
    fn basesize_needs_a_person_from_flags_or_daemon_json() {
        let s = with_flags(
            devicemapper(),
            "--storage-opt dm.thinpooldev=/dev/mapper/pool --storage-opt dm.basesize=50G",
        );
        let f = only(run(&DmBasesizeChanged, &s));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("50G"));
        let s = with_daemon_json(devicemapper(), json!({"storage-opts": ["DM.BaseSize=20G"]}));
        assert_eq!(only(run(&DmBasesizeChanged, &s)).status, Status::Manual);
    }

    #[test]
    fn other_size_options_are_not_this_control() {
        let s = with_daemon_json(
            devicemapper(),
            json!({"storage-opts": ["overlay2.size=10G", "size=5G"]}),
        );
        assert_eq!(only(run(&DmBasesizeChanged, &s)).status, Status::Pass);
    }

    #[test]
    fn unknown_command_line_is_skipped_on_devicemapper() {
        let mut s = devicemapper();
        s.daemon.process =
            bulwark_facts::Part::Missing(bulwark_facts::Gap::skipped("remote daemon"));
        assert_eq!(only(run(&DmBasesizeChanged, &s)).status, Status::Skipped);
    }

    #[test]
    fn rendered() {
        let mut findings = run(
            &DmBasesizeChanged,
            &with_flags(devicemapper(), "--storage-opt dm.basesize=50G"),
        );
        findings.extend(run(&DmBasesizeChanged, &devicemapper()));
        findings.extend(run(&DmBasesizeChanged, &host()));
        insta::assert_snapshot!(render(&findings));
    }
}
