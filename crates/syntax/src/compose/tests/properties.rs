//! Property tests: whatever the input, `parse` returns, and every span it
//! hands out lies within the text, on character boundaries, with the
//! line:column that `LineIndex` gives for it.

use proptest::prelude::*;

use super::*;

/// Pieces of compose-like YAML, glued at random: indentation, anchors,
/// merge keys, flow and block collections, quotes, the short syntaxes,
/// variables, multi-byte characters, tabs and CRs.
const PIECES: &[&str] = &[
    "\n",
    "\n  ",
    "\n    ",
    "\n      ",
    "  ",
    "\t",
    "\r\n",
    "- ",
    ": ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "#",
    "|",
    ">",
    "---",
    "...",
    "?",
    "!",
    "!!str ",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "<<: ",
    "services:",
    "web:",
    "db:",
    "x-common:",
    "image: nginx:latest",
    "privileged: true",
    "privileged: maybe",
    "user: 0",
    "ports:",
    "\"8080:80\"",
    "127.0.0.1:80:80/udp",
    "[::1]:1:2",
    "target: 80",
    "published: 8000-8010",
    "volumes:",
    "./a:/b:ro",
    "/var/run/docker.sock:/x",
    "type: bind",
    "bind: {propagation: rshared}",
    "environment:",
    "A=1",
    "B=",
    "C",
    "K: v",
    "healthcheck:",
    "test: [\"NONE\"]",
    "test: curl",
    "build: .",
    "mem_limit: 512m",
    "cpus: 0.5",
    "deploy:",
    "resources:",
    "limits:",
    "pids: 5",
    "env_file: .env",
    "${X:-1}",
    "é",
    "🔑",
    "~",
    "null",
    "0x1F",
    ".inf",
    "1e3",
    "yes",
];

fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|p| p.concat())
}

fn anything() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..200).prop_map(String::from_iter)
}

/// Every `Span { start, end }` in the model's `Debug` output (which shows
/// every field): places and diagnostics.
fn spans(debug: &str) -> Vec<Span> {
    fn number<T: std::str::FromStr>(s: &str) -> T {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        s[..end].parse().ok().unwrap()
    }
    let mut out = Vec::new();
    for (i, _) in debug.match_indices("Span { start: ") {
        let rest = &debug[i + "Span { start: ".len()..];
        let start = number(rest);
        let rest = &rest[rest.find("end: ").unwrap() + "end: ".len()..];
        out.push(Span::new(start, number(rest)));
    }
    out
}

/// Every span is within the text and on character boundaries, so that
/// `LineIndex` gives each a position and slicing never panics.
fn check(text: &str) -> Result<(), TestCaseError> {
    let file = parse(text);
    for span in spans(&format!("{file:?}")) {
        prop_assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(text in anything()) {
        check(&text)?;
    }

    #[test]
    fn yaml_like_fragments_never_panic(text in yamlish()) {
        check(&text)?;
    }

    #[test]
    fn fragments_inside_a_service_never_panic(body in yamlish()) {
        check(&format!("services:\n  web:\n    {body}"))?;
    }
}

#[test]
fn the_span_scanner_sees_places_and_diagnostics() {
    let text = "services:\n  web:\n    privileged: maybe\n    user: root\n";
    let file = parse(text);
    let found = spans(&format!("{file:?}"));
    assert!(
        found.contains(&file.diagnostics[0].span),
        "a diagnostic span"
    );
    assert!(
        found.iter().any(|s| line_col(text, *s) == (4, 11)),
        "{found:?}"
    );
}
