//! CMP004 `sensitive-host-volume`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Located, Mount};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::mounts;
use crate::rule::{Check, Severity};
use crate::shared::compose::host_path;
use crate::shared::compose::{defined_at, with_defaults};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service mounts a sensitive host directory: `/`,
    /// `/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys`, `/usr`, or anything
    /// beneath one of them (`/etc/ssl` counts, `/etcd` does not). This is
    /// the compose form of CTR006 (`sensitive-host-mount`) and uses the
    /// same predicate, after the same normalisation (`//`, `.`, `..`,
    /// trailing slashes).
    ///
    /// Every way a host path gets in is read: short syntax (`/:/host`),
    /// long syntax (`type: bind`, `source: /etc`), and named volumes whose
    /// top-level definition binds a host path with the `local` driver
    /// (`driver_opts: {type: none, o: bind, device: /etc}`). Variables are
    /// read with their defaults (`${ROOT:-/}`); a source that stays
    /// unknown (`${HOST_DIR}`) is not judged. Relative paths (`./etc`) are
    /// the project's, not the host's system directories.
    ///
    /// A read-write mount is high severity, a read-only one (`:ro`,
    /// `read_only: true`) medium. Paths in the policy's
    /// `allowed_sensitive_mounts` (for example `/etc/localtime`) pass when
    /// mounted read-only. The Docker socket is CMP003's subject. One
    /// finding per volume entry, at the entry; a value from an anchor is
    /// reported where the service uses it, with the anchor's line as
    /// evidence.
    ///
    /// ## Why it matters
    /// A container that can write to the host's `/etc`, `/boot` or `/usr`
    /// can add a user, a cron job, a kernel or a binary that the host then
    /// runs as root. Even read-only, `/etc` gives away password hashes and
    /// keys, and `/proc` or `/sys` expose kernel state of the whole
    /// machine.
    ///
    /// ## How to fix
    /// Mount only the specific paths a service needs, from a directory made
    /// for it (`./config:/etc/app:ro`), never a system directory. If a
    /// single file such as `/etc/localtime` must be shared, mount it `:ro`
    /// and add it to `allowed_sensitive_mounts` in the bulwark policy.
    ///
    /// ## Examples
    /// Fails: `volumes: ["/:/host"]` (high), `volumes: ["/etc:/host-etc:ro"]`
    /// (medium).
    /// Passes: `volumes: ["/srv/app/data:/data", "./etc:/etc/app:ro"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.6
    /// - <https://docs.docker.com/reference/compose-file/services/#volumes>
    pub SensitiveHostVolume {
        id: "CMP004",
        name: "sensitive-host-volume",
        severity: High,
        target: Compose,
        summary: "A compose service mounts a sensitive host directory",
    }
}

impl Check for SensitiveHostVolume {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                let Some(volumes) = &service.volumes else {
                    continue;
                };
                for item in &volumes.value {
                    if let Some(verdict) = judge(src, file, &service.name.value, item, ctx) {
                        out.push(subject(src), verdict);
                    }
                }
            }
        }
    }
}

fn judge(
    src: &Source,
    file: &ComposeFile,
    service: &str,
    item: &Located<Mount>,
    ctx: &Context<'_>,
) -> Option<Verdict> {
    let m = &item.value;
    let (host, via_volume) = host_path(file, m)?;
    let written = with_defaults(host.text)?;
    let path = mounts::normalize(&written);
    let dir = mounts::sensitive_dir(&path)?;
    if m.read_only && allowed(ctx, &path) {
        return None;
    }
    let (mode, severity) = if m.read_only {
        ("read-only", Severity::Medium)
    } else {
        ("read-write", Severity::High)
    };
    let under = if path == dir {
        String::new()
    } else {
        format!(", under {dir}")
    };
    let via = via_volume
        .as_ref()
        .map(|v| format!(" through volume `{v}`"))
        .unwrap_or_default();
    let target = m.target.as_deref().unwrap_or("?");
    let mut verdict = Verdict::fail(format!(
        "Service `{service}` mounts the host's {path}{via} at {target} ({mode}{under})."
    ))
    .severity(severity)
    .at(location(src, item.used.span));
    if let Some(e) = defined_at(src, item, "volume entry") {
        verdict = verdict.with(e);
    }
    if let Some(place) = host.place {
        let at = place.position(src);
        verdict = verdict.with(Evidence::new(
            crate::finding::Source::File,
            format!("{}:{}:{}", src.path, at.line, at.column),
            format!("device: {}", host.text),
        ));
    }
    Some(verdict)
}

