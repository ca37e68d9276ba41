//! Variable substitution and quote removal, as BuildKit's shell lexer does
//! them for ENV, ARG, FROM, COPY, USER, WORKDIR and the other instructions
//! that expand variables.
//!
//! One lexer serves three uses:
//! - [`substitute`]: `$VAR`, `${VAR}`, `${VAR:-x}`, `${VAR-x}`, `${VAR:+x}`,
//!   `${VAR+x}`, `${VAR:?x}`, `${VAR#p}`, `${VAR%p}`, `${VAR/p/r}` (and the
//!   doubled forms), quotes removed and escapes resolved, so a rule can
//!   resolve `FROM ${BASE}` or `USER ${UID}`;
//! - quote removal alone (the `value` of a [`Word`](super::Word)): same
//!   rules, but `$…` expressions are kept as written;
//! - heredoc delimiters, which need to know whether quotes were removed.
//!
//! A variable nobody defined expands to nothing, as in BuildKit, and is
//! listed in [`Expansion::unresolved`] so a rule knows the result is partial.
//! Nesting and pattern matching are bounded, so hostile input costs linear
//! time.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use serde::Serialize;

/// Where variable values come from.
pub trait Lookup {
    /// The value of `name`, or `None` when it is unset or has no value.
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl<S: BuildHasher> Lookup for HashMap<String, String, S> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Lookup for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Lookup for [(&str, &str)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
}

impl<T: Lookup + ?Sized> Lookup for &T {
    fn lookup(&self, name: &str) -> Option<&str> {
        (**self).lookup(name)
    }
}

/// Variables in scope at some point of a Dockerfile: declared names, each
/// with a value or none (`ARG NAME` without a default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Vars {
    entries: BTreeMap<String, Option<String>>,
}

impl Vars {
    /// No variables.
    pub fn new() -> Self {
        Vars::default()
    }

    /// Declares `name`, replacing an earlier declaration.
    pub fn set(&mut self, name: impl Into<String>, value: Option<String>) {
        self.entries.insert(name.into(), value);
    }

    /// The value of `name`, if it is declared with a value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries.get(name).and_then(|v| v.as_deref())
    }

    /// Whether `name` is declared, with or without a value.
    pub fn is_declared(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// Every declared name with its value, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_deref()))
    }
}

impl Lookup for Vars {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name)
    }
}

/// Lets an unsized [`Lookup`] (a slice) be used as `&dyn Lookup`.
struct Unsized<'a, L: ?Sized>(&'a L);

impl<L: Lookup + ?Sized> Lookup for Unsized<'_, L> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.0.lookup(name)
    }
}

/// The result of [`substitute`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Expansion {
    /// The expanded text, quotes removed.
    pub value: String,
    /// Variables whose value was needed but unknown (they expanded to
    /// nothing), in order of first use.
    pub unresolved: Vec<String>,
    /// A syntax error BuildKit would reject (`${`, an unterminated quote,
    /// `${VAR:?message}` on an unset variable); `value` is then partial.
    pub error: Option<String>,
}

impl Expansion {
    /// Whether `value` is exactly what BuildKit would compute.
    pub fn is_complete(&self) -> bool {
        self.unresolved.is_empty() && self.error.is_none()
    }
}

/// Expands `text` as BuildKit does with the default escape character `\`.
/// `vars` is any [`Lookup`]: [`Vars`], a `HashMap<String, String>`, or a
/// slice of pairs (`&[("BASE", "alpine")][..]`).
pub fn substitute<L: Lookup + ?Sized>(text: &str, vars: &L) -> Expansion {
    substitute_with_escape(text, '\\', vars)
}

