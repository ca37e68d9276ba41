//! The YAML tree the compose model is read from: nodes with their
//! locations, anchors and merge keys expanded.
//!
//! Both loaders build it: the fast loader ([`super::fast`]) for the
//! compose files it reads, serde-saphyr ([`super::nested`]) for the rest.
//!
//! The children of every collection sit in two vectors of the [`Tree`]
//! (sequence items in one, mapping entries in the other), each
//! collection's children side by side, and a collection node holds the
//! range of its children ([`Children`]). A tree is then three allocations
//! whatever its shape, instead of one vector per collection: building,
//! copying an anchor and dropping the tree were a large share of reading
//! a compose file. The tree only grows, so a collection's range stays
//! valid: an anchor keeps its node as is, without copying its children;
//! an alias or a merge key appends copies (used at the alias).

use std::borrow::Cow;
use std::ops::Range;

use crate::Span;

/// Where a node sits in the text: a byte range, in 32 bits (texts are at
/// most `load::MAX_INPUT_BYTES`, 32 MiB), which keeps nodes small.
/// `Loc::default()` (empty, at the start) when serde-saphyr reports no
/// location. Not clamped: [`super::lower::Reader::place`] clamps when
/// reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Loc {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Loc {
    /// The bytes from `start` to `end` (saturated to 32 bits).
    pub(crate) fn new(start: usize, end: usize) -> Loc {
        let clip = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Loc {
            start: clip(start),
            end: clip(end),
        }
    }

    pub(crate) fn span(self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }
}

/// A YAML node with its use and definition locations.
///
/// Locations are byte ranges of the text ([`Loc`]), as serde-saphyr reports
/// them. Only the bytes are kept: positions are computed from them when
/// read, and the fast loader can build the same spans without
/// serde-saphyr's `Location`, whose fields are private.
#[derive(Debug, Clone)]
pub(crate) struct Node<'t> {
    pub(crate) value: Value<'t>,
    /// Where the node is used: the node itself, or the alias bringing it in.
    pub(crate) used: Loc,
    /// Where the node is written.
    pub(crate) defined: Loc,
}

impl Node<'_> {
    /// False for a collection that a YAML error cut short (a scalar is
    /// whole or absent).
    pub(crate) fn complete(&self) -> bool {
        match self.value {
            Value::Seq(children) | Value::Map(children) => children.complete,
            _ => true,
        }
    }
}

/// A YAML value, as serde-saphyr resolves scalars (YAML 1.2 core schema plus
/// the YAML 1.1 booleans `yes`/`no`/`on`/`off`; `.inf`/`.nan` stay strings).
/// Tags such as compose's `!reset` and `!override` are ignored.
///
/// Strings borrow from the text when it spells them out (most scalars), so
/// that reading a tree allocates only for escaped text.
#[derive(Debug, Clone)]
pub(crate) enum Value<'t> {
    Null,
    Bool(bool),
    Int(Integer),
    Float(f64),
    Str(Cow<'t, str>),
    /// Items, in [`Tree::items`].
    Seq(Children),
    /// Entries in order, duplicates included (the reader reports them), in
    /// [`Tree::entries`]. Merged entries follow the mapping's own.
    Map(Children),
}

impl Value<'_> {
    /// How the value is described in messages: "a string", "a mapping".
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "an empty value",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }
}

/// An integer of the tree, any `i128` (serde-saphyr reads integers that
/// fit neither `i64` nor `u64` as `i128`), kept as two 64-bit halves: an
/// `i128` field would align every node to 16 bytes and make it 64 bytes
/// instead of 40, and nodes are what building a tree moves around.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Integer {
    low: u64,
    high: u64,
}

impl Integer {
    pub(crate) fn new(n: i128) -> Self {
        // Two's complement halves, put back together by `get`.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (low, high) = (n as u64, (n >> 64) as u64);
        Integer { low, high }
    }

    pub(crate) fn get(self) -> i128 {
        #[allow(clippy::cast_possible_wrap)]
        let n = (u128::from(self.high) << 64 | u128::from(self.low)) as i128;
        n
    }
}

/// As the `i128` it holds (so that `Int(42)` reads as before in dumps).
impl std::fmt::Debug for Integer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// Where a collection's children are in its [`Tree`]'s vector, and
/// whether it is complete (see [`Node::complete`]: kept here, a node is
/// 40 bytes instead of 48). Indices fit 32 bits: a tree holds at most
/// `load::MAX_NODES` nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Children {
    start: u32,
    end: u32,
    complete: bool,
}

impl Children {
    /// The complete collection whose children are at `range`.
    fn new(range: Range<usize>) -> Children {
        let clip = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Children {
            start: clip(range.start),
            end: clip(range.end),
            complete: true,
        }
    }

    pub(crate) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The same children, of a collection a YAML error cut short or not.
    pub(crate) fn complete(self, complete: bool) -> Children {
        Children { complete, ..self }
    }
}

/// A whole tree: the root (`None` when nothing could be read) and the
/// children of all its collections.
#[derive(Debug, Default)]
pub(crate) struct Tree<'t> {
    pub(crate) root: Option<Node<'t>>,
    items: Vec<Node<'t>>,
    entries: Vec<(Node<'t>, Node<'t>)>,
}

