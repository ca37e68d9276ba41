//! CTR003 `selinux-label-missing`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::security_opt;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether each container runs with an SELinux process label, on hosts
    /// where the daemon labels containers.
    ///
    /// - Host-wide: when `/info SecurityOptions` has no `name=selinux` entry
    ///   (dockerd runs without `--selinux-enabled`) no container is
    ///   labelled, and the rule is not applicable (`selinux-absent`), once
    ///   for the daemon. bulwark does not read the host's
    ///   `/sys/fs/selinux/enforce`, so it cannot tell an SELinux host whose
    ///   daemon forgot `--selinux-enabled` from a host without SELinux; the
    ///   finding says so.
    /// - Per container (stopped ones too), it fails when:
    ///   - `HostConfig.Privileged` is true: privileged containers always run
    ///     unlabelled;
    ///   - the label is disabled (`label=disable`, `label:disable` in
    ///     `HostConfig.SecurityOpt`) or `ProcessLabel` is empty. When the
    ///     container shares the host's PID or IPC namespace
    ///     (`HostConfig.PidMode`/`IpcMode` `host`) the engine added that
    ///     `label=disable` itself, and the finding says so.
    /// - It passes when `ProcessLabel` is set. Only `label` entries of
    ///   `SecurityOpt` count as SELinux options: `seccomp=…` or
    ///   `no-new-privileges` are not.
    ///
    /// Whether the host enforces or is permissive is not collected.
    ///
    /// ## Why it matters
    /// On an SELinux host each container's processes run in their own MCS
    /// category (`container_t:s0:c1,c2`), so even a process that escapes the
    /// container's namespaces cannot read another container's files or
    /// most host files. A container without a label loses that wall: an
    /// escape, or a host path mounted in by mistake, is then guarded only
    /// by file permissions.
    ///
    /// ## How to fix
    /// Start dockerd with `--selinux-enabled` (daemon.json:
    /// `"selinux-enabled": true`) on SELinux hosts. Remove
    /// `--security-opt label=disable` (compose: `security_opt:
    /// ["label=disable"]`), and avoid `--privileged`, `--pid=host` and
    /// `--ipc=host`, which make the engine disable labelling. Use
    /// `--security-opt label=type:<type>` for a custom type.
    ///
    /// ## Examples
    /// Fails: `docker run --security-opt label=disable nginx`, and
    /// `docker run --pid=host nginx`.
    /// Passes: `docker run nginx` on a daemon with `--selinux-enabled`
    /// (`ProcessLabel` is `system_u:system_r:container_t:s0:c12,c345`).
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.3
    /// - <https://docs.docker.com/engine/containers/run/#security-configuration>
    pub SelinuxLabelMissing {
        id: "CTR003",
        name: "selinux-label-missing",
        severity: Medium,
        target: Container,
        summary: "A container runs without an SELinux label",
    }
}

impl Check for SelinuxLabelMissing {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        if engine.info.security_option("selinux").is_none() {
            out.push(
                ctx.daemon_subject(),
                Verdict::not_applicable(
                    "selinux-absent",
                    "The daemon does not label containers with SELinux (no name=selinux in \
                     SecurityOptions); the host's own SELinux state was not collected.",
                )
                .with(Evidence::info(
                    "/SecurityOptions",
                    engine.info.security_options.clone(),
                )),
            );
            return;
        }
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let inspect = &c.inspect;
    let hc = &inspect.host_config;
    let label = inspect.process_label.as_str();
    let opts = hc.security_opt.as_deref().unwrap_or_default();

    let mut evidence = vec![Evidence::inspect("/ProcessLabel", label)];
    // Only label options are SELinux options; `seccomp=…` and
    // `no-new-privileges` say nothing about labels.
    let mut disabled = false;
    for (i, entry) in opts.iter().enumerate() {
        let (key, value) = security_opt::split(entry);
        // `disable` alone is the engine's legacy spelling of label=disable.
        let disables = (key == "label" && value == Some("disable")) || entry == "disable";
        if key == "label" || disables {
            disabled |= disables;
            evidence.push(Evidence::inspect(
                format!("/HostConfig/SecurityOpt/{i}"),
                entry.as_str(),
            ));
        }
    }

    // The engine never labels a privileged container, whatever was asked.
    if hc.privileged {
        evidence.insert(0, Evidence::inspect("/HostConfig/Privileged", true));
        return Verdict::fail("Runs privileged, so the engine runs it without an SELinux label.")
            .with_all(evidence);
    }

    if !disabled && !label.is_empty() {
        return Verdict::pass(format!("Runs with SELinux label {label}.")).with_all(evidence);
    }

    // For --pid=host and --ipc=host the engine itself adds label=disable
    // (unless a label option was given), so name that as the cause.
    let mut host_ns = Vec::new();
    for (field, mode, namespace) in [
        ("PidMode", &hc.pid_mode, "PID"),
        ("IpcMode", &hc.ipc_mode, "IPC"),
    ] {
        if mode == "host" {
            evidence.push(Evidence::inspect(format!("/HostConfig/{field}"), "host"));
            host_ns.push(namespace);
        }
    }
    let message = if !host_ns.is_empty() {
        format!(
            "Shares the host's {} namespace, so the engine disabled its SELinux label.",
            host_ns.join(" and ")
        )
    } else if disabled {
        "SELinux labelling is disabled with label=disable.".to_string()
    } else {
        "Has no SELinux process label.".to_string()
    };
    Verdict::fail(message).with_all(evidence)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    const LABEL: &str = "system_u:system_r:container_t:s0:c12,c345";

