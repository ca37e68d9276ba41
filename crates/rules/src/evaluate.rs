//! Running rules over a snapshot, and rolling findings up per control.

use std::collections::BTreeMap;

use bulwark_facts::Snapshot;
use serde::Serialize;

use crate::benchmark::{Benchmark, Control};
use crate::context::Context;
use crate::finding::{Finding, Findings, Status};
use crate::policy::Policy;
use crate::rule::{Rule, Target};
use bulwark_syntax::SourceKind;

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

/// Runs the lint `rules` over `sources`, then applies the suppressions
/// written in the files. Findings come back ordered by file and position.
/// One thread; see [`evaluate_sources_in_parallel`] for more.
pub fn evaluate_sources(
    sources: &[bulwark_syntax::Source],
    policy: &Policy,
    rules: &[&dyn Rule],
) -> Vec<Finding> {
    lint(sources, policy, rules, false)
}

/// [`evaluate_sources`] on the threads of the current rayon pool: files
/// are shared out in small batches; the findings are the same, in the
/// same order.
pub fn evaluate_sources_in_parallel(
    sources: &[bulwark_syntax::Source],
    policy: &Policy,
    rules: &[&dyn Rule],
) -> Vec<Finding> {
    lint(sources, policy, rules, true)
}

fn lint(
    sources: &[bulwark_syntax::Source],
    policy: &Policy,
    rules: &[&dyn Rule],
    parallel: bool,
) -> Vec<Finding> {
    let lint = RulesByKind::new(rules);
    let findings = if parallel {
        use rayon::prelude::*;
        let batches: Vec<Vec<Finding>> = sources
            .par_chunks(BATCH)
            .map(|batch| lint_files(batch, policy, &lint))
            .collect();
        batches.concat()
    } else {
        lint_files(sources, policy, &lint)
    };
    let findings = crate::sources::apply_suppressions(sources, findings);
    crate::place_order::by_place(sources, findings)
}

/// The lint rules that apply to each kind of file: DKF to Dockerfiles, CMP
/// to compose files, LNT to both. In id order: findings at the same place
/// are then already in the order they are reported in.
struct RulesByKind<'r> {
    dockerfile: Vec<&'r dyn Rule>,
    compose: Vec<&'r dyn Rule>,
}

impl<'r> RulesByKind<'r> {
    fn new(rules: &[&'r dyn Rule]) -> Self {
        let for_kind = |kind: Target| {
            let mut these: Vec<&dyn Rule> = rules
                .iter()
                .copied()
                .filter(|r| r.meta().target == kind || r.meta().target == Target::Lint)
                .collect();
            these.sort_by_key(|r| r.meta().id);
            these
        };
        RulesByKind {
            dockerfile: for_kind(Target::Dockerfile),
            compose: for_kind(Target::Compose),
        }
    }

    fn of(&self, kind: SourceKind) -> &[&'r dyn Rule] {
        match kind {
            SourceKind::Dockerfile => &self.dockerfile,
            SourceKind::Compose => &self.compose,
        }
    }
}

/// Files per batch handed to a thread: enough to pay for the hand-over,
/// few enough to share a directory of large files out evenly.
const BATCH: usize = 8;

/// Every rule over `sources`, file after file: a file's tree and what the
/// rules derive from it stay in the cache, where rule after rule over
/// every file would read them all from memory once per rule.
fn lint_files(
    sources: &[bulwark_syntax::Source],
    policy: &Policy,
    lint: &RulesByKind<'_>,
) -> Vec<Finding> {
    let snapshot = Snapshot::default();
    let mut findings = Vec::new();
    let mut ctx = Context::new(&snapshot, policy);
    for one in sources.chunks(1) {
        ctx = ctx.with_sources(one);
        for rule in lint.of(one[0].kind) {
            let mut sink = Findings::new(rule.meta(), &mut findings);
            rule.run(&ctx, &mut sink);
        }
    }
    findings
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
    fn threads_change_nothing_but_the_time() {
        let sources: Vec<bulwark_syntax::Source> = crate::corpus::files(40)
            .into_iter()
            .map(|(path, kind, text)| bulwark_syntax::Source::parse(path, kind, text))
            .collect();
        let policy = Policy::default();
        let rules = crate::registry::lint();
        let show = |findings: Vec<Finding>| -> Vec<String> {
            findings
                .iter()
                .map(|f| format!("{} {:?} {}", f.rule.id, f.location, f.message))
                .collect()
        };
        let one = show(evaluate_sources(&sources, &policy, &rules));
        assert!(one.len() > 100, "{}", one.len());
        assert_eq!(
            one,
            show(evaluate_sources_in_parallel(&sources, &policy, &rules))
        );
    }

    #[test]
    fn nothing_in_scope_is_not_applicable() {
        assert_eq!(rollup_status(&counts(&[])), Status::NotApplicable);
    }
}
