//! Properties over generated input: `parse` never panics, and every tree
//! passes [`verify`](crate::dockerfile::verify) (spans in the text on char
//! boundaries, instructions ordered and disjoint, nodes inside their
//! instruction). The helpers rules call (substitution, shell commands,
//! stage lookups) must not panic either.

use proptest::prelude::*;

use crate::LineIndex;
use crate::dockerfile::{Dockerfile, commands, parse, substitute, verify};

/// Calls every helper a rule might call on every instruction.
fn exercise(text: &str, df: &Dockerfile) {
    let index = LineIndex::new(text);
    for (i, instruction) in df.instructions.iter().enumerate() {
        let _ = index.range(text, instruction.span);
        let _ = df.vars_at(i);
        let _ = df.copy_from(i);
        let _ = df.comments_before(text, i);
        let _ = df.expand_at(&instruction.keyword.text, i);
        for j in 0..instruction.heredocs.len() {
            let _ = instruction.heredoc_runs_in_shell(j);
        }
        if let Some(c) = instruction.command_line() {
            let _ = c.commands();
        }
    }
    for stage in &df.stages {
        let _ = stage.base_image();
    }
    let _ = df.check();
    let _ = df.global_args();
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let df = parse(text);
    if let Err(e) = verify(text, &df) {
        return Err(TestCaseError::fail(e));
    }
    exercise(text, &df);
    let _ = commands(text);
    let _ = substitute(text, &[("A", "x")][..]);
    Ok(())
}

/// The inputs proptest shrank its failures to (also replayed from
/// `properties.proptest-regressions`): a keyword longer than 32 bytes
/// overflowed the "did you mean" distance, and a lone `\\` line or blank
/// continuation lines fell outside their instruction's span.
#[test]
fn shrunk_failures_stay_fixed() {
    for text in [
        "NONE# check=skip=all\n--mount=type=secret,id=xHEALTHCHECK FROM FROM ",
        "A\u{1ee8b}\u{df2}A!AA\u{3a3}\u{1eea5}\u{caa}!a!A\u{98f}\u{10e80}A",
        "!\\\n\t",
        "\\\n\nFROM ",
    ] {
        check(text).unwrap();
    }
}

/// Pieces of Dockerfiles, chosen to meet each other in odd ways.
const FRAGMENTS: &[&str] = &[
    "FROM ",
    "from ",
    "RUN ",
    "run ",
    "COPY ",
    "ADD ",
    "ENV ",
    "LABEL ",
    "ARG ",
    "USER ",
    "EXPOSE ",
    "WORKDIR ",
    "VOLUME ",
    "CMD ",
    "ENTRYPOINT ",
    "SHELL ",
    "HEALTHCHECK ",
    "NONE",
    "CMD",
    "ONBUILD ",
    "STOPSIGNAL ",
    "MAINTAINER ",
    "AS ",
    " as ",
    "alpine",
    "a",
    "b=c",
    "k v",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\\",
    "\\\n",
    "`",
    "`\n",
    "#",
    "# ",
    "# syntax=x\n",
    "# escape=`\n",
    "# escape=\\\n",
    "# check=skip=all\n",
    "\u{feff}",
    "<<",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "<<\"EOF\"",
    "EOF",
    "\tEOF",
    "3<<X",
    "X",
    "<<<",
    "[",
    "]",
    "[\"a\"",
    ", ",
    "[\"a\", \"b\"]",
    "[1]",
    "{",
    "}",
    "\"",
    "'",
    "$",
    "${",
    "${A",
    "${A:-",
    "${A:+x}",
    "$A",
    "$(",
    ")",
    "--mount=type=secret,id=x",
    "--from=0",
    "--platform=$BUILDPLATFORM",
    "--link",
    "--chown=1:1",
    "--",
    "--x=",
    "=",
    ":",
    "/",
    "80/tcp",
    "1-2",
    "é",
    "日本",
    "\u{a0}",
    "\u{2028}",
    "&&",
    "||",
    "|",
    ";",
    "&",
    "sudo ",
    "curl x | sh",
    "apt-get update",
    "2>&1",
    ">",
    "\\\\",
    "0",
    "9999999999999999999999",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..64).prop_map(|v| v.concat())
}

proptest! {
    // Failures are recorded beside this file
    // (`properties.proptest-regressions`) and replayed first.
    #![proptest_config(ProptestConfig {
        cases: 2_000,
        failure_persistence: Some(Box::new(
            prop::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn dockerfile_like_fragments(text in fragments()) {
        check(&text)?;
    }

    #[test]
    fn fragments_after_a_valid_prefix(text in fragments()) {
        check(&format!("FROM a AS b\nRUN <<EOF\n{text}\nEOF\n{text}"))?;
    }

    #[test]
    fn line_oriented_noise(lines in prop::collection::vec("[ -~\t]{0,40}", 0..30)) {
        check(&lines.join("\n"))?;
        check(&lines.join("\\\n"))?;
        check(&lines.join("\r\n"))?;
    }
}
