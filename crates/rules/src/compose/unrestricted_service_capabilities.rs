//! CMP002 `unrestricted-service-capabilities`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, LocatedList, Service};
use smallvec::SmallVec;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::capabilities;
use crate::rule::{Check, Severity};
use crate::shared::compose::{decided_by, defined_at};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// The Linux capabilities a compose service asks for, from `cap_add`
    /// and `cap_drop`. This is the compose form of CTR004
    /// (`added-capabilities`), with the same predicates: names are
    /// normalised first (`cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN`
    /// are one capability).
    ///
    /// - Each `cap_add` entry outside Docker's default set fails, at the
    ///   entry: high severity for `ALL` and the capabilities that lead
    ///   straight to host root (SYS_ADMIN, SYS_MODULE, SYS_PTRACE,
    ///   SYS_RAWIO, DAC_READ_SEARCH, NET_ADMIN), medium for the others
    ///   (SYS_TIME, SYS_NICE, …). Adding back a default (`NET_BIND_SERVICE`
    ///   after `cap_drop: [ALL]`) is the intended pattern and passes.
    /// - A service that does not drop the defaults it does not name fails
    ///   with low severity, at `cap_drop` or, without one, at the service
    ///   name: `cap_drop: [ALL]` passes, and so does dropping every default
    ///   not named again in `cap_add`. A base service it `extends` in the
    ///   same file counts; when that cannot be read (another file, a YAML
    ///   error in the service), nothing is reported for the missing drop.
    ///
    /// Privileged services are left to CMP001: they get every capability
    /// whatever `cap_add` and `cap_drop` say. Variables (`${CAP}`) are not
    /// judged. A value from an anchor is reported where the service uses
    /// it, with the anchor's line as evidence.
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
    /// `cap_drop: [ALL]` and `cap_add: [NET_BIND_SERVICE]`. Remove
    /// `cap_add: [ALL]`, `SYS_ADMIN` and similar; if a workload truly needs
    /// one, isolate it on its own host.
    ///
    /// ## Examples
    /// Fails: `cap_add: [SYS_ADMIN]` (high), `cap_add: [SYS_NICE]`
    /// (medium), a service with neither key (low).
    /// Passes: `cap_drop: [ALL]` with `cap_add: [NET_BIND_SERVICE]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.4
    /// - <https://docs.docker.com/reference/compose-file/services/#cap_add>
    pub UnrestrictedServiceCapabilities {
        id: "CMP002",
        name: "unrestricted-service-capabilities",
        severity: High,
        target: Compose,
        summary: "A compose service holds capabilities beyond what it needs",
    }
}

impl Check for UnrestrictedServiceCapabilities {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                if service.privileged.as_ref().is_some_and(|p| p.value) {
                    continue;
                }
                judge(src, file, service, &mut |verdict| {
                    out.push(subject(src), verdict)
                });
            }
        }
    }
}

/// Passes each verdict about `service` to `report`: straight to the
/// findings, without a `Vec` per service (most services have none or one).
fn judge(src: &Source, file: &ComposeFile, service: &Service, report: &mut impl FnMut(Verdict)) {
    let name = &service.name.value;
    let added = service
        .cap_add
        .iter()
        .flat_map(|l| &l.value)
        .filter(|c| !c.value.contains('$'));
    for cap in added {
        let normal = capabilities::normalize(&cap.value);
        if normal.is_empty() || capabilities::is_default(&normal) {
            continue;
        }
        let (why, severity) = if capabilities::is_dangerous(&normal) {
            ("which leads straight to host root", Severity::High)
        } else {
            ("beyond Docker's defaults", Severity::Medium)
        };
        let mut verdict = Verdict::fail(
            [
                "Service `",
                name,
                "` adds capability ",
                &normal,
                ", ",
                why,
                ".",
            ]
            .concat(),
        )
        .severity(severity)
        .at(location(src, cap.used.span));
        if let Some(e) = defined_at(src, cap, format_args!("cap_add: {}", cap.value)) {
            verdict = verdict.with(e);
        }
        report(verdict);
    }

    // Drops apply to the defaults, adds come after: every default that is
    // neither dropped nor named in `cap_add` was never asked for.
    let drops_all = |s: &Service| {
        s.cap_drop
            .iter()
            .flat_map(|l| &l.value)
            .any(|c| capabilities::names(&c.value, "ALL"))
    };
    if decided_by(file, service, drops_all) != Some(None) {
        return;
    }
    let Some(message) = keeps_defaults_message(name, service) else {
        return;
    };
    let place = service
        .cap_drop
        .as_ref()
        .map_or(service.name.used, |d| d.used);
    report(
        Verdict::fail(message)
            .severity(Severity::Low)
            .at(location(src, place.span)),
    );
}

