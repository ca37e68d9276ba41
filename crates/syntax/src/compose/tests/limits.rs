//! Hostile and huge input: bounded time and memory, a diagnostic, no panic.
//!
//! Each test prints its timing (`cargo test -- --nocapture`); the bounds
//! asserted are loose enough for an unoptimized build on a loaded machine
//! and still far below what an unbounded expansion would take.

use std::time::{Duration, Instant};

use super::*;

const BOUND: Duration = Duration::from_secs(30);

fn timed(label: &str, text: &str) -> ComposeFile {
    let start = Instant::now();
    let file = parse(text);
    let elapsed = start.elapsed();
    eprintln!(
        "{label}: {} bytes, {} services, {} diagnostics, {elapsed:?}",
        text.len(),
        file.services.len(),
        file.diagnostics.len()
    );
    assert!(elapsed < BOUND, "{label} took {elapsed:?}");
    for d in &file.diagnostics {
        assert!(d.span.end <= text.len() && text.is_char_boundary(d.span.start));
    }
    file
}

/// About 10 MB of small services: more nodes than bulwark reads, so the
/// services before the limit come back with a diagnostic.
#[test]
fn ten_megabytes_of_small_services() {
    let mut text = String::from("services:\n");
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!(
            "  svc{i}:\n    image: nginx:1.{i}\n    privileged: true\n    environment:\n      - A{i}=b\n    ports:\n      - \"80{}:80\"\n",
            i % 10
        ));
        i += 1;
    }
    let file = timed("10 MB, small services", &text);
    diagnostic(&file, "exceeds bulwark's YAML limits");
    diagnostic(&file, "more than 10000 services");
    assert_eq!(file.services.len(), 10_000);
    assert!(file.services.iter().all(|s| s.complete));
}

/// Many empty services: each costs a few bytes of text and a few KB of
/// model, so their number is capped.
#[test]
fn a_flood_of_empty_services() {
    let services: Vec<String> = (0..120_000).map(|i| format!("s{i}: {{}}")).collect();
    let text = format!("services: {{{}}}", services.join(", "));
    let file = timed("120k empty services", &text);
    diagnostic(&file, "more than 10000 services");
    assert_eq!(file.services.len(), 10_000);
}

/// About 10 MB in few nodes (long commands): read whole.
#[test]
fn ten_megabytes_of_long_values() {
    let command = "x".repeat(4000);
    let mut text = String::from("services:\n");
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!(
            "  svc{i}:\n    image: nginx\n    command: \"{command}\"\n    user: \"{i}\"\n"
        ));
        i += 1;
    }
    let file = timed("10 MB, long values", &text);
    assert!(file.diagnostics.is_empty(), "{:#?}", file.diagnostics);
    assert_eq!(file.services.len(), i);
    let last = file.services.last().unwrap();
    assert_eq!(last.user.as_ref().unwrap().value, (i - 1).to_string());
}

#[test]
fn billion_laughs() {
    let mut text = String::from("x-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let prev = format!("*a{}", level - 1);
        let items = [prev.as_str(); 9].join(", ");
        text.push_str(&format!("x-{level}: &a{level} [{items}]\n"));
    }
    text.push_str("services:\n  web:\n    image: nginx\n");
    let file = timed("billion laughs", &text);
    assert!(!file.diagnostics.is_empty());
}

#[test]
fn merge_key_bomb() {
    let mut text = String::from("x-0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n");
    for level in 1..12 {
        let p = level - 1;
        text.push_str(&format!(
            "x-{level}: &m{level}\n  <<: [*m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}]\n  k{level}: [*m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}, *m{p}]\n"
        ));
    }
    text.push_str("services:\n  web:\n    <<: *m11\n    image: nginx\n");
    let file = timed("merge-key bomb", &text);
    assert!(!file.diagnostics.is_empty());
}

#[test]
fn deep_nesting() {
    let flow_seq = format!("services: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let flow_map = format!("services: {}{}", "{a: ".repeat(50_000), "}".repeat(50_000));
    let mut block = String::from("services:\n");
    for depth in 1..2_000 {
        block.push_str(&" ".repeat(depth));
        block.push_str("a:\n");
    }
    let mut seqs = String::from("services:\n  web:\n    volumes:\n");
    seqs.push_str(&"- ".repeat(50_000));
    seqs.push_str("x\n");
    for (label, text) in [
        ("flow sequences", flow_seq),
        ("flow mappings", flow_map),
        ("block mappings", block),
        ("block sequences", seqs),
    ] {
        let file = timed(&format!("100k-level nesting, {label}"), &text);
        assert!(!file.diagnostics.is_empty(), "{label}");
    }
}

/// A huge file on a single line, where a position lookup that counts from
/// the start of the line would make the parse quadratic.
#[test]
fn one_long_line() {
    let items = vec!["A=1"; 200_000].join(", ");
    let text = format!("{{services: {{web: {{image: a, environment: [{items}]}}}}}}");
    let file = timed("one 1 MB line, 200k items", &text);
    assert!(file.diagnostics.is_empty(), "{:#?}", file.diagnostics);
    let env = service(&file, "web").environment.clone().unwrap();
    let last = env.value.last().unwrap();
    assert_eq!(text_at(&text, last.used), "A=1");
}

/// Many anchors each used a little: legitimate reuse is not mistaken for
/// a bomb.
#[test]
fn heavy_but_legitimate_anchor_use() {
    let mut text = String::from(
        "x-common: &common\n  restart: always\n  security_opt: [no-new-privileges:true]\n  cap_drop: [ALL]\nservices:\n",
    );
    for i in 0..2_000 {
        text.push_str(&format!("  s{i}:\n    <<: *common\n    image: app:{i}\n"));
    }
    let file = timed("2000 services merging one anchor", &text);
    assert!(file.diagnostics.is_empty(), "{:#?}", file.diagnostics);
    assert_eq!(file.services.len(), 2_000);
    let last = file.services.last().unwrap();
    assert_eq!(at(&text, last.restart.as_ref().unwrap().defined), (2, 12));
}