/// Expands `text` with `escape` as the escape character (the Dockerfile's
/// `# escape=` directive: `\` or `` ` ``).
pub fn substitute_with_escape<L: Lookup + ?Sized>(text: &str, escape: char, vars: &L) -> Expansion {
    // Most words have nothing to expand or unquote (a byte scan for an
    // ASCII escape character: a `char` pattern decodes every char).
    let plain = match u8::try_from(escape) {
        Ok(e) if e.is_ascii() => !text
            .bytes()
            .any(|b| matches!(b, b'$' | b'\'' | b'"') || b == e),
        _ => !text.contains(['$', '\'', '"', escape]),
    };
    if plain {
        return Expansion {
            value: text.to_owned(),
            ..Expansion::default()
        };
    }
    // `${NAME}` or `$NAME` alone (FROM ${BASE}, USER $UID): the value, or
    // nothing and the name unresolved, as the lexer would give.
    if let Some(name) = lone_variable(text) {
        return match vars.lookup(name) {
            Some(v) => Expansion {
                value: v.to_owned(),
                ..Expansion::default()
            },
            None => Expansion {
                unresolved: vec![name.to_owned()],
                ..Expansion::default()
            },
        };
    }
    substitute_by_lexer(text, escape, vars)
}

/// [`substitute_with_escape`] without its shortcuts.
fn substitute_by_lexer<L: Lookup + ?Sized>(text: &str, escape: char, vars: &L) -> Expansion {
    let vars = Unsized(vars);
    let mut lexer = Lexer::new(text, escape, Some(&vars), false);
    let mut value = String::with_capacity(text.len());
    lexer.run(None, &mut value);
    Expansion {
        value,
        unresolved: lexer.unresolved,
        error: lexer.error,
    }
}

