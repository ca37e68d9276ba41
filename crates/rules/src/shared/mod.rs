//! Logic that several rules share and that reads facts types (the
//! input-agnostic predicates live in [`crate::predicates`]). Rule files do
//! not export helpers to each other: what two rules need lives here.

pub mod compose;
pub mod exec;
pub mod files;
pub mod limits;
pub mod namespace;
pub mod ports;
