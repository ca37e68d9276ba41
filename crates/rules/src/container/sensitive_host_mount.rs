//! CTR006 `sensitive-host-mount`.

use bulwark_facts::{ContainerFacts, Part, Volume};
use serde_json::{Value, json};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::predicates::mounts;
use crate::rule::{Check, Severity};

declare_rule! {
    /// ## What it checks
    /// Whether a container (stopped ones too) mounts a sensitive host
    /// directory: `/`, `/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys`,
    /// `/usr`, or anything beneath one of them (`/etc/ssl` counts, `/etcd`
    /// does not). Paths are compared after normalisation (`//`, `.`, `..`,
    /// trailing slashes).
    ///
    /// Every way a host path gets in is read, and duplicates are merged by
    /// source and destination:
    /// - `Mounts[]` entries of type `bind` (the daemon's view of `-v` and
    ///   `--mount`);
    /// - `HostConfig.Binds` (`src:dst[:opts]`, read-only when the options
    ///   hold `ro`) and `HostConfig.Mounts` of type `bind`, which is all a
    ///   container that never started may have;
    /// - named volumes whose `local` driver options bind a host path
    ///   (`type=none, o=bind, device=/etc`), matched from `Mounts[].Name`,
    ///   `HostConfig.Mounts[].Source` and `HostConfig.Binds` against the
    ///   volume list.
    ///
    /// A read-write mount fails with high severity, a read-only one with
    /// medium. Paths in the policy's `allowed_sensitive_mounts` (for example
    /// `/etc/localtime`) pass when mounted read-only. When a container uses
    /// named volumes and the volume list was not collected, a person must
    /// check them. The Docker socket is CTR032's subject (CIS 5.32) and is
    /// reported here only when a sensitive directory holding it is mounted.
    /// Host symlinks (`/lib` → `/usr/lib`) are not resolved: both sides of
    /// that link are sensitive anyway.
    ///
    /// ## Why it matters
    /// A container that can write to the host's `/etc`, `/boot` or `/usr`
    /// can add a user, a cron job, a kernel or a binary that the host then
    /// runs as root. Even read-only, `/etc` gives away password hashes
    /// (`/etc/shadow`), keys and the host's configuration, and `/proc` or
    /// `/sys` expose kernel state of the whole machine.
    ///
    /// ## How to fix
    /// Mount only the specific paths a service needs, from a directory made
    /// for it (`-v /srv/app/config:/etc/app:ro`), never a system directory.
    /// Remove `-v /:/host`, `-v /etc:/etc` and the equivalent compose
    /// `volumes:` entries or `--mount type=bind,source=/etc,…`. If a single
    /// file such as `/etc/localtime` must be shared, mount it `:ro` and add
    /// it to `allowed_sensitive_mounts` in the bulwark policy.
    ///
    /// ## Examples
    /// Fails: `docker run -v /etc:/host-etc:ro alpine` (medium), and
    /// `docker run --mount type=bind,source=/,target=/host alpine` (high).
    /// Passes: `docker run -v /srv/app/data:/data alpine`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.6
    /// - <https://docs.docker.com/engine/storage/bind-mounts/>
    pub SensitiveHostMount {
        id: "CTR006",
        name: "sensitive-host-mount",
        severity: High,
        target: Container,
        summary: "A container mounts a sensitive host directory",
    }
}

impl Check for SensitiveHostMount {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let allowed: Vec<String> = ctx
            .policy
            .allowed_sensitive_mounts
            .iter()
            // Entries may carry the mode as written on the command line
            // (`/etc/localtime:ro`); the allowance is read-only anyway.
            .map(|entry| {
                mounts::normalize(entry.split(':').next().unwrap_or_default()).into_owned()
            })
            .filter(|entry| !entry.is_empty())
            .collect();
        ctx.each_container(out, |c| judge(c, &ctx.snapshot.volumes, &allowed));
    }
}

/// A host path that ends up inside the container.
struct HostMount {
    source: String,
    destination: String,
    rw: bool,
    /// Where it was read.
    evidence: Evidence,
}

/// What the mount list of a container amounts to.
#[derive(Default)]
struct Gathered {
    host: Vec<HostMount>,
    /// Named volumes that could not be looked up.
    unresolved_volumes: Vec<String>,
}

impl Gathered {
    fn add(&mut self, source: &str, destination: &str, rw: bool, evidence: Evidence) {
        let source = mounts::normalize(source).into_owned();
        let destination = mounts::normalize(destination).into_owned();
        // The same mount shows in `Mounts[]` and in `Binds`/`Mounts`; the
        // runtime view comes first and wins.
        if !self
            .host
            .iter()
            .any(|m| m.source == source && m.destination == destination)
        {
            self.host.push(HostMount {
                source,
                destination,
                rw,
                evidence,
            });
        }
    }

