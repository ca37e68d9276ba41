//! Rules about linting itself: files that do not parse, suppressions
//! without a reason.

mod parse_error;
mod unexplained_suppression;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &parse_error::ParseError,
    &unexplained_suppression::UnexplainedSuppression,
];
