//! CMP013 `service-confinement-disabled`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Located, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::security_opt;
use crate::rule::{Check, Severity};
use crate::shared::compose::{fail_at_security_opt, last_security_opt, security_opt_entries};
use crate::sources::subject;

declare_rule! {
    /// ## What it checks
    /// Whether a compose service turns off the confinement the engine gives
    /// every container by default, through `security_opt`:
    /// - `apparmor:unconfined` (or `apparmor=unconfined`; the last `apparmor`
    ///   entry wins): no AppArmor profile. High severity, the compose form of
    ///   CTR002 (`apparmor-unconfined`).
    /// - `label:disable` (or `label=disable`, or the legacy bare `disable`):
    ///   no SELinux label; and `label:type:spc_t`, SELinux's unconfined
    ///   "super privileged container" type. Medium severity, the compose form
    ///   of CTR003 (`selinux-label-missing`).
    /// - `systempaths=unconfined`: `/proc` and `/sys` paths the engine masks or
    ///   makes read-only (`/proc/kcore`, `/proc/sysrq-trigger`,
    ///   `/sys/firmware`, …) are exposed. High severity.
    ///
    /// Entries are split with the same predicate as the runtime rules (first
    /// `=` or `:`). A service with no `security_opt` at all is not reported
    /// here: it gets the daemon's default AppArmor profile and SELinux label,
    /// which is the confinement wanted; CMP014 reports such a service for the
    /// missing `no-new-privileges`. Privileged services, which run
    /// unconfined whatever is asked, are left to CMP001. The finding points at
    /// the entry; an entry from an anchor is reported where the service uses
    /// it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// AppArmor and SELinux are the second wall around a container: they
    /// stop a process that has broken the first (a capability, a writable
    /// mount, a kernel bug) from touching host files, mounting filesystems or
    /// writing to `/proc`. The masked `/proc` and `/sys` paths expose kernel
    /// memory, the ability to reboot or crash the host, and firmware.
    ///
    /// ## How to fix
    /// Remove the entry. If the default AppArmor profile blocks something the
    /// service needs, write a profile that allows just that and use
    /// `apparmor:<profile>`; for SELinux, relabel the volumes the service needs
    /// (`:z` or `:Z`) instead of disabling labels.
    ///
    /// ## Examples
    /// Fails: `security_opt: ["apparmor:unconfined"]`,
    /// `security_opt: ["label:disable"]`,
    /// `security_opt: ["systempaths=unconfined"]`.
    /// Passes: no `security_opt`, or `security_opt: ["apparmor:my-profile"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.2 and 5.3
    /// - <https://docs.docker.com/engine/security/apparmor/>
    /// - <https://docs.docker.com/reference/cli/docker/container/run/#security-opt>
    pub ServiceConfinementDisabled {
        id: "CMP013",
        name: "service-confinement-disabled",
        severity: High,
        target: Compose,
        summary: "A compose service turns off AppArmor, SELinux or masked paths",
    }
}

impl Check for ServiceConfinementDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                for verdict in judge(src, file, service) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

fn judge(src: &Source, _file: &ComposeFile, service: &Service) -> Vec<Verdict> {
    if service.privileged.as_ref().is_some_and(|p| p.value) {
        return Vec::new();
    }
    let name = &service.name.value;
    let mut verdicts = Vec::new();
    if let Some(entry) = last_security_opt(service, "apparmor")
        && security_opt::split(&entry.value).1 == Some("unconfined")
    {
        let message =
            format!("Service `{name}` runs without an AppArmor profile (apparmor unconfined).");
        verdicts.push(fail_at_security_opt(src, entry, message).severity(Severity::High));
    }
    // Only `label…` entries and a bare `disable` can turn SELinux off:
    // the others are passed over without being split.
    let selinux = |e: &&Located<String>| e.value.starts_with("label") || e.value == "disable";
    for entry in security_opt_entries(service).iter().filter(selinux) {
        let (key, value) = security_opt::split(&entry.value);
        let message = if (key == "label" && value == Some("disable")) || entry.value == "disable" {
            format!("Service `{name}` runs without an SELinux label (label disabled).")
        } else if key == "label" && value.is_some_and(|v| v.replace('=', ":") == "type:spc_t") {
            format!("Service `{name}` runs as spc_t, SELinux's unconfined container type.")
        } else {
            continue;
        };
        verdicts.push(fail_at_security_opt(src, entry, message).severity(Severity::Medium));
    }
    if let Some(entry) = last_security_opt(service, "systempaths")
        && security_opt::split(&entry.value).1 == Some("unconfined")
    {
        let message = format!(
            "Service `{name}` unmasks the host's /proc and /sys paths (systempaths unconfined)."
        );
        verdicts.push(fail_at_security_opt(src, entry, message).severity(Severity::High));
    }
    verdicts
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Finding;
    use crate::testing::at;
    use crate::testing::*;

    fn compose(text: &str) -> Vec<Finding> {
        lint(
            &ServiceConfinementDisabled,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
    }

    fn opts(entries: &[&str]) -> Vec<Finding> {
        let list: Vec<String> = entries
            .iter()
            .map(|e| format!("      - \"{e}\"\n"))
            .collect();
        compose(&format!(
            "services:\n  app:\n    image: a\n    security_opt:\n{}",
            list.concat()
        ))
    }

    fn with_places(findings: &[Finding]) -> String {
        findings
            .iter()
            .map(|f| {
                let (line, column) = at(f);
                format!("{line}:{column} {}", render(std::slice::from_ref(f)))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn apparmor_unconfined_fails_high_at_the_entry() {
        for e in ["apparmor:unconfined", "apparmor=unconfined"] {
            let f = opts(&["no-new-privileges:true", e]);
            assert_eq!(f.len(), 1, "{e}");
            assert_eq!(f[0].severity, Severity::High, "{e}");
            assert_eq!(at(&f[0]), (6, 9), "{e}");
        }
        assert!(opts(&["apparmor=unconfined", "apparmor=docker-default"]).is_empty());
    }

    #[test]
    fn selinux_labels_disabled_or_unconfined_fail_medium() {
        for e in [
            "label:disable",
            "label=disable",
            "disable",
            "label:type:spc_t",
            "label=type:spc_t",
        ] {
            let f = opts(&[e]);
            assert_eq!(f.len(), 1, "{e}");
            assert_eq!(f[0].severity, Severity::Medium, "{e}");
        }
        assert!(opts(&["label:type:svirt_apache_t", "label=level:s0:c100,c200"]).is_empty());
    }

    #[test]
    fn unmasked_system_paths_fail_high() {
        let f = opts(&["systempaths=unconfined"]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
    }

    #[test]
    fn no_security_opt_and_unrelated_entries_pass() {
        assert!(compose("services:\n  app:\n    image: a\n").is_empty());
        assert!(
            opts(&[
                "seccomp:unconfined",
                "no-new-privileges",
                "apparmor:my-profile"
            ])
            .is_empty()
        );
    }

    #[test]
    fn privileged_services_are_left_to_cmp001() {
        let f = compose(
            "services:\n  app:\n    privileged: true\n    security_opt: [\"apparmor:unconfined\"]\n",
        );
        assert!(f.is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-s: &s\n  security_opt: [\"apparmor=unconfined\"]\nservices:\n  a:\n    <<: *s\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:18");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  debugger:\n    security_opt:\n      - apparmor:unconfined\n      - label:disable\n      - systempaths=unconfined\n  web:\n    security_opt: [\"apparmor:nginx-profile\", \"no-new-privileges:true\"]\n"
        )));
    }
}