    /// A named volume: a host path if its driver options bind one.
    fn add_volume(
        &mut self,
        volumes: &Part<Vec<Volume>>,
        name: &str,
        destination: &str,
        rw: bool,
        pointer: String,
    ) {
        match volumes {
            Part::Collected(list) => {
                let device = list
                    .iter()
                    .find(|v| v.name == name)
                    .and_then(Volume::bound_host_path);
                if let Some(device) = device {
                    let evidence = Evidence::inspect(
                        pointer,
                        json!({"Type": "volume", "Name": name, "Destination": destination,
                               "RW": rw, "VolumeOptions.device": device}),
                    );
                    self.add(device, destination, rw, evidence);
                }
            }
            Part::Missing(_) => {
                if !self.unresolved_volumes.iter().any(|v| v == name) {
                    self.unresolved_volumes.push(name.to_string());
                }
            }
        }
    }
}

fn gather(c: &ContainerFacts, volumes: &Part<Vec<Volume>>) -> Gathered {
    let inspect = &c.inspect;
    let mut found = Gathered::default();

    for (i, m) in inspect.mounts.iter().enumerate() {
        let pointer = format!("/Mounts/{i}");
        match m.kind.as_str() {
            "bind" => found.add(
                &m.source,
                &m.destination,
                m.rw,
                Evidence::inspect(
                    pointer,
                    json!({"Type": "bind", "Source": m.source,
                           "Destination": m.destination, "RW": m.rw}),
                ),
            ),
            "volume" if !m.name.is_empty() => {
                found.add_volume(volumes, &m.name, &m.destination, m.rw, pointer);
            }
            _ => {}
        }
    }

    for (i, bind) in inspect.host_config.binds.iter().flatten().enumerate() {
        let mut parts = bind.split(':');
        let (Some(source), Some(destination)) = (parts.next(), parts.next()) else {
            continue;
        };
        let rw = !parts
            .next()
            .is_some_and(|opts| opts.split(',').any(|o| o == "ro"));
        let pointer = format!("/HostConfig/Binds/{i}");
        if source.starts_with('/') {
            found.add(
                source,
                destination,
                rw,
                Evidence::inspect(pointer, bind.as_str()),
            );
        } else if !source.is_empty() {
            found.add_volume(volumes, source, destination, rw, pointer);
        }
    }

    for (i, m) in inspect.host_config.mounts.iter().flatten().enumerate() {
        let pointer = format!("/HostConfig/Mounts/{i}");
        match m.kind.as_str() {
            "bind" => found.add(
                &m.source,
                &m.target,
                !m.read_only,
                Evidence::inspect(
                    pointer,
                    json!({"Type": "bind", "Source": m.source,
                           "Target": m.target, "ReadOnly": m.read_only}),
                ),
            ),
            "volume" if !m.source.is_empty() => {
                found.add_volume(volumes, &m.source, &m.target, !m.read_only, pointer);
            }
            _ => {}
        }
    }
    found
}

fn judge(c: &ContainerFacts, volumes: &Part<Vec<Volume>>, allowed: &[String]) -> Verdict {
    let found = gather(c, volumes);
    let is_allowed = |m: &HostMount| {
        !m.rw
            && allowed
                .iter()
                .any(|entry| mounts::is_within(&m.source, entry))
    };

    let mut offending: Vec<(&HostMount, &str)> = Vec::new();
    let mut tolerated: Vec<&HostMount> = Vec::new();
    for m in &found.host {
        match mounts::sensitive_dir(&m.source) {
            Some(_) if is_allowed(m) => tolerated.push(m),
            Some(dir) => offending.push((m, dir)),
            None => {}
        }
    }

    if !offending.is_empty() {
        let any_rw = offending.iter().any(|(m, _)| m.rw);
        let list: Vec<String> = offending
            .iter()
            .map(|(m, dir)| {
                let mode = if m.rw { "read-write" } else { "read-only" };
                let under = if m.source == *dir {
                    String::new()
                } else {
                    format!(", under {dir}")
                };
                format!("{} at {} ({mode}{under})", m.source, m.destination)
            })
            .collect();
        return Verdict::fail(format!("Mounts sensitive host paths: {}.", list.join("; ")))
            .severity(if any_rw {
                Severity::High
            } else {
                Severity::Medium
            })
            .with_all(offending.iter().map(|(m, _)| m.evidence.clone()));
    }

    if let (false, Part::Missing(gap)) = (found.unresolved_volumes.is_empty(), volumes) {
        return Verdict::manual(format!(
            "Verify: the named volumes {} do not bind a sensitive host directory (the volume \
             list was not collected: {}).",
            found.unresolved_volumes.join(", "),
            gap.reason
        ))
        .with_all(found.host.iter().map(|m| m.evidence.clone()));
    }

    if !tolerated.is_empty() {
        let list: Vec<&str> = tolerated.iter().map(|m| m.source.as_str()).collect();
        return Verdict::pass(format!(
            "Mounts only allow-listed sensitive paths, read-only: {}.",
            list.join(", ")
        ))
        .with_all(tolerated.iter().map(|m| m.evidence.clone()))
        .with(Evidence::new(
            Source::Policy,
            "allowed_sensitive_mounts",
            allowed.to_vec(),
        ));
    }

    let message = if found.host.is_empty() {
        "Mounts no host path.".to_string()
    } else {
        let list: Vec<&str> = found.host.iter().map(|m| m.source.as_str()).collect();
        format!(
            "Mounts no sensitive host directory (host paths: {}).",
            list.join(", ")
        )
    };
    let evidence: Vec<Evidence> = if found.host.is_empty() {
        let summary: Vec<Value> = c
            .inspect
            .mounts
            .iter()
            .map(|m| json!({"Type": m.kind, "Destination": m.destination}))
            .collect();
        vec![Evidence::inspect("/Mounts", summary)]
    } else {
        found.host.iter().map(|m| m.evidence.clone()).collect()
    };
    Verdict::pass(message).with_all(evidence)
}

