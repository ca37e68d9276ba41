//! End-to-end tests of [`super::parse`].

use super::*;

#[test]
fn dump_realistic() {
    let file = parse(include_str!("fixtures/realistic.yml"));
    println!("{}", serde_json::to_string_pretty(&file).unwrap());
}
