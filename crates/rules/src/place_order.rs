//! The order lint findings are reported in: by file (path text), line,
//! column, then rule id; findings that tie keep the order they were made.
//!
//! Sorting the findings themselves moved every large `Finding` many times
//! and compared file paths at every step: a tenth of a compose lint. Here
//! each finding gets one integer key instead (the file's rank among the
//! paths, line, column, and its index), the keys are sorted, and the
//! findings are moved once, into place. The caller runs the rules in id
//! order, so the index already orders ties by rule id.
//!
//! A finding's path is normally its source's shared `Arc<str>`, so its
//! file is found by address, looked up once per run of findings about the
//! same file (rules report file after file); a path from elsewhere is
//! ranked by its text.
//!
//! Most runs never get that far. The linter orders each file's findings
//! as soon as they are made ([`within_file`]: a dozen findings, still in
//! the cache), and files are mostly read in path order, so the run's
//! findings are usually in order already: [`in_place_order`] checks that
//! in one pass, and only a run that is not is sorted.

use std::sync::Arc;

use crate::finding::Finding;

/// Orders the findings about one file by line and column; those that tie,
/// and those with no place (first), keep the order they were made in.
pub(crate) fn within_file(findings: &mut [Finding]) {
    findings.sort_by_key(|f| f.location.as_ref().map(|l| (l.start_line, l.start_column)));
}

/// Findings made file after file, each file's put in order by
/// [`within_file`], in report order; `paths` are the files'.
pub(crate) fn file_by_file(paths: &[Arc<str>], findings: Vec<Finding>) -> Vec<Finding> {
    if in_place_order(&findings) {
        return findings;
    }
    by_place(paths.iter().map(|p| &**p), findings)
}

/// Whether `findings` are already in the order [`by_place`] would put
/// them in: no located finding before one without a place, and paths
/// (by text), lines and columns never going back.
pub(crate) fn in_place_order(findings: &[Finding]) -> bool {
    let mut last: Option<(&str, u32, u32)> = None;
    for f in findings {
        let Some(l) = &f.location else {
            if last.is_some() {
                return false;
            }
            continue;
        };
        if let Some((path, line, column)) = last {
            // The same file is nearly always the same allocation: no text
            // to compare.
            let back = if std::ptr::eq(path, &*l.path) {
                (line, column) > (l.start_line, l.start_column)
            } else {
                (path, line, column) > (&*l.path, l.start_line, l.start_column)
            };
            if back {
                return false;
            }
        }
        last = Some((&l.path, l.start_line, l.start_column));
    }
    true
}

/// `findings` (made by rules run in id order) ordered by place.
pub(crate) fn by_place<'a>(
    source_paths: impl Iterator<Item = &'a str> + Clone,
    findings: Vec<Finding>,
) -> Vec<Finding> {
    let ranked = keys(&findings, &Ranks::new(source_paths.clone())).or_else(|| {
        // Some finding names a file that is not a source: rank it too.
        let located = findings.iter().filter_map(|f| f.location.as_ref());
        let sources = source_paths.map(|p| -> &str { p });
        let ranks = Ranks::new(sources.chain(located.map(|l| &*l.path)));
        keys(&findings, &ranks)
    });
    // Every path is ranked by now; were one not, unsorted beats lost.
    let Some(keys) = ranked else { return findings };
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(slots.len());
    for key in keys {
        ordered.extend(slots[key as u32 as usize].take());
    }
    ordered
}

/// One key per finding, sorted: rank, line, column and index, 32 bits
/// each. `None` when a finding's path is not among the ranked ones.
fn keys(findings: &[Finding], ranks: &Ranks<'_>) -> Option<Vec<u128>> {
    let mut last: Option<(*const u8, u32)> = None;
    let mut keys = Vec::with_capacity(findings.len());
    for (index, f) in findings.iter().enumerate() {
        let key = match &f.location {
            // Rank 0, line 0, column 0: before every located finding.
            None => index as u128,
            Some(l) => {
                let rank = match last {
                    Some((address, rank)) if address == l.path.as_ptr() => rank,
                    _ => {
                        let rank = ranks.of(&l.path)?;
                        last = Some((l.path.as_ptr(), rank));
                        rank
                    }
                };
                (u128::from(rank) << 96)
                    | (u128::from(l.start_line) << 64)
                    | (u128::from(l.start_column) << 32)
                    | index as u128
            }
        };
        keys.push(key);
    }
    // Findings come file after file, each file's already in order
    // (`within_file`): runs that the merge sort joins in one pass when the
    // files came in path order.
    keys.sort();
    Some(keys)
}