/// The name when `text` is `${NAME}` or `$NAME` and nothing else, NAME an
/// ASCII letter or `_` then letters, digits and `_` (what `Lexer::name`
/// reads whole in either form).
pub fn lone_variable(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('$')?;
    let name = match rest.strip_prefix('{') {
        Some(braced) => braced.strip_suffix('}')?,
        None => rest,
    };
    let mut bytes = name.bytes();
    let first = bytes.next()?;
    ((first.is_ascii_alphabetic() || first == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    .then_some(name)
}

/// `text` with quotes removed and escapes resolved, `$…` kept as written:
/// what a literal reading of a word gives.
pub(crate) fn unquote(text: &str, escape: char) -> String {
    // Most words have nothing to remove.
    if !needs_unquote(text, escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    unquote_into(text, escape, &mut out);
    out
}

/// Whether [`unquote`] can change `text`: only quotes and the escape
/// character can. Without vars, a `$…` expression is copied as written
/// (see `Lexer::dollar`), so a word of plain text and `$`s reads as is.
pub(crate) fn needs_unquote(text: &str, escape: char) -> bool {
    // A plain loop: words are short, and memchr's set-up costs more than
    // it saves on a dozen bytes.
    match u8::try_from(escape) {
        Ok(e) if e.is_ascii() => text.bytes().any(|b| b == b'\'' || b == b'"' || b == e),
        _ => text.contains(['\'', '"', escape]),
    }
}

/// Appends `text` with quotes removed (as [`unquote`]) to `out`.
pub(crate) fn unquote_into(text: &str, escape: char, out: &mut String) {
    let mut lexer = Lexer::new(text, escape, None, false);
    out.reserve(text.len());
    lexer.run(None, out);
}

/// Like [`unquote`] but keeping the quote characters, and whether the text
/// had an error (an unterminated quote): heredoc delimiters compare both.
pub(crate) fn unquote_keeping_quotes(text: &str, escape: char) -> (String, bool) {
    let mut lexer = Lexer::new(text, escape, None, true);
    let mut out = String::with_capacity(text.len());
    lexer.run(None, &mut out);
    (out, lexer.error.is_some())
}

/// How deep `${a:-${b:-…}}` may nest before the rest is taken literally.
const MAX_DEPTH: usize = 32;
/// How many pattern-matching steps one lexer may spend on `${v#p}` and
/// friends; past that, values are left unchanged.
const MATCH_BUDGET: usize = 200_000;

struct Lexer<'t, 'v> {
    src: &'t str,
    pos: usize,
    escape: char,
    /// `None`: keep `$…` as written (quote removal only).
    vars: Option<&'v dyn Lookup>,
    /// Keep quote characters in the output.
    raw_quotes: bool,
    unresolved: Vec<String>,
    error: Option<String>,
    depth: usize,
    budget: usize,
}

impl<'t, 'v> Lexer<'t, 'v> {
    fn new(src: &'t str, escape: char, vars: Option<&'v dyn Lookup>, raw_quotes: bool) -> Self {
        Lexer {
            src,
            pos: 0,
            escape,
            vars,
            raw_quotes,
            unresolved: Vec::new(),
            error: None,
            depth: 0,
            budget: MATCH_BUDGET,
        }
    }

    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|r| r.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn fail(&mut self, message: &str) {
        if self.error.is_none() {
            self.error = Some(message.to_owned());
        }
    }

    /// Processes text until `stop` (consumed) or the end; returns whether
    /// `stop` was found.
    fn run(&mut self, stop: Option<char>, out: &mut String) -> bool {
        loop {
            // Copy the run of ordinary characters in one go.
            let rest = self.src.get(self.pos..).unwrap_or("");
            let plain = rest
                .find(|c: char| {
                    matches!(c, '$' | '\'' | '"') || c == self.escape || Some(c) == stop
                })
                .unwrap_or(rest.len());
            out.push_str(rest.get(..plain).unwrap_or(""));
            self.pos += plain;
            let Some(c) = self.peek() else {
                if let Some(stop) = stop {
                    self.fail(&format!(
                        "unexpected end of statement while looking for matching {stop}"
                    ));
                }
                return false;
            };
            if Some(c) == stop {
                self.bump();
                return true;
            }
            match c {
                '$' => self.dollar(out),
                '\'' => self.single_quote(out),
                '"' => self.double_quote(out),
                _ => {
                    // The escape character: the next character is literal;
                    // at the very end it disappears.
                    self.bump();
                    if let Some(next) = self.bump() {
                        out.push(next);
                    }
                }
            }
        }
    }

    fn single_quote(&mut self, out: &mut String) {
        self.bump();
        if self.raw_quotes {
            out.push('\'');
        }
        let rest = self.src.get(self.pos..).unwrap_or("");
        match rest.find('\'') {
            Some(i) => {
                out.push_str(rest.get(..i).unwrap_or(""));
                self.pos += i + 1;
                if self.raw_quotes {
                    out.push('\'');
                }
            }
            None => {
                out.push_str(rest);
                self.pos = self.src.len();
                self.fail("unexpected end of statement while looking for matching single-quote");
            }
        }
    }

    fn double_quote(&mut self, out: &mut String) {
        self.bump();
        if self.raw_quotes {
            out.push('"');
        }
        loop {
            match self.peek() {
                None => {
                    self.fail(
                        "unexpected end of statement while looking for matching double-quote",
                    );
                    return;
                }
                Some('"') => {
                    self.bump();
                    if self.raw_quotes {
                        out.push('"');
                    }
                    return;
                }
                Some('$') => self.dollar(out),
                Some(c) if c == self.escape => {
                    self.bump();
                    match self.peek() {
                        None => {}
                        // Only these can be escaped; other escapes stay.
                        Some(n) if n == '"' || n == '$' || n == self.escape => {
                            self.bump();
                            out.push(n);
                        }
                        Some(_) => out.push(c),
                    }
                }
                Some(c) => {
                    self.bump();
                    out.push(c);
                }
            }
        }
    }

    /// A name after `$`: digits, one special parameter, or letters, digits
    /// and `_`.
    fn name(&mut self) -> &'t str {
        let start = self.pos;
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
            }
            Some('@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') => {
                self.bump();
            }
            _ => {
                while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    self.bump();
                }
            }
        }
        self.src.get(start..self.pos).unwrap_or("")
    }

    /// The value of `name`, borrowed from the variables (no copy until it
    /// is appended to the output).
    fn get(&self, name: &str) -> Option<&'v str> {
        self.vars?.lookup(name)
    }

    fn note_unresolved(&mut self, name: &str) {
        if !self.unresolved.iter().any(|n| n == name) {
            self.unresolved.push(name.to_owned());
        }
    }

    fn dollar(&mut self, out: &mut String) {
        let start = self.pos;
        self.bump();
        let value = if self.peek() == Some('{') {
            self.bump();
            self.braced()
        } else {
            let name = self.name();
            if name.is_empty() {
                out.push('$');
                return;
            }
            if self.vars.is_none() {
                None
            } else {
                let v = self.get(name);
                if v.is_none() {
                    self.note_unresolved(name);
                }
                Some(Cow::Borrowed(v.unwrap_or_default()))
            }
        };
        match value {
            Some(v) if self.vars.is_some() => out.push_str(&v),
            // Quote removal only: keep the expression as written.
            _ => out.push_str(self.src.get(start..self.pos).unwrap_or("")),
        }
    }

    /// After `${`: the expansion, or `None` on a syntax error or when only
    /// removing quotes.
    fn braced(&mut self) -> Option<Cow<'v, str>> {
        match self.peek() {
            None => {
                self.fail("syntax error: missing '}'");
                return None;
            }
            Some('{' | '}' | ':') => {
                self.fail("syntax error: bad substitution");
                self.skip_braced();
                return None;
            }
            Some(_) => {}
        }
        let name = self.name();
        let Some(mut op) = self.bump() else {
            self.fail("syntax error: missing '}'");
            return None;
        };
        if op == '}' {
            self.vars?;
            let v = self.get(name);
            if v.is_none() {
                self.note_unresolved(name);
            }
            return Some(Cow::Borrowed(v.unwrap_or_default()));
        }
        let colon = op == ':';
        if colon {
            let Some(next) = self.bump() else {
                self.fail("syntax error: missing '}'");
                return None;
            };
            op = next;
        }
        if op == '/' && !colon {
            return self.replace(name);
        }
        if !matches!(op, '+' | '-' | '?' | '#' | '%') {
            self.fail(&format!("unsupported modifier ({op}) in substitution"));
            self.skip_braced();
            return None;
        }
        let word = self.nested_word('}')?;
        self.vars?;
        let value = self.get(name);
        let empty = value.is_none_or(|v| colon && v.is_empty());
        match op {
            '-' => Some(if empty {
                Cow::Owned(word)
            } else {
                Cow::Borrowed(value.unwrap_or_default())
            }),
            '+' => Some(if empty {
                Cow::Borrowed("")
            } else {
                Cow::Owned(word)
            }),
            '?' => {
                if empty {
                    let message = if !word.is_empty() {
                        word
                    } else if value.is_none() {
                        "is not allowed to be unset".to_owned()
                    } else {
                        "is not allowed to be empty".to_owned()
                    };
                    self.fail(&format!("{name}: {message}"));
                    self.note_unresolved(name);
                    return Some(Cow::Borrowed(""));
                }
                value.map(Cow::Borrowed)
            }
            _ => {
                let Some(value) = value else {
                    self.note_unresolved(name);
                    return Some(Cow::Borrowed(""));
                };
                // `##` and `%%` take the longest match.
                let (pattern, longest) = match word.strip_prefix(op) {
                    Some(p) => (p.to_owned(), true),
                    None => (word, false),
                };
                Some(Cow::Owned(if op == '#' {
                    self.trim_prefix(value, &pattern, longest)
                } else {
                    self.trim_suffix(value, &pattern, longest)
                }))
            }
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    fn replace(&mut self, name: &str) -> Option<Cow<'v, str>> {
        let all = self.peek() == Some('/');
        if all {
            self.bump();
        }
        let pattern = self.nested_word('/')?;
        let replacement = self.nested_word('}')?;
        self.vars?;
        let Some(value) = self.get(name) else {
            self.note_unresolved(name);
            return Some(Cow::Borrowed(""));
        };
        Some(Cow::Owned(self.replace_matches(
            value,
            &pattern,
            &replacement,
            all,
        )))
    }

    /// The word inside `${…}` up to `stop`, processed recursively (it may
    /// hold quotes and nested expansions), or `None` if `stop` never comes.
    fn nested_word(&mut self, stop: char) -> Option<String> {
        let mut word = String::new();
        if self.depth >= MAX_DEPTH {
            self.fail("substitution nested too deeply");
            self.skip_braced();
            return None;
        }
        self.depth += 1;
        let found = self.run(Some(stop), &mut word);
        self.depth -= 1;
        found.then_some(word)
    }

    /// Skips to the `}` closing the current `${`, counting nested braces,
    /// without recursion.
    fn skip_braced(&mut self) {
        let mut depth = 1usize;
        while let Some(c) = self.bump() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                c if c == self.escape => {
                    self.bump();
                }
                _ => {}
            }
        }
    }

    fn trim_prefix(&mut self, value: &str, pattern: &str, longest: bool) -> String {
        let glob = Glob::new(pattern);
        let mut ends = char_ends(value);
        if longest {
            ends.reverse();
        }
        let found = ends
            .into_iter()
            .find(|&end| glob.matches(&value[..end], &mut self.budget));
        self.note_budget();
        match found {
            Some(end) => value[end..].to_owned(),
            None => value.to_owned(),
        }
    }

    fn trim_suffix(&mut self, value: &str, pattern: &str, longest: bool) -> String {
        let glob = Glob::new(pattern);
        let mut starts = char_starts(value);
        if !longest {
            starts.reverse();
        }
        let found = starts
            .into_iter()
            .find(|&start| glob.matches(&value[start..], &mut self.budget));
        self.note_budget();
        match found {
            Some(start) => value[..start].to_owned(),
            None => value.to_owned(),
        }
    }

    fn replace_matches(
        &mut self,
        value: &str,
        pattern: &str,
        replacement: &str,
        all: bool,
    ) -> String {
        let glob = Glob::new(pattern);
        let mut out = String::new();
        let mut pos = 0;
        'search: while pos < value.len() {
            let rest = &value[pos..];
            let ends = char_ends(rest);
            // Leftmost start, then the longest match from there.
            for s in char_starts(rest) {
                for &e in ends.iter().rev() {
                    if e <= s || self.budget == 0 {
                        break;
                    }
                    if glob.matches(&rest[s..e], &mut self.budget) {
                        out.push_str(&rest[..s]);
                        out.push_str(replacement);
                        pos += e;
                        if all {
                            continue 'search;
                        }
                        break 'search;
                    }
                }
            }
            break;
        }
        self.note_budget();
        out.push_str(value.get(pos..).unwrap_or(""));
        out
    }

    fn note_budget(&mut self) {
        if self.budget == 0 {
            self.fail("pattern too costly to evaluate");
        }
    }
}

