//! CMP025 `service-runs-as-root`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::user::is_root_user;
use crate::rule::{Check, Severity};
use crate::shared::compose::{decided_by, defined_at, with_defaults};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// The user a compose service's processes run as, from `user`, with the
    /// same predicate as the runtime and Dockerfile rules: uid 0 in any
    /// spelling (`root`, `0`, `0:0`, `root:docker`, `00`) is root, whatever the
    /// group.
    /// - A root `user` fails with high severity, at the value. A variable is
    ///   read with its default (`${UID:-0}` is root); one without a default
    ///   (`${UID}`) is not judged.
    /// - A service without `user` fails with low severity, at the service
    ///   name: the image's default user decides, which is root unless its
    ///   Dockerfile sets `USER` (for a service with `build`, the Dockerfile
    ///   rules check that). A base service it `extends` in the same file
    ///   counts; when that cannot be read (another file, a YAML error in the
    ///   service), nothing is reported.
    ///
    /// A value from an anchor is reported where the service uses it, with the
    /// anchor's line as evidence.
    ///
    /// ## Why it matters
    /// Root in a container is root on the host's kernel: any escape (a kernel
    /// bug, a writable host mount, an added capability, the Docker socket)
    /// lands as the host's root, and root inside the container can change
    /// every file of its image. Running as an unprivileged user turns most of
    /// those into dead ends.
    ///
    /// ## How to fix
    /// Set an unprivileged user: `user: "1000:1000"` (or a named user the
    /// image defines), and make the files the service writes owned by it. Set
    /// `USER` in the Dockerfile so the image is safe by default.
    ///
    /// ## Examples
    /// Fails: `user: root` and `user: "0:0"` (high); a service without `user`
    /// (low).
    /// Passes: `user: "1000:1000"`, `user: app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.1
    /// - <https://docs.docker.com/reference/compose-file/services/#user>
    pub ServiceRunsAsRoot {
        id: "CMP025",
        name: "service-runs-as-root",
        severity: High,
        target: Compose,
        summary: "A compose service runs as root",
    }
}

impl Check for ServiceRunsAsRoot {
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
    if let Some(user) = &service.user {
        let spec = with_defaults(&user.value)?;
        if !is_root_user(&spec) {
            return None;
        }
        let verdict = Verdict::fail(
            [
                "Service `",
                name,
                "` runs as root (user: ",
                &user.value,
                ").",
            ]
            .concat(),
        )
        .severity(Severity::High)
        .at(location(src, user.used.span));
        return Some(
            match defined_at(src, user, format_args!("user: {}", user.value)) {
                Some(e) => verdict.with(e),
                None => verdict,
            },
        );
    }
    if decided_by(file, service, |s| s.user.is_some()) != Some(None) {
        return None;
    }
    let decides = if service.build.is_some() {
        "the USER of the Dockerfile it builds decides"
    } else {
        "the image's default user decides, which is root unless its Dockerfile sets USER"
    };
    Some(
        Verdict::fail(["Service `", name, "` sets no user: ", decides, "."].concat())
            .severity(Severity::Low)
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
            &ServiceRunsAsRoot,
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

    fn user(spec: &str) -> Vec<Finding> {
        compose(&format!(
            "services:\n  app:\n    image: a\n    user: \"{spec}\"\n"
        ))
    }

    #[test]
    fn every_spelling_of_root_fails_high_at_the_value() {
        for spec in [
            "root",
            "0",
            "0:0",
            "root:root",
            "0:1000",
            "root:docker",
            "00",
            "${UID:-0}",
            "${RUN_AS:-root}:${GID:-0}",
        ] {
            let f = user(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(f[0].severity, Severity::High, "{spec}");
            assert_eq!(at(&f[0]), (4, 11), "{spec}");
        }
        let f = compose("services:\n  app:\n    user: 0\n");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn other_users_pass() {
        for spec in [
            "1000",
            "1000:0",
            "app",
            "nobody",
            "rootless",
            "app:root",
            "${UID}",
            "${UID:-1000}:${GID:-1000}",
        ] {
            assert!(user(spec).is_empty(), "{spec}");
        }
    }

    #[test]
    fn no_user_fails_low_at_the_service_name() {
        let f = compose("services:\n  app:\n    image: a\n  built:\n    build: .\n");
        assert_eq!(f.len(), 2);
        assert_eq!((at(&f[0]), f[0].severity), ((2, 3), Severity::Low));
        assert!(
            f[0].message.contains("image's default user decides"),
            "{}",
            f[0].message
        );
        assert!(
            f[1].message.contains("Dockerfile it builds"),
            "{}",
            f[1].message
        );
    }

    #[test]
    fn a_base_service_counts_and_an_unknown_one_silences() {
        let text = "services:\n  base:\n    user: \"1000\"\n  app:\n    extends: base\n  ext:\n    extends: {file: other.yml, service: x}\n";
        assert!(compose(text).is_empty());
        let text =
            "services:\n  base:\n    user: root\n  app:\n    extends:\n      service: base\n";
        assert_eq!(compose(text).len(), 1);
    }

    #[test]
    fn a_service_cut_short_by_a_yaml_error_is_not_judged() {
        assert!(compose("services:\n  app:\n    image: a\n    cap_add: [\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-u: &u\n  user: root\nservices:\n  a:\n    <<: *u\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:9");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  agent:\n    image: agent:2\n    user: \"0:0\"\n  web:\n    image: nginx:1.27\n  app:\n    build: .\n  api:\n    image: api:3\n    user: \"1000:1000\"\n"
        )));
    }
}
