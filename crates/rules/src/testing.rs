//! Test support: build snapshots from API-shaped JSON and run one rule.
//!
//! Fixtures are written as the Engine API writes them
//! (`{"HostConfig": {"Privileged": true}}`), so a test reads like the
//! `docker inspect` output it stands for.

use bulwark_facts::{
    ConfigFile, Container, ContainerFacts, Containers, DaemonProcess, Engine, Network, Part,
    Snapshot,
};
use serde_json::{Value, json};

use crate::evaluate::evaluate;
use crate::finding::{Finding, Status};
use crate::policy::Policy;
use crate::rule::Rule;

/// A healthy default host: engine 20.10 with seccomp, a default bridge, no
/// containers, dockerd started with no flags and no daemon.json.
pub fn host() -> Snapshot {
    let engine: Engine = serde_json::from_value(json!({
        "version": {"Version": "20.10.24", "ApiVersion": "1.41", "Components": []},
        "info": {
            "ID": "TEST:HOST", "Name": "testhost", "Driver": "overlay2",
            "LoggingDriver": "json-file", "CgroupDriver": "cgroupfs", "CgroupVersion": "1",
            "SecurityOptions": ["name=seccomp,profile=default"],
            "MemoryLimit": true, "PidsLimit": true,
            "Swarm": {"LocalNodeState": "inactive"},
        }
    }))
    .unwrap_or_else(|e| panic!("fixture engine: {e}"));
    Snapshot {
        schema_version: bulwark_facts::SNAPSHOT_SCHEMA_VERSION,
        engine: Part::Collected(engine),
        daemon: bulwark_facts::DaemonFacts {
            process: Part::Collected(DaemonProcess {
                pid: 100,
                argv: vec!["dockerd".into()],
                ..DaemonProcess::default()
            }),
            config_file: Part::Collected(ConfigFile {
                path: "/etc/docker/daemon.json".into(),
                ..ConfigFile::default()
            }),
            tls: Part::Collected(bulwark_facts::DaemonTls::default()),
        },
        containers: Part::Collected(Containers::default()),
        images: Part::Collected(Vec::new()),
        networks: Part::Collected(vec![default_bridge()]),
        volumes: Part::Collected(Vec::new()),
        plugins: Part::Collected(Vec::new()),
        ..Snapshot::default()
    }
}

/// The default bridge network, id `bridgeid`.
pub fn default_bridge() -> Network {
    network(json!({
        "Name": "bridge", "Id": "bridgeid", "Driver": "bridge",
        "Options": {"com.docker.network.bridge.default_bridge": "true",
                    "com.docker.network.bridge.enable_icc": "true"}
    }))
}

/// A network from API JSON.
pub fn network(v: Value) -> Network {
    serde_json::from_value(v).unwrap_or_else(|e| panic!("fixture network: {e}"))
}

/// A container from inspect JSON. `Name` defaults to `/c`, `Id` to a
/// 64-character id derived from the name, and the state to running.
pub fn container(v: Value) -> ContainerFacts {
    let mut v = v;
    let obj = v
        .as_object_mut()
        .unwrap_or_else(|| panic!("container fixture must be an object"));
    let name = obj
        .entry("Name")
        .or_insert_with(|| json!("/c"))
        .as_str()
        .unwrap_or("/c")
        .to_string();
    obj.entry("Id").or_insert_with(|| {
        let stem: String = name
            .trim_start_matches('/')
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        json!(format!("{stem:0<64}"))
    });
    obj.entry("State")
        .or_insert_with(|| json!({"Status": "running", "Running": true, "Pid": 4242}));
    let inspect: Container =
        serde_json::from_value(v).unwrap_or_else(|e| panic!("fixture container: {e}"));
    ContainerFacts {
        inspect,
        processes: Part::Collected(Vec::new()),
        execs: Part::Collected(Vec::new()),
        image_ref_id: None,
    }
}

/// Replaces the host's containers.
pub fn with_containers(mut s: Snapshot, items: Vec<ContainerFacts>) -> Snapshot {
    s.containers = Part::Collected(Containers {
        items,
        ..Containers::default()
    });
    s
}

