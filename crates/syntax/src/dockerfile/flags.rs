//! Instruction flags (`--name=value` before the arguments): finding them the
//! way BuildKit's `extractBuilderFlags` does, checking them against what
//! each instruction accepts, and reading `RUN --mount` values.
//!
//! BuildKit rejects an unknown flag, a string flag without a value, a
//! boolean flag with a value other than true/false, and a repeated
//! single-value flag; each becomes a diagnostic here, and the flag is kept
//! in the tree anyway so rules still see what was written.

use serde::Serialize;

use super::Kind;
use super::tree::smol;
use super::words::leading_whitespace;
use crate::{Diagnostic, SmolStr, Span};

/// A flag as written: `--mount=type=cache,target=/root/.cache`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The name without `--`, as written (BuildKit matches it exactly).
    pub name: SmolStr,
    /// The value after the first `=`, quotes removed; `None` for `--link`.
    pub value: Option<SmolStr>,
    /// The whole flag.
    pub span: Span,
    pub name_span: Span,
    pub value_span: Option<Span>,
}

impl Flag {
    /// The value read as a `--mount` specification, when this is `--mount`.
    pub fn mount(&self) -> Option<Mount> {
        (self.name == "mount").then(|| Mount::parse(self.value.as_deref().unwrap_or("")))
    }
}

/// A flag found in a logical line: offsets into that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawFlag {
    pub start: usize,
    pub end: usize,
    pub name: SmolStr,
    pub value: Option<SmolStr>,
    /// Where the name ends and, with a value, where the value starts.
    pub name_end: usize,
    pub value_start: Option<usize>,
}

/// The flags at the start of `text[start..end]`, and where the arguments
/// begin. Flags are words starting with `--`; a bare `--` ends them. In a
/// flag, quotes are removed and `\` escapes the next character (always `\`,
/// whatever the escape directive says, as in BuildKit).
#[cfg(test)]
pub(crate) fn extract(text: &str, start: usize, end: usize) -> (Vec<RawFlag>, usize) {
    let mut flags = Vec::new();
    let pos = extract_with(text, start, end, |f| flags.push(f));
    (flags, pos)
}

/// `extract`, handing each flag to `found` as it is read (the parser
/// builds its nodes directly, without a vector in between); returns where
/// the arguments begin.
pub(crate) fn extract_with(
    text: &str,
    start: usize,
    end: usize,
    mut found: impl FnMut(RawFlag),
) -> usize {
    let mut pos = start;
    let slice = |s: usize, e: usize| text.get(s..e).unwrap_or("");
    loop {
        // Skip to the next word.
        pos += leading_whitespace(slice(pos, end));
        let rest = slice(pos, end);
        if rest.is_empty() || !rest.starts_with("--") {
            return pos;
        }
        let word_start = pos;
        if let Some(flag) = plain_flag(text, word_start, end) {
            pos = flag.end;
            found(flag);
            continue;
        }
        let mut word = String::new();
        let mut eq_raw = None;
        let mut quote = None;
        let mut chars = rest.char_indices();
        let mut word_end = end;
        while let Some((i, c)) = chars.next() {
            match quote {
                None if c.is_whitespace() => {
                    word_end = word_start + i;
                    break;
                }
                None if c == '\'' || c == '"' => {
                    quote = Some(c);
                    continue;
                }
                Some(q) if c == q => {
                    quote = None;
                    continue;
                }
                _ => {}
            }
            let (i, c) = if c == '\\' {
                match chars.next() {
                    Some(escaped) => escaped,
                    None => break,
                }
            } else {
                (i, c)
            };
            if c == '=' && eq_raw.is_none() {
                eq_raw = Some(word_start + i);
            }
            word.push(c);
        }
        pos = word_end;
        if word == "--" {
            return pos;
        }
        let body = word.get(2..).unwrap_or("");
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (smol(n), Some(smol(v))),
            None => (smol(body), None),
        };
        let name_end = eq_raw.unwrap_or(word_end);
        found(RawFlag {
            start: word_start,
            end: word_end,
            name,
            value,
            name_end,
            value_start: eq_raw.map(|e| e + 1),
        });
    }
}

