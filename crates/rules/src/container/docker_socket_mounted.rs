//! CTR032 `docker-socket-mounted`.

use bulwark_facts::{ContainerFacts, Volume};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::mounts::{exposes_daemon_socket, is_within, normalize};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container can reach the daemon's control socket through a
    /// mount. Every host path a container mounts is compared, by whole path
    /// components after normalisation (never by substring), with the
    /// daemon sockets:
    /// - the well-known ones: `/var/run/docker.sock`, `/run/docker.sock`
    ///   and containerd's socket;
    /// - the audited endpoint's own socket (`unix:///custom/docker.sock`)
    ///   and every `unix://` socket in the daemon's `-H`/`hosts` setting;
    /// - a rootless daemon's `/run/user/<uid>/docker.sock`.
    ///
    /// A mount of the socket, or of a directory holding one (`/run`,
    /// `/var/run`), fails, read-only or not. Mounts are read from
    /// `Mounts[]` (bind sources, and `local` volumes that are binds in
    /// disguise), `HostConfig.Binds` and `HostConfig.Mounts`. Stopped
    /// containers are checked too.
    ///
    /// ## Why it matters
    /// Whoever can connect to the Docker socket controls the daemon, and
    /// the daemon runs as root: one `docker run --privileged -v /:/host`
    /// through the socket is full host compromise. A read-only bind does
    /// not help, because connecting to a socket is not a write to the
    /// file.
    ///
    /// ## How to fix
    /// Remove the mount (`-v /var/run/docker.sock:/var/run/docker.sock`,
    /// compose `volumes:`). Tools that need the API should use a proxy that
    /// allows only the calls they need, or run outside containers; an
    /// authorization plugin (CIS 2.12) limits what the socket allows.
    ///
    /// ## Examples
    /// Fails: `docker run -v /var/run/docker.sock:/var/run/docker.sock:ro app`,
    /// `docker run -v /run:/host/run app`.
    /// Passes: `docker run -v /srv/data:/data app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.32
    /// - <https://docs.docker.com/engine/security/#docker-daemon-attack-surface>
    pub DockerSocketMounted {
        id: "CTR032",
        name: "docker-socket-mounted",
        severity: Critical,
        target: Container,
        summary: "A container mounts the Docker daemon socket",
    }
}

impl Check for DockerSocketMounted {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let sockets = custom_sockets(ctx);
        let volumes: &[Volume] = ctx.snapshot.volumes.get().map_or(&[], Vec::as_slice);
        ctx.each_container(out, |c| judge(c, &sockets, volumes));
    }
}

/// Daemon sockets beyond the well-known ones: the endpoint bulwark
/// audits, and the daemon's own `unix://` listeners.
fn custom_sockets(ctx: &Context<'_>) -> Vec<String> {
    let mut sockets: Vec<String> = std::iter::once(ctx.snapshot.endpoint.address.clone())
        .chain(ctx.daemon.get("hosts").as_list())
        .filter_map(|a| a.strip_prefix("unix://").map(|p| normalize(p).into_owned()))
        .filter(|p| p.starts_with('/') && p != "/")
        .collect();
    sockets.sort();
    sockets.dedup();
    sockets
}

/// True when mounting `source` gives access to a daemon socket.
fn exposes(source: &str, custom: &[String]) -> bool {
    let path = normalize(source);
    if path == "/" {
        return false; // the host root is CIS 5.6's (sensitive mounts)
    }
    exposes_daemon_socket(&path)
        || custom.iter().any(|sock| is_within(sock, &path))
        || is_rootless_socket(&path)
}

/// `/run/user/<uid>/docker.sock`, where a rootless daemon listens.
fn is_rootless_socket(path: &str) -> bool {
    path.strip_prefix("/run/user/")
        .and_then(|rest| rest.strip_suffix("/docker.sock"))
        .is_some_and(|uid| !uid.is_empty() && uid.chars().all(|c| c.is_ascii_digit()))
}

