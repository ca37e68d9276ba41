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

use super::super::tree::{Loc, Node, Value};
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
    /// Records `node` under `name`. A name defined twice is left to
    /// serde-saphyr (aliases would then depend on where they are).
    pub(super) fn define(
        &mut self,
        name: &'t str,
        node: &Node<'t>,
        budget: &mut Budget,
    ) -> Option<()> {
        if self.list.len() >= ANCHORS || self.get(name).is_some() {
            return None;
        }
        let mut stats = Stats::default();
        let node = counted_clone(node, &mut stats);
        budget.anchor(stats.nodes, stats.bytes)?;
        self.list.push(Anchor {
            name,
            node,
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

/// A clone of `node`, adding its nodes and bytes to `stats` and raising
/// `stats.height` to its height: one walk of the tree where a clone and a
/// count took two (recursion bounded by the depth limit, which every tree
/// built here respects).
fn counted_clone<'t>(node: &Node<'t>, stats: &mut Stats) -> Node<'t> {
    stats.nodes += 1;
    let value = match &node.value {
        Value::Str(s) => {
            stats.bytes += s.len();
            Value::Str(s.clone())
        }
        Value::Seq(items) => {
            let mut inner = Stats::default();
            let items = items.iter().map(|n| counted_clone(n, &mut inner)).collect();
            stats.add_collection(&inner);
            Value::Seq(items)
        }
        Value::Map(entries) => {
            let mut inner = Stats::default();
            let entries = entries
                .iter()
                .map(|(k, v)| (counted_clone(k, &mut inner), counted_clone(v, &mut inner)))
                .collect();
            stats.add_collection(&inner);
            Value::Map(entries)
        }
        other => other.clone(),
    };
    Node {
        value,
        used: node.used,
        defined: node.defined,
        complete: node.complete,
    }
}

impl Stats {
    /// Adds a collection's children (`inner`): the collection is one level
    /// above the highest of them.
    fn add_collection(&mut self, inner: &Stats) {
        self.nodes += inner.nodes;
        self.bytes += inner.bytes;
        self.height = self.height.max(inner.height + 1);
    }
}

/// A copy of `node` as brought in by an alias at `at`: every node inside
/// is used there.
pub(super) fn copy_used<'t>(node: &Node<'t>, at: Loc) -> Node<'t> {
    let value = match &node.value {
        Value::Seq(items) => Value::Seq(items.iter().map(|n| copy_used(n, at)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (copy_used(k, at), copy_used(v, at)))
                .collect(),
        ),
        other => other.clone(),
    };
    Node {
        value,
        used: at,
        defined: node.defined,
        complete: node.complete,
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
            (Fingerprint::Int(n), Value::Int(m)) => n == *m,
            _ => false,
        }
    }
}

fn fingerprint<'n>(key: &'n Node<'_>) -> Option<Fingerprint<'n>> {
    match &key.value {
        Value::Str(s) => Some(Fingerprint::Text(s)),
        Value::Int(n) => Some(Fingerprint::Int(*n)),
        _ => None,
    }
}

/// Mappings up to this many keys (own and merged) are deduplicated by a
/// linear scan, faster than hashing at compose sizes; larger ones (never
/// seen in compose files, but possible in hostile input) by a hash set.
const LINEAR: usize = 32;

/// Appends to a mapping's own entries, `entries[base..]`, the entries of
/// each merge source, in order, used at its alias. Each source is an
/// anchor (by index) holding a mapping.
pub(super) fn merge<'t>(
    entries: &mut Vec<(Node<'t>, Node<'t>)>,
    base: usize,
    anchors: &Anchors<'t>,
    sources: &[(Loc, usize)],
) -> Option<()> {
    let mut total = entries.len() - base;
    for &(_, index) in sources {
        let Value::Map(merged) = &anchors.at(index).node.value else {
            // serde-saphyr: "merge value must be a mapping or a sequence of
            // mappings".
            return None;
        };
        total += merged.len();
    }
    if total > LINEAR {
        return merge_hashed(entries, base, anchors, sources);
    }
    // Every key must have a fingerprint: checked once for the own keys
    // (the merged ones are as they come), so that the scans below can stop
    // at the first match.
    for (key, _) in &entries[base..] {
        fingerprint(key)?;
    }
    for &(at, index) in sources {
        let Value::Map(merged) = &anchors.at(index).node.value else {
            return None;
        };
        for (key, value) in merged {
            let fp = fingerprint(key)?;
            // Against the keys so far, own and merged: all on `entries`.
            let seen = entries[base..].iter().any(|(earlier, _)| fp.is(earlier));
            if !seen {
                entries.push((copy_used(key, at), copy_used(value, at)));
            }
        }
    }
    Some(())
}

/// [`merge`] with a hash set of the keys seen, for large mappings.
fn merge_hashed<'t>(
    entries: &mut Vec<(Node<'t>, Node<'t>)>,
    base: usize,
    anchors: &Anchors<'t>,
    sources: &[(Loc, usize)],
) -> Option<()> {
    let mut seen = std::collections::HashSet::new();
    for (key, _) in &entries[base..] {
        seen.insert(fingerprint(key)?.owned());
    }
    for &(at, index) in sources {
        let Value::Map(merged) = &anchors.at(index).node.value else {
            return None;
        };
        for (key, value) in merged {
            if seen.insert(fingerprint(key)?.owned()) {
                entries.push((copy_used(key, at), copy_used(value, at)));
            }
        }
    }
    Some(())
}
