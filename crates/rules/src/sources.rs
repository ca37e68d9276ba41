//! What lint rules share about files: where a finding points, what it is
//! about, and the suppressions written in the files.
//!
//! A suppression is a comment `# bulwark:ignore=ID[,ID…] reason`:
//! - on a line of its own, it covers the next line that is not blank or a
//!   comment; in a Dockerfile, the whole instruction that starts there
//!   (a long `RUN` with continuations and heredocs included);
//! - after a value in a compose file (`privileged: true  # bulwark:…`),
//!   it covers its own line;
//! - `# bulwark:ignore-file=ID reason` covers the whole file.
//!
//! `ID` is a rule id (`DKF010`) or name. A suppression without a reason
//! suppresses nothing less, but is itself reported (LNT002): a reviewer
//! must be able to tell why a finding was silenced.

use std::sync::LazyLock;

use bulwark_syntax::{Source, SourceKind, Span};
use memchr::memmem;

use crate::finding::{Finding, Location, Subject, SubjectKind};

/// The file as a finding subject.
pub fn subject(src: &Source) -> Subject {
    Subject {
        kind: SubjectKind::File,
        name: src.path.clone(),
        id: None,
    }
}

/// The location of `span` in `src`.
pub fn location(src: &Source, span: Span) -> Location {
    let (start, end) = src.range(span);
    Location {
        path: src.path.clone(),
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The comment itself.
    pub span: Span,
    /// Rule ids or names, as written.
    pub rules: Vec<String>,
    /// Empty when none was given.
    pub reason: String,
    /// The lines it covers (1-based, inclusive); `None` for the whole file.
    pub lines: Option<(u32, u32)>,
}

const MARK: &str = "bulwark:ignore";

/// Every suppression in `src`.
pub fn suppressions(src: &Source) -> Vec<Suppression> {
    // One substring search settles most files: reading comments (YAML's
    // need quote tracking) costs far more. A searcher made once and run
    // with SIMD: `str::contains` costs more than the rest of this.
    static SEARCH: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(MARK));
    if SEARCH.find(src.text.as_bytes()).is_none() {
        return Vec::new();
    }
    match src.kind {
        SourceKind::Dockerfile => dockerfile_suppressions(src),
        SourceKind::Compose => compose_suppressions(src),
    }
}

/// Reads `bulwark:ignore=…` or `bulwark:ignore-file=…` from a comment's
/// text (after `#`): the ids, the reason, and whether it is file-wide.
fn parse_comment(text: &str) -> Option<(Vec<String>, String, bool)> {
    let at = text.find(MARK)?;
    let rest = &text[at + MARK.len()..];
    let (file_wide, rest) = match rest.strip_prefix("-file") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.strip_prefix('=')?;
    let (ids, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let rules: Vec<String> = ids
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    (!rules.is_empty()).then(|| (rules, reason.trim().to_string(), file_wide))
}

fn dockerfile_suppressions(src: &Source) -> Vec<Suppression> {
    let Some(df) = src.dockerfile() else {
        return Vec::new();
    };
    df.comments
        .iter()
        .filter_map(|c| {
            let (rules, reason, file_wide) = parse_comment(&c.text)?;
            let lines = if file_wide {
                None
            } else {
                // The first instruction after the comment.
                let covered = df.instructions.iter().find(|i| i.span.start > c.span.end)?;
                let (start, end) = src.range(covered.span);
                Some((start.line, end.line))
            };
            Some(Suppression {
                span: c.span,
                rules,
                reason,
                lines,
            })
        })
        .collect()
}

fn compose_suppressions(src: &Source) -> Vec<Suppression> {
    let mut out = Vec::new();
    let lines: Vec<&str> = src.text.split('\n').collect();
    let mut offset = 0;
    for (i, line) in lines.iter().enumerate() {
        let line_no = i as u32 + 1;
        if let Some(hash) = comment_start(line)
            && let Some((rules, reason, file_wide)) = parse_comment(&line[hash + 1..])
        {
            let own_line = line[..hash].trim().is_empty();
            let covered = if file_wide {
                None
            } else if own_line {
                // The next line with content that is not a comment.
                lines[i + 1..]
                    .iter()
                    .position(|l| {
                        let t = l.trim();
                        !t.is_empty() && !t.starts_with('#')
                    })
                    .map(|k| {
                        let n = line_no + 1 + k as u32;
                        (n, n)
                    })
            } else {
                Some((line_no, line_no))
            };
            if file_wide || covered.is_some() {
                out.push(Suppression {
                    span: Span::new(offset + hash, offset + line.trim_end().len()),
                    rules,
                    reason,
                    lines: covered,
                });
            }
        }
        offset += line.len() + 1;
    }
    out
}

/// Where a YAML comment starts on a line: a `#` at the start or after
/// white space, outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return Some(i),
            None => {}
        }
        prev = c;
    }
    None
}

