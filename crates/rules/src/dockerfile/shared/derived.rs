//! What the rules derive from a Dockerfile once and share: the scripts of
//! every RUN (tokenising them is most of a lint's cost, and a dozen rules
//! read them) and the variables the file sets.
//!
//! Each source being linted has a [`Derived`] slot in the
//! [`Context`](crate::context::Context), filled on first use. A source that
//! is not one of the context's (no caller does this; it keeps the helpers
//! total) is derived afresh each time, hence the `Cow`.

use std::borrow::Cow;
use std::sync::OnceLock;

use bulwark_syntax::Source;

use super::{Run, Setting, read_runs, read_settings};
use crate::context::Context;

/// The derived results of one source.
#[derive(Default)]
pub(crate) struct Derived<'s> {
    runs: OnceLock<Vec<Run<'s>>>,
    settings: OnceLock<Vec<Setting>>,
    /// What the rules index once (which programs each RUN runs, the files
    /// it writes, the images it pulls, …), each part filled on first use.
    pub(crate) index: super::Index,
}

/// Every RUN (and ONBUILD RUN) of `source` with its scripts, in order;
/// empty for a source that is not a Dockerfile. Inline: every rule that
/// reads the RUNs asks, most often once the slot is filled.
#[inline]
pub(crate) fn runs<'c, 's>(ctx: &'c Context<'s>, source: &'s Source) -> Cow<'c, [Run<'s>]> {
    let Some(df) = source.dockerfile() else {
        return Cow::Borrowed(&[]);
    };
    match ctx.derived(source) {
        Some(d) => Cow::Borrowed(d.runs.get_or_init(|| read_runs(df))),
        None => Cow::Owned(read_runs(df)),
    }
}

/// Every variable `source` sets, in order (see [`read_settings`]).
pub(crate) fn settings<'c, 's>(ctx: &'c Context<'s>, source: &'s Source) -> Cow<'c, [Setting]> {
    let Some(df) = source.dockerfile() else {
        return Cow::Borrowed(&[]);
    };
    match ctx.derived(source) {
        Some(d) => Cow::Borrowed(
            d.settings
                .get_or_init(|| read_settings(df, &runs(ctx, source))),
        ),
        None => Cow::Owned(read_settings(df, &read_runs(df))),
    }
}
