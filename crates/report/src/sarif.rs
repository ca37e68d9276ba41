//! `--format sarif`: SARIF 2.1.0 for code-scanning tools.
//!
//! One run; the tool's rules carry their help from the rule docs (the same
//! text as `bulwark explain`). Results are the findings a reviewer acts on:
//! `fail` (kind `fail`, level by severity), `manual` (kind `review`) and
//! `error` (kind `open`: a file that does not parse, a check that could not
//! run).
//! Passes, not-applicable and skipped stay in the JSON report: in a
//! code-scanning UI they are noise. A finding in a file has a physical
//! location with a region (columns in Unicode code points, said once in
//! `run.columnKind`); a finding about a daemon or a container has a
//! logical location instead.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use bulwark_rules::finding::{Finding, Status};
use bulwark_rules::rule::{RuleMeta, Severity};
use serde_json::json;
use serde_sarif::sarif;

use crate::Report;

/// The schema URI written into `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub code scanning reads `security-severity` (0.0–10.0) to rank
/// results; these follow its bands (critical ≥ 9, high ≥ 7, medium ≥ 4).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn level(s: Severity) -> sarif::ResultLevel {
    match s {
        Severity::Critical | Severity::High => sarif::ResultLevel::Error,
        Severity::Medium => sarif::ResultLevel::Warning,
        Severity::Low | Severity::Info => sarif::ResultLevel::Note,
    }
}

fn text(text: impl Into<String>) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(text.into())
        .build()
}

fn reporting_descriptor(meta: &RuleMeta, controls: &[&str]) -> sarif::ReportingDescriptor {
    let docs = meta.doc_markdown();
    let mut properties = BTreeMap::new();
    properties.insert(
        "security-severity".to_string(),
        json!(security_severity(meta.severity)),
    );
    let mut tags = vec!["security".to_string()];
    tags.extend(controls.iter().map(|c| format!("CIS-{c}")));
    let builder = sarif::ReportingDescriptor::builder()
        .id(meta.id)
        .name(meta.name)
        .short_description(text(meta.summary))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(meta.doc_section("## How to fix").unwrap_or_default())
                .markdown(docs)
                .build(),
        )
        .default_configuration(sarif::ReportingConfiguration {
            level: Some(json!(level(meta.severity))),
            ..Default::default()
        })
        .properties(sarif::PropertyBag {
            tags: Some(tags),
            additional_properties: properties,
        });
    match meta.doc_section("## What it checks") {
        Some(full) => builder.full_description(text(full)).build(),
        None => builder.build(),
    }
}

fn location(f: &Finding) -> sarif::Location {
    match &f.location {
        Some(loc) => sarif::Location {
            physical_location: Some(sarif::PhysicalLocation {
                artifact_location: Some(sarif::ArtifactLocation {
                    uri: Some(uri_reference(&loc.path)),
                    ..Default::default()
                }),
                region: Some(sarif::Region {
                    start_line: Some(i64::from(loc.start_line)),
                    start_column: Some(i64::from(loc.start_column)),
                    end_line: Some(i64::from(loc.end_line)),
                    end_column: Some(i64::from(loc.end_column)),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        },
        None => {
            let kind = serde_json::to_value(f.subject.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            sarif::Location {
                logical_locations: Some(vec![sarif::LogicalLocation {
                    name: Some(f.subject.name.to_string()),
                    fully_qualified_name: Some(format!(
                        "{kind}/{}",
                        f.subject.id.as_deref().unwrap_or(&f.subject.name)
                    )),
                    kind: Some(kind),
                    ..Default::default()
                }]),
                ..Default::default()
            }
        }
    }
}

/// A path as an RFC 3986 URI reference: unreserved characters and `/`
/// stay, every other byte is percent-encoded (`café` → `caf%C3%A9`, a
/// space → `%20`). SARIF requires `uri` to be one, and tools that resolve
/// it against the repository root rely on it.
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Writes the report as SARIF 2.1.0.
pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let reported: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Manual | Status::Error))
        .collect();

    // Every rule that ran and has a result, in first-seen order.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut rules = Vec::new();
    for f in &reported {
        index.entry(f.rule.id).or_insert_with(|| {
            rules.push(reporting_descriptor(f.rule, report.controls_of(f)));
            rules.len() - 1
        });
    }

    let results: Vec<sarif::Result> = reported
        .iter()
        .map(|f| {
            let mut properties = BTreeMap::new();
            properties.insert("severity".to_string(), json!(f.severity.as_str()));
            properties.insert("evidence".to_string(), json!(f.evidence));
            if let Some(reason) = &f.reason {
                properties.insert("reason".to_string(), json!(reason));
            }
            sarif::Result::builder()
                .rule_id(f.rule.id)
                .rule_index(index.get(f.rule.id).map_or(0, |&i| i as i64))
                .kind(match f.status {
                    Status::Fail => sarif::ResultKind::Fail,
                    // Could not be checked (a file that does not parse).
                    Status::Error => sarif::ResultKind::Open,
                    _ => sarif::ResultKind::Review,
                })
                .level(match f.status {
                    Status::Fail => level(f.severity),
                    Status::Error => sarif::ResultLevel::Error,
                    _ => sarif::ResultLevel::Note,
                })
                .message(sarif::Message::builder().text(f.message.clone()).build())
                .locations(vec![location(f)])
                .properties(sarif::PropertyBag {
                    tags: None,
                    additional_properties: properties,
                })
                .build()
        })
        .collect();

    let driver = sarif::ToolComponent::builder()
        .name("bulwark")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/bulwark-sec/bulwark")
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let doc = sarif::Sarif {
        schema: Some(SARIF_SCHEMA.to_string()),
        version: json!("2.1.0"),
        runs: vec![run],
        inline_external_properties: None,
        properties: None,
    };
    crate::write_pretty_json(out, &doc)
}

#[cfg(test)]
mod tests {
    use super::uri_reference;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri_reference("services/web/Dockerfile"),
            "services/web/Dockerfile"
        );
        assert_eq!(uri_reference("a b/café.yml"), "a%20b/caf%C3%A9.yml");
        assert_eq!(uri_reference("x#y?z"), "x%23y%3Fz");
    }
}
