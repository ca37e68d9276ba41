//! Parser directives: `# syntax=…`, `# escape=…`, `# check=…`.
//!
//! BuildKit reads them only from the leading block of comment lines: the
//! first line that is not a known directive (an instruction, a blank line,
//! an ordinary comment, an unknown `# key=value`) ends the block, and a
//! directive-looking line after that is a plain comment. Keys are
//! case-insensitive; blanks around `=` are allowed. A repeated directive is
//! an error.

use serde::Serialize;

use super::tree::Directive;
use crate::Span;

/// The directives BuildKit knows.
const KNOWN: [&str; 3] = ["syntax", "escape", "check"];

/// Reads `line` (a line's content from its first non-blank character, at
/// source offset `start`) as a directive.
pub(crate) fn parse_line(line: &str, start: usize) -> Option<Directive> {
    let after_hash = line.strip_prefix('#')?;
    let body = after_hash.trim_start();
    let body_start = start + (line.len() - body.len());
    // Go's `\s`: ASCII blanks only.
    let is_blank = |c: char| matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ');

    let name_len = body
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(body.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let name = body.get(..name_len)?;
    let after_name = body.get(name_len..)?.trim_start_matches(is_blank);
    let after_eq = after_name.strip_prefix('=')?;
    let value_raw = after_eq.trim_start_matches(is_blank);
    let mut value = value_raw.trim_end_matches(is_blank);
    if value.is_empty() {
        // `=` followed by blanks only: Go's `\s*(.+?)\s*$` still takes one.
        let last = after_eq.chars().last()?;
        value = after_eq.get(after_eq.len() - last.len_utf8()..)?;
    }
    let name_lower = name.to_ascii_lowercase();
    if !KNOWN.contains(&name_lower.as_str()) {
        return None;
    }
    // `value_raw` and `value` are suffix-anchored slices of `line`.
    let value_start = start
        + if value_raw.is_empty() {
            line.len() - value.len()
        } else {
            line.len() - value_raw.len()
        };
    let span_end = start + line.trim_end().len();
    Some(Directive {
        name: name_lower,
        value: value.to_owned(),
        span: Span::new(start, span_end.max(value_start + value.len())),
        name_span: Span::new(body_start, body_start + name_len),
        value_span: Span::new(value_start, value_start + value.len()),
    })
}

/// The parts of a `# check=skip=A,B;error=true` value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckDirective {
    /// Checks to skip (`all` skips every check).
    pub skip: Vec<String>,
    /// Whether check warnings fail the build.
    pub error: bool,
}

impl CheckDirective {
    /// Reads a check directive value.
    pub fn parse(value: &str) -> CheckDirective {
        let mut check = CheckDirective::default();
        for part in value.split(';') {
            match part.split_once('=') {
                Some((k, v)) if k.trim().eq_ignore_ascii_case("skip") => {
                    check.skip = v
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect();
                }
                Some((k, v)) if k.trim().eq_ignore_ascii_case("error") => {
                    check.error = v.trim().eq_ignore_ascii_case("true");
                }
                _ => {}
            }
        }
        check
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> Option<(String, String, Span, Span)> {
        parse_line(line, 10).map(|d| (d.name, d.value, d.name_span, d.value_span))
    }

    #[test]
    fn directives_with_blanks_and_any_case() {
        assert_eq!(
            parsed("# syntax=docker/dockerfile:1"),
            Some((
                "syntax".into(),
                "docker/dockerfile:1".into(),
                Span::new(12, 18),
                Span::new(19, 38)
            ))
        );
        let (name, value, _, value_span) = parsed("#ESCAPE = `  ").unwrap();
        assert_eq!((name.as_str(), value.as_str()), ("escape", "`"));
        assert_eq!(value_span, Span::new(20, 21));
        assert_eq!(parsed("#check=skip=all").unwrap().1, "skip=all");
    }

    #[test]
    fn not_directives() {
        assert!(parsed("# hello").is_none());
        assert!(parsed("# foo=bar").is_none());
        assert!(parsed("# escape").is_none());
        assert!(parsed("syntax=x").is_none());
        assert!(parsed("# 1syntax=x").is_none());
    }

    #[test]
    fn check_values() {
        let c = CheckDirective::parse("skip=JSONArgsRecommended, StageNameCasing;error=true");
        assert_eq!(c.skip, ["JSONArgsRecommended", "StageNameCasing"]);
        assert!(c.error);
    }
}
