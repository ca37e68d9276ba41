//! End-to-end tests of the built binary that need no daemon: listing and
//! explaining rules, selection errors, failure modes, exit codes, and the
//! rendered output of a fixed snapshot.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use support::run_bulwark;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/small-host.json"
);

#[test]
fn rules_lists_every_rule_with_its_control() {
    let (code, out, _) = run_bulwark(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let rules: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let rules = rules.as_array().cloned().unwrap_or_default();
    // Audit rules: the 52 controls of sections 2, 5 and 6, 3.9–3.14, and
    // the API certificate rule (also 2.7). Lint rules come on top.
    let audit = rules
        .iter()
        .filter(|r| {
            !["dockerfile", "compose", "lint"].contains(&r["target"].as_str().unwrap_or(""))
        })
        .count();
    assert_eq!(audit, 59);
    assert!(rules.iter().any(|r| r["id"] == "LNT001"));
    let ctr005 = rules
        .iter()
        .find(|r| r["id"] == "CTR005")
        .cloned()
        .unwrap_or_default();
    assert_eq!(ctr005["name"], "privileged-container");
    assert_eq!(ctr005["controls"], serde_json::json!(["5.5"]));

    let (code, table, _) = run_bulwark(&["rules"]);
    assert_eq!(code, 0);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("CTR005") && l.contains("5.5")),
        "{table}"
    );
}

#[test]
fn explain_prints_the_rule_docs_by_id_or_name() {
    for key in ["CTR005", "ctr005", "privileged-container"] {
        let (code, out, _) = run_bulwark(&["explain", key]);
        assert_eq!(code, 0);
        assert!(out.starts_with("# CTR005 privileged-container"), "{out}");
        for heading in [
            "## What it checks",
            "## Why it matters",
            "## How to fix",
            "## Examples",
            "## References",
        ] {
            assert!(out.contains(heading), "missing {heading}");
        }
        assert!(out.contains("5.5 Ensure that privileged containers are not used"));
    }
    let (code, _, err) = run_bulwark(&["explain", "NOPE999"]);
    assert_eq!(code, 2);
    assert!(err.contains("no rule `NOPE999`"), "{err}");
}

