//! CMP005 `shared-volume-propagation`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{Located, Mount, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::defined_at;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// The propagation mode of every volume of a compose service: `shared` or
    /// `rshared` fails, from the short syntax's options
    /// (`/mnt:/mnt:ro,rshared`) or the long syntax's `bind.propagation`. This
    /// is the compose form of CTR020 (`shared-mount-propagation`), with the
    /// same test: `private`, `rprivate`, `slave`, `rslave` and no mode pass.
    /// One finding per entry, at the entry; an entry from an anchor is
    /// reported where the service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// With shared propagation, a mount made inside the container propagates
    /// back to the host's mount namespace (and to every other container
    /// sharing that mount). A compromised container can then mount over host
    /// paths or expose devices to other workloads.
    ///
    /// ## How to fix
    /// Drop `shared`/`rshared` from the volume's options or `bind.propagation`;
    /// the default `rprivate`, or `rslave` where the container must see host
    /// mounts appear, is enough for almost every workload.
    ///
    /// ## Examples
    /// Fails: `volumes: ["/mnt:/mnt:rshared"]`,
    /// `volumes: [{type: bind, source: /mnt, target: /mnt, bind: {propagation: shared}}]`.
    /// Passes: `volumes: ["/mnt:/mnt:ro,rslave"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.20
    /// - <https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation>
    pub SharedVolumePropagation {
        id: "CMP005",
        name: "shared-volume-propagation",
        severity: Medium,
        target: Compose,
        summary: "A compose volume uses shared mount propagation",
    }
}

impl Check for SharedVolumePropagation {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                for verdict in judge(src, service) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

fn judge(src: &Source, service: &Service) -> Vec<Verdict> {
    service
        .volumes
        .iter()
        .flat_map(|l| &l.value)
        .filter_map(|item| judge_mount(src, &service.name.value, item))
        .collect()
}

fn judge_mount(src: &Source, service: &str, item: &Located<Mount>) -> Option<Verdict> {
    let mode = item.value.propagation.as_deref()?;
    if !matches!(mode, "shared" | "rshared") {
        return None;
    }
    let target = item.value.target.as_deref().unwrap_or("?");
    let verdict = Verdict::fail(format!(
        "Service `{service}` mounts {target} with {mode} propagation, so mounts made beneath it reach the host."
    ))
    .at(location(src, item.used.span));
    Some(match defined_at(src, item, "volume entry") {
        Some(e) => verdict.with(e),
        None => verdict,
    })
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
            &SharedVolumePropagation,
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
    fn shared_modes_fail_at_the_entry() {
        for spec in [
            "/mnt:/mnt:rshared",
            "/mnt:/mnt:ro,shared",
            "/mnt:/mnt:shared,z",
        ] {
            let f = compose(&format!(
                "services:\n  app:\n    volumes:\n      - \"{spec}\"\n"
            ));
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(at(&f[0]), (4, 9), "{spec}");
        }
    }

    #[test]
    fn other_modes_pass() {
        for spec in [
            "/mnt:/mnt:rslave",
            "/mnt:/mnt:ro,slave",
            "/mnt:/mnt:private",
            "/mnt:/mnt",
            "data:/data:nocopy",
        ] {
            let f = compose(&format!(
                "services:\n  app:\n    volumes:\n      - \"{spec}\"\n"
            ));
            assert!(f.is_empty(), "{spec}");
        }
    }

    #[test]
    fn long_syntax_bind_propagation_is_read() {
        let f = compose(
            "services:\n  app:\n    volumes:\n      - type: bind\n        source: /mnt\n        target: /mnt\n        bind:\n          propagation: rshared\n      - type: bind\n        source: /srv\n        target: /srv\n        bind: {propagation: rslave}\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (4, 9));
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f =
            compose("x-v: &v\n  volumes: [\"/mnt:/mnt:rshared\"]\nservices:\n  a:\n    <<: *v\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:13");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  csi:\n    volumes:\n      - /var/lib/kubelet:/var/lib/kubelet:rshared\n      - type: bind\n        source: /mnt\n        target: /mnt\n        bind: {propagation: shared}\n  app:\n    volumes: [\"/srv:/srv:rslave\"]\n"
        )));
    }
}
