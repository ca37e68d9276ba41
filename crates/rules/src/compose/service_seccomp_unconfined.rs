//! CMP012 `service-seccomp-unconfined`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::security_opt;
use crate::rule::{Check, Severity};
use crate::shared::compose::{fail_at_security_opt, last_security_opt};
use crate::sources::subject;

declare_rule! {
    /// ## What it checks
    /// Whether a compose service turns off seccomp with
    /// `security_opt: ["seccomp:unconfined"]` (or `seccomp=unconfined`). This is
    /// the compose form of CTR022 (`seccomp-disabled`), with the same
    /// predicate: entries are split at the first `=` or `:`, and the last
    /// `seccomp` entry wins, as in the engine. A custom profile
    /// (`seccomp:./profile.json`) passes; its content is not evaluated.
    /// Privileged services, which get no seccomp filter at all, are left to
    /// CMP001. The finding points at the entry; an entry from an anchor is
    /// reported where the service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// Docker's default seccomp profile blocks about 44 system calls that
    /// containers do not need and that have been used in kernel exploits and
    /// escapes (`keyctl`, `bpf`, `userfaultfd`, `unshare` of new namespaces,
    /// …). Unconfined, every system call reaches the host kernel.
    ///
    /// ## How to fix
    /// Remove `seccomp:unconfined`. If one system call is missing from the
    /// default profile, copy the default profile, allow just that call, and
    /// use `security_opt: ["seccomp:./profile.json"]`.
    ///
    /// ## Examples
    /// Fails: `security_opt: ["seccomp:unconfined"]`.
    /// Passes: no `seccomp` entry, or `security_opt: ["seccomp:./strict.json"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.22
    /// - <https://docs.docker.com/engine/security/seccomp/>
    pub ServiceSeccompUnconfined {
        id: "CMP012",
        name: "service-seccomp-unconfined",
        severity: High,
        target: Compose,
        summary: "A compose service disables seccomp",
    }
}

impl Check for ServiceSeccompUnconfined {
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
    let Some(entry) = last_security_opt(service, "seccomp") else {
        return Vec::new();
    };
    if security_opt::split(&entry.value).1 != Some("unconfined") {
        return Vec::new();
    }
    vec![
        fail_at_security_opt(
            src,
            entry,
            format!(
                "Service `{}` runs with seccomp unconfined: no system call is filtered.",
                service.name.value
            ),
        )
        .severity(Severity::High),
    ]
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
            &ServiceSeccompUnconfined,
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
    fn unconfined_fails_at_the_entry_in_both_spellings() {
        for e in ["seccomp:unconfined", "seccomp=unconfined"] {
            let f = opts(&["no-new-privileges:true", e]);
            assert_eq!(f.len(), 1, "{e}");
            assert_eq!(at(&f[0]), (6, 9), "{e}");
        }
    }

    #[test]
    fn profiles_and_later_entries_pass() {
        assert!(opts(&["seccomp:./profile.json"]).is_empty());
        assert!(opts(&["seccomp=unconfined", "seccomp=./strict.json"]).is_empty());
        assert!(opts(&["apparmor:unconfined", "label:disable"]).is_empty());
        assert!(opts(&["seccomp:unconfinedx"]).is_empty());
        assert!(compose("services:\n  app:\n    image: a\n").is_empty());
    }

    #[test]
    fn the_last_entry_wins() {
        assert_eq!(
            opts(&["seccomp=./strict.json", "seccomp:unconfined"]).len(),
            1
        );
    }

    #[test]
    fn privileged_services_are_left_to_cmp001() {
        let f = compose(
            "services:\n  app:\n    privileged: true\n    security_opt: [\"seccomp:unconfined\"]\n",
        );
        assert!(f.is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-s: &s\n  security_opt: [\"seccomp=unconfined\"]\nservices:\n  a:\n    <<: *s\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:18");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "x-s: &s\n  security_opt: [\"seccomp=unconfined\"]\nservices:\n  legacy:\n    <<: *s\n  tool:\n    security_opt:\n      - no-new-privileges:true\n      - seccomp:unconfined\n  web:\n    security_opt: [\"seccomp:./strict.json\"]\n"
        )));
    }
}
