//! A YAML tree with positions, built by serde-saphyr, that survives errors,
//! then flattened into a [`Tree`] ([`into_tree`]).
//!
//! (Most compose files are read into the same tree by the fast loader,
//! [`super::fast`]; this module is the reference it is tested against, and
//! reads everything the fast loader gives up on.) serde-saphyr builds the
//! tree bottom-up through serde's visitors, one vector per collection:
//! this nested form, which [`into_tree`] moves into the tree's shared
//! vectors.
//!
//! Why a tree instead of deriving `Deserialize` on the compose structs:
//! serde stops at the first value of the wrong type, and one bad
//! `privileged: maybe` would lose the whole file. Deserializing into this
//! generic tree only fails on YAML errors; the compose model is then read
//! from the tree by hand ([`super::lower`]), which reports a wrong value and
//! moves on.
//!
//! serde-saphyr still does the YAML work: it expands `<<` merge keys (an
//! explicit key beats a merged one; in `<<: [*a, *b]` the first wins) and
//! aliases, enforces the budgets against alias bombs and deep nesting, and
//! through [`Spanned`] gives every node two locations: where it is used (the
//! `*alias` token for aliased and merged nodes) and where it is defined.
//!
//! When the YAML itself is broken (a syntax error, a budget breach),
//! deserialization unwinds. Each collection being built hands what it had
//! read so far to its parent before the error travels up ("salvage"), so the
//! caller still gets every node before the error. Collections cut short are
//! marked `complete: false`.
//!
//! The salvage travels through a thread-local slot because `Spanned<T>`
//! requires `T: Deserialize` (not a seed), so there is no other way to pass
//! state between a child and its parent. The slot only holds a value
//! between a child's `return Err` and its parent's next line, and
//! [`SalvageScope`] empties it before and after each parse.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::tree::{self, Loc, Tree};

/// A node of the nested form of [`tree::Node`]: the same fields, with its
/// children in its value. Locations are converted from serde-saphyr's by
/// [`span`].
#[derive(Debug, Clone)]
pub(crate) struct Node<'t> {
    pub(crate) value: Value<'t>,
    /// Where the node is used: the node itself, or the alias bringing it in.
    pub(crate) used: Loc,
    /// Where the node is written.
    pub(crate) defined: Loc,
    /// False for a collection that a YAML error cut short.
    pub(crate) complete: bool,
}

/// The nested form of [`tree::Value`]: collections hold their children.
#[derive(Debug, Clone)]
pub(crate) enum Value<'t> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(Cow<'t, str>),
    Seq(Vec<Node<'t>>),
    /// Entries in order, duplicates included (the reader reports them).
    /// Merged entries follow the mapping's own.
    Map(Vec<(Node<'t>, Node<'t>)>),
}

impl Value<'_> {
    /// The location of the first child, for a salvaged collection that has
    /// none of its own: a block mapping's location is its first key's anyway.
    fn first_location(&self) -> Option<Loc> {
        match self {
            Value::Seq(items) => items.first().map(|n| n.used),
            Value::Map(entries) => entries.first().map(|(k, _)| k.used),
            _ => None,
        }
    }

    /// The value with its strings owned, to outlive the text (only for
    /// the salvage slot, on the error path).
    fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Int(n) => Value::Int(n),
            Value::Float(x) => Value::Float(x),
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Seq(items) => Value::Seq(items.into_iter().map(Node::into_owned).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect(),
            ),
        }
    }
}

thread_local! {
    /// The partial value of the collection whose deserialization just failed
    /// (owned: a thread-local cannot borrow the text).
    static SALVAGE: Cell<Option<Value<'static>>> = const { Cell::new(None) };
}

fn stash(value: Value<'_>) {
    let value = value.into_owned();
    SALVAGE.with(|slot| slot.set(Some(value)));
}

fn take_salvage() -> Option<Value<'static>> {
    SALVAGE.with(Cell::take)
}

/// Empties the salvage slot when created and when dropped, so that nothing
/// leaks from one parse into the next.
pub(crate) struct SalvageScope(());

impl SalvageScope {
    pub(crate) fn new() -> Self {
        drop(take_salvage());
        SalvageScope(())
    }

    /// The partial root after a failed deserialization, if anything was read.
    pub(crate) fn partial_root(&self) -> Option<Node<'static>> {
        take_salvage().map(|value| Node::partial(value, Loc::default()))
    }
}