/// Replaces the host's networks.
pub fn with_networks(mut s: Snapshot, networks: Vec<Network>) -> Snapshot {
    s.networks = Part::Collected(networks);
    s
}

/// A container from inspect JSON with exec sessions from `GET /exec/{id}/json`
/// JSON (an array).
pub fn with_execs(c: Value, execs: Value) -> ContainerFacts {
    let mut facts = container(c);
    facts.execs = Part::Collected(
        serde_json::from_value(execs).unwrap_or_else(|e| panic!("fixture execs: {e}")),
    );
    facts
}

/// Sets dockerd's command line (argv[0] is added).
pub fn with_flags(mut s: Snapshot, flags: &str) -> Snapshot {
    if let Part::Collected(p) = &mut s.daemon.process {
        p.argv = std::iter::once("dockerd".to_string())
            .chain(flags.split_whitespace().map(String::from))
            .collect();
    }
    s
}

/// Sets the daemon.json content.
pub fn with_daemon_json(mut s: Snapshot, content: Value) -> Snapshot {
    if let Part::Collected(f) = &mut s.daemon.config_file {
        f.exists = true;
        f.content = content.as_object().cloned();
    }
    s
}

/// Changes `/info` through a JSON merge of `patch` into it.
pub fn with_info(mut s: Snapshot, patch: Value) -> Snapshot {
    if let Part::Collected(e) = &mut s.engine {
        let mut info = serde_json::to_value(&e.info).unwrap_or_else(|e| panic!("{e}"));
        merge(&mut info, patch);
        e.info = serde_json::from_value(info).unwrap_or_else(|e| panic!("fixture info: {e}"));
    }
    s
}

fn merge(base: &mut Value, patch: Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, p) => *b = p,
    }
}

/// Runs one rule with the default policy.
pub fn run(rule: &dyn Rule, s: &Snapshot) -> Vec<Finding> {
    run_with(rule, s, &Policy::default())
}

/// Runs one rule under `policy`.
pub fn run_with(rule: &dyn Rule, s: &Snapshot, policy: &Policy) -> Vec<Finding> {
    evaluate(s, policy, &[rule])
}

/// The one finding a rule made; panics if it made another number.
pub fn only(findings: Vec<Finding>) -> Finding {
    assert_eq!(findings.len(), 1, "expected one finding, got {findings:#?}");
    findings
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!())
}

/// The status of the single finding `rule` makes about a host holding only
/// `c`.
pub fn status_of(rule: &dyn Rule, c: Value) -> Status {
    only(run(rule, &with_containers(host(), vec![container(c)]))).status
}

/// The `(line, column)` a lint finding starts at (panics without one: a
/// test helper).
pub fn at(f: &Finding) -> (u32, u32) {
    let l = f
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("finding without a location: {f:?}"));
    (l.start_line, l.start_column)
}