/// Whether the policy allows a read-only mount of `path`. As in CTR006:
/// entries may carry a mode (`/etc/localtime:ro`); the allowance is
/// read-only anyway. Read only for a sensitive read-only mount, which
/// few files have: normalising the allowances once per file cost more.
fn allowed(ctx: &Context<'_>, path: &str) -> bool {
    ctx.policy.allowed_sensitive_mounts.iter().any(|entry| {
        let allowed = mounts::normalize(entry.split(':').next().unwrap_or_default());
        !allowed.is_empty() && mounts::is_within(path, &allowed)
    })
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Finding;
    use crate::policy::Policy;
    use crate::testing::at;
    use crate::testing::*;

    fn compose(text: &str) -> Vec<Finding> {
        lint(
            &SensitiveHostVolume,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
    }

    fn one_volume(spec: &str) -> Vec<Finding> {
        compose(&format!(
            "services:\n  app:\n    image: a\n    volumes:\n      - \"{spec}\"\n"
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
    fn system_directories_and_what_is_beneath_them_fail_at_the_entry() {
        for spec in [
            "/:/host",
            "/etc:/host/etc",
            "/etc/ssl/certs:/certs",
            "/proc:/host/proc",
            "/sys/fs/cgroup:/sys/fs/cgroup",
            "/dev:/dev",
            "/boot:/boot",
            "/lib/modules:/lib/modules",
            "/usr:/usr",
            "//etc//:/e",
            "/srv/../etc:/e",
            "${ROOT:-/}:/host",
        ] {
            let f = one_volume(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(at(&f[0]), (5, 9), "{spec}");
            assert_eq!(f[0].severity, Severity::High, "{spec}");
        }
    }

    #[test]
    fn read_only_is_medium() {
        let f = one_volume("/etc:/host/etc:ro");
        assert_eq!(f[0].severity, Severity::Medium);
        assert!(f[0].message.contains("read-only"), "{}", f[0].message);
        let f = one_volume("/etc/passwd:/p:ro,z");
        assert_eq!(f[0].severity, Severity::Medium);
    }

    #[test]
    fn other_paths_pass_by_whole_components() {
        for spec in [
            "/etcd:/etcd",
            "/srv/data:/data",
            "/home/me/etc:/etc",
            "./etc:/etc/app",
            "../usr:/u",
            "~/proc:/p",
            "data:/etc",
            "/etc",
            "${HOST_DIR}:/host",
            "/var/run/docker.sock:/var/run/docker.sock",
        ] {
            assert!(one_volume(spec).is_empty(), "{spec}");
        }
    }

    #[test]
    fn long_syntax_is_read_with_its_read_only_flag() {
        let f = compose(
            "services:\n  app:\n    volumes:\n      - type: bind\n        source: /\n        target: /host\n      - type: bind\n        source: /etc\n        target: /e\n        read_only: true\n      - type: tmpfs\n        target: /etc\n",
        );
        assert_eq!(f.len(), 2);
        assert_eq!((at(&f[0]), f[0].severity), ((4, 9), Severity::High));
        assert_eq!((at(&f[1]), f[1].severity), ((7, 9), Severity::Medium));
    }

    #[test]
    fn a_named_volume_binding_a_system_directory_fails() {
        let f = compose(
            "services:\n  app:\n    volumes: [\"etc:/host-etc\", \"data:/data\"]\nvolumes:\n  etc:\n    driver: local\n    driver_opts: {type: none, o: bind, device: /etc}\n  data:\n    driver_opts: {type: none, o: bind, device: /srv/data}\n",
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("through volume `etc`"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].evidence[0].at, "compose.yml:7:48");
    }

    #[test]
    fn the_policy_allows_listed_paths_read_only_only() {
        let policy = Policy {
            allowed_sensitive_mounts: vec!["/etc/localtime:ro".into()],
            ..Policy::default()
        };
        let text = "services:\n  app:\n    volumes:\n      - /etc/localtime:/etc/localtime:ro\n      - /etc/localtime:/lt\n      - /etc/passwd:/p:ro\n";
        let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
        let rules: Vec<&dyn crate::rule::Rule> = vec![&SensitiveHostVolume];
        let f = crate::evaluate::evaluate_sources(&[src], &policy, &rules);
        let lines: Vec<u32> = f.iter().map(|f| at(f).0).collect();
        assert_eq!(lines, [5, 6]);
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-host: &host\n  volumes:\n    - /:/host:ro\nservices:\n  a:\n    <<: *host\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 6);
        assert_eq!(f[0].evidence[0].at, "compose.yml:3:7");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "x-host: &host\n  volumes:\n    - /:/host:ro\nservices:\n  node-exporter:\n    <<: *host\n  agent:\n    volumes:\n      - /proc:/host/proc\n      - type: bind\n        source: /etc/ssl\n        target: /certs\n        read_only: true\n      - etc:/e\n  web:\n    volumes: [\"./html:/usr/share/nginx/html:ro\"]\nvolumes:\n  etc:\n    driver_opts: {type: none, o: bind, device: /etc}\n"
        )));
    }
}