impl Drop for SalvageScope {
    fn drop(&mut self) {
        drop(take_salvage());
    }
}

impl<'t> Node<'t> {
    /// A salvaged collection, located at its first child (as serde-saphyr
    /// locates a block collection anyway), else at `fallback`.
    fn partial(value: Value<'t>, fallback: Loc) -> Node<'t> {
        let at = value.first_location().unwrap_or(fallback);
        Node {
            value,
            used: at,
            defined: at,
            complete: false,
        }
    }

    fn into_owned(self) -> Node<'static> {
        Node {
            value: self.value.into_owned(),
            used: self.used,
            defined: self.defined,
            complete: self.complete,
        }
    }
}

/// The byte span of a serde-saphyr location; empty at the start of the text
/// when it has no byte offsets (only `Location::UNKNOWN`, from a string
/// input). Not clamped: [`super::lower::Reader::place`] clamps when reading.
fn span(loc: Location) -> Loc {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => {
            let start = usize::try_from(start).unwrap_or(usize::MAX);
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            Loc::new(start, start.saturating_add(len))
        }
        _ => Loc::default(),
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value<'de>>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value,
            used: span(spanned.referenced),
            defined: span(spanned.defined),
            complete: true,
        })
    }
}

impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value<'de>, E> {
        Ok(Value::Int(v))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value<'de>, E> {
        // Beyond i128 only as a float: such a number is never a valid
        // compose value anyway, and the source text is kept by position.
        #[allow(clippy::cast_precision_loss)]
        Ok(i128::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Value::Float(v))
    }

    fn visit_char<E>(self, v: char) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v.to_string())))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(
            String::from_utf8_lossy(v).into_owned(),
        )))
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'de>, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let mut items = Vec::new();
        loop {
            match seq.next_element::<Node<'de>>() {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(Value::Seq(items)),
                Err(e) => {
                    if let Some(partial) = take_salvage() {
                        let fallback = items.last().map_or(Loc::default(), |n| n.used);
                        items.push(Node::partial(partial, fallback));
                    }
                    stash(Value::Seq(items));
                    return Err(e);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        let mut entries = Vec::new();
        loop {
            let key = match map.next_key::<Node<'de>>() {
                Ok(Some(key)) => key,
                Ok(None) => return Ok(Value::Map(entries)),
                Err(e) => {
                    // A half-read key (a complex key cut short) is useless.
                    drop(take_salvage());
                    stash(Value::Map(entries));
                    return Err(e);
                }
            };
            match map.next_value::<Node<'de>>() {
                Ok(value) => entries.push((key, value)),
                Err(e) => {
                    if let Some(partial) = take_salvage() {
                        let value = Node::partial(partial, key.used);
                        entries.push((key, value));
                    }
                    stash(Value::Map(entries));
                    return Err(e);
                }
            }
        }
    }
}

/// The tree of a nested root (read whole or in part).
pub(crate) fn into_tree(root: Option<Node<'_>>) -> Tree<'_> {
    let mut tree = Tree::default();
    tree.root = root.map(|root| flatten(root, &mut tree));
    tree
}

/// `node` with its children moved into `tree`, each collection's side by
/// side (its children's own children go in first, as they are flattened).
/// Only a collection can be cut short (salvaged), so `complete` goes with
/// its children.
fn flatten<'t>(node: Node<'t>, tree: &mut Tree<'t>) -> tree::Node<'t> {
    let value = match node.value {
        Value::Null => tree::Value::Null,
        Value::Bool(b) => tree::Value::Bool(b),
        Value::Int(n) => tree::Value::Int(tree::Integer::new(n)),
        Value::Float(x) => tree::Value::Float(x),
        Value::Str(s) => tree::Value::Str(s),
        Value::Seq(items) => {
            let mut items: Vec<_> = items.into_iter().map(|n| flatten(n, tree)).collect();
            tree::Value::Seq(tree.append_items(&mut items).complete(node.complete))
        }
        Value::Map(entries) => {
            let mut entries: Vec<_> = entries
                .into_iter()
                .map(|(k, v)| (flatten(k, tree), flatten(v, tree)))
                .collect();
            tree::Value::Map(tree.append_entries(&mut entries).complete(node.complete))
        }
    };
    tree::Node {
        value,
        used: node.used,
        defined: node.defined,
    }
}
