//! CMP003 `docker-socket-in-service`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Located, Mount};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::mounts::{exposes_daemon_socket, normalize};
use crate::rule::Check;
use crate::shared::compose::host_path;
use crate::shared::compose::{defined_at, with_defaults};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service mounts the daemon's control socket, or a
    /// directory that holds one, through its `volumes`. This is the compose
    /// form of CTR032 (`docker-socket-mounted`) and uses the same
    /// predicate: `/var/run/docker.sock`, `/run/docker.sock`, containerd's
    /// socket, the directories holding them (`/run`, `/var/run`,
    /// `/run/containerd`), and a rootless daemon's
    /// `/run/user/<uid>/docker.sock`, compared by whole path components
    /// after normalisation (`//`, `.`, `..`, trailing slashes).
    ///
    /// Every way a host path gets into a service is read: short syntax
    /// (`/var/run/docker.sock:/var/run/docker.sock:ro`), long syntax
    /// (`type: bind`), and named volumes whose top-level definition binds a
    /// host path (`driver_opts: {type: none, o: bind, device: /var/run}`).
    /// Variables are read with their defaults
    /// (`${DOCKER_SOCK:-/var/run/docker.sock}`); a source that stays
    /// unknown (`${DOCKER_SOCK}`, `${XDG_RUNTIME_DIR}/docker.sock`) fails
    /// when its file name is `docker.sock` or `containerd.sock`, or when
    /// the container path is a daemon socket. One finding per volume
    /// entry, at the entry; a value from an anchor is reported where the
    /// service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// Whoever can connect to the Docker socket controls the daemon, and
    /// the daemon runs as root: one `docker run --privileged -v /:/host`
    /// through the socket is full host compromise. A read-only mount does
    /// not help, because connecting to a socket is not a write to the file.
    ///
    /// ## How to fix
    /// Remove the volume. Tools that need the API (dashboards, CI runners,
    /// reverse proxies that watch containers) should go through a proxy
    /// that allows only the calls they need, such as a socket proxy
    /// service on an internal network, or run outside containers.
    ///
    /// ## Examples
    /// Fails: `volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]`,
    /// `volumes: ["/run:/host/run"]`.
    /// Passes: `volumes: ["./data:/data"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.32
    /// - <https://docs.docker.com/engine/security/#docker-daemon-attack-surface>
    pub DockerSocketInService {
        id: "CMP003",
        name: "docker-socket-in-service",
        severity: Critical,
        target: Compose,
        summary: "A compose service mounts the Docker daemon socket",
    }
}

