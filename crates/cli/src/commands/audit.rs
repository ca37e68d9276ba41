//! `bulwark audit`: collect (or load) a snapshot, run the selected rules,
//! render, and choose the exit code.

use std::path::Path;

use anyhow::{Context as _, bail};
use bulwark_facts::{SNAPSHOT_SCHEMA_VERSION, Snapshot};
use bulwark_report::{Report, TableOptions};
use bulwark_rules::{Benchmark, Severity, registry};

use crate::args::{AuditArgs, Format};
use crate::config::Config;
use crate::exit::Code;
use crate::output::Output;

pub fn run(args: AuditArgs) -> anyhow::Result<Code> {
    let config = Config::load(args.config.as_deref())?;
    let benchmark = Benchmark::load(&args.benchmark).map_err(anyhow::Error::msg)?;
    // The audit checks a host; lint rules check files (`bulwark lint`).
    let rules: Vec<&dyn bulwark_rules::Rule> = registry::audit();
    let selection = super::selection(&rules, &benchmark, &args.select, &args.ignore, args.level)?;
    let selected = selection.apply(&rules, &benchmark);
    let fail_on = Severity::parse(&args.fail_on).unwrap_or(Severity::High);

    let (snapshot, reached) = match &args.snapshot {
        Some(path) => (load_snapshot(path)?, true),
        None => super::collect_live(&args.daemon)?,
    };

    let findings = bulwark_rules::evaluate::evaluate(&snapshot, &config.policy, &selected);
    let report = Report::new(&benchmark, &snapshot, &selected, &findings, fail_on);

    let mut out = Output::open(args.output.as_deref())?;
    match args.format {
        Format::Json => bulwark_report::render_json(&report, out.writer())?,
        Format::Sarif => bulwark_report::render_sarif(&report, out.writer())?,
        Format::Table => {
            let options = TableOptions {
                color: out.color,
                show_passes: args.show_passes,
            };
            bulwark_report::render_table(&report, options, out.writer())?;
        }
    }
    out.finish()?;

    Ok(if !reached || report.errors() > 0 {
        Code::Error
    } else if report.blocking_failures() > 0 {
        Code::Findings
    } else {
        Code::Clean
    })
}

/// Reads a snapshot file, refusing one from a newer format.
fn load_snapshot(path: &Path) -> anyhow::Result<Snapshot> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read snapshot {}", path.display()))?;
    let snapshot: Snapshot = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not a bulwark snapshot: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if snapshot.schema_version > SNAPSHOT_SCHEMA_VERSION {
        bail!(
            "{}: snapshot schema {} is newer than this bulwark understands ({}); upgrade bulwark",
            path.display(),
            snapshot.schema_version,
            SNAPSHOT_SCHEMA_VERSION
        );
    }
    Ok(snapshot)
}
