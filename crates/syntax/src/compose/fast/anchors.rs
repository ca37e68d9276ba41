//! Anchors, aliases and `<<` merge keys, expanded into the tree exactly as
//! serde-saphyr expands them (found by reading its `key_nodes.rs` and
//! `deserializer.rs`, and checked by the differential tests):
//!
//! - An alias is a copy of the anchored node in which every node is *used*
//!   at the `*name` token and keeps where it is *defined*.
//! - A mapping's merged entries follow its own entries. Its own entries all
//!   stay (duplicates too); a merged entry is dropped when an entry with
//!   the same key came before it (own or merged), so an explicit key beats
//!   a merged one and in `<<: [*a, *b]` the first source wins.
//! - Keys are the same when serde-saphyr's key fingerprints are: a string
//!   (plain or quoted) by its text, an integer by its value. Other keys in
//!   a merge (booleans, nulls, floats: their fingerprint is their
//!   spelling, not their value) make the fast loader give up.

use super::super::tree::{Children, Loc, Node, Tree, Value};
use super::budget::{ANCHORS, Budget};

/// A defined anchor: its node (aliases and merges inside already
/// expanded) and what copying it costs.
pub(super) struct Anchor<'t> {
    name: &'t str,
    pub(super) node: Node<'t>,
    /// Nodes in the tree, for the budget.
    pub(super) nodes: usize,
    /// Levels of collections (0 for a scalar), for the depth limit.
    pub(super) height: usize,
}

#[derive(Default)]
pub(super) struct Anchors<'t> {
    list: Vec<Anchor<'t>>,
}

impl<'t> Anchors<'t> {
    /// Records `node` (of `tree`) under `name`. A name defined twice is
    /// left to serde-saphyr (aliases would then depend on where they are).
    /// The node is kept as is: its children stay where they are in the
    /// tree, which only grows.
    pub(super) fn define(
        &mut self,
        name: &'t str,
        node: &Node<'t>,
        tree: &Tree<'t>,
        budget: &mut Budget,
    ) -> Option<()> {
        if self.list.len() >= ANCHORS || self.get(name).is_some() {
            return None;
        }
        let mut stats = Stats::default();
        stats.count(node, tree);
        budget.anchor(stats.nodes, stats.bytes)?;
        self.list.push(Anchor {
            name,
            node: node.clone(),
            nodes: stats.nodes,
            height: stats.height,
        });
        Some(())
    }

    /// The anchor an alias names; `None` for an unknown anchor, or one
    /// whose node is not finished (a recursive alias): both errors.
    pub(super) fn get(&self, name: &str) -> Option<&Anchor<'t>> {
        self.find(name).map(|i| self.at(i))
    }

    /// The index of the anchor `name`, for [`Self::at`].
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|a| a.name == name)
    }

    pub(super) fn at(&self, index: usize) -> &Anchor<'t> {
        &self.list[index]
    }
}

/// What an anchored tree holds: its nodes, bytes of strings and height.
#[derive(Default)]
struct Stats {
    nodes: usize,
    bytes: usize,
    height: usize,
}

impl Stats {
    /// Adds `node`'s nodes and bytes, and raises `height` to its height
    /// (recursion bounded by the depth limit, which every tree built here
    /// respects).
    fn count(&mut self, node: &Node<'_>, tree: &Tree<'_>) {
        self.nodes += 1;
        match &node.value {
            Value::Str(s) => self.bytes += s.len(),
            Value::Seq(children) => {
                let mut inner = Stats::default();
                for item in tree.items(*children) {
                    inner.count(item, tree);
                }
                self.add_collection(&inner);
            }
            Value::Map(children) => {
                let mut inner = Stats::default();
                for (key, value) in tree.entries(*children) {
                    inner.count(key, tree);
                    inner.count(value, tree);
                }
                self.add_collection(&inner);
            }
            _ => {}
        }
    }

    /// Adds a collection's children (`inner`): the collection is one level
    /// above the highest of them.
    fn add_collection(&mut self, inner: &Stats) {
        self.nodes += inner.nodes;
        self.bytes += inner.bytes;
        self.height = self.height.max(inner.height + 1);
    }
}

