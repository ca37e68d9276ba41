//! CMP014 `service-new-privileges-allowed`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Located, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::security_opt;
use crate::rule::{Check, Severity};
use crate::shared::compose::decided_by;
use crate::shared::compose::{fail_at_security_opt, last_security_opt};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service sets `no-new-privileges` in `security_opt`.
    /// This is the compose form of CTR026 (`new-privileges-allowed`), with the
    /// same predicate: `no-new-privileges`, `no-new-privileges:true` and
    /// `no-new-privileges=true` pass; the last entry wins.
    /// - An explicit `no-new-privileges:false` fails, at the entry.
    /// - A service without the entry fails, at its `security_opt` or, without
    ///   one, at the service name. A base service it `extends` in the same file
    ///   counts; when that cannot be read (another file, a YAML error in the
    ///   service), nothing is reported.
    ///
    /// The daemon can make it the default for every container
    /// (`"no-new-privileges": true` in daemon.json), which a compose file does
    /// not show: CTR026 and the daemon rules judge that. A service with no
    /// `security_opt` at all (KICS "Security Opt Not Set") is reported here.
    /// An entry from an anchor is reported where the service uses it, with the
    /// anchor's line as evidence.
    ///
    /// ## Why it matters
    /// Without it, a process in the container can gain privileges through
    /// setuid and setgid binaries (`su`, `sudo`, `passwd`, or one an attacker
    /// plants) and through file capabilities. With it, `execve` never grants
    /// more privileges than the caller had, which closes a whole class of
    /// privilege escalations inside the container.
    ///
    /// ## How to fix
    /// Add `security_opt: ["no-new-privileges:true"]` to every service, or set
    /// `"no-new-privileges": true` in the daemon's daemon.json for all
    /// containers.
    ///
    /// ## Examples
    /// Fails: a service without `security_opt`, or with
    /// `security_opt: ["no-new-privileges:false"]`.
    /// Passes: `security_opt: ["no-new-privileges:true"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.26
    /// - <https://docs.docker.com/reference/compose-file/services/#security_opt>
    pub ServiceNewPrivilegesAllowed {
        id: "CMP014",
        name: "service-new-privileges-allowed",
        severity: Medium,
        target: Compose,
        summary: "A compose service does not set no-new-privileges",
    }
}

impl Check for ServiceNewPrivilegesAllowed {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                if let Some(verdict) = judge(src, file, service) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

/// The service's effective `no-new-privileges` and the entry that decides
/// it. [`security_opt::no_new_privileges`] reads the last entry with that
/// key: given only that entry, it decides the same without a copy of every
/// entry.
fn no_new_privileges(s: &Service) -> Option<(bool, &Located<String>)> {
    let entry = last_security_opt(s, "no-new-privileges")?;
    let value = security_opt::no_new_privileges(std::slice::from_ref(&entry.value))?;
    Some((value, entry))
}

fn judge(src: &Source, file: &ComposeFile, service: &Service) -> Option<Verdict> {
    let name = &service.name.value;
    match no_new_privileges(service) {
        Some((false, entry)) => {
            let message = [
                "Service `",
                name,
                "` opts out with no-new-privileges false: setuid binaries can raise privileges.",
            ]
            .concat();
            return Some(fail_at_security_opt(src, entry, message));
        }
        // Set here, so decided here: no need to read its entries again.
        Some((true, _)) => return None,
        None => {}
    }
    let sets = |s: &Service| no_new_privileges(s).is_some();
    if decided_by(file, service, sets) != Some(None) {
        return None;
    }
    let place = service
        .security_opt
        .as_ref()
        .map_or(service.name.used, |l| l.used);
    Some(
        Verdict::fail(
            [
                "Service `",
                name,
                "` does not set no-new-privileges: setuid binaries can raise privileges.",
            ]
            .concat(),
        )
        .severity(Severity::Medium)
        .at(location(src, place.span)),
    )
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
            &ServiceNewPrivilegesAllowed,
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
    fn every_spelling_of_true_passes() {
        for e in [
            "no-new-privileges",
            "no-new-privileges:true",
            "no-new-privileges=true",
        ] {
            assert!(opts(&[e]).is_empty(), "{e}");
        }
    }

    #[test]
    fn an_explicit_false_fails_at_the_entry() {
        for e in ["no-new-privileges:false", "no-new-privileges=false"] {
            let f = opts(&["seccomp:./p.json", e]);
            assert_eq!(f.len(), 1, "{e}");
            assert_eq!(at(&f[0]), (6, 9), "{e}");
            assert!(f[0].message.contains("opts out"), "{}", f[0].message);
        }
        assert_eq!(
            opts(&["no-new-privileges", "no-new-privileges=false"]).len(),
            1
        );
        assert!(opts(&["no-new-privileges=false", "no-new-privileges"]).is_empty());
    }

    #[test]
    fn missing_fails_at_security_opt_or_the_service_name() {
        let f = opts(&["seccomp:./p.json"]);
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (5, 7));
        let f = compose("services:\n  app:\n    image: a\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (2, 3));
        assert_eq!(f[0].severity, Severity::Medium);
    }

    #[test]
    fn a_string_mentioning_it_is_not_it() {
        assert_eq!(opts(&["label=level:no-new-privileges"]).len(), 1);
    }

    #[test]
    fn a_base_service_counts_and_an_unknown_one_silences() {
        let text = "services:\n  base:\n    security_opt: [no-new-privileges]\n  app:\n    extends: base\n  ext:\n    extends: {file: other.yml, service: x}\n  gone:\n    extends: missing\n";
        assert!(compose(text).is_empty());
    }

    #[test]
    fn a_service_cut_short_by_a_yaml_error_is_not_judged() {
        assert!(compose("services:\n  app:\n    image: a\n    user: [\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-s: &s\n  security_opt: [\"no-new-privileges:false\"]\nservices:\n  a:\n    <<: *s\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:18");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "x-hardened: &hardened\n  security_opt: [\"no-new-privileges:true\"]\nservices:\n  web:\n    <<: *hardened\n  worker:\n    image: w:1\n  legacy:\n    security_opt:\n      - no-new-privileges:false\n  db:\n    security_opt: [\"apparmor:db\"]\n"
        )));
    }
}