#[test]
fn a_selector_that_names_nothing_is_a_usage_error() {
    let (code, _, err) = run_bulwark(&["audit", "--snapshot", FIXTURE, "--select", "5.99"]);
    assert_eq!(code, 2);
    assert!(err.contains("`5.99` is not a rule id"), "{err}");
    let (code, _, err) = run_bulwark(&[
        "audit",
        "--snapshot",
        FIXTURE,
        "--benchmark",
        "cis-docker-0",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown benchmark"), "{err}");
}

#[test]
fn selection_by_id_name_control_and_section() {
    let rules_of = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["audit", "--snapshot", FIXTURE, "--format", "json"];
        all.extend_from_slice(args);
        let (_, out, err) = run_bulwark(&all);
        let report: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        let mut ids: Vec<String> = report["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["rule"].as_str().map(String::from))
            .collect();
        ids.dedup();
        ids
    };
    assert_eq!(rules_of(&["--select", "CTR005"]), vec!["CTR005"]);
    assert_eq!(
        rules_of(&["--select", "privileged-container,2.2"]),
        vec!["DMN002", "CTR005"]
    );
    let section6 = rules_of(&["--select", "6"]);
    assert_eq!(section6, vec!["OPS001", "OPS002"]);
    let no_5_5 = rules_of(&["--select", "5", "--ignore", "5.5"]);
    assert!(
        no_5_5
            .iter()
            .all(|id| id.starts_with("CTR") || id.starts_with("SWM"))
    );
    assert!(!no_5_5.contains(&"CTR005".to_string()));
    // Level 1 leaves out the level-2 controls (2.9 userns, 5.23 exec…).
    let level1 = rules_of(&["--level", "1"]);
    assert!(!level1.contains(&"DMN009".to_string()) && !level1.contains(&"CTR023".to_string()));
    assert!(level1.contains(&"CTR005".to_string()));
}

#[test]
fn exit_codes_follow_fail_on() {
    // The fixture has a privileged container (critical) and host
    // networking (high).
    let (code, _, _) = run_bulwark(&["audit", "--snapshot", FIXTURE]);
    assert_eq!(code, 1, "failures at or above high");
    let (code, _, _) = run_bulwark(&["audit", "--snapshot", FIXTURE, "--select", "CTR011"]);
    assert_eq!(
        code, 0,
        "a medium failure is below the default --fail-on high"
    );
    let (code, _, _) = run_bulwark(&[
        "audit",
        "--snapshot",
        FIXTURE,
        "--select",
        "CTR011",
        "--fail-on",
        "medium",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn a_malformed_snapshot_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("broken.json");
    std::fs::write(
        &path,
        "{\n  \"schema_version\": 1,\n  \"engine\": {oops}\n}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run_bulwark(&["audit", "--snapshot", &path.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json:3:"), "{err}");
}

#[test]
fn a_snapshot_from_a_newer_bulwark_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("future.json");
    std::fs::write(&path, r#"{"schema_version": 999}"#).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = run_bulwark(&["audit", "--snapshot", &path.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(err.contains("newer than this bulwark"), "{err}");
}

#[test]
fn a_missing_daemon_socket_is_one_clear_line_and_exit_2_quickly() {
    let started = Instant::now();
    let (code, out, err) = run_bulwark(&[
        "audit",
        "--host",
        "unix:///nonexistent/docker.sock",
        "--format",
        "json",
    ]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    assert!(
        err.contains("socket does not exist") && err.contains("dockerd"),
        "{err}"
    );
    // The report is still written, daemon-dependent results as errors.
    let report: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let ctr005 = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["rule"] == "CTR005")
        .cloned()
        .unwrap_or_default();
    assert_eq!(ctr005["status"], "error");
    assert!(
        ctr005["message"]
            .as_str()
            .unwrap_or("")
            .contains("socket does not exist")
    );
}

#[test]
fn a_tcp_endpoint_that_never_answers_times_out() {
    // Accepts connections and reads, never writes: a hung daemon.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_flag = stop.clone();
    listener
        .set_nonblocking(true)
        .unwrap_or_else(|e| panic!("{e}"));
    let server = std::thread::spawn(move || {
        let mut held = Vec::new();
        while !stop_flag.load(std::sync::atomic::Ordering::Relaxed) {
            if let Ok((mut s, _)) = listener.accept() {
                let _ = s.set_read_timeout(Some(Duration::from_millis(50)));
                let mut buf = [0u8; 512];
                let _ = s.read(&mut buf);
                held.push(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        for mut s in held {
            let _ = s.flush();
        }
    });
    let started = Instant::now();
    let host = format!("tcp://127.0.0.1:{port}");
    let (code, _, err) = run_bulwark(&["audit", "--host", &host, "--timeout", "2"]);
    let took = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = server.join();
    assert_eq!(code, 2);
    assert!(took < Duration::from_secs(6), "took {took:?}");
    assert!(
        err.contains("no answer from") && err.contains(&host),
        "{err}"
    );
}

#[test]
fn closing_the_pipe_early_is_not_an_error() {
    let mut child = support::bulwark()
        .args(["rules"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    assert!(matches!(out.status.code(), Some(0)));
}

#[test]
fn table_output_of_the_fixture() {
    let (_, out, _) = run_bulwark(&["audit", "--snapshot", FIXTURE]);
    insta::assert_snapshot!(out);
}

#[test]
fn json_output_of_the_fixture() {
    let (_, out, _) = run_bulwark(&["audit", "--snapshot", FIXTURE, "--format", "json"]);
    let mut report: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    // The tool's version changes with every release; nothing else may.
    report["tool"]["version"] = serde_json::json!("[version]");
    insta::assert_json_snapshot!(report);
}