/// The defaults `service` neither drops nor names in `cap_add`, in
/// [`capabilities::DEFAULT`]'s order. Compared with
/// [`capabilities::names`], without normalising a copy of every entry.
fn unrequested(service: &Service) -> impl Iterator<Item = &'static str> + '_ {
    let named = |list: &Option<LocatedList<String>>, cap: &str| {
        list.iter()
            .flat_map(|l| &l.value)
            .any(|c| capabilities::names(&c.value, cap))
    };
    capabilities::DEFAULT
        .into_iter()
        .filter(move |cap| !named(&service.cap_drop, cap) && !named(&service.cap_add, cap))
}

/// The message about the defaults `service` keeps without asking, if it
/// keeps any. Written into one string of the exact length: most services
/// keep all 14, and a `Vec` of them joined and then concatenated cost
/// three allocations and copies for one message. The defaults are found
/// once, into a list on the stack.
fn keeps_defaults_message(name: &str, service: &Service) -> Option<String> {
    const BEFORE: &str = "` keeps default capabilities it does not ask for (";
    const AFTER: &str = "); add `cap_drop: [ALL]` and add back only what it needs.";
    const SEPARATOR: &str = ", ";
    let kept: SmallVec<[&str; capabilities::DEFAULT.len()]> = unrequested(service).collect();
    if kept.is_empty() {
        return None;
    }
    let len = "Service `".len()
        + name.len()
        + BEFORE.len()
        + kept.iter().map(|cap| cap.len()).sum::<usize>()
        + SEPARATOR.len() * (kept.len() - 1)
        + AFTER.len();
    let mut message = String::with_capacity(len);
    message.push_str("Service `");
    message.push_str(name);
    message.push_str(BEFORE);
    for (i, cap) in kept.iter().enumerate() {
        if i > 0 {
            message.push_str(SEPARATOR);
        }
        message.push_str(cap);
    }
    message.push_str(AFTER);
    Some(message)
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
            &UnrestrictedServiceCapabilities,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
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

    fn dropped(cap_add: &str) -> Vec<Finding> {
        compose(&format!(
            "services:\n  app:\n    cap_drop: [ALL]\n    cap_add: [{cap_add}]\n"
        ))
    }

    #[test]
    fn a_dangerous_addition_fails_high_at_the_entry() {
        for spelling in [
            "SYS_ADMIN",
            "cap_sys_admin",
            "CAP_SYS_ADMIN",
            "sys_admin",
            "ALL",
            "all",
            "NET_ADMIN",
            "SYS_PTRACE",
            "SYS_MODULE",
        ] {
            let f = dropped(spelling);
            assert_eq!(f.len(), 1, "{spelling}");
            assert_eq!(f[0].severity, Severity::High, "{spelling}");
            assert_eq!(at(&f[0]), (4, 15), "{spelling}");
        }
    }

    #[test]
    fn a_harmless_non_default_addition_fails_medium() {
        let f = dropped("SYS_NICE");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Medium);
        assert_eq!(
            &*f[0].message,
            "Service `app` adds capability SYS_NICE, beyond Docker's defaults."
        );
    }

    #[test]
    fn drop_all_and_add_back_defaults_passes() {
        assert!(dropped("NET_BIND_SERVICE, CAP_CHOWN").is_empty());
        assert!(compose("services:\n  app:\n    cap_drop:\n      - all\n").is_empty());
    }

    #[test]
    fn keeping_the_defaults_fails_low_at_the_service_or_its_cap_drop() {
        let f = compose("services:\n  app:\n    image: a\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Low);
        assert_eq!(at(&f[0]), (2, 3));
        let f = compose("services:\n  app:\n    cap_drop: [NET_RAW, MKNOD]\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (3, 15));
        assert!(!f[0].message.contains("NET_RAW"), "{}", f[0].message);
        assert!(f[0].message.contains("CHOWN"), "{}", f[0].message);
    }

    #[test]
    fn dropping_every_default_by_name_is_drop_all() {
        let drops: Vec<&str> = capabilities::DEFAULT
            .into_iter()
            .filter(|c| *c != "CHOWN")
            .collect();
        let text = format!(
            "services:\n  app:\n    cap_drop: [{}]\n    cap_add: [CHOWN]\n",
            drops.join(", ")
        );
        assert!(compose(&text).is_empty());
    }

    #[test]
    fn privileged_services_are_left_to_cmp001() {
        assert!(
            compose("services:\n  app:\n    privileged: true\n    cap_add: [SYS_ADMIN]\n")
                .is_empty()
        );
    }

    #[test]
    fn a_base_service_that_drops_all_counts_and_an_unknown_one_silences() {
        let text = "services:\n  base:\n    cap_drop: [ALL]\n  app:\n    extends: base\n  other:\n    extends:\n      file: common.yml\n      service: base\n";
        assert!(compose(text).is_empty());
        let text = "services:\n  base:\n    image: a\n  app:\n    extends: base\n";
        assert_eq!(compose(text).len(), 2);
    }

    #[test]
    fn a_service_cut_short_by_a_yaml_error_is_not_judged_for_what_is_missing() {
        let f = compose("services:\n  app:\n    image: a\n    cap_add: [SYS_ADMIN]\n    user: [\n");
        assert!(f.iter().all(|f| f.severity == Severity::High), "{f:#?}");
    }

    #[test]
    fn variables_are_not_judged() {
        assert!(dropped("${EXTRA_CAP}").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-c: &c\n  cap_add: [SYS_ADMIN]\n  cap_drop: [ALL]\nservices:\n  a:\n    <<: *c\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 6);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:13");
    }

    /// The message as it was built before it was written in one string:
    /// every entry normalised into a copy, the defaults left joined.
    fn message_by_normalising(service: &Service) -> Option<String> {
        let named = |list: &Option<LocatedList<String>>| -> Vec<String> {
            list.iter()
                .flat_map(|l| &l.value)
                .map(|c| capabilities::normalize(&c.value))
                .collect()
        };
        let (dropped, asked) = (named(&service.cap_drop), named(&service.cap_add));
        let unrequested: Vec<&str> = capabilities::DEFAULT
            .into_iter()
            .filter(|cap| !dropped.iter().any(|d| d == cap) && !asked.iter().any(|a| a == cap))
            .collect();
        (!unrequested.is_empty()).then(|| {
            [
                "Service `",
                &service.name.value,
                "` keeps default capabilities it does not ask for (",
                &unrequested.join(", "),
                "); add `cap_drop: [ALL]` and add back only what it needs.",
            ]
            .concat()
        })
    }

    proptest::proptest! {
        #[test]
        fn the_kept_defaults_agree_with_normalising_every_entry(
            drops in proptest::collection::vec(" ?(cap_|CAP_|Cap_)?(chown|NET_RAW|SetUid|kill|all|SYS_ADMIN|net_bind_service|audit_write|x|é) ?", 0..16),
            adds in proptest::collection::vec("(cap_)?(CHOWN|mknod|SYS_TIME|\\$\\{X\\})", 0..4),
        ) {
            let text = format!(
                "services:\n  app:\n    cap_drop: [{}]\n    cap_add: [{}]\n",
                drops.iter().map(|d| format!("'{d}'")).collect::<Vec<_>>().join(", "),
                adds.iter().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(", "),
            );
            let src = Source::parse("compose.yml", SourceKind::Compose, text);
            let service = &src.compose().unwrap().services[0];
            let message = keeps_defaults_message(&service.name.value, service);
            proptest::prop_assert_eq!(&message, &message_by_normalising(service));
            if let Some(m) = message {
                proptest::prop_assert_eq!(m.len(), m.capacity());
            }
        }
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  vpn:\n    image: wireguard:1\n    cap_add:\n      - NET_ADMIN\n      - SYS_MODULE\n      - SYS_NICE\n  clock:\n    cap_drop: [NET_RAW]\n    cap_add: [SYS_TIME]\n  web:\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n"
        )));
    }
}
