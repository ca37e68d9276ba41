//! Errors carry a position, and parsing resumes at the next instruction.

use super::{ins, messages, parsed};
use crate::Span;
use crate::dockerfile::{Args, Kind};

#[test]
fn unknown_instruction_then_resume() {
    let text = "FROM a\nRUNN echo\nCOPPY a b\nFOO bar\nUSER app\n";
    let df = parsed(text);
    assert_eq!(
        messages(&df),
        [
            "unknown instruction: RUNN (did you mean RUN?)",
            "unknown instruction: COPPY (did you mean COPY?)",
            "unknown instruction: FOO"
        ]
    );
    assert_eq!(df.diagnostics[0].span, Span::new(7, 11));
    assert!(df.diagnostics[0].expected.is_some());
    assert_eq!(ins(&df, 4).kind, Kind::User);
    assert!(matches!(&ins(&df, 3).args, Args::Unknown(Some(w)) if w.value == "bar"));
}

#[test]
fn unterminated_heredoc_reports_its_start_and_the_rest_is_parsed() {
    let text = "FROM a\nRUN cat <<EOF\nUSER app\nEXPOSE 80\n";
    let df = parsed(text);
    assert_eq!(messages(&df), ["unterminated heredoc `EOF`"]);
    assert_eq!(df.diagnostics[0].span.text(text), "<<EOF");
    let run = ins(&df, 1);
    assert!(!run.heredocs[0].is_terminated());
    assert_eq!(run.span.text(text), "RUN cat <<EOF");
    let kinds: Vec<Kind> = df.instructions.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [Kind::From, Kind::Run, Kind::User, Kind::Expose]);
}

#[test]
fn second_heredoc_unterminated_keeps_the_first() {
    let text = "FROM a\nRUN <<A <<B\nbody a\nA\nUSER x\n";
    let df = parsed(text);
    let run = ins(&df, 1);
    assert!(run.heredocs[0].is_terminated());
    assert!(!run.heredocs[1].is_terminated());
    assert_eq!(messages(&df), ["unterminated heredoc `B`"]);
    assert_eq!(ins(&df, 2).kind, Kind::User);
}

#[test]
fn instructions_before_from() {
    let df = parsed("ARG V=1\nRUN x\nFROM a\n");
    assert_eq!(messages(&df), ["no build stage in current context"]);
    assert_eq!(df.stages.len(), 1);
}

#[test]
fn files_without_instructions_or_stages() {
    assert_eq!(messages(&parsed("")), ["file with no instructions"]);
    assert_eq!(
        messages(&parsed("# just a comment\n\n")),
        ["file with no instructions"]
    );
    assert_eq!(
        messages(&parsed("ARG A\n")),
        ["the Dockerfile has no FROM instruction (no build stage)"]
    );
}

#[test]
fn a_lone_continuation_is_reported() {
    let df = parsed("FROM a\n\\\n");
    assert_eq!(
        messages(&df),
        ["empty instruction: a line continuation with nothing after it"]
    );
    // A continuation line that starts the instruction is fine.
    let df = parsed("FROM a\n\\\nRUN x\n");
    assert_eq!(ins(&df, 1).kind, Kind::Run);
    assert!(df.diagnostics.is_empty());
}

#[test]
fn continuation_at_end_of_file() {
    let df = parsed("FROM a\nRUN a \\");
    assert_eq!(ins(&df, 1).span, Span::new(7, 14));
    assert!(df.diagnostics.is_empty());
}

#[test]
fn several_errors_in_one_file() {
    let text = "FROM a AS x\nFROM b AS x\nENV\nBAD\nHEALTHCHECK FOO\nRUN <<E\n";
    let df = parsed(text);
    assert_eq!(df.diagnostics.len(), 5, "{:?}", messages(&df));
    // Ordered by position.
    let starts: Vec<usize> = df.diagnostics.iter().map(|d| d.span.start).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn env_word_without_equals() {
    let df = parsed("FROM a\nENV A=1 B C=3\n");
    assert_eq!(
        messages(&df),
        ["Syntax error - can't find = in \"B\". Must be of the form: name=value"]
    );
    let Args::Env(env) = &ins(&df, 1).args else {
        panic!()
    };
    assert_eq!(env.len(), 2);
}

#[test]
fn copy_heredoc_as_destination() {
    let df = parsed("FROM a\nCOPY a <<EOF\nx\nEOF\n");
    assert_eq!(
        messages(&df),
        ["COPY cannot accept a heredoc as a destination"]
    );
}

#[test]
fn instruction_spans_cover_every_consumed_line() {
    // Found by the property tests: blank lines in a continuation at the end
    // of the file, and a lone `\` line before the keyword, fell outside.
    let df = parsed("\\\n\nFROM a\n");
    assert_eq!(ins(&df, 0).span, Span::new(0, 9));
    let df = parsed("FROM a\nRUN b \\\n\t\n# c\n");
    assert_eq!(ins(&df, 1).span, Span::new(7, 20));
}