#[cfg(test)]
mod tests {
    use bulwark_facts::Gap;
    use serde_json::json;

    use super::*;
    use crate::finding::{Finding, Status};
    use crate::policy::Policy;
    use crate::testing::*;

    fn finding(c: Value) -> Finding {
        only(run(
            &SensitiveHostMount,
            &with_containers(host(), vec![container(c)]),
        ))
    }

    fn bind(source: &str, destination: &str, rw: bool) -> Value {
        json!({"Type": "bind", "Source": source, "Destination": destination, "RW": rw})
    }

    fn with_volumes(mut s: bulwark_facts::Snapshot, volumes: Value) -> bulwark_facts::Snapshot {
        s.volumes = Part::Collected(serde_json::from_value(volumes).unwrap());
        s
    }

    #[test]
    fn a_read_write_sensitive_mount_fails_high() {
        let f = finding(json!({"Mounts": [bind("/etc", "/host-etc", true)],
                               "HostConfig": {"Binds": ["/etc:/host-etc"]}}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::High);
        // Mounts[] and Binds are one mount: reported once.
        assert_eq!(f.evidence.len(), 1, "{:#?}", f.evidence);
        assert_eq!(f.evidence[0].at, "/Mounts/0");
    }

    #[test]
    fn a_read_only_sensitive_mount_still_fails_medium() {
        // The pitfall: matching only RW mounts missed `-v /etc:/host-etc:ro`.
        let f = finding(json!({"Mounts": [bind("/etc", "/host-etc", false)]}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::Medium);
        assert!(f.message.contains("read-only"), "{}", f.message);
    }

    #[test]
    fn one_read_write_mount_among_read_only_ones_makes_it_high() {
        let f = finding(json!({"Mounts": [bind("/etc", "/e", false), bind("/boot", "/b", true)]}));
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.evidence.len(), 2);
    }

    #[test]
    fn paths_beneath_sensitive_directories_fail_but_lookalikes_do_not() {
        // The pitfall: exact-string matching only.
        assert_eq!(
            finding(json!({"Mounts": [bind("/etc/ssl/certs", "/certs", false)]})).status,
            Status::Fail
        );
        assert_eq!(
            finding(json!({"Mounts": [bind("/usr//lib/", "/l", false)]})).status,
            Status::Fail
        );
        assert_eq!(
            finding(json!({"Mounts": [bind("/srv/../proc", "/p", false)]})).status,
            Status::Fail
        );
        assert_eq!(
            finding(json!({"Mounts": [bind("/etcd-data", "/data", true)]})).status,
            Status::Pass
        );
        assert_eq!(
            finding(json!({"Mounts": [bind("/home/user/etc", "/etc", true)]})).status,
            Status::Pass
        );
    }

    #[test]
    fn the_host_root_fails() {
        let f = finding(json!({"Mounts": [bind("/", "/host", true)]}));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .starts_with("Mounts sensitive host paths: / at /host")
        );
    }

