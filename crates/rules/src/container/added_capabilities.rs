//! CTR004 `added-capabilities`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::predicates::capabilities;
use crate::rule::{Check, Severity};

declare_rule! {
    /// ## What it checks
    /// The Linux capabilities each container (stopped ones too) runs with,
    /// from `HostConfig.CapAdd`, `HostConfig.CapDrop` and
    /// `HostConfig.Privileged`. Names are normalised first (`cap_sys_admin`,
    /// `CAP_SYS_ADMIN` and `SYS_ADMIN` are one capability).
    ///
    /// - Fails when the container is privileged (it gets every capability),
    ///   or when `CapAdd` holds `ALL` or any capability outside Docker's
    ///   default set (CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW,
    ///   SETGID, SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT,
    ///   KILL, AUDIT_WRITE). The finding lists them; it is high severity
    ///   when one of them leads straight to host root (`ALL`, SYS_ADMIN,
    ///   SYS_MODULE, SYS_PTRACE, SYS_RAWIO, DAC_READ_SEARCH, NET_ADMIN) and
    ///   medium otherwise.
    /// - Passes when `CapDrop` holds `ALL` (or drops every default that
    ///   `CapAdd` does not name again) and `CapAdd` adds back only defaults:
    ///   every capability left was asked for by name.
    /// - Otherwise needs a person: the finding gives the effective set
    ///   (defaults − `CapDrop` + `CapAdd`) to review.
    ///
    /// ## Why it matters
    /// Capabilities split root's power into pieces; each one a container
    /// holds is a piece of host root it can use if it is compromised.
    /// SYS_ADMIN alone allows mounting filesystems and most known container
    /// escapes, SYS_MODULE loads kernel code, SYS_PTRACE reads other
    /// processes' memory. Even the defaults include NET_RAW (ARP and DNS
    /// spoofing on the bridge) and SETUID/SETGID, which most services never
    /// need.
    ///
    /// ## How to fix
    /// Drop everything and add back only what the process needs:
    /// `docker run --cap-drop ALL --cap-add NET_BIND_SERVICE …` (compose:
    /// `cap_drop: [ALL]`, `cap_add: [NET_BIND_SERVICE]`). Remove
    /// `--cap-add ALL`, `--cap-add SYS_ADMIN` and similar; if a workload
    /// truly needs one, isolate it on its own host.
    ///
    /// ## Examples
    /// Fails: `docker run --cap-add SYS_ADMIN nginx`.
    /// Needs review: `docker run nginx` (the 14 defaults remain).
    /// Passes: `docker run --cap-drop ALL --cap-add NET_BIND_SERVICE nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.4
    /// - <https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities>
    pub AddedCapabilities {
        id: "CTR004",
        name: "added-capabilities",
        severity: High,
        target: Container,
        summary: "A container holds capabilities beyond what it needs",
    }
}

impl Check for AddedCapabilities {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let hc = &c.inspect.host_config;
    // Evidence shows the fields as the API gave them (`null` stays null).
    let evidence = [
        Evidence::inspect("/HostConfig/CapAdd", hc.cap_add.clone()),
        Evidence::inspect("/HostConfig/CapDrop", hc.cap_drop.clone()),
    ];

    if hc.privileged {
        return Verdict::fail("Runs privileged, so it holds every capability.")
            .with(Evidence::inspect("/HostConfig/Privileged", true))
            .with_all(evidence);
    }

    let add = normalized(hc.cap_add.as_deref().unwrap_or_default());
    let drop = normalized(hc.cap_drop.as_deref().unwrap_or_default());

    let extra: Vec<&String> = add
        .iter()
        .filter(|cap| !capabilities::is_default(cap))
        .collect();
    if !extra.is_empty() {
        let dangerous: Vec<&str> = extra
            .iter()
            .filter(|cap| capabilities::is_dangerous(cap))
            .map(|cap| cap.as_str())
            .collect();
        let list = join(extra.iter().map(|cap| cap.as_str()));
        let verdict = if dangerous.is_empty() {
            Verdict::fail(format!("Adds capabilities beyond the defaults: {list}."))
                .severity(Severity::Medium)
        } else {
            Verdict::fail(format!(
                "Adds capabilities beyond the defaults: {list} (leading to host root: {}).",
                join(dangerous.iter().copied())
            ))
            .severity(Severity::High)
        };
        return verdict.with_all(evidence);
    }

    // Engine semantics: drops apply to the defaults, adds come after and
    // win over a drop of the same capability.
    let drop_all = drop.iter().any(|cap| cap == "ALL");
    let kept: Vec<&str> = capabilities::DEFAULT
        .into_iter()
        .filter(|cap| !drop_all && !drop.iter().any(|d| d == cap))
        .collect();
    let mut effective: Vec<&str> = kept.clone();
    for cap in &add {
        if !effective.contains(&cap.as_str()) {
            effective.push(cap);
        }
    }

    // Every default not named again in CapAdd is dropped: what is left was
    // asked for one by one.
    let unrequested: Vec<&str> = kept
        .iter()
        .copied()
        .filter(|cap| !add.iter().any(|a| a == cap))
        .collect();
    let effective_evidence = Evidence::new(
        Source::Default,
        "effective capabilities (defaults - CapDrop + CapAdd)",
        effective.clone(),
    );
    if unrequested.is_empty() {
        let message = if effective.is_empty() {
            "Drops every capability.".to_string()
        } else {
            format!(
                "Keeps only the capabilities it names in CapAdd: {}.",
                join(effective.iter().copied())
            )
        };
        return Verdict::pass(message)
            .with_all(evidence)
            .with(effective_evidence);
    }

