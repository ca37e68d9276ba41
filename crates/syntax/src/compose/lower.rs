//! Reading typed values out of the YAML tree, one diagnostic per wrong value.
//!
//! Every compose field goes through these readers, so the rules are the same
//! everywhere:
//!
//! - A wrong type is reported at the value (where it is written, inside the
//!   anchor if it comes from one) and the field is left unset; reading goes
//!   on with the next field.
//! - An empty value (`user:` or `user: null`) is an unset field, as in
//!   compose, and is not reported.
//! - Numbers and booleans are accepted where compose takes a string
//!   (`user: 1000`), spelled as in the file: `cpus: 0.50` stays `"0.50"` and
//!   `restart: no` (a YAML 1.1 boolean) stays `"no"`.
//! - A string with a `$` where a boolean or a number is expected is a
//!   compose variable (`${PRIV:-false}`), which bulwark does not resolve: it
//!   is reported as unknown rather than as a type error.
//! - Messages name the field by its path (`services.web.privileged`) and
//!   never quote values (keys only): an environment value may be a secret,
//!   and the span is there for whoever wants to show the text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use smallvec::SmallVec;

use super::located::{Located, LocatedList, Place};
use super::positions::Positions;
use super::tree::{Loc, Node, Tree, Value};
use crate::{Diagnostic, Span};

/// The reading state: the text's positions (for the line:column a message
/// quotes; places themselves are spans) and the diagnostics so far.
pub(crate) struct Reader<'t> {
    positions: Positions<'t>,
    /// The tree the nodes read belong to (their children are there).
    tree: &'t Tree<'t>,
    diagnostics: Vec<Diagnostic>,
}

/// A mapping entry whose key is a scalar.
pub(crate) struct Entry<'n> {
    /// The key's text, borrowed from the tree when it is a string.
    pub(crate) key: Cow<'n, str>,
    pub(crate) key_node: &'n Node<'n>,
    pub(crate) value: &'n Node<'n>,
}

/// The entries of a mapping whose keys are scalars, in order: see
/// [`Reader::mapping`], which reported the others.
#[derive(Default)]
pub(crate) struct Entries<'n> {
    entries: std::slice::Iter<'n, (Node<'n>, Node<'n>)>,
    /// The text, for keys that are not strings (spelled as written).
    text: &'n str,
}

impl<'n> Iterator for Entries<'n> {
    type Item = Entry<'n>;

    fn next(&mut self) -> Option<Entry<'n>> {
        for (key_node, value) in self.entries.by_ref() {
            if let Some(key) = scalar_str(key_node, self.text) {
                return Some(Entry {
                    key,
                    key_node,
                    value,
                });
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.entries.len()))
    }
}

/// The text of a scalar as compose reads it (see [`Reader::scalar_text`]),
/// borrowed from the tree for a string and from `text` (the whole text)
/// for another scalar spelled plainly.
///
/// Called for every key and value of the file: the common case (a string)
/// is inlined, the rest is [`other_scalar_str`].
#[inline]
fn scalar_str<'n>(node: &'n Node<'n>, text: &'n str) -> Option<Cow<'n, str>> {
    match &node.value {
        Value::Str(s) => Some(Cow::Borrowed(s.as_ref())),
        _ => other_scalar_str(node, text),
    }
}

/// [`scalar_str`] of a node that is not a string.
fn other_scalar_str<'n>(node: &'n Node<'n>, text: &'n str) -> Option<Cow<'n, str>> {
    match &node.value {
        Value::Str(s) => Some(Cow::Borrowed(s.as_ref())),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
        other => {
            let defined = node.defined.span();
            let end = defined.end.min(text.len());
            let source = text.get(defined.start.min(end)..end).unwrap_or("");
            let plain = !source.is_empty()
                && !source.starts_with(['"', '\'', '&', '*', '!', '|', '>'])
                && !source.contains(char::is_whitespace);
            if plain {
                return Some(Cow::Borrowed(source));
            }
            Some(Cow::Owned(match other {
                Value::Bool(b) => b.to_string(),
                Value::Int(n) => n.get().to_string(),
                Value::Float(x) => x.to_string(),
                _ => String::new(),
            }))
        }
    }
}

