//! `bulwark lint` end to end: discovery, stdin, positions, suppressions,
//! config ignores, formats (SARIF validated against the official schema)
//! and exit codes.

mod support;

use std::io::Write;
use std::process::Stdio;

use support::{bulwark, run_bulwark};

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    };
    write(
        "app/Dockerfile",
        "FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER 1000\n",
    );
    write(
        "deploy/compose.yml",
        "x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n    image: nginx:1.27\n  agent:\n    image: agent:1\n    # bulwark:ignore=CMP001 needs raw device access for the GPU\n    privileged: true\n",
    );
    write(
        "legacy/docker-compose.yml",
        "services:\n  old:\n    image: old:1\n    privileged: true\n",
    );
    write("notes/README.md", "privileged: true\n");
    dir
}

fn lint_json(args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["lint", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run_bulwark(&all);
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, report, err)
}

fn located(report: &serde_json::Value, rule: &str) -> Vec<(String, u64)> {
    report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["rule"] == rule)
        .map(|r| {
            let path = r["location"]["path"].as_str().unwrap_or("").to_string();
            let file = path.rsplit_once("/").map_or(path.clone(), |(d, f)| {
                format!("{}/{f}", d.rsplit('/').next().unwrap_or(""))
            });
            (file, r["location"]["start_line"].as_u64().unwrap_or(0))
        })
        .collect()
}

#[test]
fn a_tree_is_linted_by_name_with_positions_and_suppressions() {
    let dir = tree();
    let d = dir.path().to_string_lossy().into_owned();
    let (code, report, err) = lint_json(&[&d]);
    assert_eq!(code, 1, "critical findings: {err}");
    // The merged privileged is reported where it is used; the suppressed
    // one is not; README.md is not a compose file.
    assert_eq!(
        located(&report, "CMP001"),
        vec![
            ("deploy/compose.yml".to_string(), 5),
            ("legacy/docker-compose.yml".to_string(), 4)
        ]
    );
}

#[test]
fn the_report_does_not_depend_on_the_number_of_threads() {
    let dir = tree();
    let d = dir.path().to_string_lossy().into_owned();
    let (_, one, _) = lint_json(&["-j", "1", &d]);
    let (_, three, _) = lint_json(&["--jobs", "3", &d]);
    assert!(
        one["results"].as_array().is_some_and(|r| r.len() > 3),
        "{one}"
    );
    assert_eq!(one["results"], three["results"]);
    let (code, _, err) = run_bulwark(&["lint", "-j", "0", &d]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn config_ignores_silence_paths_by_glob() {
    let dir = tree();
    let config = dir.path().join("bulwark.toml");
    std::fs::write(
        &config,
        "[[lint.ignore]]\npaths = [\"**/legacy/**\"]\nrules = [\"CMP001\"]\nreason = \"frozen, replaced in Q3\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path().to_string_lossy().into_owned();
    let (_, report, _) = lint_json(&[&d, "--config", &config.to_string_lossy()]);
    assert_eq!(
        located(&report, "CMP001"),
        vec![("deploy/compose.yml".to_string(), 5)]
    );
}

#[test]
fn stdin_is_read_with_a_kind() {
    let mut child = bulwark()
        .args(["lint", "-", "--kind", "compose", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    child
        .stdin
        .take()
        .map(|mut s| s.write_all(b"services:\n  a:\n    privileged: true\n"))
        .transpose()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["results"][0]["location"]["path"], "<stdin>");
    assert_eq!(out.status.code(), Some(1));

    let (code, _, err) = run_bulwark(&["lint", "-"]);
    assert_eq!(code, 2);
    assert!(err.contains("--kind"), "{err}");
}

#[test]
fn unreadable_input_is_reported_and_the_rest_still_linted() {
    let dir = tree();
    std::fs::write(
        dir.path().join("app/Dockerfile.bad"),
        b"FROM a\nRUN \xff\xfe\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path().to_string_lossy().into_owned();
    let (code, report, err) = lint_json(&[&d]);
    assert_eq!(code, 2, "an unreadable file makes the run incomplete");
    assert!(
        err.contains("Dockerfile.bad") && err.contains("2:5: not UTF-8"),
        "{err}"
    );
    assert!(
        !located(&report, "CMP001").is_empty(),
        "the other files were linted"
    );
}

#[test]
fn a_parse_error_is_positioned_and_exits_2() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, "FROM alpine\nRUNN echo\nUSER 1000\n").unwrap_or_else(|e| panic!("{e}"));
    let (code, out, _) = run_bulwark(&["lint", &path.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(out.contains(&format!("{}:2:1", path.display())), "{out}");
    assert!(out.contains("LNT001"), "{out}");
}

#[test]
fn sarif_from_lint_validates_against_the_official_schema() {
    let dir = tree();
    let d = dir.path().to_string_lossy().into_owned();
    let (_, out, _) = run_bulwark(&["lint", &d, "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let schema_text = include_str!("../../report/tests/schema/sarif-schema-2.1.0.json")
        // The schema's `language` pattern erratum; see the report crate's test.
        .replace(r#"[a-zA-Z]{2}]?$"#, r#"[a-zA-Z]{2}\\]?$"#);
    let schema: serde_json::Value =
        serde_json::from_str(&schema_text).unwrap_or_else(|e| panic!("{e}"));
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{e}"));
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let result = &doc["runs"][0]["results"][0];
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert!(region["startLine"].as_i64().is_some() && region["startColumn"].as_i64().is_some());
    assert!(region["endLine"].as_i64().is_some() && region["endColumn"].as_i64().is_some());
    assert_eq!(doc["runs"][0]["columnKind"], "unicodeCodePoints");
}

#[test]
fn trusted_registries_from_the_config_judge_base_images() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(
        &dockerfile,
        "FROM registry.example.com/base/builder:1 AS build\nFROM --platform=linux/amd64 quay.io/org/app:1.2\nCOPY --from=build /out /out\nUSER 1000\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("bulwark.toml");
    let lint = |trusted: &str| {
        std::fs::write(
            &config,
            format!("[policy]\ntrusted_registries = [{trusted}]\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        run_bulwark(&[
            "lint",
            &dockerfile.to_string_lossy(),
            "--config",
            &config.to_string_lossy(),
            "--select",
            "DKF010",
        ])
    };

    let (code, out, err) = lint("\"registry.example.com\"");
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains(&format!("{}:2:29", dockerfile.display())),
        "{out}"
    );
    assert!(out.contains("DKF010") && out.contains("quay.io"), "{out}");

    let (code, out, err) = lint("\"registry.example.com\", \"quay.io/org\"");
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(!out.contains("DKF010"), "{out}");

    // A malformed entry is a configuration error, not a silent pass.
    let (code, _, err) = lint("\"https://quay.io\"");
    assert_eq!(code, 2);
    assert!(err.contains("trusted_registries"), "{err}");
}