/// Byte offsets where a prefix of `s` may end: 0 and after each char.
fn char_ends(s: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(s.char_indices().map(|(i, c)| i + c.len_utf8()))
        .collect()
}

/// Byte offsets where a suffix of `s` may start, the end included.
fn char_starts(s: &str) -> Vec<usize> {
    s.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect()
}

/// A shell pattern: `*`, `?` and literal characters (`\` escapes one).
struct Glob {
    tokens: Vec<GlobToken>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum GlobToken {
    Star,
    Any,
    Char(char),
}

impl Glob {
    fn new(pattern: &str) -> Self {
        let mut tokens = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '*' => GlobToken::Star,
                '?' => GlobToken::Any,
                '\\' => GlobToken::Char(chars.next().unwrap_or('\\')),
                c => GlobToken::Char(c),
            });
        }
        Glob { tokens }
    }

    /// Whether the whole of `s` matches, spending from `budget`; an
    /// exhausted budget answers "no match".
    fn matches(&self, s: &str, budget: &mut usize) -> bool {
        // Each call costs at least its length, so a budget bounds the
        // total work however many candidates the caller tries.
        let cost = s.len() + 1;
        if *budget < cost {
            *budget = 0;
            return false;
        }
        *budget -= cost;
        let text: Vec<char> = s.chars().collect();
        let (mut t, mut p) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            match self.tokens.get(p) {
                Some(GlobToken::Star) => {
                    star = Some((p, t));
                    p += 1;
                }
                Some(GlobToken::Any) => {
                    p += 1;
                    t += 1;
                }
                Some(GlobToken::Char(c)) if text.get(t) == Some(c) => {
                    p += 1;
                    t += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        p = sp + 1;
                        t = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        self.tokens[p.min(self.tokens.len())..]
            .iter()
            .all(|t| *t == GlobToken::Star)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lone_variables_expand_as_the_lexer_does(
            text in "\\$\\{?[A-Za-z_0-9é:}{$-]{0,5}\\}?",
            escape in prop::sample::select(vec!['\\', '`']),
        ) {
            let vars = [("A", "1"), ("B_2", ""), ("_", "u"), ("é", "e")];
            prop_assert_eq!(
                substitute_with_escape(&text, escape, &vars[..]),
                substitute_by_lexer(&text, escape, &vars[..])
            );
        }
    }

    fn vars() -> Vars {
        let mut v = Vars::new();
        v.set("BASE", Some("alpine:3.19".into()));
        v.set("EMPTY", Some(String::new()));
        v.set("DECLARED", None);
        v.set("PATHV", Some("/usr/local/bin/tool.tar.gz".into()));
        v
    }

    fn sub(text: &str) -> Expansion {
        substitute(text, &vars())
    }

    #[test]
    fn plain_and_braced_variables() {
        assert_eq!(sub("$BASE").value, "alpine:3.19");
        assert_eq!(sub("${BASE}-x").value, "alpine:3.19-x");
        assert_eq!(sub("a$").value, "a$");
        assert_eq!(sub("$ x").value, "$ x");
    }

    #[test]
    fn defaults_and_alternatives() {
        assert_eq!(sub("${NOPE:-debian}").value, "debian");
        assert!(sub("${NOPE:-debian}").is_complete());
        assert_eq!(sub("${EMPTY:-x}").value, "x");
        assert_eq!(sub("${EMPTY-x}").value, "");
        assert_eq!(sub("${BASE:+set}").value, "set");
        assert_eq!(sub("${NOPE:+set}").value, "");
        assert_eq!(sub("${NOPE+set}").value, "");
        assert_eq!(sub("${NOPE:-${BASE}}").value, "alpine:3.19");
        assert_eq!(sub("${NOPE:-\"a b\"}").value, "a b");
    }

    #[test]
    fn unknown_and_valueless_variables_are_reported() {
        let e = sub("$NOPE/${DECLARED}");
        assert_eq!(e.value, "/");
        assert_eq!(e.unresolved, ["NOPE", "DECLARED"]);
        assert!(!e.is_complete());
        let e = sub("${NOPE:?must be set}");
        assert_eq!(e.error.as_deref(), Some("NOPE: must be set"));
    }

    #[test]
    fn escapes_and_quotes() {
        assert_eq!(sub("\\$BASE").value, "$BASE");
        assert_eq!(sub("'$BASE'").value, "$BASE");
        assert_eq!(sub("\"$BASE\"").value, "alpine:3.19");
        assert_eq!(sub("\"a\\\"b\\n\"").value, "a\"b\\n");
        assert_eq!(
            substitute_with_escape("`$BASE", '`', &vars()).value,
            "$BASE"
        );
        // With the backtick escape, a backslash is literal (Windows paths).
        assert_eq!(
            substitute_with_escape("C:\\dir\\$BASE", '`', &vars()).value,
            "C:\\dir\\alpine:3.19"
        );
        assert_eq!(sub("trailing\\").value, "trailing");
    }

    #[test]
    fn patterns() {
        assert_eq!(sub("${PATHV##*/}").value, "tool.tar.gz");
        assert_eq!(sub("${PATHV#*/}").value, "usr/local/bin/tool.tar.gz");
        assert_eq!(sub("${PATHV%.*}").value, "/usr/local/bin/tool.tar");
        assert_eq!(sub("${PATHV%%.*}").value, "/usr/local/bin/tool");
        assert_eq!(sub("${BASE/:/@}").value, "alpine@3.19");
        assert_eq!(sub("${PATHV//\\//_}").value, "_usr_local_bin_tool.tar.gz");
    }

    #[test]
    fn syntax_errors_do_not_stop_the_lexer() {
        assert!(sub("${").error.is_some());
        assert!(sub("${}").error.is_some());
        assert!(sub("${BASE").error.is_some());
        assert!(sub("'open").error.is_some());
        assert!(sub("${BASE:x}").error.is_some());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = "${A:-".repeat(10_000) + &"}".repeat(10_000);
        let e = sub(&deep);
        assert!(e.error.is_some());
    }

    #[test]
    fn quote_removal_keeps_expressions() {
        assert_eq!(unquote("\"$A b\"", '\\'), "$A b");
        assert_eq!(unquote("${A:-'x y'}z", '\\'), "${A:-'x y'}z");
        assert_eq!(unquote("'a'\"b\"c\\ d", '\\'), "abc d");
        assert_eq!(unquote_keeping_quotes("\"EOF\"", '\\').0, "\"EOF\"");
    }
}
