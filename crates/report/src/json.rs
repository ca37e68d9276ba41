//! `--format json`: every finding with its evidence, per-control roll-ups,
//! and the identity of the audited host, under a versioned schema.

use std::io::{self, Write};

use bulwark_rules::finding::{Evidence, Status, Subject};
use serde::Serialize;
use serde_json::Value;

use crate::{REPORT_SCHEMA_VERSION, Report};

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    benchmark: BenchmarkId<'a>,
    host: Host<'a>,
    collected_at: &'a str,
    summary: Summary,
    controls: Vec<ControlJson<'a>>,
    results: Vec<ResultJson<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct BenchmarkId<'a> {
    id: &'a str,
    title: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Host<'a> {
    name: Option<&'a str>,
    /// The daemon's `/info ID`: stable per engine, for deduplication.
    id: Option<&'a str>,
    engine_version: Option<&'a str>,
    api_version: Option<&'a str>,
    operating_system: Option<&'a str>,
    endpoint: &'a str,
    remote: bool,
}

#[derive(Serialize)]
struct Summary {
    controls: Value,
    results: Value,
    score: Option<f64>,
    fail_on: &'static str,
    failures_at_or_above_fail_on: usize,
    errors: usize,
}

#[derive(Serialize)]
struct ControlJson<'a> {
    id: &'a str,
    title: &'a str,
    level: u8,
    status: Status,
    rules: &'a [String],
    counts: Value,
}

#[derive(Serialize)]
struct ResultJson<'a> {
    rule: &'static str,
    name: &'static str,
    controls: &'a [&'a str],
    status: Status,
    severity: &'static str,
    subject: &'a Subject,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    evidence: &'a [Evidence],
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a bulwark_rules::Location>,
}

fn counts_json(counts: &std::collections::BTreeMap<Status, usize>) -> Value {
    Value::Object(
        Status::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    Value::from(counts.get(s).copied().unwrap_or(0)),
                )
            })
            .collect(),
    )
}

/// Writes the report as pretty JSON.
pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let engine = report.snapshot.engine.get();
    let doc = Document {
        schema_version: REPORT_SCHEMA_VERSION,
        tool: Tool {
            name: "bulwark",
            version: env!("CARGO_PKG_VERSION"),
        },
        benchmark: BenchmarkId {
            id: &report.benchmark.id,
            title: &report.benchmark.title,
            version: &report.benchmark.version,
        },
        host: Host {
            name: engine.map(|e| e.info.name.as_str()),
            id: engine.map(|e| e.info.id.as_str()),
            engine_version: engine.map(|e| e.version.version.as_str()),
            api_version: engine.map(|e| e.version.api_version.as_str()),
            operating_system: engine.map(|e| e.info.operating_system.as_str()),
            endpoint: &report.snapshot.endpoint.address,
            remote: report.snapshot.endpoint.remote,
        },
        collected_at: &report.snapshot.collected_at,
        summary: Summary {
            controls: counts_json(&report.control_counts()),
            results: counts_json(&report.finding_counts()),
            score: report.score().map(|s| (s * 10.0).round() / 10.0),
            fail_on: report.fail_on.as_str(),
            failures_at_or_above_fail_on: report.blocking_failures(),
            errors: report.errors(),
        },
        controls: report
            .controls
            .iter()
            .map(|c| ControlJson {
                id: c.id,
                title: c.title,
                level: c.level,
                status: c.status,
                rules: &c.control.rules,
                counts: counts_json(&c.counts),
            })
            .collect(),
        results: report
            .findings
            .iter()
            .map(|f| ResultJson {
                rule: f.rule.id,
                name: f.rule.name,
                controls: report.controls_of(f),
                status: f.status,
                severity: f.severity.as_str(),
                subject: &f.subject,
                message: &f.message,
                reason: f.reason,
                evidence: &f.evidence,
                location: f.location.as_ref(),
            })
            .collect(),
        notes: &report.snapshot.notes,
    };
    crate::write_pretty_json(out, &doc)
}
