//! Tests of the fast loader. Every accepted text is checked against
//! serde-saphyr with [`assert_same`]: the point is not what the tree looks
//! like but that it is serde-saphyr's.
//!
//! - `constructs`: each construct of the subset is accepted, and each thing
//!   outside it is given up on.
//! - `fixtures`: every compose text of the crate's other tests.
//! - `generated`: random compose-like YAML and mutations of it.

mod constructs;
mod fixtures;
mod generated;

use super::differential::check;

/// Asserts that the fast loader either gives up on `text` or builds
/// exactly serde-saphyr's tree; returns whether it built one.
#[track_caller]
pub(super) fn assert_same(text: &str) -> bool {
    match check(text) {
        Ok(accepted) => accepted,
        Err(difference) => panic!("{difference}"),
    }
}

/// Asserts that the fast loader builds a tree for `text`, serde-saphyr's.
#[track_caller]
pub(super) fn accepts(text: &str) {
    assert!(assert_same(text), "the fast loader gave up on {text:?}");
}

/// Asserts that the fast loader gives up on `text`.
#[track_caller]
pub(super) fn gives_up(text: &str) {
    assert!(
        super::load(text).is_none(),
        "the fast loader accepted {text:?}"
    );
}