fn names_rule(s: &Suppression, f: &Finding) -> bool {
    s.rules
        .iter()
        .any(|r| r.eq_ignore_ascii_case(f.rule.id) || r == f.rule.name)
}

/// Drops the findings from `findings[from..]` (all about `src`) that a
/// suppression in `src` covers. Findings about suppressions themselves (LNT) are never
/// suppressed.
pub fn drop_suppressed(src: &Source, findings: &mut Vec<Finding>, from: usize) {
    let sups = suppressions(src);
    // Most files have none.
    if sups.is_empty() {
        return;
    }
    let mut index = 0;
    findings.retain(|f| {
        index += 1;
        index <= from || !is_suppressed(src, &sups, f)
    });
}

fn is_suppressed(src: &Source, sups: &[Suppression], f: &Finding) -> bool {
    if f.rule.target == crate::rule::Target::Lint {
        return false;
    }
    let Some(loc) = &f.location else { return false };
    if loc.path != src.path {
        return false;
    }
    sups.iter().any(|s| {
        names_rule(s, f)
            && match s.lines {
                None => true,
                Some((from, to)) => (from..=to).contains(&loc.start_line),
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_read_with_ids_and_reason() {
        assert_eq!(
            parse_comment(" bulwark:ignore=DKF010,root-user  needs root to bind 80"),
            Some((
                vec!["DKF010".into(), "root-user".into()],
                "needs root to bind 80".into(),
                false
            ))
        );
        assert_eq!(
            parse_comment(" bulwark:ignore-file=CMP001 legacy"),
            Some((vec!["CMP001".into()], "legacy".into(), true))
        );
        assert_eq!(
            parse_comment(" bulwark:ignore=DKF010"),
            Some((vec!["DKF010".into()], String::new(), false))
        );
        assert_eq!(parse_comment(" bulwark:ignore="), None);
        assert_eq!(parse_comment(" an ordinary comment"), None);
    }

    #[test]
    fn yaml_comments_start_outside_quotes_after_space() {
        assert_eq!(comment_start("privileged: true # x"), Some(17));
        assert_eq!(comment_start("# x"), Some(0));
        assert_eq!(comment_start("image: \"a # b\""), None);
        assert_eq!(comment_start("url: http://x/#frag"), None);
    }

    #[test]
    fn dockerfile_suppressions_cover_the_next_instruction_whole() {
        let text =
            "FROM a\n# bulwark:ignore=DKF010 because\nRUN a \\\n  b\nUSER root\n".to_string();
        let src = Source::parse("Dockerfile", SourceKind::Dockerfile, text);
        let sups = suppressions(&src);
        assert_eq!(sups.len(), 1);
        assert_eq!(sups[0].lines, Some((3, 4)));
        assert_eq!(sups[0].reason, "because");
    }

    #[test]
    fn compose_suppressions_cover_the_next_line_or_their_own() {
        let text = "services:\n  web:\n    # bulwark:ignore=CMP005 ok\n\n    privileged: true\n    pid: host  # bulwark:ignore=CMP008\n".to_string();
        let src = Source::parse("compose.yml", SourceKind::Compose, text);
        let sups = suppressions(&src);
        assert_eq!(sups.len(), 2);
        assert_eq!(sups[0].lines, Some((5, 5)));
        assert_eq!(sups[1].lines, Some((6, 6)));
        assert_eq!(sups[1].reason, "");
    }
}