/// Each path's rank in text order, from 1 (0 is for no location).
struct Ranks<'a> {
    /// Every path, sorted and unique.
    paths: Vec<&'a str>,
    /// The rank of each path by the address of its text, sorted by
    /// address: a binary search, no hashing.
    by_address: Vec<(*const u8, u32)>,
}

impl<'a> Ranks<'a> {
    fn new(paths: impl Iterator<Item = &'a str> + Clone) -> Self {
        let mut sorted: Vec<&str> = paths.clone().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut ranks = Ranks {
            paths: sorted,
            by_address: Vec::new(),
        };
        let mut by_address: Vec<(*const u8, u32)> = paths
            .filter_map(|p| Some((p.as_ptr(), ranks.by_text(p)?)))
            .collect();
        by_address.sort_unstable();
        by_address.dedup();
        ranks.by_address = by_address;
        ranks
    }

    fn of(&self, path: &str) -> Option<u32> {
        let address = path.as_ptr();
        match self.by_address.binary_search_by_key(&address, |e| e.0) {
            // Two paths at one address with different lengths cannot both
            // be live `Arc<str>`s, but a `&str` prefix could be: check.
            Ok(i) if self.paths.get(self.by_address[i].1 as usize - 1) == Some(&path) => {
                Some(self.by_address[i].1)
            }
            _ => self.by_text(path),
        }
    }

    fn by_text(&self, path: &str) -> Option<u32> {
        let i = self.paths.binary_search(&path).ok()?;
        u32::try_from(i + 1).ok()
    }
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::Source;

    use super::*;
    use crate::finding::{Findings, Location, Subject, SubjectKind, Verdict};
    use crate::rule::RuleMeta;

    fn at(path: &Arc<str>, line: u32, column: u32) -> Option<Location> {
        Some(Location {
            path: path.clone(),
            start_line: line,
            start_column: column,
            end_line: line,
            end_column: column + 1,
        })
    }

    fn place(f: &Finding) -> Option<(&str, u32, u32)> {
        f.location
            .as_ref()
            .map(|l| (&*l.path, l.start_line, l.start_column))
    }

    /// The order the previous implementation produced: a stable sort of
    /// the findings by (path, line, column), then rule id.
    fn reference(findings: &[Finding]) -> Vec<String> {
        let mut v = findings.to_vec();
        v.sort_by(|a, b| {
            place(a)
                .cmp(&place(b))
                .then_with(|| a.rule.id.cmp(b.rule.id))
        });
        v.into_iter().map(|f| f.message.into_string()).collect()
    }

    fn push(
        out: &mut Vec<Finding>,
        rule: &'static RuleMeta,
        message: &str,
        location: Option<Location>,
    ) {
        let subject = Subject {
            kind: SubjectKind::File,
            name: "x".into(),
            id: None,
        };
        let mut verdict = Verdict::fail(message);
        verdict.location = location;
        Findings::new(rule, out).push(subject, verdict);
    }

