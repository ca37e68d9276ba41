//! Running rules over a snapshot, and rolling findings up per control.

use std::collections::BTreeMap;

use bulwark_facts::Snapshot;
use serde::Serialize;

use crate::benchmark::{Benchmark, Control};
use crate::context::Context;
use crate::finding::{Finding, Findings, Status};
use crate::linter::{Linted, Linter};
use crate::policy::Policy;
use crate::rule::Rule;

/// Runs `rules` over `snapshot`. Rules are pure and cheap; the findings come
/// back in rule order, each rule's in subject order.
pub fn evaluate(snapshot: &Snapshot, policy: &Policy, rules: &[&dyn Rule]) -> Vec<Finding> {
    let ctx = Context::new(snapshot, policy);
    let mut findings = Vec::new();
    for rule in rules {
        let mut sink = Findings::new(rule.meta(), &mut findings);
        rule.run(&ctx, &mut sink);
    }
    findings
}

/// Runs the lint `rules` over `sources` (see [`Linter`]), suppressions
/// applied. Findings come back ordered by file and position. One thread:
/// `bulwark lint` reads, parses and lints on many
/// (`bulwark_collect::sources::read_into`).
pub fn evaluate_sources(
    sources: &[bulwark_syntax::Source],
    policy: &Policy,
    rules: &[&dyn Rule],
) -> Vec<Finding> {
    let linter = Linter::new(policy, rules);
    let mut linted = Linted::default();
    for source in sources {
        linted.add(&linter, source);
    }
    linted.into_report_order()
}

/// A control's overall status over all its findings.
#[derive(Debug, Clone, Serialize)]
pub struct ControlOutcome<'b> {
    #[serde(skip)]
    pub control: &'b Control,
    pub id: &'b str,
    pub title: &'b str,
    pub level: u8,
    pub status: Status,
    /// How many findings had each status.
    pub counts: BTreeMap<Status, usize>,
}

/// Rolls findings up per control (catalog 0.2): `fail` if any item fails;
/// else `error` if any could not be checked; else `manual` if any needs a
/// person; else `pass` if any passed; else `skipped`; else
/// `not-applicable`.
pub fn roll_up<'b>(
    benchmark: &'b Benchmark,
    selected: &[&dyn Rule],
    findings: &[Finding],
) -> Vec<ControlOutcome<'b>> {
    benchmark
        .controls
        .iter()
        .filter(|c| {
            selected
                .iter()
                .any(|r| c.rules.iter().any(|id| id == r.meta().id))
        })
        .map(|control| {
            let mut counts = BTreeMap::new();
            for f in findings
                .iter()
                .filter(|f| control.rules.iter().any(|id| id == f.rule.id))
            {
                *counts.entry(f.status).or_insert(0) += 1;
            }
            ControlOutcome {
                control,
                id: &control.id,
                title: &control.title,
                level: control.level,
                status: rollup_status(&counts),
                counts,
            }
        })
        .collect()
}

fn rollup_status(counts: &BTreeMap<Status, usize>) -> Status {
    const PRECEDENCE: [Status; 6] = [
        Status::Fail,
        Status::Error,
        Status::Manual,
        Status::Pass,
        Status::Skipped,
        Status::NotApplicable,
    ];
    PRECEDENCE
        .into_iter()
        .find(|s| counts.get(s).copied().unwrap_or(0) > 0)
        .unwrap_or(Status::NotApplicable)
}

/// The share of decided controls that passed, in percent: passes over
/// passes plus failures. `None` when no control was decided.
pub fn score(controls: &[ControlOutcome<'_>]) -> Option<f64> {
    let passed = controls.iter().filter(|c| c.status == Status::Pass).count();
    let failed = controls.iter().filter(|c| c.status == Status::Fail).count();
    (passed + failed > 0).then(|| 100.0 * passed as f64 / (passed + failed) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(items: &[(Status, usize)]) -> BTreeMap<Status, usize> {
        items.iter().copied().collect()
    }

    #[test]
    fn one_failure_fails_the_control() {
        assert_eq!(
            rollup_status(&counts(&[(Status::Pass, 40), (Status::Fail, 1)])),
            Status::Fail
        );
    }

    #[test]
    fn an_error_is_never_rolled_up_as_pass() {
        assert_eq!(
            rollup_status(&counts(&[(Status::Pass, 40), (Status::Error, 1)])),
            Status::Error
        );
    }

    #[test]
    fn manual_beats_pass() {
        assert_eq!(
            rollup_status(&counts(&[(Status::Pass, 3), (Status::Manual, 1)])),
            Status::Manual
        );
    }

    #[test]
    fn nothing_in_scope_is_not_applicable() {
        assert_eq!(rollup_status(&counts(&[])), Status::NotApplicable);
    }
}