/// Findings as compact lines for snapshot tests:
/// `fail high container web: message | evidence…`.
pub fn render(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let evidence: Vec<String> = f
                .evidence
                .iter()
                .map(|e| {
                    format!(
                        "{}:{}={}",
                        serde_json::to_value(e.source)
                            .unwrap_or_default()
                            .as_str()
                            .unwrap_or(""),
                        e.at,
                        e.value
                    )
                })
                .collect();
            format!(
                "{} {} {} {}: {}{}{}",
                f.status.as_str(),
                f.severity.as_str(),
                serde_json::to_value(f.subject.kind)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or(""),
                f.subject.name,
                f.message,
                f.reason
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
                if evidence.is_empty() {
                    String::new()
                } else {
                    format!(" | {}", evidence.join(" ; "))
                },
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A host whose daemon serves TLS with one file of `role` (`tlscacert`,
/// `tlscert`, `tlskey`) at `/etc/docker/tls/<role>.pem`.
pub fn file(role: &str, uid: u32, gid: u32, mode: u32, exists: bool) -> Snapshot {
    let mut s = host();
    s.daemon.tls = Part::Collected(bulwark_facts::DaemonTls {
        configured: true,
        files: vec![bulwark_facts::TlsFile {
            role: role.to_string(),
            source: format!("--{role}"),
            file: bulwark_facts::FileFacts {
                path: format!("/etc/docker/tls/{role}.pem"),
                exists,
                uid,
                gid,
                mode,
                kind: "file".into(),
                ..Default::default()
            },
            ..Default::default()
        }],
        ca_keys_nearby: Vec::new(),
    });
    s
}

/// Lints `sources` with one rule (suppressions applied).
pub fn lint(rule: &dyn Rule, sources: Vec<bulwark_syntax::Source>) -> Vec<Finding> {
    crate::evaluate::evaluate_sources(&sources, &Policy::default(), &[rule])
}

/// The vectors every TLS-file ownership rule (CIS 3.9, 3.11, 3.13)
/// shares: root:root passes, any other uid or gid fails, no TLS or no
/// file is not applicable, one rendered snapshot.
macro_rules! tls_owner_rule_tests {
    ($rule:expr, $role:literal) => {
        use crate::finding::Status;
        use crate::testing::*;

        fn status(s: bulwark_facts::Snapshot) -> Status {
            only(run(&$rule, &s)).status
        }

        #[test]
        fn only_root_root_passes() {
            assert_eq!(status(file($role, 0, 0, 0o444, true)), Status::Pass);
            assert_eq!(status(file($role, 1000, 1000, 0o444, true)), Status::Fail);
            assert_eq!(status(file($role, 0, 999, 0o444, true)), Status::Fail);
            assert_eq!(status(file($role, 999, 0, 0o444, true)), Status::Fail);
        }

        #[test]
        fn not_applicable_without_tls_or_without_the_file() {
            let f = only(run(&$rule, &host()));
            assert_eq!(
                (f.status, f.reason.as_deref()),
                (Status::NotApplicable, Some("tls-not-configured"))
            );
            let f = only(run(&$rule, &file($role, 0, 0, 0o444, false)));
            assert_eq!(
                (f.status, f.reason.as_deref()),
                (Status::NotApplicable, Some("file-absent"))
            );
        }

        #[test]
        fn rendered() {
            insta::assert_snapshot!(render(&run(&$rule, &file($role, 1000, 1000, 0o444, true))));
        }
    };
}
pub(crate) use tls_owner_rule_tests;

/// The vectors every TLS-file mode rule (CIS 3.10, 3.12, 3.14) shares:
/// `allowed` and anything stricter pass; a bit beyond it fails, setuid,
/// setgid and sticky included, and so does 0622 ("less than 0644" read as
/// a number, yet writable by others).
macro_rules! tls_mode_rule_tests {
    ($rule:expr, $role:literal, allowed = $allowed:literal, too_open = $open:literal) => {
        use crate::finding::Status;
        use crate::testing::*;

        fn status(s: bulwark_facts::Snapshot) -> Status {
            only(run(&$rule, &s)).status
        }

        #[test]
        fn modes_are_judged_as_masks() {
            assert_eq!(status(file($role, 0, 0, $allowed, true)), Status::Pass);
            assert_eq!(status(file($role, 0, 0, 0o400, true)), Status::Pass);
            assert_eq!(status(file($role, 0, 0, 0o000, true)), Status::Pass);
            assert_eq!(status(file($role, 0, 0, $open, true)), Status::Fail);
            assert_eq!(
                status(file($role, 0, 0, $allowed | 0o1000, true)),
                Status::Fail
            );
            assert_eq!(
                status(file($role, 0, 0, $allowed | 0o4000, true)),
                Status::Fail
            );
            assert_eq!(status(file($role, 0, 0, 0o622, true)), Status::Fail);
        }

        #[test]
        fn not_applicable_without_tls_or_without_the_file() {
            let f = only(run(&$rule, &host()));
            assert_eq!(
                (f.status, f.reason.as_deref()),
                (Status::NotApplicable, Some("tls-not-configured"))
            );
            let f = only(run(&$rule, &file($role, 0, 0, $allowed, false)));
            assert_eq!(
                (f.status, f.reason.as_deref()),
                (Status::NotApplicable, Some("file-absent"))
            );
        }

        #[test]
        fn rendered() {
            insta::assert_snapshot!(render(&run(&$rule, &file($role, 0, 0, $open, true))));
        }
    };
}
pub(crate) use tls_mode_rule_tests;