/// The host path a named volume binds, if it is a bind in disguise.
fn volume_source<'v>(volumes: &'v [Volume], name: &str) -> Option<&'v str> {
    volumes
        .iter()
        .find(|v| v.name == name)
        .and_then(Volume::bound_host_path)
}

fn judge(c: &ContainerFacts, custom: &[String], volumes: &[Volume]) -> Verdict {
    // (pointer, host path, read-only)
    let mut seen: Vec<(String, String, bool)> = Vec::new();
    for (i, m) in c.inspect.mounts.iter().enumerate() {
        let source = match m.kind.as_str() {
            "bind" => Some(m.source.as_str()),
            "volume" => volume_source(volumes, &m.name),
            _ => None,
        };
        if let Some(source) = source {
            seen.push((format!("/Mounts/{i}/Source"), source.to_string(), !m.rw));
        }
    }
    let hc = &c.inspect.host_config;
    for (i, bind) in hc.binds.iter().flatten().enumerate() {
        let mut fields = bind.split(':');
        let src = fields.next().unwrap_or_default();
        let read_only = fields
            .nth(1)
            .is_some_and(|o| o.split(',').any(|o| o == "ro"));
        let source = if src.starts_with('/') {
            Some(src)
        } else {
            volume_source(volumes, src)
        };
        if let Some(source) = source {
            seen.push((
                format!("/HostConfig/Binds/{i}"),
                source.to_string(),
                read_only,
            ));
        }
    }
    for (i, m) in hc.mounts.iter().flatten().enumerate() {
        let source = match m.kind.as_str() {
            "bind" => Some(m.source.as_str()),
            "volume" => volume_source(volumes, &m.source),
            _ => None,
        };
        if let Some(source) = source {
            seen.push((
                format!("/HostConfig/Mounts/{i}/Source"),
                source.to_string(),
                m.read_only,
            ));
        }
    }

    let bad: Vec<&(String, String, bool)> = seen
        .iter()
        .filter(|(_, source, _)| exposes(source, custom))
        .collect();
    if bad.is_empty() {
        let mut sources: Vec<&str> = seen.iter().map(|(_, s, _)| s.as_str()).collect();
        sources.sort_unstable();
        sources.dedup();
        return Verdict::pass("No daemon socket, or directory holding one, is mounted.")
            .with(Evidence::inspect("host paths mounted", sources));
    }

    // The same mount shows in Mounts and in Binds/Mounts: name each host
    // path once (the evidence keeps every view).
    let mut paths: Vec<String> = bad
        .iter()
        .map(|(_, source, ro)| {
            let note = if *ro {
                " (read-only, connect() still works)"
            } else {
                ""
            };
            format!("{}{note}", normalize(source))
        })
        .collect();
    paths.sort();
    paths.dedup();
    Verdict::fail(format!(
        "Mounts the daemon's control socket, giving root on the host: {}.",
        paths.join(", ")
    ))
    .with_all(
        bad.into_iter()
            .map(|(at, source, _)| Evidence::inspect(at.as_str(), source.as_str())),
    )
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Part, Snapshot};
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn bind(source: &str, rw: bool) -> Value {
        json!({"Mounts": [{"Type": "bind", "Source": source, "Destination": "/x", "RW": rw}]})
    }

    fn status_on(s: Snapshot, c: Value) -> Status {
        only(run(
            &DockerSocketMounted,
            &with_containers(s, vec![container(c)]),
        ))
        .status
    }

    #[test]
    fn the_socket_and_its_directories_fail() {
        for source in [
            "/var/run/docker.sock",
            "/run/docker.sock",
            "/run",
            "/var/run/",
            "/run/containerd/containerd.sock",
        ] {
            assert_eq!(
                status_of(&DockerSocketMounted, bind(source, true)),
                Status::Fail,
                "{source}"
            );
        }
    }

    #[test]
    fn read_only_still_fails_and_says_why() {
        let f = only(run(
            &DockerSocketMounted,
            &with_containers(host(), vec![container(bind("/var/run/docker.sock", false))]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("read-only, connect() still works"),
            "{}",
            f.message
        );
    }

    #[test]
    fn unrelated_paths_pass_without_substring_matching() {
        for source in [
            "/srv/docker.sock.bak",
            "/home/me/docker.sock.d/x",
            "/run/user/1000",
            "/srv/data",
            "/",
        ] {
            assert_eq!(
                status_of(&DockerSocketMounted, bind(source, true)),
                Status::Pass,
                "{source}"
            );
        }
        assert_eq!(status_of(&DockerSocketMounted, json!({})), Status::Pass);
    }

    #[test]
    fn binds_and_mount_flags_are_read_too() {
        let c = json!({"HostConfig": {"Binds": ["/var/run/docker.sock:/sock:ro"]}});
        assert_eq!(status_of(&DockerSocketMounted, c), Status::Fail);
        let c = json!({"HostConfig": {"Mounts": [
            {"Type": "bind", "Source": "/run", "Target": "/host/run", "ReadOnly": true}]}});
        assert_eq!(status_of(&DockerSocketMounted, c), Status::Fail);
        let c = json!({"HostConfig": {"Binds": ["data:/data", "/srv:/srv:rw"]}});
        assert_eq!(status_of(&DockerSocketMounted, c), Status::Pass);
    }

    #[test]
    fn the_audited_endpoints_custom_socket_is_a_daemon_socket() {
        let mut s = host();
        s.endpoint.address = "unix:///opt/docker/api.sock".into();
        assert_eq!(
            status_on(s.clone(), bind("/opt/docker/api.sock", true)),
            Status::Fail
        );
        assert_eq!(
            status_on(s.clone(), bind("/opt/docker", true)),
            Status::Fail
        );
        assert_eq!(status_on(s, bind("/opt/other", true)), Status::Pass);
    }

    #[test]
    fn the_daemons_own_unix_listeners_are_daemon_sockets() {
        let s = with_flags(
            host(),
            "-H unix:///srv/run/dockerd.sock -H tcp://127.0.0.1:2376",
        );
        assert_eq!(status_on(s, bind("/srv/run", true)), Status::Fail);
    }

    #[test]
    fn a_rootless_socket_fails() {
        assert_eq!(
            status_of(
                &DockerSocketMounted,
                bind("/run/user/1000/docker.sock", true)
            ),
            Status::Fail
        );
    }

    #[test]
    fn a_local_volume_that_binds_the_socket_directory_fails() {
        let mut s = host();
        s.volumes = Part::Collected(vec![
            serde_json::from_value(json!({
                "Name": "runvol", "Driver": "local",
                "Options": {"type": "none", "o": "bind", "device": "/var/run"}
            }))
            .unwrap(),
        ]);
        let c = json!({"Mounts": [{"Type": "volume", "Name": "runvol",
                                   "Source": "/var/lib/docker/volumes/runvol/_data",
                                   "Destination": "/r", "RW": true}]});
        assert_eq!(status_on(s, c), Status::Fail);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let mut c = bind("/var/run/docker.sock", true);
        c["State"] = json!({"Status": "exited", "Running": false});
        assert_eq!(status_of(&DockerSocketMounted, c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&DockerSocketMounted, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/portainer",
                    "Mounts": [{"Type": "bind", "Source": "/var/run/docker.sock",
                                "Destination": "/var/run/docker.sock", "RW": false}],
                    "HostConfig": {"Binds": ["/var/run/docker.sock:/var/run/docker.sock:ro"]}})),
                container(json!({"Name": "/web",
                    "Mounts": [{"Type": "bind", "Source": "/srv/www", "Destination": "/usr/share/nginx/html", "RW": false}]})),
            ],
        );
        insta::assert_snapshot!(render(&run(&DockerSocketMounted, &s)));
    }
}
