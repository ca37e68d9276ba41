//! Differential fuzz target for the fast compose loader: whenever it reads
//! a text, its tree must be the one serde-saphyr builds (values, both
//! locations of every node, entry order), and serde-saphyr must accept the
//! text. `bulwark_syntax::compose::fast_load_check` does the comparison.
//!
//! The first byte picks how the rest is used: as the text itself (mutated
//! by libFuzzer from the seed corpus), or as the decisions of the
//! structured generator of compose-like YAML that the unit tests use (so
//! that coverage guides the document's shape too), with a few random edits.

#![no_main]

use bulwark_syntax::compose::{fast_load_check, fast_load_generate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode % 2 == 0 {
        match std::str::from_utf8(rest) {
            Ok(text) => text.to_owned(),
            Err(_) => return,
        }
    } else {
        fast_load_generate(rest, usize::from(mode / 2 % 4))
    };
    if let Err(difference) = fast_load_check(&text) {
        panic!("{difference}");
    }
    // The whole parse never panics either, whichever loader reads it.
    let _ = bulwark_syntax::compose::parse(&text);
});
