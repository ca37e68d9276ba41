//! Parsers for the files bulwark lints, with exact positions.
//!
//! - [`dockerfile`]: a hand-written Dockerfile parser (BuildKit semantics:
//!   directives, both escape characters, heredocs anywhere, exec and shell
//!   forms, flags). No crate parses heredocs with spans (see
//!   `shared/reference/crates.md`), so this one is ours.
//! - [`compose`]: compose files into our own structs, with the position of
//!   every audited value (merge keys included): a fast loader for the YAML
//!   compose files are written in, serde-saphyr for the rest.
//! - [`dockerd`]: dockerd's own command line, parsed as dockerd parses it;
//!   the collector and the daemon rules both read it.
//!
//! Both are pure: text in, syntax tree and diagnostics out. Every node
//! carries a byte [`Span`]; [`LineIndex`] turns offsets into 1-based
//! line:column. Malformed input yields diagnostics with a position and the
//! parse goes on; nothing here panics, whatever the input.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod ascii;
pub mod compose;
pub mod dockerd;
pub mod dockerfile;
mod source;
mod span;

pub use ascii::{ascii_digits, byte_set, split_once_ascii};
/// The string type of words, tokens and flags in the Dockerfile tree:
/// inline up to 23 bytes, shared (O(1) clone) beyond. It derefs to `str`
/// and compares with `str` and `String`; `String::from` or `.to_string()`
/// gives an owned `String`.
pub use smol_str::SmolStr;
pub use source::{Source, SourceKind, Tree};
pub use span::{Diagnostic, LineIndex, Position, Span};
