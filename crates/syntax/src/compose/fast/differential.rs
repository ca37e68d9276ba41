//! The differential check: whenever the fast loader builds a tree, it must
//! be the tree serde-saphyr builds, to the last location. Used by the unit
//! and property tests, and by the `compose_fast` fuzz target (through
//! `bulwark_syntax::compose::fast_load_check`, behind the `fuzzing`
//! feature).
//!
//! Trees are compared through a dump that writes every node's value (floats
//! by their bits, so `-0.0` differs from `0.0`), both spans and the
//! `complete` flag, in entry order: two trees are the same exactly when
//! their dumps are.

use std::fmt::Write;

use super::super::load::load_saphyr;
use super::super::positions::Positions;
use super::super::tree::{Node, Tree, Value};

#[cfg(test)]
thread_local! {
    /// Whether `load` runs the check on every text the fast loader reads
    /// (tests only; the timing test turns it off).
    pub(crate) static ENABLED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// `Ok(true)` when the fast loader read `text` and built serde-saphyr's
/// tree, `Ok(false)` when it gave up, `Err` with both dumps when they
/// differ or when serde-saphyr reports an error on a text the fast loader
/// accepted.
pub(crate) fn check(text: &str) -> Result<bool, String> {
    let Some(fast) = super::load(text) else {
        return Ok(false);
    };
    let (slow, errors) = load_saphyr(&Positions::new(text));
    let fast_dump = dump(&fast, text);
    if !errors.is_empty() {
        let messages: Vec<_> = errors.iter().map(|d| &d.message).collect();
        return Err(format!(
            "the fast loader accepted a text serde-saphyr rejects: {messages:?}\n\
             text: {text:?}\nfast:\n{fast_dump}"
        ));
    }
    let slow_dump = match slow.root {
        Some(_) => dump(&slow, text),
        None => "(no tree)".to_owned(),
    };
    if fast_dump == slow_dump {
        Ok(true)
    } else {
        Err(format!(
            "trees differ\ntext: {text:?}\nfast:\n{fast_dump}serde-saphyr:\n{slow_dump}"
        ))
    }
}

/// One line per node of the tree, indented by depth: spans (with the
/// text they cover), `complete`, and the value.
pub(crate) fn dump(tree: &Tree<'_>, text: &str) -> String {
    let mut out = String::new();
    if let Some(root) = &tree.root {
        dump_into(root, tree, text, 0, &mut out);
    }
    out
}

fn dump_into(node: &Node<'_>, tree: &Tree<'_>, text: &str, depth: usize, out: &mut String) {
    let span = |l: super::super::tree::Loc| {
        let s = l.span();
        format!("{}..{} {:?}", s.start, s.end, s.text(text))
    };
    let _ = write!(
        out,
        "{:indent$}used {} defined {}{} ",
        "",
        span(node.used),
        span(node.defined),
        if node.complete() { "" } else { " (partial)" },
        indent = depth * 2
    );
    match &node.value {
        Value::Seq(items) => {
            out.push_str("seq\n");
            for item in tree.items(*items) {
                dump_into(item, tree, text, depth + 1, out);
            }
        }
        Value::Map(entries) => {
            out.push_str("map\n");
            for (key, value) in tree.entries(*entries) {
                dump_into(key, tree, text, depth + 1, out);
                dump_into(value, tree, text, depth + 2, out);
            }
        }
        Value::Float(x) => {
            let _ = writeln!(out, "Float({x:?}, bits {:#x})", x.to_bits());
        }
        other => {
            let _ = writeln!(out, "{other:?}");
        }
    }
}
