//! bulwark's rules and the machinery around them.
//!
//! - [`rule`]: what a rule is; [`declare_rule!`] declares one with its docs.
//! - [`finding`]: statuses, subjects, evidence.
//! - [`context`]: what a rule reads (snapshot, daemon settings, policy).
//! - [`registry`]: every rule, in one list.
//! - [`benchmark`]: control-id mappings (`benchmarks/*.toml`).
//! - [`select`]: `--select` / `--ignore` / `--level`.
//! - [`evaluate`]: running rules and rolling findings up per control.
//! - [`linter`]: the lint rules over one file at a time.
//!
//! Rules live one per file under a folder per target (`daemon/`,
//! `container/`, `swarm/`, `ops/`), always in the same order: declaration
//! and docs, then logic, then tests with pass and fail vectors. They are
//! pure functions of the snapshot: no I/O, no Docker calls.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod benchmark;
pub mod context;
#[doc(hidden)]
pub mod corpus;
pub mod declare;
pub mod evaluate;
pub mod finding;
pub mod linter;
pub mod policy;
pub mod predicates;
pub mod registry;
pub mod rule;
pub mod select;
pub mod settings;
pub mod shared;
pub mod sources;

mod compose;
mod container;
mod daemon;
mod dockerfile;
mod files;
mod lint;
mod ops;
mod place_order;
mod swarm;

#[cfg(test)]
mod testing;

pub use benchmark::Benchmark;
pub use context::Context;
pub use finding::{Evidence, Finding, Location, Source, Status, Subject, SubjectKind, Verdict};
pub use policy::Policy;
pub use rule::{Rule, RuleMeta, Severity, Target};
