//! Running serde-saphyr with bulwark's limits, and turning its errors into
//! diagnostics.
//!
//! The limits are what make hostile input cheap: a compose file comes from
//! the repository being linted, so a pull request can carry an alias bomb
//! ("billion laughs"), a 10 000-level nesting or a 1 GB file aimed at the CI
//! runner. Every limit below fails with a diagnostic at the place where it
//! was crossed, and everything read before that point is kept (see
//! [`super::nested`]).

use serde::Deserialize;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{
    Budget, DuplicateKeyPolicy, Error, Location, MessageFormatter, NonFiniteFloatPolicy, Options,
    UserMessageFormatter,
};

use super::nested::{Node, SalvageScope, into_tree};
use super::positions::Positions;
use super::tree::Tree;
use crate::{Diagnostic, Span};

/// Larger files are refused outright. Real compose files are kilobytes; the
/// budgets below would stop a bigger one anyway, but refusing it costs
/// nothing and bounds the line index too.
pub(crate) const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

/// YAML nodes (scalars and collections, those produced by aliases and merge
/// keys included). A few thousand is a large compose file; 250 000 bounds
/// the tree to a few tens of MB.
pub(super) const MAX_NODES: usize = 250_000;

/// Nesting of mappings and sequences. Compose needs five or so levels
/// (`services.web.deploy.resources.limits`). The deserializer recurses per
/// level: measured at the limit, about 175 KB of stack in a release build
/// and 1.4 MB in a debug build (which still fits the 2 MB of a spawned or
/// test thread; 64 levels would not).
pub(super) const MAX_DEPTH: usize = 32;

/// Events replayed by aliases (`*name`): what an alias bomb multiplies.
pub(super) const MAX_REPLAYED_EVENTS: usize = 250_000;

/// The options every compose parse uses.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_nodes = MAX_NODES;
    budget.max_depth = MAX_DEPTH;
    // The ratio heuristic (more than 10 aliases per anchor) flags ordinary
    // compose files: 40 services merging one `x-defaults` anchor. The node
    // and replay limits bound what aliases can cost, whatever the ratio.
    budget.enforce_alias_anchor_ratio = false;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = MAX_REPLAYED_EVENTS;
    // Duplicate keys reach the reader, which reports each one with both
    // places instead of losing the whole file to the first.
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    // `.inf` and `.nan` are strings to compose; never an error here.
    options.non_finite_float_policy = NonFiniteFloatPolicy::AsString;
    // Diagnostics carry a span; the renderer draws its own snippet.
    options.with_snippet = false;
    options
}

/// A diagnostic when `text` is too large to read at all. Checked before
/// anything else, the line index included, is built.
pub(crate) fn too_large(text: &str) -> Option<Diagnostic> {
    (text.len() > MAX_INPUT_BYTES).then(|| {
        let message = format!(
            "the file is {} bytes; bulwark reads compose files up to {MAX_INPUT_BYTES} bytes",
            text.len()
        );
        Diagnostic::new(Span::new(0, 0), message)
    })
}

/// The YAML tree of the text (whole, partial or absent) and the YAML
/// errors. The fast loader reads most compose files; whatever it gives up
/// on, serde-saphyr reads (the same tree, by construction and by the
/// differential tests).
pub(crate) fn load<'t>(positions: &Positions<'t>) -> (Tree<'t>, Vec<Diagnostic>) {
    if let Some(tree) = super::fast::load(positions.text()) {
        // In tests, every text the fast loader reads (those of all compose
        // tests of the crate) is also read by serde-saphyr and compared.
        #[cfg(test)]
        if super::fast::differential::ENABLED.get()
            && let Err(difference) = super::fast::differential::check(positions.text())
        {
            panic!("{difference}");
        }
        return (tree, Vec::new());
    }
    load_saphyr(positions)
}

/// [`load`] through serde-saphyr alone.
pub(crate) fn load_saphyr<'t>(positions: &Positions<'t>) -> (Tree<'t>, Vec<Diagnostic>) {
    let text = positions.text();
    let scope = SalvageScope::new();
    let mut root = None;
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        // Kept outside the closure: an error after the first document (a
        // second document, trailing garbage) must not lose the first.
        root = Some(Node::deserialize(de)?);
        Ok(())
    });
    match result {
        Ok(()) => (into_tree(root), Vec::new()),
        Err(error) => {
            let root = root.or_else(|| scope.partial_root());
            (into_tree(root), vec![diagnostic(&error, positions)])
        }
    }
}

/// A diagnostic for a serde-saphyr error, at its location.
fn diagnostic(error: &Error, positions: &Positions<'_>) -> Diagnostic {
    let span = error
        .location()
        .map_or(Span::new(0, 0), |loc| span_of(loc, positions));
    let mut d = Diagnostic::new(span, message(innermost(error)));
    if let Error::Unexpected { expected, .. } = innermost(error) {
        d = d.expected(*expected);
    }
    d
}

