//! Expansions whose result is known without expanding.
//!
//! `Dockerfile::expand_at` returns an owned string, and works out the
//! variables in scope first when the text reads one (a walk over the
//! stage that expands every ENV and ARG value on the way). Two cases need
//! neither:
//! - most values the rules expand (EXPOSE ports, WORKDIR paths, image
//!   references) are literal: no `$`, no quote, no escape character. The
//!   expansion is the text itself, complete, read in place ([`literal`]);
//! - a lone `${NAME}` that nothing in scope declares (a global ARG not
//!   declared again in the stage, say) expands to nothing, incomplete,
//!   whatever the values of the other variables ([`unset_variable`]).

use bulwark_syntax::dockerfile::{Args, Dockerfile, lone_variable};

/// `text`, when expanding it in `df` (at any instruction) gives `text`
/// back, complete: it has no `$`, no quote and no escape character, the
/// characters expansion reads.
pub(crate) fn literal<'t>(df: &Dockerfile, text: &'t str) -> Option<&'t str> {
    let escape = df.escape;
    let special = |b: u8| b == b'$' || b == b'\'' || b == b'"' || u32::from(b) == escape as u32;
    // The escape character is `\` or `` ` ``; a non-ASCII one (which the
    // parser never sets) is looked for as a character.
    let plain = if escape.is_ascii() {
        !text.bytes().any(special)
    } else {
        !text.bytes().any(special) && !text.contains(escape)
    };
    plain.then_some(text)
}

/// Whether expanding `text` at the instruction `index` of `df` is sure to
/// be incomplete: `text` is a lone variable, read inside a stage (not on
/// its FROM), and no instruction that can give it a value there declares
/// it: an ARG or ENV of the stage before `index`, or an ENV of a stage
/// it is built on. Those are the only sources of the variables a stage's
/// instruction sees (global ARGs reach it through an `ARG NAME` of the
/// stage); names are compared exactly, as the variables are looked up.
/// `false` says nothing: expand to know.
pub(crate) fn unset_variable(df: &Dockerfile, text: &str, index: usize) -> bool {
    let Some(name) = lone_variable(text) else {
        return false;
    };
    let Some(stage) = df.stage_of(index) else {
        return false;
    };
    if index == stage.from {
        return false;
    }
    let declares = |range: std::ops::Range<usize>, with_args: bool| {
        df.instructions.get(range).unwrap_or(&[]).iter().any(|i| {
            let pairs = match &i.args {
                Args::Env(pairs) => pairs,
                Args::Arg(pairs) if with_args => pairs,
                _ => return false,
            };
            pairs.iter().any(|p| p.key.value == name)
        })
    };
    if declares(stage.from + 1..index.min(stage.end), true) {
        return false;
    }
    // The ENVs of the stages it is built on, nearest first (parents are
    // earlier stages, as the parser links them).
    let mut parent = stage.parent;
    while let Some(p) = parent.and_then(|p| df.stages.get(p)) {
        if declares(p.from + 1..p.end, false) {
            return false;
        }
        parent = p.parent.filter(|&pp| pp < p.index);
    }
    true
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::dockerfile::parse;
    use proptest::prelude::*;

    use super::*;

    const LINES: &[&str] = &[
        "ARG U=1\n",
        "ARG U\n",
        "ENV U=2\n",
        "ENV u=3\n",
        "ARG V=$U\n",
        "ENV W=${U}\n",
        "FROM a AS one\n",
        "FROM one AS two\n",
        "FROM b\n",
        "FROM two\n",
        "USER x\n",
        "ARG X\n",
        "ENV U\n",
    ];

    proptest! {
        /// What `unset_variable` is sure of, expanding finds.
        #[test]
        fn unset_variables_expand_incomplete(
            lines in proptest::collection::vec(proptest::sample::select(LINES), 0..9),
            text in proptest::sample::select(&["${U}", "$U", "${u}", "$W", "${V}", "${X}", "$U:x", "${U:-1}", "$"][..]),
        ) {
            let df = parse(&lines.concat());
            for index in 0..df.instructions.len() {
                if unset_variable(&df, text, index) {
                    prop_assert!(!df.expand_at(text, index).is_complete(), "{} at {}", lines.concat(), index);
                }
            }
        }

        /// A literal expands to itself, complete, wherever it is expanded.
        #[test]
        fn literals_expand_to_themselves(
            text in "[a-z0-9/$'\"\\\\`{}.:é -]{0,10}",
            escape in proptest::sample::select(&["", "# escape=`\n"][..]),
        ) {
            let df = parse(&format!("{escape}ARG A=1\nFROM x\nARG B=2\nENV C=3\nRUN true\n"));
            for index in 0..df.instructions.len() {
                if let Some(v) = literal(&df, &text) {
                    let e = df.expand_at(&text, index);
                    prop_assert!(e.is_complete());
                    prop_assert_eq!(v, e.value.as_str());
                }
            }
        }
    }
}
