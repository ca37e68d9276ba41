//! CMP023 `service-writable-root`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::{decided_by, defined_at};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service runs with a read-only root filesystem
    /// (`read_only: true`). This is the compose form of CTR013
    /// (`writable-root-filesystem`).
    /// - `read_only: false` fails, at the value.
    /// - A service without `read_only` fails, at the service name. A base
    ///   service it `extends` in the same file counts; when that cannot be read
    ///   (another file, a YAML error in the service), nothing is reported.
    ///
    /// Writable `volumes` and `tmpfs` next to a read-only root are the intended
    /// design and are not reported. A value from an anchor is reported where
    /// the service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// With a writable root filesystem an attacker who gets code execution can
    /// replace binaries, drop tools and persist backdoors inside the
    /// container, and the container drifts away from its image. A read-only
    /// root limits writes to the few paths declared as volumes or tmpfs,
    /// which are easy to review.
    ///
    /// ## How to fix
    /// Add `read_only: true` and give the application explicit writable places:
    /// `tmpfs: [/tmp, /var/run]` for scratch data and a volume for data that
    /// must persist.
    ///
    /// ## Examples
    /// Fails: `services: {web: {image: nginx}}`, `read_only: false`.
    /// Passes: `services: {web: {image: nginx, read_only: true, tmpfs: [/var/cache/nginx, /var/run]}}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.13
    /// - <https://docs.docker.com/reference/compose-file/services/#read_only>
    pub ServiceWritableRoot {
        id: "CMP023",
        name: "service-writable-root",
        severity: Medium,
        target: Compose,
        summary: "A compose service's root filesystem is writable",
    }
}

impl Check for ServiceWritableRoot {
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

fn judge(src: &Source, file: &ComposeFile, service: &Service) -> Option<Verdict> {
    let name = &service.name.value;
    if let Some(flag) = &service.read_only {
        if flag.value {
            return None;
        }
        let verdict = Verdict::fail(
            [
                "Service `",
                name,
                "` sets read_only: false: its root filesystem is writable.",
            ]
            .concat(),
        )
        .at(location(src, flag.used.span));
        return Some(match defined_at(src, flag, "read_only: false") {
            Some(e) => verdict.with(e),
            None => verdict,
        });
    }
    if decided_by(file, service, |s| s.read_only.is_some()) != Some(None) {
        return None;
    }
    Some(
        Verdict::fail(
            [
                "Service `",
                name,
                "` does not set read_only: true: its root filesystem is writable.",
            ]
            .concat(),
        )
        .at(location(src, service.name.used.span)),
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
            &ServiceWritableRoot,
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

    #[test]
    fn missing_fails_at_the_service_name_and_false_at_the_value() {
        let f = compose(
            "services:\n  web:\n    image: nginx\n  api:\n    read_only: false\n  ok:\n    read_only: true\n    tmpfs: [/tmp]\n    volumes: [\"data:/data\"]\n",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(at(&f[0]), (2, 3));
        assert_eq!(at(&f[1]), (5, 16));
    }

    #[test]
    fn a_base_service_counts_and_an_unknown_one_silences() {
        let text = "services:\n  base:\n    read_only: true\n  app:\n    extends: base\n  ext:\n    extends: {file: other.yml, service: x}\n";
        assert!(compose(text).is_empty());
    }

    #[test]
    fn a_service_cut_short_by_a_yaml_error_is_not_judged() {
        assert!(compose("services:\n  app:\n    image: a\n    user: [\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-r: &r\n  read_only: false\nservices:\n  a:\n    <<: *r\n  b:\n    <<: *r\n    read_only: true\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:14");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  web:\n    image: nginx:1.27\n  cache:\n    image: redis:7\n    read_only: false\n  api:\n    image: api:3\n    read_only: true\n    tmpfs: [/tmp]\n"
        )));
    }
}