    #[test]
    fn by_file_line_column_then_rule_then_made() {
        let mut rules: Vec<&'static RuleMeta> =
            crate::registry::lint().iter().map(|r| r.meta()).collect();
        rules.sort_by_key(|m| m.id);
        let (first, second) = (rules[0], rules[1]);
        let a: Arc<str> = "a".into();
        // The same text as `a`, not the same allocation.
        let a_again: Arc<str> = "a".into();
        let b: Arc<str> = "b".into();
        let mut out = Vec::new();
        // As evaluate_sources makes them: the first rule's, then the second's.
        push(&mut out, first, "a 1:5 first", at(&a, 1, 5));
        push(&mut out, first, "a 1:5 first again", at(&a_again, 1, 5));
        push(&mut out, first, "b 1:1 first", at(&b, 1, 1));
        push(&mut out, second, "b 2:1", at(&b, 2, 1));
        push(&mut out, second, "a 1:5 second", at(&a, 1, 5));
        push(&mut out, second, "nowhere", None);
        push(&mut out, second, "a 10:1", at(&a, 10, 1));
        push(&mut out, second, "a 2:9", at(&a, 2, 9));
        let expected = reference(&out);
        let sources = [
            Source::parse(
                a.clone(),
                bulwark_syntax::SourceKind::Dockerfile,
                String::new(),
            ),
            Source::parse(
                b.clone(),
                bulwark_syntax::SourceKind::Dockerfile,
                String::new(),
            ),
        ];
        // With the sources, `a` and `b` are found by address and `a_again`
        // by its text; without, all by text: the order is the same.
        for sources in [&sources[..], &[]] {
            let sorted: Vec<String> = by_place(sources.iter().map(|s| &*s.path), out.clone())
                .into_iter()
                .map(|f| f.message.into_string())
                .collect();
            assert_eq!(
                sorted,
                [
                    "nowhere",
                    "a 1:5 first",
                    "a 1:5 first again",
                    "a 1:5 second",
                    "a 2:9",
                    "a 10:1",
                    "b 1:1 first",
                    "b 2:1"
                ]
            );
            assert_eq!(sorted, expected);
        }
    }

    proptest::proptest! {
        /// Findings made file after file (files in any order, one path
        /// possibly twice), each file's ordered on its own, come out of
        /// `file_by_file` as a stable sort of them by place, in the
        /// order made, puts them (rule id order within a file): whether
        /// the quick check finds them in order or not.
        #[test]
        fn file_by_file_agrees_with_a_stable_sort(
            files in proptest::collection::vec(
                (0usize..4, proptest::collection::vec((0usize..3, 0u32..4, 0u32..4, proptest::bool::ANY), 0..8)),
                0..6,
            )
        ) {
            let mut rules: Vec<&'static RuleMeta> = crate::registry::lint().iter().map(|r| r.meta()).collect();
            rules.sort_by_key(|m| m.id);
            let paths: Vec<Arc<str>> = ["b", "a", "a/b", "a"].iter().map(|p| Arc::from(*p)).collect();
            let (mut made, mut out, mut linted) = (Vec::new(), Vec::new(), Vec::new());
            for (n, (path, mut findings)) in files.into_iter().enumerate() {
                findings.sort_by_key(|f| f.0);
                let from = out.len();
                for (rule, line, column, located) in findings {
                    let location = located.then(|| at(&paths[path], line, column)).flatten();
                    let message = format!("{n}.{}", made.len());
                    push(&mut made, rules[rule], &message, location.clone());
                    push(&mut out, rules[rule], &message, location);
                }
                within_file(&mut out[from..]);
                linted.push(paths[path].clone());
            }
            let ordered: Vec<String> = file_by_file(&linted, out).into_iter().map(|f| f.message.into_string()).collect();
            made.sort_by(|a, b| place(a).cmp(&place(b)));
            let expected: Vec<String> = made.into_iter().map(|f| f.message.into_string()).collect();
            proptest::prop_assert_eq!(ordered, expected);
        }

        /// Any findings, made rule after rule in id order, come out in the
        /// order of a stable sort by place then rule id.
        #[test]
        fn agrees_with_a_stable_sort(
            mut made in proptest::collection::vec((0usize..3, 0usize..4, 0u32..4, 0u32..4, proptest::bool::ANY), 0..40)
        ) {
            let mut rules: Vec<&'static RuleMeta> = crate::registry::lint().iter().map(|r| r.meta()).collect();
            rules.sort_by_key(|m| m.id);
            let paths: Vec<Arc<str>> = ["b", "a", "a/b", "a"].iter().map(|p| Arc::from(*p)).collect();
            made.sort_by_key(|m| m.0);
            let mut out = Vec::new();
            for (i, (rule, path, line, column, located)) in made.iter().enumerate() {
                let location = located.then(|| at(&paths[*path], *line, *column)).flatten();
                push(&mut out, rules[*rule], &i.to_string(), location);
            }
            let sources: Vec<Source> = paths[..2]
                .iter()
                .map(|p| Source::parse(p.clone(), bulwark_syntax::SourceKind::Dockerfile, String::new()))
                .collect();
            let sorted: Vec<String> = by_place(sources.iter().map(|s| &*s.path), out.clone()).into_iter().map(|f| f.message.into_string()).collect();
            proptest::prop_assert_eq!(sorted, reference(&out));
        }
    }
}
