//! The differential check on random compose-like YAML (see
//! [`super::super::generate`]): as generated, and mutated.

use proptest::prelude::*;

use super::super::generate::{Seeded, document};
use super::assert_same;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn generated_documents(seed in any::<u64>()) {
        assert_same(&document(&mut Seeded(seed | 1), 0));
    }

    #[test]
    fn mutated_documents(seed in any::<u64>(), mutations in 1usize..4) {
        assert_same(&document(&mut Seeded(seed | 1), mutations));
    }
}

/// The generator is worth something only if the fast loader reads a good
/// share of what it makes: otherwise the check above compares nothing.
#[test]
fn most_generated_documents_are_read_fast() {
    let n: u64 = 1000;
    let mut accepted = 0;
    let mut with_block_scalars = 0;
    for seed in 0..n {
        let text = document(&mut Seeded(seed * 7919 + 1), 0);
        if assert_same(&text) {
            accepted += 1;
            with_block_scalars += u64::from(
                text.contains(": |")
                    || text.contains(": >")
                    || text.contains("- |")
                    || text.contains("- >"),
            );
        }
    }
    eprintln!(
        "{accepted} of {n} generated documents read fast, {with_block_scalars} with block scalars"
    );
    assert!(accepted * 5 >= n, "only {accepted} of {n} read fast");
    assert!(
        with_block_scalars * 50 >= n,
        "only {with_block_scalars} with block scalars"
    );
}

#[test]
#[ignore = "debugging aid: prints generated documents"]
fn show_generated() {
    for seed in 1..6u64 {
        let text = document(&mut Seeded(seed * 7919 + 1), 0);
        println!("----- {}\n{text}", super::super::load(&text).is_some());
    }
}