    Verdict::manual(format!(
        "Verify: the container needs the default capabilities it keeps: {}.",
        join(unrequested.iter().copied())
    ))
    .with_all(evidence)
    .with(effective_evidence)
}

/// Normalised, de-duplicated names in their given order.
fn normalized(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let cap = capabilities::normalize(name);
        if !cap.is_empty() && !out.contains(&cap) {
            out.push(cap);
        }
    }
    out
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn finding(host_config: serde_json::Value) -> crate::finding::Finding {
        only(run(
            &AddedCapabilities,
            &with_containers(host(), vec![container(json!({"HostConfig": host_config}))]),
        ))
    }

    #[test]
    fn a_dangerous_addition_fails_high() {
        let f = finding(json!({"CapAdd": ["SYS_ADMIN"]}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::High);
        assert!(f.message.contains("SYS_ADMIN"), "{}", f.message);
    }

    #[test]
    fn spelling_variants_are_one_capability() {
        for spelling in ["cap_sys_admin", "CAP_SYS_ADMIN", "sys_admin", " Sys_Admin "] {
            let f = finding(json!({"CapAdd": [spelling]}));
            assert_eq!(f.status, Status::Fail, "{spelling}");
            assert_eq!(f.severity, Severity::High, "{spelling}");
        }
    }

    #[test]
    fn add_all_fails_even_after_drop_all() {
        let f = finding(json!({"CapAdd": ["all"], "CapDrop": ["ALL"]}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::High);
        assert!(f.message.contains("ALL"), "{}", f.message);
    }

    #[test]
    fn a_harmless_non_default_addition_fails_medium() {
        let f = finding(json!({"CapAdd": ["SYS_NICE"], "CapDrop": ["ALL"]}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::Medium);
        assert_eq!(
            &*f.message,
            "Adds capabilities beyond the defaults: SYS_NICE."
        );
    }

    #[test]
    fn drop_all_and_add_back_defaults_passes() {
        let f = finding(json!({"CapAdd": ["CAP_NET_BIND_SERVICE"], "CapDrop": ["all"]}));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("NET_BIND_SERVICE"), "{}", f.message);
        assert_eq!(finding(json!({"CapDrop": ["ALL"]})).status, Status::Pass);
    }

    #[test]
    fn dropping_every_default_by_name_is_drop_all() {
        let drops: Vec<&str> = capabilities::DEFAULT
            .into_iter()
            .filter(|c| *c != "CHOWN")
            .collect();
        let f = finding(json!({"CapDrop": drops, "CapAdd": ["CHOWN"]}));
        assert_eq!(f.status, Status::Pass);
    }

    #[test]
    fn defaults_alone_need_review_with_the_effective_set() {
        let f = finding(json!({}));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"), "{}", f.message);
        let effective = f.evidence.last().unwrap();
        assert_eq!(effective.source, Source::Default);
        assert_eq!(effective.value, json!(capabilities::DEFAULT));
    }

    #[test]
    fn cap_drop_is_not_ignored() {
        // The pitfall: ignoring CapDrop. Dropping some defaults narrows the
        // effective set the person is asked to review.
        let f = finding(json!({"CapDrop": ["NET_RAW", "cap_mknod"], "CapAdd": null}));
        assert_eq!(f.status, Status::Manual);
        assert!(!f.message.contains("NET_RAW"), "{}", f.message);
        assert!(!f.message.contains("MKNOD"), "{}", f.message);
        let effective = &f.evidence.last().unwrap().value;
        assert_eq!(effective.as_array().unwrap().len(), 12);
        assert!(!effective.as_array().unwrap().contains(&json!("NET_RAW")));
    }

    #[test]
    fn an_add_wins_over_a_drop_of_the_same_capability() {
        let f = finding(json!({"CapDrop": ["NET_RAW"], "CapAdd": ["NET_RAW"]}));
        assert_eq!(f.status, Status::Manual);
        let effective = &f.evidence.last().unwrap().value;
        assert!(effective.as_array().unwrap().contains(&json!("NET_RAW")));
    }

    #[test]
    fn privileged_fails() {
        let f = finding(json!({"Privileged": true, "CapDrop": ["ALL"]}));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("every capability"), "{}", f.message);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let c = container(json!({"HostConfig": {"CapAdd": ["SYS_PTRACE"]},
                                 "State": {"Status": "exited", "Running": false}}));
        let f = only(run(&AddedCapabilities, &with_containers(host(), vec![c])));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(
                    json!({"Name": "/vpn", "HostConfig": {"CapAdd": ["NET_ADMIN", "SYS_NICE"]}}),
                ),
                container(json!({"Name": "/clock", "HostConfig": {"CapAdd": ["SYS_TIME"]}})),
                container(json!({"Name": "/web", "HostConfig": {"CapDrop": ["ALL"],
                                 "CapAdd": ["NET_BIND_SERVICE"]}})),
                container(json!({"Name": "/app", "HostConfig": {"CapDrop": ["NET_RAW"]}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&AddedCapabilities, &s)));
    }
}
