//! Every rule, in one list. Adding a rule is one file plus one line in its
//! folder's `mod.rs`; the tests below catch a file that was not listed.

use std::sync::LazyLock;

use crate::rule::Rule;
use crate::{compose, container, daemon, dockerfile, files, lint, ops, swarm};

static ALL: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| {
    [
        daemon::RULES,
        files::RULES,
        swarm::RULES,
        container::RULES,
        ops::RULES,
        dockerfile::RULES,
        compose::RULES,
        lint::RULES,
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect()
});

/// All rules, ordered by folder then id.
pub fn all() -> &'static [&'static dyn Rule] {
    &ALL
}

/// The rules `bulwark lint` runs (targets DKF, CMP, LNT).
pub fn lint() -> Vec<&'static dyn Rule> {
    all()
        .iter()
        .copied()
        .filter(|r| r.meta().target.is_lint())
        .collect()
}

/// The rules `bulwark audit` runs (every other target).
pub fn audit() -> Vec<&'static dyn Rule> {
    all()
        .iter()
        .copied()
        .filter(|r| !r.meta().target.is_lint())
        .collect()
}

/// Finds a rule by id (case-insensitive) or name.
pub fn find(id_or_name: &str) -> Option<&'static dyn Rule> {
    all()
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id_or_name) || r.meta().name == id_or_name)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use super::*;
    use crate::benchmark::{Assessment, Benchmark, DEFAULT_BENCHMARK};
    use crate::rule::{DOC_HEADINGS, Target};

    fn benchmark() -> Benchmark {
        Benchmark::load(DEFAULT_BENCHMARK).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn ids_and_names_are_unique() {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for r in all() {
            assert!(ids.insert(r.meta().id), "duplicate id {}", r.meta().id);
            assert!(
                names.insert(r.meta().name),
                "duplicate name {}",
                r.meta().name
            );
        }
    }

    #[test]
    fn ids_carry_their_target_prefix_and_three_digits() {
        for r in all() {
            let m = r.meta();
            let digits = m.id.strip_prefix(m.target.id_prefix());
            assert!(
                digits.is_some_and(|d| d.len() == 3 && d.chars().all(|c| c.is_ascii_digit())),
                "{} should be {}NNN",
                m.id,
                m.target.id_prefix()
            );
        }
    }

    #[test]
    fn names_are_kebab_case() {
        for r in all() {
            let n = r.meta().name;
            assert!(
                n.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{n} is not kebab-case"
            );
        }
    }

    #[test]
    fn docs_have_every_heading_in_order_with_text_under_each() {
        for r in all() {
            let m = r.meta();
            let docs = m.doc_markdown();
            let mut last = 0;
            for h in DOC_HEADINGS {
                let at = docs
                    .find(h)
                    .unwrap_or_else(|| panic!("{}: docs lack `{h}`", m.id));
                assert!(at >= last, "{}: `{h}` is out of order", m.id);
                last = at;
                let body = m.doc_section(h).unwrap_or_default();
                assert!(!body.is_empty(), "{}: `{h}` is empty", m.id);
            }
            assert!(
                !m.summary.ends_with('.'),
                "{}: summary is a title, no full stop",
                m.id
            );
        }
    }

    #[test]
    fn every_rule_file_is_registered() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for target in [
            Target::Daemon,
            Target::Files,
            Target::Container,
            Target::Swarm,
            Target::Ops,
            Target::Dockerfile,
            Target::Compose,
            Target::Lint,
        ] {
            let folder = format!("{target:?}").to_lowercase();
            let files = std::fs::read_dir(src.join(&folder))
                .unwrap_or_else(|e| panic!("{folder}: {e}"))
                .filter_map(Result::ok)
                .filter(|e| e.file_name() != "mod.rs")
                .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
                .count();
            let registered = all().iter().filter(|r| r.meta().target == target).count();
            assert_eq!(
                files, registered,
                "{folder}/: rule files vs registered rules"
            );
        }
    }

    #[test]
    fn every_benchmark_entry_names_a_real_rule() {
        let b = benchmark();
        for c in &b.controls {
            for id in &c.rules {
                assert!(
                    find(id).is_some(),
                    "control {} names unknown rule {id}",
                    c.id
                );
            }
        }
    }

    #[test]
    fn every_automated_control_has_a_rule() {
        let b = benchmark();
        for c in b
            .controls
            .iter()
            .filter(|c| c.assessment == Assessment::Automated)
        {
            assert!(
                !c.rules.is_empty(),
                "automated control {} has no rule",
                c.id
            );
        }
    }

    #[test]
    fn find_accepts_ids_in_any_case_and_names() {
        let first = all()[0].meta();
        assert!(find(&first.id.to_lowercase()).is_some());
        assert!(find(first.name).is_some());
        assert!(find("NOPE999").is_none());
    }
}
