//! The real daemon, host-level: a saved snapshot replays to the same
//! results as the live audit, and daemon-level verdicts agree with what
//! the docker CLI reports about the same daemon.

mod support;

use serde_json::Value;
use support::*;

/// Results about the daemon, or about containers whose name starts with
/// `prefix`, as comparable JSON.
fn own_results(report: &Value, prefix: &str) -> Vec<Value> {
    report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| {
            r["subject"]["kind"] == "daemon"
                || r["subject"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with(prefix))
        })
        .cloned()
        .collect()
}

#[test]
fn a_collected_snapshot_audits_exactly_like_the_live_host() {
    if !docker_available() {
        return;
    }
    let fx = Fixture::new();
    fx.create("priv", &["--privileged", "-v", "/etc:/e:ro"]);
    fx.run("plain", &["--network", "none"]);
    let prefix = fx.name("");

    // Sections 2 and 5: section 6 counts every image and container on the
    // host, which other tests change concurrently.
    let live = audit_json(&["--select", "2,5"]);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snap = dir.path().join("host.json");
    let snap = snap.to_string_lossy();
    let (code, _, err) = run_bulwark(&["collect", "-o", &snap]);
    assert_eq!(code, 0, "{err}");
    let replayed = audit_json(&["--snapshot", &snap, "--select", "2,5"]);

    let (live_own, replayed_own) = (own_results(&live, &prefix), own_results(&replayed, &prefix));
    assert!(
        live_own
            .iter()
            .any(|r| r["subject"]["name"] == fx.name("priv"))
    );
    assert_eq!(live_own.len(), replayed_own.len());
    for (a, b) in live_own.iter().zip(&replayed_own) {
        assert_eq!(a, b);
    }
    assert_eq!(live["host"], replayed["host"]);
}

fn docker_info(field: &str) -> String {
    docker(&["info", "--format", &format!("{{{{{field}}}}}")])
}

#[test]
fn daemon_verdicts_agree_with_the_docker_cli() {
    if !docker_available() {
        return;
    }
    let report = audit_json(&["--select", "2,6"]);

    // 2.2: the default bridge's own option is the truth.
    let icc = docker(&[
        "network",
        "inspect",
        "bridge",
        "--format",
        "{{index .Options \"com.docker.network.bridge.enable_icc\"}}",
    ]);
    let dmn002 = daemon_result(&report, "DMN002");
    assert_eq!(
        dmn002["status"],
        if icc == "false" { "pass" } else { "fail" },
        "{dmn002:#}"
    );

    // 2.6: the storage driver.
    let driver = docker_info(".Driver");
    let dmn006 = daemon_result(&report, "DMN006");
    assert_eq!(
        dmn006["status"],
        if driver == "aufs" { "fail" } else { "pass" },
        "{dmn006:#}"
    );

    // 2.13: json-file and local keep logs on the host.
    let logging = docker_info(".LoggingDriver");
    if ["json-file", "local", "none"].contains(&logging.as_str()) {
        assert_eq!(daemon_result(&report, "DMN013")["status"], "fail");
    }

    // 2.15: live restore as /info reports it.
    let live_restore = docker_info(".LiveRestoreEnabled");
    let dmn015 = daemon_result(&report, "DMN015");
    assert_eq!(
        dmn015["status"],
        if live_restore == "true" {
            "pass"
        } else {
            "fail"
        },
        "{dmn015:#}"
    );

    // 2.18: experimental.
    let experimental = docker_info(".ExperimentalBuild");
    assert_eq!(
        daemon_result(&report, "DMN018")["status"],
        if experimental == "true" {
            "fail"
        } else {
            "pass"
        }
    );

    // 6.2: the catalog's arithmetic on /info counts.
    let running: i64 = docker_info(".ContainersRunning").parse().unwrap_or(0);
    let stopped: i64 = docker_info(".ContainersStopped").parse().unwrap_or(0);
    let ops002 = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["rule"] == "OPS002")
        .cloned()
        .unwrap_or_default();
    // Other tests may start or stop containers between the two reads;
    // judge only when the margin is clear of that noise.
    if (stopped - running - 25).abs() > 5 {
        assert_eq!(
            ops002["status"],
            if stopped - running >= 25 {
                "fail"
            } else {
                "pass"
            }
        );
    }
}

#[test]
fn an_unused_image_is_reported_as_sprawl() {
    if !docker_available() {
        return;
    }
    let mut fx = Fixture::new();
    let unused = fx.distinct_image("unused");
    let report = audit_json(&["--select", "OPS001"]);
    let ops001 = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["rule"] == "OPS001")
        .cloned()
        .unwrap_or_default();
    assert_ne!(ops001["status"], "pass", "{unused} is unused: {ops001:#}");
}

#[test]
fn the_daemon_process_behind_the_socket_is_identified() {
    if !docker_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snap = dir.path().join("host.json");
    let (code, _, err) = run_bulwark(&["collect", "-o", &snap.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&snap).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let process = &snapshot["daemon"]["process"]["collected"];
    let pid = process["pid"].as_i64().unwrap_or(0);
    assert!(pid > 0, "{:#}", snapshot["daemon"]);
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
    assert_eq!(exe.file_name().and_then(|n| n.to_str()), Some("dockerd"));
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let argv: Vec<String> = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    assert_eq!(process["argv"], serde_json::json!(argv));
    // Environment variables are never collected: they hold secrets.
    assert!(
        !std::fs::read_to_string(&snap)
            .unwrap_or_default()
            .contains("\"Env\"")
    );
}

#[test]
fn a_socket_without_permission_is_one_clear_line_and_exit_2() {
    if !docker_available() {
        return;
    }
    let Ok(setpriv) = which("setpriv") else {
        eprintln!("skipping: setpriv (util-linux) is not installed");
        return;
    };
    // The socket is root:docker 0660; nobody is in neither.
    let out = std::process::Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_bulwark"))
        .args([
            "audit",
            "--host",
            "unix:///var/run/docker.sock",
            "--format",
            "json",
            "-o",
            "/dev/null",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("permission denied") && err.contains("docker"),
        "{err}"
    );
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.exists())
        .ok_or(())
}

#[test]
fn running_only_leaves_created_and_stopped_containers_out() {
    if !docker_available() {
        return;
    }
    let fx = Fixture::new();
    fx.create("created", &["--privileged"]);
    fx.run("running", &["--network", "none"]);
    let all = audit_json(&["--select", "CTR005"]);
    assert_eq!(
        statuses_for(&all, &fx.name("created"))
            .get("CTR005")
            .map(String::as_str),
        Some("fail")
    );
    let running = audit_json(&["--select", "CTR005", "--running-only"]);
    assert!(statuses_for(&running, &fx.name("created")).is_empty());
    assert_eq!(
        statuses_for(&running, &fx.name("running"))
            .get("CTR005")
            .map(String::as_str),
        Some("pass")
    );
}
