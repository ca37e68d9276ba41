//! Renderers for bulwark's results, one file per format.
//!
//! Every renderer takes the same [`Report`]: the findings of one run, their
//! per-control roll-up, and who and what was audited. JSON carries a
//! [`REPORT_SCHEMA_VERSION`] so pipelines can rely on its shape.

mod json;
mod lint_table;
mod sarif;
mod table;

use std::collections::{BTreeMap, HashMap};

use bulwark_facts::Snapshot;
use bulwark_rules::Benchmark;
use bulwark_rules::evaluate::{ControlOutcome, roll_up, score};
use bulwark_rules::finding::{Finding, Status};
use bulwark_rules::rule::{Rule, Severity};

pub use json::render as render_json;
pub use lint_table::render as render_lint_table;
pub use sarif::render as render_sarif;
pub use table::{TableOptions, render as render_table};

/// Writes `doc` as indented JSON and a newline. serde_json writes in many
/// small pieces; through a `dyn Write` each is a call, so they are
/// gathered in a buffer of a concrete type first (a fifth of a whole lint
/// run was these calls).
fn write_pretty_json(
    out: &mut dyn std::io::Write,
    doc: &impl serde::Serialize,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, doc)?;
    writeln!(buffered)?;
    buffered.flush()
}

/// The version of the JSON report format. Bump it when a field changes
/// meaning or disappears; adding a field does not need a bump.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// One run's results, ready to render.
pub struct Report<'a> {
    pub benchmark: &'a Benchmark,
    pub snapshot: &'a Snapshot,
    pub findings: &'a [Finding],
    pub controls: Vec<ControlOutcome<'a>>,
    /// Findings at or above this severity make the run fail.
    pub fail_on: Severity,
    /// The controls each rule implements, by rule id: looked up per
    /// finding, so worked out once (a scan of the benchmark per finding was
    /// a tenth of rendering 20,000 findings).
    controls_by_rule: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Report<'a> {
    /// Builds the report of `findings`, made by `selected` rules.
    pub fn new(
        benchmark: &'a Benchmark,
        snapshot: &'a Snapshot,
        selected: &[&dyn Rule],
        findings: &'a [Finding],
        fail_on: Severity,
    ) -> Self {
        Report {
            benchmark,
            snapshot,
            findings,
            controls: roll_up(benchmark, selected, findings),
            fail_on,
            controls_by_rule: controls_by_rule(benchmark),
        }
    }

    /// Failed findings at or above [`Report::fail_on`].
    pub fn blocking_failures(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Fail && f.severity >= self.fail_on)
            .count()
    }

    /// Findings with status `error`: the audit is incomplete.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Error)
            .count()
    }

    /// The control ids of the benchmark that a finding's rule decides.
    pub fn controls_of(&self, f: &Finding) -> &[&'a str] {
        self.controls_by_rule
            .get(f.rule.id)
            .map_or(&[], Vec::as_slice)
    }

    /// Passed over decided controls, in percent.
    pub fn score(&self) -> Option<f64> {
        score(&self.controls)
    }

    /// How many controls rolled up to each status.
    pub fn control_counts(&self) -> BTreeMap<Status, usize> {
        let mut counts = BTreeMap::new();
        for c in &self.controls {
            *counts.entry(c.status).or_insert(0) += 1;
        }
        counts
    }

    /// How many findings had each status.
    pub fn finding_counts(&self) -> BTreeMap<Status, usize> {
        let mut counts = BTreeMap::new();
        for f in self.findings {
            *counts.entry(f.status).or_insert(0) += 1;
        }
        counts
    }
}

/// Rule id to the ids of the controls it implements, in benchmark order.
fn controls_by_rule(benchmark: &Benchmark) -> HashMap<&str, Vec<&str>> {
    let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
    for control in &benchmark.controls {
        for rule in &control.rules {
            let ids = map.entry(rule.as_str()).or_default();
            // A control listing a rule twice still counts once, as the scan
            // of the benchmark it replaces did.
            if ids.last() != Some(&control.id.as_str()) {
                ids.push(&control.id);
            }
        }
    }
    map
}
