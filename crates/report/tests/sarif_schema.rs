//! SARIF output validated against the official SARIF 2.1.0 JSON schema
//! (vendored in tests/schema/), for audit findings (logical locations) and
//! file findings (physical locations with regions).

use bulwark_facts::Snapshot;
use bulwark_report::{Report, render_sarif};
use bulwark_rules::benchmark::DEFAULT_BENCHMARK;
use bulwark_rules::{Benchmark, Location, Policy, Severity, registry};

const SCHEMA: &str = include_str!("schema/sarif-schema-2.1.0.json");
const FIXTURE: &str = include_str!("../../cli/tests/fixtures/small-host.json");

fn sarif_of(findings_with_location: bool) -> serde_json::Value {
    let snapshot: Snapshot = serde_json::from_str(FIXTURE).unwrap_or_else(|e| panic!("{e}"));
    let benchmark = Benchmark::load(DEFAULT_BENCHMARK).unwrap_or_else(|e| panic!("{e}"));
    let rules = registry::all();
    let mut findings = bulwark_rules::evaluate::evaluate(&snapshot, &Policy::default(), rules);
    if findings_with_location {
        // A file finding, as the linter makes them: é makes columns count
        // code points, not bytes.
        let mut f = findings
            .iter()
            .find(|f| f.status == bulwark_rules::Status::Fail)
            .cloned()
            .unwrap_or_else(|| panic!("the fixture has failures"));
        f.location = Some(Location {
            path: "services/café/Dockerfile".into(),
            start_line: 3,
            start_column: 1,
            end_line: 5,
            end_column: 12,
        });
        findings.push(f);
    }
    let report = Report::new(&benchmark, &snapshot, rules, &findings, Severity::High);
    let mut out = Vec::new();
    render_sarif(&report, &mut out).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"))
}

/// The official schema, loaded. Its `language` pattern has a stray `]`
/// (`…{2}]?$`), which ECMA-262 regexes read as a literal and Rust's regex
/// engine rejects; escaping it keeps the ECMA meaning exactly.
fn validator() -> jsonschema::Validator {
    let patched = SCHEMA.replace(r#"[a-zA-Z]{2}]?$"#, r#"[a-zA-Z]{2}\\]?$"#);
    assert_ne!(patched, SCHEMA, "the erratum moved: re-check the schema");
    let schema: serde_json::Value =
        serde_json::from_str(&patched).unwrap_or_else(|e| panic!("{e}"));
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema: {e}"))
}

fn assert_valid(doc: &serde_json::Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

#[test]
fn audit_sarif_validates_against_the_official_schema() {
    let doc = sarif_of(false);
    assert_valid(&doc);
    let run = &doc["runs"][0];
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert!(!results.is_empty());
    // Every result names a rule that the driver describes, with help.
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for r in &results {
        let index = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(
            rules[index]["help"]["markdown"]
                .as_str()
                .is_some_and(|m| m.contains("## How to fix"))
        );
    }
    // Passes stay out; failures and reviews are in.
    assert!(
        results
            .iter()
            .all(|r| r["kind"] == "fail" || r["kind"] == "review")
    );
}

#[test]
fn file_findings_carry_a_region() {
    let doc = sarif_of(true);
    assert_valid(&doc);
    let results = doc["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let located = results
        .iter()
        .find(|r| r["locations"][0]["physicalLocation"].is_object())
        .cloned()
        .unwrap_or_default();
    let region = &located["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            region["startLine"].as_i64(),
            region["startColumn"].as_i64(),
            region["endLine"].as_i64(),
            region["endColumn"].as_i64()
        ),
        (Some(3), Some(1), Some(5), Some(12))
    );
    assert_eq!(
        located["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "services/caf%C3%A9/Dockerfile"
    );
}

#[test]
fn invalid_sarif_is_caught_by_the_schema() {
    // The validation is not vacuous: break a required field.
    let mut doc = sarif_of(false);
    doc["runs"][0]["results"][0]["message"] = serde_json::json!({});
    assert!(!validator().is_valid(&doc));
}