impl<'t> Tree<'t> {
    /// An empty tree for a text of `len` bytes, sized so that a typical
    /// compose file never grows it (about an entry per 16 bytes, an item
    /// per 64), with a cap so that a huge text does not reserve for
    /// nodes it may never hold.
    pub(crate) fn for_text(len: usize) -> Self {
        Tree {
            root: None,
            items: Vec::with_capacity((len / 64).min(1 << 12)),
            entries: Vec::with_capacity((len / 16).min(1 << 14)),
        }
    }

    /// The items of a sequence of this tree.
    pub(crate) fn items(&self, children: Children) -> &[Node<'t>] {
        self.items.get(children.range()).unwrap_or_default()
    }

    /// The entries of a mapping of this tree.
    pub(crate) fn entries(&self, children: Children) -> &[(Node<'t>, Node<'t>)] {
        self.entries.get(children.range()).unwrap_or_default()
    }

    /// Moves `items`, a new sequence's (their own children already in the
    /// tree), into the tree, leaving the vector empty with its capacity
    /// for the next collection to use.
    pub(crate) fn append_items(&mut self, items: &mut Vec<Node<'t>>) -> Children {
        let start = self.items.len();
        self.items.append(items);
        Children::new(start..self.items.len())
    }

    /// [`Self::append_items`] for the entries of a new mapping.
    pub(crate) fn append_entries(&mut self, entries: &mut Vec<(Node<'t>, Node<'t>)>) -> Children {
        let start = self.entries.len();
        self.entries.append(entries);
        Children::new(start..self.entries.len())
    }

    /// A copy of `node` (of this tree) as brought in by an alias at `at`:
    /// every node inside is used there.
    pub(crate) fn copy_used(&mut self, node: &Node<'t>, at: Loc) -> Node<'t> {
        self.deepen(used_at(node, at), at)
    }

    /// `copy` (a node used at `at`, its children still the original's)
    /// with copies of its children, if it is a collection.
    #[inline]
    fn deepen(&mut self, mut copy: Node<'t>, at: Loc) -> Node<'t> {
        if let Some(children) = Shape::of(&copy.value) {
            copy.value = self.copy_children(children, at);
        }
        copy
    }

    /// A copy of the entry at `index` of this tree's entries (an index
    /// of some mapping's [`Children::range`]) as brought in by a merge key
    /// whose alias is at `at`. Copied straight from the tree: cloning the
    /// entry out first, to free the borrow, would copy every node twice.
    /// Inlined (forced) into the merge loops, so that the pair is built
    /// where it is pushed instead of returned through memory.
    #[inline(always)]
    pub(crate) fn copy_entry_used(&mut self, index: usize, at: Loc) -> (Node<'t>, Node<'t>) {
        let (key, value) = &self.entries[index];
        let (key, value) = (used_at(key, at), used_at(value, at));
        (self.deepen(key, at), self.deepen(value, at))
    }

    /// The value of a copy of a collection whose children are `shape`,
    /// with copies of them used at `at`: side by side first, then each
    /// collection among them gets its own after them.
    fn copy_children(&mut self, shape: Shape, at: Loc) -> Value<'t> {
        match shape {
            Shape::Seq(children) => {
                let start = self.items.len();
                for i in children.range() {
                    let copy = used_at(&self.items[i], at);
                    self.items.push(copy);
                }
                let copies = Children::new(start..self.items.len()).complete(children.complete);
                for i in copies.range() {
                    if let Some(inner) = Shape::of(&self.items[i].value) {
                        self.items[i].value = self.copy_children(inner, at);
                    }
                }
                Value::Seq(copies)
            }
            Shape::Map(children) => {
                let start = self.entries.len();
                for i in children.range() {
                    let (key, value) = &self.entries[i];
                    let copy = (used_at(key, at), used_at(value, at));
                    self.entries.push(copy);
                }
                let copies = Children::new(start..self.entries.len()).complete(children.complete);
                for i in copies.range() {
                    if let Some(inner) = Shape::of(&self.entries[i].0.value) {
                        self.entries[i].0.value = self.copy_children(inner, at);
                    }
                    if let Some(inner) = Shape::of(&self.entries[i].1.value) {
                        self.entries[i].1.value = self.copy_children(inner, at);
                    }
                }
                Value::Map(copies)
            }
        }
    }
}

/// `node` used at `at`, its children (if any) still the original's.
fn used_at<'t>(node: &Node<'t>, at: Loc) -> Node<'t> {
    Node {
        used: at,
        ..node.clone()
    }
}

/// A collection's kind and children, copied out of its value so that the
/// tree can grow while they are copied.
#[derive(Clone, Copy)]
enum Shape {
    Seq(Children),
    Map(Children),
}

impl Shape {
    /// `None` for a scalar.
    fn of(value: &Value<'_>) -> Option<Shape> {
        match *value {
            Value::Seq(children) => Some(Shape::Seq(children)),
            Value::Map(children) => Some(Shape::Map(children)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_keep_every_i128() {
        for n in [
            0,
            1,
            -1,
            i128::from(i64::MIN),
            u64::MAX.into(),
            i128::MIN,
            i128::MAX,
        ] {
            assert_eq!(Integer::new(n).get(), n);
            assert_eq!(format!("{:?}", Integer::new(n)), n.to_string());
        }
    }

    /// The size the representation is chosen for (see [`Integer`]).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn nodes_are_40_bytes() {
        assert_eq!(std::mem::size_of::<Node<'_>>(), 40);
    }
}
