//! The fast loader's share of bulwark's YAML limits.
//!
//! serde-saphyr enforces the limits of `load.rs` (nodes, depth, replayed
//! alias events) and its own defaults (aliases, anchors, merge keys, events
//! retained for anchors). When a file crosses one of them, the error and
//! its place must come from serde-saphyr, so the fast loader gives up well
//! before: every count here is at least what serde-saphyr counts (alias
//! expansions are charged in full, as are nodes it never builds, such as
//! `<<` keys), and every cap is a fraction of serde-saphyr's. A file near a
//! limit merely takes the slow path; no real compose file comes close.

use super::super::load::{MAX_DEPTH, MAX_NODES, MAX_REPLAYED_EVENTS};

/// Nodes written in the text, plus nodes copied by aliases and merges.
const NODES: usize = MAX_NODES / 2;
/// Events replayed by aliases and merges, counted as two per copied node
/// (a collection's start and end).
const REPLAYED: usize = MAX_REPLAYED_EVENTS / 2;
/// Nesting of collections, alias expansions included. Two levels short of
/// serde-saphyr's, so that no off-by-one in counting can matter.
pub(super) const DEPTH: usize = MAX_DEPTH - 2;
/// serde-saphyr's defaults: 50 000 aliases, 10 000 merge keys, 1 000 000
/// events retained in anchors (each counted once per anchor around it).
const ALIASES: usize = 10_000;
const MERGE_KEYS: usize = 2_000;
const RETAINED: usize = 250_000;
/// serde-saphyr's default of 64 MiB of string bytes retained in anchors.
const RETAINED_BYTES: usize = 16 * 1024 * 1024;
/// Anchors are looked up by a linear scan: a few dozen is a large compose
/// file, and this cap keeps the scan cheap whatever the input.
pub(super) const ANCHORS: usize = 256;

#[derive(Default)]
pub(super) struct Budget {
    nodes: usize,
    replayed: usize,
    aliases: usize,
    merge_keys: usize,
    retained: usize,
    retained_bytes: usize,
}

impl Budget {
    /// One node read from the text. `None` past the cap.
    pub(super) fn node(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= NODES).then_some(())
    }

    /// An alias (or a merge source) copying `nodes` nodes.
    pub(super) fn alias(&mut self, nodes: usize) -> Option<()> {
        self.aliases += 1;
        self.nodes = self.nodes.saturating_add(nodes);
        self.replayed = self.replayed.saturating_add(nodes.saturating_mul(2));
        (self.aliases <= ALIASES && self.nodes <= NODES && self.replayed <= REPLAYED).then_some(())
    }

    pub(super) fn merge_key(&mut self) -> Option<()> {
        self.merge_keys += 1;
        (self.merge_keys <= MERGE_KEYS).then_some(())
    }

    /// An anchor defined on a node of `nodes` nodes holding `bytes` bytes
    /// of strings (expansions included): serde-saphyr records each of their
    /// events for later replay.
    pub(super) fn anchor(&mut self, nodes: usize, bytes: usize) -> Option<()> {
        self.retained = self.retained.saturating_add(nodes.saturating_mul(2));
        self.retained_bytes = self.retained_bytes.saturating_add(bytes);
        (self.retained <= RETAINED && self.retained_bytes <= RETAINED_BYTES).then_some(())
    }
}