impl Check for DockerSocketInService {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                let Some(volumes) = &service.volumes else {
                    continue;
                };
                for item in &volumes.value {
                    if let Some(verdict) = judge(src, file, &service.name.value, item) {
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
) -> Option<Verdict> {
    let m = &item.value;
    let (host, via_volume) = host_path(file, m)?;
    let exposed = match with_defaults(host.text) {
        Some(path) => {
            let path = normalize(&path);
            // The host root is CMP004's (sensitive mounts), as in CTR032.
            (path != "/" && (exposes_daemon_socket(&path) || is_rootless_socket(&path)))
                .then(|| path.into_owned())
        }
        None => unknown_socket(host.text, m.target.as_deref()).then(|| host.text.to_string()),
    }?;
    let holds = if exposed.ends_with(".sock") {
        ""
    } else {
        " (a directory holding it)"
    };
    let ro = if m.read_only {
        " (read-only does not help: connect() still works)"
    } else {
        ""
    };
    let via = via_volume
        .as_ref()
        .map(|v| format!(" through volume `{v}`"))
        .unwrap_or_default();
    let mut verdict = Verdict::fail(format!(
        "Service `{service}` mounts the daemon's control socket{via}, giving root on the host: {exposed}{holds}{ro}."
    ))
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

/// `/run/user/<uid>/docker.sock`, where a rootless daemon listens (as in
/// CTR032).
fn is_rootless_socket(path: &str) -> bool {
    path.strip_prefix("/run/user/")
        .and_then(|rest| rest.strip_suffix("/docker.sock"))
        .is_some_and(|uid| !uid.is_empty() && uid.chars().all(|c| c.is_ascii_digit()))
}

/// A source that cannot be resolved is still the socket when it is named
/// like one (`${XDG_RUNTIME_DIR}/docker.sock`) or mounted where one goes.
fn unknown_socket(source: &str, target: Option<&str>) -> bool {
    let named = |p: &str| {
        let file = p.rsplit('/').next().unwrap_or_default();
        matches!(file, "docker.sock" | "containerd.sock")
    };
    named(source) || target.is_some_and(|t| named(&normalize(t)))
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
            &DockerSocketInService,
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
    fn the_socket_and_its_directories_fail_at_the_entry() {
        for spec in [
            "/var/run/docker.sock:/var/run/docker.sock",
            "/var/run/docker.sock:/var/run/docker.sock:ro",
            "/run/docker.sock:/sock",
            "/run:/host/run",
            "/var/run/:/host/run",
            "//var/run//docker.sock:/s",
            "/var/lib/../run/docker.sock:/s",
            "/run/containerd/containerd.sock:/c.sock",
            "/run/user/1000/docker.sock:/var/run/docker.sock",
        ] {
            let f = one_volume(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(at(&f[0]), (5, 9), "{spec}");
        }
    }

    #[test]
    fn read_only_still_fails_and_says_why() {
        let f = one_volume("/var/run/docker.sock:/var/run/docker.sock:ro");
        assert!(
            f[0].message.contains("connect() still works"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn unrelated_paths_pass_without_substring_matching() {
        for spec in [
            "/srv/docker.sock.bak:/x",
            "/home/me/docker.sock.d/x:/x",
            "/run/user/1000:/x",
            "/run/user/1000/podman:/x",
            "/:/host",
            "./docker.sock.txt:/x",
            "data:/var/run",
            "/var/run",
        ] {
            assert!(one_volume(spec).is_empty(), "{spec}");
        }
    }

    #[test]
    fn long_syntax_binds_fail() {
        let f = compose(
            "services:\n  agent:\n    volumes:\n      - type: bind\n        source: /var/run/docker.sock\n        target: /var/run/docker.sock\n        read_only: true\n      - type: volume\n        source: data\n        target: /data\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (4, 9));
    }

    #[test]
    fn variables_are_read_with_their_defaults() {
        assert_eq!(
            one_volume("${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock").len(),
            1
        );
        assert_eq!(one_volume("${SOCK-/run/docker.sock}:/sock").len(), 1);
        assert!(one_volume("${DATA:-/srv/data}:/data").is_empty());
        assert!(one_volume("${DATA}:/data").is_empty());
    }

    #[test]
    fn unknown_sources_named_or_mounted_like_a_socket_fail() {
        assert_eq!(
            one_volume("${XDG_RUNTIME_DIR}/docker.sock:/var/run/docker.sock").len(),
            1
        );
        assert_eq!(
            one_volume("${DOCKER_HOST_SOCK}:/var/run/docker.sock").len(),
            1
        );
        assert!(one_volume("${HOME}/src:/src").is_empty());
    }

    #[test]
    fn a_named_volume_binding_the_socket_directory_fails() {
        let text = "services:\n  app:\n    volumes:\n      - runvol:/r\n      - plain:/p\n      - ext:/e\nvolumes:\n  runvol:\n    driver_opts:\n      type: none\n      o: bind\n      device: /var/run\n  plain: {}\n  ext:\n    external: true\n    driver_opts: {o: bind, device: /run}\n";
        let f = compose(text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(at(&f[0]), (4, 9));
        assert!(f[0].message.contains("volume `runvol`"), "{}", f[0].message);
        assert_eq!(f[0].evidence[0].at, "compose.yml:12:15");
    }

    #[test]
    fn a_named_volume_without_bind_or_with_another_driver_passes() {
        let text = "services:\n  app:\n    volumes: [\"a:/a\", \"b:/b\"]\nvolumes:\n  a:\n    driver_opts: {type: tmpfs, device: /run}\n  b:\n    driver: nfs\n    driver_opts: {o: bind, device: /run}\n";
        assert!(compose(text).is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let text = "x-sock: &sock\n  volumes:\n    - /var/run/docker.sock:/var/run/docker.sock\nservices:\n  a:\n    <<: *sock\n";
        let f = compose(text);
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 6);
        assert_eq!(f[0].evidence[0].at, "compose.yml:3:7");
    }

    #[test]
    fn defaults_are_expanded_like_compose() {
        assert_eq!(with_defaults("a$$b").as_deref(), Some("a$b"));
        assert_eq!(with_defaults("${A:-${B:-/x}}/y").as_deref(), Some("/x/y"));
        assert_eq!(with_defaults("${A:?set A}"), None);
        assert_eq!(with_defaults("$A/b"), None);
        assert_eq!(with_defaults("/plain").as_deref(), Some("/plain"));
        // Without a `$`, the text itself, not a copy.
        assert!(matches!(
            with_defaults("/plain"),
            Some(std::borrow::Cow::Borrowed("/plain"))
        ));
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "x-sock: &sock\n  volumes:\n    - /var/run/docker.sock:/var/run/docker.sock:ro\nservices:\n  portainer:\n    <<: *sock\n  watcher:\n    volumes:\n      - /run:/host/run\n      - runvol:/r\n  web:\n    volumes: [\"./html:/usr/share/nginx/html:ro\"]\nvolumes:\n  runvol:\n    driver_opts: {type: none, o: bind, device: /var/run}\n"
        )));
    }
}
