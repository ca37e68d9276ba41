//! End-to-end tests of [`super::parse`]: text in, model and diagnostics out.
//!
//! Positions are written out by hand as (line, column), and the text under
//! each span is checked too, so a test fails if either drifts.

mod anchors;
mod errors;
mod limits;
mod properties;
mod snapshot;
mod variants;

use super::*;
use crate::{Diagnostic, Span};

/// Parses `text` and asserts that it raised no diagnostic.
fn parse_clean(text: &str) -> ComposeFile {
    let file = parse(text);
    assert!(file.diagnostics.is_empty(), "{:#?}", file.diagnostics);
    assert!(file.complete);
    file
}

/// The service `name`, which must exist.
fn service<'f>(file: &'f ComposeFile, name: &str) -> &'f Service {
    file.service(name)
        .unwrap_or_else(|| panic!("no service {name}: {file:#?}"))
}

/// A place of `text` as (line, column).
fn at(text: &str, place: Place) -> (u32, u32) {
    line_col(text, place.span)
}

/// The text a place covers.
fn text_at(text: &str, place: Place) -> &str {
    place.span.text(text)
}

/// The values of a located list.
fn values<T: Clone>(list: &Option<LocatedList<T>>) -> Vec<T> {
    list.as_ref()
        .map(|l| l.value.iter().map(|i| i.value.clone()).collect())
        .unwrap_or_default()
}

/// Asserts that exactly one diagnostic mentions `needle`, and returns it.
fn diagnostic<'f>(file: &'f ComposeFile, needle: &str) -> &'f Diagnostic {
    let found: Vec<_> = file
        .diagnostics
        .iter()
        .filter(|d| d.message.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "{needle:?} in {:#?}", file.diagnostics);
    found[0]
}

/// The span's position as (line, column), through the crate's `LineIndex`.
fn line_col(text: &str, span: Span) -> (u32, u32) {
    let p = crate::LineIndex::new(text).position(text, span.start);
    (p.line, p.column)
}
