//! [`Linter`]: the lint rules, run over one file at a time.
//!
//! A linter is made once per run (the rules split by the kind of file they
//! read, in id order) and asked about each file as soon as it is parsed,
//! so the file's tree can be dropped once its findings are out. A run then
//! holds its findings and one tree per thread, however many files it
//! reads, and the tree stays in the cache while every rule reads it.
//! Parsing every file first and linting after held all the trees at once
//! (about 12 KB for a 600-byte Dockerfile): over 2,000 files they no
//! longer fit the cache, and the same instructions took half as long
//! again (docs/performance.md).
//!
//! [`Linted`] keeps the findings of all the files, and orders them at the
//! end.

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
        let mut findings = Vec::new();
        self.lint_into(source, &mut findings);
        findings
    }

    /// [`lint`](Self::lint), appending to `findings`: a run that keeps
    /// every file's findings in one vector keeps no vector per file.
    pub fn lint_into(&self, source: &Source, findings: &mut Vec<Finding>) {
        let rules = match source.kind {
            SourceKind::Dockerfile => &self.dockerfile,
            SourceKind::Compose => &self.compose,
        };
        let ctx = Context::for_lint(&self.snapshot, self.policy, std::slice::from_ref(source));
        let from = findings.len();
        for rule in rules {
            rule.run(&ctx, &mut Findings::new(rule.meta(), findings));
        }
        crate::sources::drop_suppressed(source, findings, from);
        crate::place_order::within_file(&mut findings[from..]);
    }
}

/// The findings of a run so far, file after file, with the files' paths
/// (the findings' own, shared: a file is then recognised by address).
/// Findings are kept in large blocks, not a vector per file: kept until
/// the report, a vector per file held its memory and scattered the heap
/// the next files were parsed in (a lint of the corpus ran about 4 %
/// slower).
#[derive(Default)]
pub struct Linted {
    paths: Vec<Arc<str>>,
    /// The findings in blocks of about [`BLOCK`]: the last is being
    /// filled; a file's findings are never split between two.
    blocks: Vec<Vec<Finding>>,
}

/// Findings per block. Blocks are copied once, into the report's vector
/// made at its exact size. One vector grown by doubling copies about as
/// much in all, but each growth holds the old and the new buffer at once
/// and writes into fresh memory: measured about 4 % slower over the
/// corpus (docs/performance.md, fifth session).
const BLOCK: usize = 1024;

/// Room a block keeps for the next file: a file with more findings makes
/// its block grow (rarely).
const HEADROOM: usize = 64;

impl Linted {
    /// Lints `source` with `linter` and keeps its findings.
    pub fn add(&mut self, linter: &Linter<'_>, source: &Source) {
        let full = self
            .blocks
            .last()
            .is_none_or(|b| b.len() + HEADROOM > BLOCK);
        if full {
            self.blocks.push(Vec::with_capacity(BLOCK));
        }
        if let Some(block) = self.blocks.last_mut() {
            linter.lint_into(source, block);
        }
        self.paths.push(source.path.clone());
    }

    /// Appends the findings of files that come after these (linted on
    /// another thread).
    pub fn append(&mut self, later: &mut Linted) {
        self.paths.append(&mut later.paths);
        self.blocks.append(&mut later.blocks);
    }

    /// How many files were linted.
    pub fn files(&self) -> usize {
        self.paths.len()
    }

    /// The findings in the order they are reported: by file (path text),
    /// line, column, then rule id. Each file's are in order already, and
    /// files mostly come in path order: then they are only moved into one
    /// vector.
    pub fn into_report_order(self) -> Vec<Finding> {
        let mut findings = Vec::with_capacity(self.blocks.iter().map(Vec::len).sum());
        for block in self.blocks {
            findings.extend(block);
        }
        crate::place_order::file_by_file(&self.paths, findings)
    }
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
    fn blocks_keep_every_finding_of_many_files_and_of_large_ones() {
        let rules = registry::lint();
        let policy = Policy::default();
        let linter = Linter::new(&policy, &rules);
        // 600 small files (more findings than a block holds), then one
        // with more findings than a block keeps room for.
        let packages: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
        let big = format!("FROM a:1\nRUN apt-get install -y {}\n", packages.join(" "));
        let mut sources: Vec<Source> = (0..600)
            .map(|i| {
                dockerfile(
                    &format!("f{i:03}/Dockerfile"),
                    "FROM alpine\nUSER root\nRUN sudo make\n",
                )
            })
            .collect();
        sources.push(dockerfile("z/Dockerfile", &big));
        let one_by_one: Vec<String> = sources.iter().flat_map(|s| ids(&linter.lint(s))).collect();
        let mut linted = Linted::default();
        for s in &sources {
            linted.add(&linter, s);
        }
        let all = ids(&linted.into_report_order());
        assert!(all.len() > BLOCK + 100, "{}", all.len());
        assert_eq!(all, one_by_one);
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
        let mut linted = Linted::default();
        for s in &sources {
            linted.add(&linter, s);
        }
        let ordered = ids(&linted.into_report_order());
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