    fn selinux_host() -> bulwark_facts::Snapshot {
        with_info(
            host(),
            json!({"SecurityOptions": ["name=seccomp,profile=default", "name=selinux"]}),
        )
    }

    fn finding(c: serde_json::Value) -> crate::finding::Finding {
        only(run(
            &SelinuxLabelMissing,
            &with_containers(selinux_host(), vec![container(c)]),
        ))
    }

    #[test]
    fn a_labelled_container_passes() {
        let f = finding(json!({"ProcessLabel": LABEL}));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence[0], Evidence::inspect("/ProcessLabel", LABEL));
    }

    #[test]
    fn a_custom_label_type_passes() {
        let f = finding(
            json!({"ProcessLabel": "system_u:system_r:svirt_apache_t:s0:c1,c2",
                               "HostConfig": {"SecurityOpt": ["label=type:svirt_apache_t"]}}),
        );
        assert_eq!(f.status, Status::Pass);
        assert!(f.evidence.contains(&Evidence::inspect(
            "/HostConfig/SecurityOpt/0",
            "label=type:svirt_apache_t"
        )));
    }

    #[test]
    fn an_empty_label_fails() {
        let f = finding(json!({"ProcessLabel": ""}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(&*f.message, "Has no SELinux process label.");
    }

    #[test]
    fn label_disable_fails_in_both_spellings() {
        for opt in ["label=disable", "label:disable", "disable"] {
            // Even if a stale label were reported, disable wins.
            let f = finding(json!({"ProcessLabel": LABEL,
                                   "HostConfig": {"SecurityOpt": [opt]}}));
            assert_eq!(f.status, Status::Fail, "{opt}");
            assert!(f.message.contains("label=disable"), "{}", f.message);
        }
    }

    #[test]
    fn other_security_options_are_not_selinux_options() {
        // The pitfall: counting seccomp/no-new-privileges as SELinux options.
        let f = finding(json!({"ProcessLabel": "",
                               "HostConfig": {"SecurityOpt": ["seccomp=unconfined",
                                                              "no-new-privileges"]}}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence.len(), 1, "{:#?}", f.evidence);
    }

    #[test]
    fn privileged_fails_with_that_reason() {
        let f = finding(json!({"ProcessLabel": LABEL,
                               "HostConfig": {"Privileged": true}}));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("privileged"), "{}", f.message);
    }

    #[test]
    fn host_pid_and_ipc_fail_with_that_reason() {
        let f = finding(json!({"ProcessLabel": "",
                               "HostConfig": {"PidMode": "host",
                                              "SecurityOpt": ["label=disable"]}}));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("host's PID namespace"), "{}", f.message);
        assert!(
            f.evidence
                .contains(&Evidence::inspect("/HostConfig/PidMode", "host"))
        );

        let f = finding(json!({"ProcessLabel": "",
                               "HostConfig": {"PidMode": "host", "IpcMode": "host"}}));
        assert!(f.message.contains("PID and IPC"), "{}", f.message);
    }

    #[test]
    fn host_pid_with_an_explicit_label_is_labelled() {
        // A label option stops the engine from adding label=disable.
        let f = finding(json!({"ProcessLabel": LABEL,
                               "HostConfig": {"PidMode": "host",
                                              "SecurityOpt": ["label=type:spc_t"]}}));
        assert_eq!(f.status, Status::Pass);
    }

    #[test]
    fn a_stopped_unlabelled_container_still_fails() {
        let f = finding(json!({"ProcessLabel": "",
                               "State": {"Status": "exited", "Running": false}}));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn without_selinux_it_is_not_applicable_once_for_the_host() {
        let s = with_containers(host(), vec![container(json!({})), container(json!({}))]);
        let f = only(run(&SelinuxLabelMissing, &s));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("selinux-absent"));
    }

    #[test]
    fn missing_engine_facts_are_reported() {
        let mut s = selinux_host();
        s.engine = bulwark_facts::Part::Missing(bulwark_facts::Gap::error("API 500"));
        let f = only(run(&SelinuxLabelMissing, &s));
        assert_eq!(f.status, Status::Error);
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            selinux_host(),
            vec![
                container(json!({"Name": "/web", "ProcessLabel": LABEL,
                                 "HostConfig": {"SecurityOpt": ["no-new-privileges"]}})),
                container(json!({"Name": "/nolabel",
                                 "HostConfig": {"SecurityOpt": ["label:disable"]}})),
                container(json!({"Name": "/top",
                                 "HostConfig": {"PidMode": "host",
                                                "SecurityOpt": ["label=disable"]}})),
                container(json!({"Name": "/root", "HostConfig": {"Privileged": true,
                                 "SecurityOpt": ["label=disable"]}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&SelinuxLabelMissing, &s)));
    }
}
