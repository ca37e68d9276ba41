//! [`Linter`]: the lint rules, run over one file at a time.
//!
//! A linter is made once per run (the rules split by the kind of file they
//! read, in id order) and asked about each file as soon as it is parsed,
//! so the file's tree can be dropped once its findings are out. A run then
//! holds its findings and one tree per thread, however many files it
//! reads, and the tree stays in the cache while every rule reads it.
//! Parsing every file first and linting after held all the trees at once
//! (about 12 KB for a 600-byte Dockerfile): over 2,000 files they no
//! longer fit the cache, and the same instructions took a third longer
//! (docs/performance.md).
//!
//! [`in_report_order`] orders the findings of all the files at the end.

use std::sync::Arc;

use bulwark_facts::Snapshot;
use bulwark_syntax::{Source, SourceKind};

use crate::context::Context;
use crate::finding::{Finding, Findings};
use crate::policy::Policy;
use crate::rule::{Rule, Target};

/// The lint rules of a run, ready to be asked about file after file.
pub struct Linter<'r> {
    policy: &'r Policy,
    /// Lint rules read no host facts: an empty snapshot stands in.
    snapshot: Snapshot,
    dockerfile: Vec<&'r dyn Rule>,
    compose: Vec<&'r dyn Rule>,
}

impl<'r> Linter<'r> {
    /// A linter for `rules` under `policy`. Each file is checked by the
    /// rules for its kind (DKF for Dockerfiles, CMP for compose files)
    /// and the LNT rules, in id order: findings at the same place are then
    /// already in the order they are reported in.
    pub fn new(policy: &'r Policy, rules: &[&'r dyn Rule]) -> Self {
        let for_kind = |kind: Target| {
            let mut these: Vec<&dyn Rule> = rules
                .iter()
                .copied()
                .filter(|r| r.meta().target == kind || r.meta().target == Target::Lint)
                .collect();
            these.sort_by_key(|r| r.meta().id);
            these
        };
        Linter {
            policy,
            snapshot: Snapshot::default(),
            dockerfile: for_kind(Target::Dockerfile),
            compose: for_kind(Target::Compose),
        }
    }

    /// Every finding about `source`, with the suppressions written in it
    /// applied, by line and column (ties in rule id order).
    pub fn lint(&self, source: &Source) -> Vec<Finding> {
        let rules = match source.kind {
            SourceKind::Dockerfile => &self.dockerfile,
            SourceKind::Compose => &self.compose,
        };
        let ctx = Context::for_lint(&self.snapshot, self.policy, std::slice::from_ref(source));
        let mut findings = Vec::new();
        for rule in rules {
            rule.run(&ctx, &mut Findings::new(rule.meta(), &mut findings));
        }
        crate::sources::drop_suppressed(source, &mut findings);
        crate::place_order::within_file(&mut findings);
        findings
    }
}

/// The findings of a run, each file's as [`Linter::lint`] made them, with
/// the file's path (its findings' own, shared: a file is then recognised
/// by address), in the order they are reported: by file (path text),
/// line, column, then rule id. Each finding is moved once, into a vector
/// of the run's exact size: one vector grown finding after finding moved
/// every finding made so far at each doubling.
pub fn in_report_order(files: Vec<(Arc<str>, Vec<Finding>)>) -> Vec<Finding> {
    let mut findings = Vec::with_capacity(files.iter().map(|(_, f)| f.len()).sum());
    let mut paths = Vec::with_capacity(files.len());
    for (path, file) in files {
        findings.extend(file);
        paths.push(path);
    }
    if crate::place_order::in_place_order(&findings) {
        return findings;
    }
    crate::place_order::by_place(paths.iter().map(|p| &**p), findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry;

    fn dockerfile(path: &str, text: &str) -> Source {
        Source::parse(path, SourceKind::Dockerfile, text.to_string())
    }

    fn ids(findings: &[Finding]) -> Vec<String> {
        findings
            .iter()
            .map(|f| {
                let line = f.location.as_ref().map_or(0, |l| l.start_line);
                format!("{}:{line} {}", f.subject.name, f.rule.id)
            })
            .collect()
    }

    #[test]
    fn each_file_is_read_by_the_rules_of_its_kind_and_its_own_suppressions() {
        let rules = registry::lint();
        let policy = Policy::default();
        let linter = Linter::new(&policy, &rules);
        // Two files given under one path: the suppression in the second
        // covers its own line 2, not the first file's.
        let plain = dockerfile("Dockerfile", "FROM alpine:3.20\nUSER root\n");
        let quiet = dockerfile(
            "Dockerfile",
            "FROM alpine:3.20\n# bulwark:ignore=DKF002 builds as root on purpose\nUSER root\n",
        );
        let compose = Source::parse(
            "compose.yml",
            SourceKind::Compose,
            "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n".to_string(),
        );
        let plain_ids = ids(&linter.lint(&plain));
        assert!(
            plain_ids.contains(&"Dockerfile:2 DKF002".to_string()),
            "{plain_ids:?}"
        );
        assert!(
            !ids(&linter.lint(&quiet))
                .iter()
                .any(|f| f.ends_with("DKF002"))
        );
        let compose_ids = ids(&linter.lint(&compose));
        assert!(
            compose_ids
                .iter()
                .all(|f| f.contains(" CMP") || f.contains(" LNT")),
            "{compose_ids:?}"
        );
        assert!(
            compose_ids.contains(&"compose.yml:4 CMP001".to_string()),
            "{compose_ids:?}"
        );
    }

    #[test]
    fn file_by_file_findings_come_out_in_report_order() {
        let rules = registry::lint();
        let policy = Policy::default();
        let linter = Linter::new(&policy, &rules);
        // Linted out of path order, as threads may finish them.
        let sources = [
            dockerfile("b/Dockerfile", "FROM alpine\nUSER root\n"),
            dockerfile("a/Dockerfile", "FROM alpine\nRUN sudo make\n"),
        ];
        let files = sources
            .iter()
            .map(|s| (s.path.clone(), linter.lint(s)))
            .collect();
        let ordered = ids(&in_report_order(files));
        let mut sorted = ordered.clone();
        sorted.sort_by(|a, b| {
            let place = |s: &str| {
                let (path, rest) = s.split_once(':').unwrap_or_default();
                let line: u32 = rest.split(' ').next().unwrap_or("0").parse().unwrap_or(0);
                (path.to_string(), line)
            };
            place(a).cmp(&place(b))
        });
        assert!(ordered[0].starts_with("a/Dockerfile"), "{ordered:?}");
        assert_eq!(ordered, sorted);
    }
}