/// A cheap summary of a mapping key for [`Reader::string_key_duplicates`]:
/// equal keys have equal fingerprints, and compose's keys (`image`,
/// `ports`, `read_only`, …) mostly differ in length or last letter.
fn fingerprint(key: &str) -> usize {
    let last = key.as_bytes().last().copied().unwrap_or(0);
    key.len().wrapping_mul(7) ^ usize::from(last)
}

/// Where a value sits in the compose model, for messages:
/// `services.web.ports[2]`. Built on the stack, formatted only on error.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl Path<'_> {
    fn write_dotted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => {
                parent.write_dotted(f)?;
                write!(f, ".{key}")
            }
            Path::Index(parent, index) => {
                parent.write_dotted(f)?;
                write!(f, "[{index}]")
            }
        }
    }
}

/// `` `services.web.ports[2]` ``, or "the top level".
impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("the top level"),
            _ => {
                f.write_str("`")?;
                self.write_dotted(f)?;
                f.write_str("`")
            }
        }
    }
}

impl<'t> Reader<'t> {
    pub(crate) fn new(
        positions: Positions<'t>,
        tree: &'t Tree<'t>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        Reader {
            positions,
            tree,
            diagnostics,
        }
    }

    /// The diagnostics, sorted by position, one per place: a wrong value in
    /// an anchor merged into five services is one mistake, reported with
    /// the path of the first service that uses it.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics;
        diagnostics.sort_by_key(|d| d.span);
        diagnostics.dedup_by(|b, a| a.span == b.span && (a.span.start < a.span.end || a == b));
        diagnostics
    }

    // ----- places -----

    /// The place of a node's span, clamped to the text. Only a salvaged
    /// collection with nothing in it lacks a location, and has the start of
    /// the file (an empty span), the honest fallback.
    pub(crate) fn place(&self, loc: Loc) -> Place {
        let span = loc.span();
        let span = self
            .positions
            .clamp(span.start, span.end.saturating_sub(span.start));
        Place { span }
    }

    pub(crate) fn located<T>(&self, node: &Node, value: T) -> Located<T> {
        let used = self.place(node.used);
        let defined = if node.defined == node.used {
            used
        } else {
            self.place(node.defined)
        };
        Located {
            value,
            used,
            defined,
        }
    }

    /// `value` located at `range`, a byte range of the string `node` holds,
    /// when the source spells that string out verbatim (plain or simply
    /// quoted); at the whole node otherwise. Used for `KEY=value` items.
    pub(crate) fn located_part<T>(
        &self,
        node: &Node,
        full: &str,
        range: std::ops::Range<usize>,
        value: T,
    ) -> Located<T> {
        let mut located = self.located(node, value);
        let defined = located.defined.span;
        let source = defined.text(self.positions.text());
        let inner = if source == full {
            Some(defined.start)
        } else if source.len() == full.len() + 2
            && (source.starts_with('"') || source.starts_with('\''))
            && source.get(1..source.len() - 1) == Some(full)
        {
            Some(defined.start + 1)
        } else {
            None
        };
        if let Some(start) = inner {
            let place = Place {
                span: Span::new(start + range.start, start + range.end),
            };
            if !located.is_indirect() {
                located.used = place;
            }
            located.defined = place;
        }
        located
    }

    // ----- diagnostics -----

    /// A problem with `node`'s value, reported where the value is written.
    /// Not for a collection a YAML error cut short: the YAML error says
    /// what is wrong there, and "no `target`" would only be noise.
    pub(crate) fn report(&mut self, node: &Node, message: String, expected: Option<&str>) {
        if node.complete() {
            self.report_at(self.place(node.defined), message, expected);
        }
    }

    /// A problem reported at `place`.
    pub(crate) fn report_at(&mut self, place: Place, message: String, expected: Option<&str>) {
        let mut d = Diagnostic::new(place.span, message);
        if let Some(expected) = expected {
            d = d.expected(expected);
        }
        self.diagnostics.push(d);
    }

    pub(crate) fn wrong_type(&mut self, path: &Path<'_>, node: &Node, expected: &str) {
        let message = format!("{path} must be {expected}, not {}", node.value.kind());
        self.report(node, message, Some(expected));
    }

    fn unresolved(&mut self, path: &Path<'_>, node: &Node) {
        let message = format!(
            "{path} is set from a variable, which bulwark does not resolve; its value is unknown"
        );
        self.report(node, message, None);
    }

    // ----- scalars -----

    /// The text of a scalar as compose reads it: a string as is, another
    /// scalar as spelled in the file. `None` for an empty value or a
    /// collection. Borrowed from the tree or the text where it can be: a
    /// caller that splits the text (`8080:80`, `KEY=value`) copies only
    /// the parts it keeps.
    pub(crate) fn scalar_text<'n>(&self, node: &'n Node<'_>) -> Option<Cow<'n, str>>
    where
        't: 'n,
    {
        scalar_str(node, self.positions.text())
    }

    /// A string field. Other scalars are taken as spelled; a collection is
    /// reported.
    pub(crate) fn string(&mut self, path: &Path<'_>, node: &Node) -> Option<Located<String>> {
        match &node.value {
            Value::Null => None,
            Value::Seq(_) | Value::Map(_) => {
                self.wrong_type(path, node, "a string");
                None
            }
            _ => {
                let text = self.scalar_text(node)?.into_owned();
                Some(self.located(node, text))
            }
        }
    }

    /// A boolean field: `true`/`false` (and YAML 1.1's `yes`/`no`/`on`/`off`
    /// unquoted), or the strings `"true"`/`"false"`.
    pub(crate) fn boolean(&mut self, path: &Path<'_>, node: &Node) -> Option<Located<bool>> {
        let value = match &node.value {
            Value::Null => return None,
            Value::Bool(b) => *b,
            Value::Str(s) if s.eq_ignore_ascii_case("true") => true,
            Value::Str(s) if s.eq_ignore_ascii_case("false") => false,
            Value::Str(s) if s.contains('$') => {
                self.unresolved(path, node);
                return None;
            }
            _ => {
                self.wrong_type(path, node, "a boolean (true or false)");
                return None;
            }
        };
        Some(self.located(node, value))
    }

    /// An integer field: a YAML integer or a string of digits.
    pub(crate) fn integer(&mut self, path: &Path<'_>, node: &Node) -> Option<Located<i64>> {
        let value = match &node.value {
            Value::Null => return None,
            Value::Int(n) => i64::try_from(n.get()).ok(),
            Value::Str(s) if s.contains('$') => {
                self.unresolved(path, node);
                return None;
            }
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        };
        match value {
            Some(n) => Some(self.located(node, n)),
            None => {
                self.wrong_type(path, node, "an integer");
                None
            }
        }
    }

    // ----- collections -----

    /// The entries of a mapping, with scalar keys as text. Other keys and
    /// duplicate keys are reported (compose rejects both); a duplicate's
    /// later value is the one kept, since fields are assigned in order.
    /// `None` for an empty value or a non-mapping (reported).
    ///
    /// The problems are reported here; the entries are then read straight
    /// from the tree (no vector: this runs for every mapping of the file).
    pub(crate) fn mapping<'n>(&mut self, path: &Path<'_>, node: &'n Node<'n>) -> Option<Entries<'n>>
    where
        't: 'n,
    {
        let entries = match node.value {
            Value::Null => return None,
            Value::Map(children) => self.tree.entries(children),
            _ => {
                self.wrong_type(path, node, "a mapping");
                return None;
            }
        };
        let text: &'n str = self.positions.text();
        if entries.len() <= 16
            && entries
                .iter()
                .all(|(k, _)| matches!(k.value, Value::Str(_)))
        {
            self.string_key_duplicates(path, entries);
            return Some(Entries {
                entries: entries.iter(),
                text,
            });
        }
        // Earlier entries by key: their keys (each read once, borrowed) for
        // a linear scan while the mapping is small (compose mappings have a
        // handful of keys), an index past that or from the first key that
        // had to be spelled out (a number, a boolean: rare).
        let mut keys: SmallVec<[(&'n str, usize); 16]> = SmallVec::new();
        let mut index: Option<HashMap<Cow<'n, str>, usize>> = None;
        for (i, (key_node, _)) in entries.iter().enumerate() {
            let Some(key) = scalar_str(key_node, text) else {
                let message = format!("{path} has a key that is {}", key_node.value.kind());
                self.report(key_node, message, Some("a string key"));
                continue;
            };
            // The latest earlier entry with this key.
            let earlier = match &key {
                Cow::Borrowed(k) if index.is_none() && entries.len() <= 16 => {
                    let earlier = keys.iter().rev().find(|(e, _)| e == k).map(|&(_, j)| j);
                    keys.push((k, i));
                    earlier
                }
                _ => index
                    .get_or_insert_with(|| {
                        keys.iter().map(|&(k, j)| (Cow::Borrowed(k), j)).collect()
                    })
                    .insert(key.clone(), i),
            };
            if let Some(earlier) = earlier {
                self.duplicate(path, &key, key_node, &entries[earlier].0);
            }
        }
        Some(Entries {
            entries: entries.iter(),
            text,
        })
    }

    /// [`Self::mapping`]'s check for a small mapping whose keys are all
    /// strings (nearly every mapping of a file): each key against the
    /// earlier ones, in place.
    ///
    /// A 64-bit set of key fingerprints (length and last byte) skips that
    /// scan for a key unlike every earlier one, which is nearly every key:
    /// a service's dozen keys would otherwise cost some sixty comparisons.
    /// Only a key whose fingerprint was seen is compared, so a duplicate is
    /// always found.
    fn string_key_duplicates(&mut self, path: &Path<'_>, entries: &[(Node<'_>, Node<'_>)]) {
        let mut seen = 0u64;
        for (i, (key_node, _)) in entries.iter().enumerate() {
            let Value::Str(key) = &key_node.value else {
                continue;
            };
            let bit = 1u64 << (fingerprint(key) % 64);
            let new = seen & bit == 0;
            seen |= bit;
            if new {
                continue;
            }
            // The latest earlier entry with this key.
            let earlier = entries[..i]
                .iter()
                .rev()
                .find(|(k, _)| matches!(&k.value, Value::Str(e) if e == key));
            if let Some((earlier, _)) = earlier {
                self.duplicate(path, key, key_node, earlier);
            }
        }
    }

    /// Reports `key_node`, a key already used by `earlier` in the mapping
    /// at `path`.
    fn duplicate(&mut self, path: &Path<'_>, key: &str, key_node: &Node, earlier: &Node) {
        let first = self.place(earlier.defined);
        let first = self.positions.position(first.span.start);
        let message = format!(
            "duplicate key `{key}` in {path} (first at {}:{}); docker compose rejects \
             this file, bulwark reads the last one",
            first.line, first.column
        );
        self.report(key_node, message, None);
    }

    /// A sequence, each item read by `item` (which reports its own
    /// problems and returns `None` to skip the item). `None` for an empty
    /// value or a non-sequence (reported).
    pub(crate) fn list<T>(
        &mut self,
        path: &Path<'_>,
        node: &Node,
        mut item: impl FnMut(&mut Self, &Path<'_>, &Node) -> Option<T>,
    ) -> Option<LocatedList<T>> {
        let items = match node.value {
            Value::Null => return None,
            Value::Seq(children) => self.tree.items(children),
            _ => {
                self.wrong_type(path, node, "a sequence");
                return None;
            }
        };
        // Sized up front: a `collect` through `filter_map` starts empty and
        // grows (four items at first, then doubling), which costs a
        // reallocation for longer lists and oversized buffers for short ones.
        let mut values = Vec::with_capacity(items.len());
        for (i, n) in items.iter().enumerate() {
            if let Some(value) = item(self, &path.index(i), n) {
                values.push(self.located(n, value));
            }
        }
        Some(self.located(node, values))
    }

    /// A list of strings (`cap_add`, `security_opt`, …).
    pub(crate) fn strings(&mut self, path: &Path<'_>, node: &Node) -> Option<LocatedList<String>> {
        self.list(path, node, |r, p, n| r.string(p, n).map(|s| s.value))
    }

    /// A string or a list of strings (`tmpfs`, `env_file`): a single string
    /// becomes a list of one, located at the string.
    pub(crate) fn string_or_list<T>(
        &mut self,
        path: &Path<'_>,
        node: &Node,
        item: impl FnMut(&mut Self, &Path<'_>, &Node) -> Option<T>,
    ) -> Option<LocatedList<T>> {
        match &node.value {
            Value::Seq(_) | Value::Null => self.list(path, node, item),
            Value::Map(_) => {
                self.wrong_type(path, node, "a string or a sequence");
                None
            }
            _ => {
                let mut item = item;
                let value = item(self, path, node)?;
                let one = vec![self.located(node, value)];
                Some(self.located(node, one))
            }
        }
    }
}