/// The common case of `extract`, without building the word char by
/// char: a flag of ASCII text without quotes or backslashes reads as
/// written, so its name and value are slices of it. `None` when the word
/// needs the general reading (a quote, a backslash, non-ASCII text that
/// might hold Unicode whitespace) or is the bare `--`.
fn plain_flag(text: &str, start: usize, end: usize) -> Option<RawFlag> {
    let bytes = text.as_bytes().get(start..end)?;
    let mut eq = None;
    let mut i = 0;
    // Runs of ordinary bytes by table, one lookup each; the match only
    // sees the few bytes that end a run.
    let len = loop {
        while bytes.get(i).is_some_and(|&b| !FLAG_STOPS[usize::from(b)]) {
            i += 1;
        }
        match bytes.get(i) {
            None => break bytes.len(),
            // ASCII `char::is_whitespace`.
            Some(b' ' | b'\t'..=b'\r') => break i,
            Some(b'=') => {
                eq = eq.or(Some(i));
                i += 1;
            }
            Some(_) => return None,
        }
    };
    // `--` alone ends the flags; the general path handles it.
    if len <= 2 {
        return None;
    }
    let word = text.get(start..start + len)?;
    let (name, value) = match eq {
        Some(e) => (word.get(2..e)?, Some(smol(word.get(e + 1..)?))),
        None => (word.get(2..)?, None),
    };
    Some(RawFlag {
        start,
        end: start + len,
        name: smol(name),
        value,
        name_end: eq.map_or(start + len, |e| start + e),
        value_start: eq.map(|e| start + e + 1),
    })
}

/// The bytes [`plain_flag`] stops at: ASCII whitespace (the end of the
/// word), `=`, and what needs the general reading (quotes, backslashes,
/// non-ASCII bytes).
const FLAG_STOPS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] =
            b >= 0x80 || matches!(b as u8, b' ' | b'\t'..=b'\r' | b'"' | b'\'' | b'\\' | b'=');
        b += 1;
    }
    table
};

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    /// `--from=x`, at most once.
    Text,
    /// `--mount=…`, as often as wanted.
    Many,
    /// `--link` or `--link=true|false`.
    Bool,
}

/// The flags each instruction accepts (dockerfile frontend 1.x, labs
/// included: `--parents`, `--exclude`, `--device`, `--unpack`).
fn accepted(kind: Kind) -> &'static [(&'static str, Takes)] {
    use Takes::*;
    match kind {
        Kind::Run => &[
            ("mount", Many),
            ("network", Text),
            ("security", Text),
            ("device", Many),
        ],
        Kind::Copy => &[
            ("from", Text),
            ("chown", Text),
            ("chmod", Text),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Many),
        ],
        Kind::Add => &[
            ("chown", Text),
            ("chmod", Text),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", Text),
            ("exclude", Many),
            ("unpack", Bool),
        ],
        Kind::From => &[("platform", Text)],
        Kind::Healthcheck => &[
            ("interval", Text),
            ("timeout", Text),
            ("start-period", Text),
            ("start-interval", Text),
            ("retries", Text),
        ],
        _ => &[],
    }
}

/// Reports the flags `kind` would reject.
pub(crate) fn check(kind: Kind, flags: &[Flag], diagnostics: &mut Vec<Diagnostic>) {
    if flags.is_empty() {
        return;
    }
    let accepted = accepted(kind);
    for (i, flag) in flags.iter().enumerate() {
        let Some(&(_, takes)) = accepted.iter().find(|(n, _)| *n == flag.name) else {
            let expected = if accepted.is_empty() {
                format!("no flags on {}", kind.as_str())
            } else {
                let names: Vec<String> = accepted.iter().map(|(n, _)| format!("--{n}")).collect();
                format!("one of {}", names.join(", "))
            };
            diagnostics.push(
                Diagnostic::new(flag.span, format!("unknown flag: {}", flag.name))
                    .expected(expected),
            );
            continue;
        };
        match (takes, flag.value.as_deref()) {
            (Takes::Text | Takes::Many, None) => diagnostics.push(Diagnostic::new(
                flag.span,
                format!("Missing a value on flag: {}", flag.name),
            )),
            (Takes::Bool, Some(v))
                if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
            {
                diagnostics.push(
                    Diagnostic::new(
                        flag.value_span.unwrap_or(flag.span),
                        format!("expecting boolean value for flag {}, not: {v}", flag.name),
                    )
                    .expected("true or false"),
                );
            }
            _ => {}
        }
        if takes != Takes::Many && flags[..i].iter().any(|f| f.name == flag.name) {
            diagnostics.push(Diagnostic::new(
                flag.span,
                format!("Duplicate flag specified: {}", flag.name),
            ));
        }
    }
}