/// The error inside alias and snippet wrappers, which only add context.
fn innermost(mut error: &Error) -> &Error {
    while let Error::AliasError { error: inner, .. } | Error::WithSnippet { error: inner, .. } =
        error
    {
        error = inner;
    }
    error
}

fn message(error: &Error) -> String {
    let message = match error {
        Error::Budget { breach, .. } => budget_message(breach),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => {
            "aliases expand to more than bulwark reads (an alias bomb?); reading stopped here"
                .to_owned()
        }
        Error::MultipleDocuments { .. } => {
            "the file holds more than one YAML document; only the first is read".to_owned()
        }
        _ => UserMessageFormatter.format_message(error).into_owned(),
    };
    // The text can quote the input: keep control characters out of
    // terminals and CI logs.
    message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn budget_message(breach: &BudgetBreach) -> String {
    let what = match breach {
        BudgetBreach::Nodes { .. } => format!("more than {MAX_NODES} YAML nodes"),
        BudgetBreach::Depth { .. } => format!("nesting deeper than {MAX_DEPTH} levels"),
        BudgetBreach::Aliases { aliases } => format!("{aliases} aliases"),
        BudgetBreach::Anchors { anchors } => format!("{anchors} anchors"),
        BudgetBreach::Events { events } => format!("{events} YAML events"),
        BudgetBreach::ScalarBytes { total_scalar_bytes } => {
            format!("{total_scalar_bytes} bytes of scalar text")
        }
        BudgetBreach::MergeKeys { merge_keys } => format!("{merge_keys} merge keys"),
        BudgetBreach::AliasAnchorRatio { aliases, anchors } => {
            format!("{aliases} aliases for {anchors} anchors (an alias bomb?)")
        }
        other => format!("{other:?}"),
    };
    format!("the file exceeds bulwark's YAML limits ({what}); reading stopped here")
}

/// The byte span of a serde-saphyr location. Parser (syntax) errors carry
/// only character counts, converted here; those happen once per parse.
fn span_of(loc: Location, positions: &Positions<'_>) -> Span {
    let span = loc.span();
    if let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) {
        return positions.clamp(to_usize(start), to_usize(len));
    }
    if loc == Location::UNKNOWN {
        return Span::new(0, 0);
    }
    let text = positions.text();
    let mut chars = text.char_indices().skip(to_usize(span.offset()));
    match chars.next() {
        Some((start, c)) => {
            let len = if span.is_empty() { 0 } else { c.len_utf8() };
            Span::new(start, start + len)
        }
        None => Span::new(text.len(), text.len()),
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::tree::Value;

    fn run(text: &str) -> (Tree<'_>, Vec<Diagnostic>) {
        load(&Positions::new(text))
    }

    #[test]
    fn a_syntax_error_keeps_what_came_before() {
        let text = "a: 1\nb:\n  c: 2\n  d: [\n";
        let (tree, diags) = run(text);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("unclosed bracket"), "{diags:?}");
        assert_eq!(diags[0].span.text(text), "[");
        let root = tree.root.as_ref().unwrap();
        assert!(!root.complete());
        let Value::Map(entries) = root.value else {
            panic!("{root:?}")
        };
        let entries = tree.entries(entries);
        assert_eq!(entries.len(), 2);
        let (_, b) = &entries[1];
        assert!(!b.complete());
        let Value::Map(inner) = b.value else {
            panic!("{b:?}")
        };
        assert!(matches!(tree.entries(inner)[0].1.value, Value::Int(n) if n.get() == 2));
    }

    #[test]
    fn a_second_document_keeps_the_first() {
        let (tree, diags) = run("a: 1\n---\nb: 2\n");
        assert!(tree.root.unwrap().complete());
        assert!(diags[0].message.contains("more than one YAML document"));
    }

    #[test]
    fn the_salvage_slot_does_not_leak_into_the_next_parse() {
        let _ = run("a: [1, 2\n");
        let (tree, diags) = run("x: 1\n");
        assert!(diags.is_empty());
        assert!(tree.root.unwrap().complete());
    }

    #[test]
    fn errors_in_non_ascii_text_point_at_bytes() {
        let text = "é: ü\nb: [\n";
        let (_, diags) = run(text);
        assert_eq!(diags[0].span.text(text), "[");
    }

    #[test]
    fn oversized_input_is_refused() {
        assert!(too_large(&" ".repeat(MAX_INPUT_BYTES)).is_none());
        let text = "\n".repeat(MAX_INPUT_BYTES + 1);
        assert!(too_large(&text).unwrap().message.contains("up to"));
        let file = crate::compose::parse(&text);
        assert!(file.services.is_empty() && !file.complete);
        assert_eq!(file.diagnostics.len(), 1);
    }
}