    #[test]
    fn binds_of_a_never_started_container_are_read() {
        let f = finding(json!({"State": {"Status": "created", "Running": false},
                               "Mounts": [],
                               "HostConfig": {"Binds": ["/etc:/host-etc:ro,z", "/srv:/srv"]}}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::Medium);
        assert_eq!(
            f.evidence,
            vec![Evidence::inspect(
                "/HostConfig/Binds/0",
                "/etc:/host-etc:ro,z"
            )]
        );
    }

    #[test]
    fn mount_flag_binds_are_read() {
        // The pitfall: reading only Binds misses --mount.
        let f = finding(json!({"State": {"Status": "created", "Running": false},
                               "HostConfig": {"Mounts": [
                                   {"Type": "bind", "Source": "/boot", "Target": "/b"},
                                   {"Type": "tmpfs", "Target": "/etc"}]}}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.evidence[0].at, "/HostConfig/Mounts/0");
    }

    #[test]
    fn a_named_volume_that_binds_a_sensitive_path_fails() {
        let s = with_volumes(
            host(),
            json!([{"Name": "etcvol", "Driver": "local",
                    "Options": {"type": "none", "o": "bind", "device": "/etc/"}},
                   {"Name": "data", "Driver": "local", "Options": null}]),
        );
        let runtime = container(json!({"Name": "/a", "Mounts": [
            {"Type": "volume", "Name": "etcvol", "Source": "/var/lib/docker/volumes/etcvol/_data",
             "Destination": "/cfg", "RW": true},
            {"Type": "volume", "Name": "data", "Source": "/var/lib/docker/volumes/data/_data",
             "Destination": "/data", "RW": true}]}));
        let configured = container(json!({"Name": "/b",
            "State": {"Status": "created", "Running": false},
            "HostConfig": {"Mounts": [{"Type": "volume", "Source": "etcvol", "Target": "/cfg",
                                       "ReadOnly": true}],
                           "Binds": ["data:/data"]}}));
        let bound = container(
            json!({"Name": "/c", "State": {"Status": "created", "Running": false},
            "HostConfig": {"Binds": ["etcvol:/cfg:ro"]}}),
        );
        let findings = run(
            &SensitiveHostMount,
            &with_containers(s, vec![runtime, configured, bound]),
        );
        let got: Vec<(Status, Severity)> =
            findings.iter().map(|f| (f.status, f.severity)).collect();
        assert_eq!(
            got,
            vec![
                (Status::Fail, Severity::High),
                (Status::Fail, Severity::Medium),
                (Status::Fail, Severity::Medium),
            ]
        );
        assert!(
            findings[0].message.contains("/etc at /cfg"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn named_volumes_without_the_volume_list_need_a_person() {
        let mut s = with_containers(
            host(),
            vec![container(json!({"Mounts": [
                {"Type": "volume", "Name": "v1", "Destination": "/d", "RW": true}]}))],
        );
        s.volumes = Part::Missing(Gap::error("GET /volumes: 500"));
        let f = only(run(&SensitiveHostMount, &s));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"), "{}", f.message);
        assert!(f.message.contains("v1"), "{}", f.message);
    }

    #[test]
    fn allow_listed_read_only_paths_pass_but_not_read_write() {
        let policy = Policy {
            allowed_sensitive_mounts: vec!["/etc/localtime:ro".into(), "/etc/timezone".into()],
            ..Policy::default()
        };
        let s = with_containers(
            host(),
            vec![
                container(
                    json!({"Name": "/ro", "Mounts": [bind("/etc/localtime", "/etc/localtime", false),
                                                            bind("/etc/timezone", "/etc/timezone", false)]}),
                ),
                container(
                    json!({"Name": "/rw", "Mounts": [bind("/etc/localtime", "/etc/localtime", true)]}),
                ),
                container(json!({"Name": "/other", "Mounts": [bind("/etc/passwd", "/p", false)]})),
            ],
        );
        let f = run_with(&SensitiveHostMount, &s, &policy);
        assert_eq!(f[0].status, Status::Pass);
        assert_eq!(f[0].evidence.last().unwrap().source, Source::Policy);
        assert_eq!(f[1].status, Status::Fail);
        assert_eq!(f[1].severity, Severity::High);
        assert_eq!(f[2].status, Status::Fail);
    }

    #[test]
    fn the_docker_socket_is_left_to_ctr032() {
        let f = finding(
            json!({"Mounts": [bind("/var/run/docker.sock", "/var/run/docker.sock", true)]}),
        );
        assert_eq!(f.status, Status::Pass);
    }

    #[test]
    fn no_mounts_passes() {
        let f = finding(json!({}));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(&*f.message, "Mounts no host path.");
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(
                    json!({"Name": "/agent", "Mounts": [bind("/", "/host", false),
                                                               bind("/proc", "/host/proc", true)]}),
                ),
                container(json!({"Name": "/reader", "Mounts": [bind("/etc", "/host-etc", false)]})),
                container(
                    json!({"Name": "/new", "State": {"Status": "created", "Running": false},
                                 "HostConfig": {"Mounts": [{"Type": "bind", "Source": "/dev",
                                                            "Target": "/dev"}]}}),
                ),
                container(json!({"Name": "/app", "Mounts": [bind("/srv/app", "/data", true)]})),
            ],
        );
        insta::assert_snapshot!(render(&run(&SensitiveHostMount, &s)));
    }
}
