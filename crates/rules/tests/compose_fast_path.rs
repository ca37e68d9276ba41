//! Every compose file of the generated lint corpus (`bulwark_rules::corpus`,
//! what `cargo xtask lint-corpus` writes and the lint benchmarks read) is
//! read by the fast compose loader, and its tree is exactly the one
//! serde-saphyr builds. If a change to the corpus or to the loader makes
//! these files take the slow path, compose parsing drops from well over
//! 100 MB/s to about 6: this test says so first.

use bulwark_syntax::compose::fast_load_check;

#[test]
fn every_corpus_compose_file_takes_the_fast_path_with_the_same_tree() {
    let files = bulwark_rules::corpus::generate(200);
    let mut compose = 0;
    for (path, text) in &files {
        if !path.ends_with("compose.yml") {
            continue;
        }
        compose += 1;
        match fast_load_check(text) {
            Ok(true) => {}
            Ok(false) => panic!("{path} takes the slow path:\n{text}"),
            Err(difference) => panic!("{path}: {difference}"),
        }
    }
    assert_eq!(compose, 200);
}