/// A `RUN --mount` value: `type=secret,id=npmrc,target=/root/.npmrc`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// `bind` (the default), `cache`, `tmpfs`, `secret` or `ssh`, lowercased.
    pub kind: String,
    /// The other fields in order, keys lowercased, `readonly` without value.
    pub options: Vec<(String, Option<String>)>,
}

impl Mount {
    /// Reads a mount value as BuildKit does: comma-separated CSV fields,
    /// each `key=value` or a bare key.
    pub fn parse(value: &str) -> Mount {
        let mut kind = "bind".to_owned();
        let mut options = Vec::new();
        for field in csv_fields(value) {
            let (key, val) = match field.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.to_owned())),
                None => (field.trim().to_ascii_lowercase(), None),
            };
            if key == "type" {
                kind = val.unwrap_or_default().to_ascii_lowercase();
            } else if !key.is_empty() {
                options.push((key, val));
            }
        }
        Mount { kind, options }
    }

    /// The value of the first `key` field (lowercase key).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Whether a `key` field is present, with or without a value.
    pub fn has(&self, key: &str) -> bool {
        self.options.iter().any(|(k, _)| k == key)
    }
}

/// CSV fields of one record: `,` separates, `"…"` quotes (`""` is a quote).
fn csv_fields(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> (Vec<(String, Option<String>)>, &str) {
        let (flags, rest) = extract(text, 0, text.len());
        (
            flags
                .into_iter()
                .map(|f| (f.name.into(), f.value.map(Into::into)))
                .collect(),
            &text[rest..],
        )
    }

    #[test]
    fn flags_come_before_arguments() {
        let (flags, rest) = names("--mount=type=cache,target=/x --network=none apt-get update");
        assert_eq!(
            flags,
            [
                ("mount".into(), Some("type=cache,target=/x".into())),
                ("network".into(), Some("none".into()))
            ]
        );
        assert_eq!(rest, "apt-get update");
        let (flags, rest) = names("--link --chmod=\"0644\" a b");
        assert_eq!(flags[0], ("link".into(), None));
        assert_eq!(flags[1], ("chmod".into(), Some("0644".into())));
        assert_eq!(rest, "a b");
    }

    #[test]
    fn a_bare_double_dash_ends_flags() {
        let (flags, rest) = names("--from=a -- --not-a-flag");
        assert_eq!(flags.len(), 1);
        assert_eq!(rest.trim(), "--not-a-flag");
        assert_eq!(names("-x --y").1, "-x --y");
    }

    #[test]
    fn flag_offsets() {
        let text = "--from=\"b\" x";
        let (flags, _) = extract(text, 0, text.len());
        let f = &flags[0];
        assert_eq!(
            (f.start, f.end, f.name_end, f.value_start),
            (0, 10, 6, Some(7))
        );
    }

    #[test]
    fn mounts() {
        let m = Mount::parse("type=secret,id=npm,target=/root/.npmrc,required");
        assert_eq!(m.kind, "secret");
        assert_eq!(m.get("id"), Some("npm"));
        assert!(m.has("required"));
        assert_eq!(Mount::parse("target=/src,ro").kind, "bind");
        let m = Mount::parse("type=cache,\"target=/a,b\"");
        assert_eq!(m.get("target"), Some("/a,b"));
    }
}