/// A key's identity for merging (serde-saphyr's `KeyFingerprint`, for the
/// keys handled here): a string by its text, an integer by its value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fingerprint<'n> {
    Text(&'n str),
    Int(i128),
}

impl Fingerprint<'_> {
    /// The same fingerprint, owning its text (for the hash set).
    fn owned(self) -> (Option<String>, i128) {
        match self {
            Fingerprint::Text(s) => (Some(s.to_owned()), 0),
            Fingerprint::Int(n) => (None, n),
        }
    }
}

impl Fingerprint<'_> {
    /// Whether `key` has this fingerprint.
    fn is(self, key: &Node<'_>) -> bool {
        match (self, &key.value) {
            (Fingerprint::Text(t), Value::Str(s)) => t == s.as_ref(),
            (Fingerprint::Int(n), Value::Int(m)) => n == m.get(),
            _ => false,
        }
    }
}

fn fingerprint<'n>(key: &'n Node<'_>) -> Option<Fingerprint<'n>> {
    match &key.value {
        Value::Str(s) => Some(Fingerprint::Text(s)),
        Value::Int(n) => Some(Fingerprint::Int(n.get())),
        _ => None,
    }
}

/// Mappings up to this many keys (own and merged) are deduplicated by a
/// linear scan, faster than hashing at compose sizes; larger ones (never
/// seen in compose files, but possible in hostile input) by a hash set.
const LINEAR: usize = 32;

/// Appends to a mapping's own entries, `entries`, the entries of
/// each merge source, in order, used at its alias. Each source is an
/// anchor (by index) holding a mapping of `tree`.
pub(super) fn merge<'t>(
    entries: &mut Vec<(Node<'t>, Node<'t>)>,
    anchors: &Anchors<'t>,
    sources: &[(Loc, usize)],
    tree: &mut Tree<'t>,
) -> Option<()> {
    let mut total = entries.len();
    for &(_, index) in sources {
        total += source(anchors, index)?.range().len();
    }
    if total > LINEAR {
        return merge_hashed(entries, anchors, sources, tree);
    }
    // Every key must have a fingerprint: checked once for the own keys
    // (the merged ones are as they come), so that the scans below can stop
    // at the first match.
    for (key, _) in entries.iter() {
        fingerprint(key)?;
    }
    for &(at, index) in sources {
        let merged = source(anchors, index)?;
        let start = merged.range().start;
        for i in merged.range() {
            let (key, _) = &tree.entries(merged)[i - start];
            let fp = fingerprint(key)?;
            // Against the keys so far, own and merged: all on `entries`.
            let seen = entries.iter().any(|(earlier, _)| fp.is(earlier));
            if !seen {
                entries.push(tree.copy_entry_used(i, at));
            }
        }
    }
    Some(())
}

/// The entries of the merge source `index`; `None` when it is not a
/// mapping (serde-saphyr: "merge value must be a mapping or a sequence of
/// mappings").
fn source(anchors: &Anchors<'_>, index: usize) -> Option<Children> {
    match anchors.at(index).node.value {
        Value::Map(children) => Some(children),
        _ => None,
    }
}

/// [`merge`] with a hash set of the keys seen, for large mappings.
fn merge_hashed<'t>(
    entries: &mut Vec<(Node<'t>, Node<'t>)>,
    anchors: &Anchors<'t>,
    sources: &[(Loc, usize)],
    tree: &mut Tree<'t>,
) -> Option<()> {
    let mut seen = std::collections::HashSet::new();
    for (key, _) in entries.iter() {
        seen.insert(fingerprint(key)?.owned());
    }
    for &(at, index) in sources {
        let merged = source(anchors, index)?;
        let start = merged.range().start;
        for i in merged.range() {
            let (key, _) = &tree.entries(merged)[i - start];
            if seen.insert(fingerprint(key)?.owned()) {
                entries.push(tree.copy_entry_used(i, at));
            }
        }
    }
    Some(())
}
