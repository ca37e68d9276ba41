//! [`Part`]: a piece of the snapshot that was either collected or not, and
//! if not, why.

use serde::{Deserialize, Serialize};

/// A separately collected piece of the snapshot.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part<T> {
    /// The data, as collected.
    Collected(T),
    /// Why there is no data.
    Missing(Gap),
}

impl<T> Default for Part<T> {
    fn default() -> Self {
        Part::Missing(Gap::skipped("not collected"))
    }
}

impl<T> Part<T> {
    /// The data, if collected.
    pub fn get(&self) -> Option<&T> {
        match self {
            Part::Collected(v) => Some(v),
            Part::Missing(_) => None,
        }
    }

    /// The data or the gap, for `match`-free use with `?`-like flows.
    pub fn as_result(&self) -> Result<&T, &Gap> {
        match self {
            Part::Collected(v) => Ok(v),
            Part::Missing(g) => Err(g),
        }
    }
}

/// Why a part is missing, and whether that is a failure of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// `skipped` when the part was deliberately or legitimately not read
    /// (remote daemon, no permission by design); `error` when reading it
    /// failed unexpectedly.
    pub kind: GapKind,
    /// One line a person can act on.
    pub reason: String,
}

/// See [`Gap::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// Not evaluated on purpose.
    Skipped,
    /// The probe failed.
    Error,
}

impl Gap {
    /// A deliberate gap.
    pub fn skipped(reason: impl Into<String>) -> Self {
        Gap {
            kind: GapKind::Skipped,
            reason: reason.into(),
        }
    }

    /// A failed probe.
    pub fn error(reason: impl Into<String>) -> Self {
        Gap {
            kind: GapKind::Error,
            reason: reason.into(),
        }
    }
}
