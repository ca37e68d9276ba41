//! Large and hostile inputs finish: a 10 MB single line in several shapes,
//! and repetitions that would be quadratic (or overflow the stack) in a
//! naive parser. Nothing here asserts a time (the machine is shared and
//! noisy); each test completing is the assertion, and `cargo test` would
//! hang on a quadratic path. Timings measured by hand are in the crate
//! report.

use super::{ins, parsed};
use crate::dockerfile::Kind;

const TEN_MB: usize = 10 * 1024 * 1024;

/// `prefix` followed by `unit` repeated to about 10 MB, on one line.
fn one_line(prefix: &str, unit: &str) -> String {
    line_of(TEN_MB, prefix, unit)
}

/// `prefix` followed by `unit` repeated to about `size` bytes.
fn line_of(size: usize, prefix: &str, unit: &str) -> String {
    let mut text = String::with_capacity(size + unit.len());
    text.push_str(prefix);
    while text.len() < size {
        text.push_str(unit);
    }
    text
}

#[test]
fn ten_mb_single_line_run() {
    let text = one_line("FROM a\nRUN ", "echo hello && ");
    let df = parsed(&text);
    assert_eq!(ins(&df, 1).kind, Kind::Run);
    assert!(ins(&df, 1).shell_commands().len() > 100_000);
}

#[test]
fn ten_mb_single_line_of_everything() {
    // Quotes, expansions, heredoc markers, JSON and flags, all at once.
    let text = one_line(
        "FROM a\nRUN ",
        "--x=\"a b\" <<E ${A:-$(b)} [\"x\", 'y' `z` \\ é ",
    );
    let df = parsed(&text);
    assert_eq!(df.instructions.len(), 2);
}

// Half a million heredocs per line: a quadratic step anywhere (matching
// markers to redirections or COPY sources) would never finish. 2 MB keeps
// debug test runs short.

#[test]
fn half_a_million_heredoc_markers() {
    let text = line_of(2 * 1024 * 1024, "FROM a\nRUN cat ", "<<A ");
    let df = parsed(&text);
    assert!(ins(&df, 1).heredocs.len() > 500_000);
}

#[test]
fn half_a_million_copy_heredoc_sources() {
    let text = line_of(4 * 1024 * 1024, "FROM a\nCOPY ", "<<A <<B ") + " /dest/\nA\nB\n";
    let df = parsed(&text);
    assert!(ins(&df, 1).heredocs[0].is_terminated());
}

#[test]
fn ten_mb_nested_brackets_and_substitutions() {
    let text = one_line("FROM ", "${A:-");
    let _ = parsed(&text);
    let text = one_line("FROM a\nCMD ", "[");
    let _ = parsed(&text);
    let text = one_line("FROM a\nRUN echo ", "$(");
    let df = parsed(&text);
    let _ = ins(&df, 1).shell_commands();
}

#[test]
fn ten_mb_env_and_keywords() {
    let text = one_line("FROM a\nENV ", "k=\"v v\" ");
    let _ = parsed(&text);
    let text = one_line("", "ONBUILD ");
    let _ = parsed(&text);
    let text = one_line("", "x");
    let _ = parsed(&text);
}

#[test]
fn many_unterminated_heredocs_stay_linear() {
    // Each heredoc looks for its terminator in the rest of the file; an
    // index of line contents keeps this from being quadratic.
    let mut text = String::from("FROM a\n");
    for i in 0..100_000 {
        text.push_str(&format!("RUN <<E{i}\n"));
    }
    let df = parsed(&text);
    assert_eq!(df.instructions.len(), 100_001);
    assert_eq!(df.diagnostics.len(), 100_000);
}

#[test]
fn many_lines_and_continuations() {
    let text = "FROM a\n".to_owned() + &"RUN a \\\n# c\n\n".repeat(200_000) + "b\n";
    let df = parsed(&text);
    assert_eq!(df.instructions.len(), 2);
    let text = "FROM a\n".to_owned() + &"RUN x\n".repeat(500_000);
    let df = parsed(&text);
    assert_eq!(df.instructions.len(), 500_001);
}
