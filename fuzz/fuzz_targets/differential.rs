//! Differential fuzz target: whenever parse-dockerfile accepts an input,
//! bulwark's parser must find the same instructions (kind and keyword
//! position, recursively through ONBUILD), the same flag names, the same
//! exec-form arguments, FROM image and alias, and the same directives.
//!
//! parse-dockerfile rejects what it does not support (heredocs other than
//! `RUN <<EOF`, several heredocs, unknown instructions), so only inputs it
//! accepts are compared. Known, deliberate differences are skipped, each
//! with its reason, in `comparable`.

#![no_main]

use bulwark_syntax::dockerfile::{self as ours, Args, CommandLine, Kind};
use libfuzzer_sys::fuzz_target;
use parse_dockerfile::{self as theirs, Command, Instruction};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(their_file) = theirs::parse(text) else {
        return;
    };
    if !comparable(text) {
        return;
    }
    let our_file = ours::parse(text);
    let ctx = || format!("input: {text:?}");

    // BuildKit finds heredocs with its shell lexer, which gives up on an
    // unterminated quote or a malformed `${` anywhere in the line: then
    // there are no heredocs and the would-be body lines are instructions
    // (we follow BuildKit; parse-dockerfile still reads the heredoc).
    let lexer_gave_up = our_file.instructions.iter().any(|i| {
        let line = i.span.text(text);
        let host = i.onbuild_trigger().unwrap_or(i);
        host.kind.takes_heredocs()
            && host.heredocs.is_empty()
            && line.contains("<<")
            && (line.contains(['"', '\'']) || line.contains("${"))
    });
    // A line ending in an escaped escape character (`foo \\`) does not
    // continue in BuildKit (moby/buildkit parser.go, setEscapeToken; we
    // follow it); parse-dockerfile continues it.
    let escaped_escape = format!("{0}{0}", our_file.escape);
    let ends_escaped = text.lines().any(|l| {
        l.trim_end_matches([' ', '\t', '\r'])
            .ends_with(&escaped_escape)
    });
    // Only spaces and tabs may follow a continuation escape in BuildKit
    // (`\\[ \t]*$`; we follow it); parse-dockerfile allows any blank.
    let odd_blank_after_escape = text.lines().any(|l| {
        let loose = l.trim_end_matches(char::is_whitespace);
        let strict = l.trim_end_matches([' ', '\t', '\r']);
        loose.ends_with(our_file.escape) && !strict.ends_with(our_file.escape)
    });
    // parse-dockerfile reads one heredoc per instruction, and in RUN only
    // as the first word; BuildKit (and we) read them anywhere, several per
    // line, so their lines mean different things.
    let unsupported_heredoc = our_file.instructions.iter().any(|i| {
        let host = i.onbuild_trigger().unwrap_or(i);
        let first_word = match host.command_line() {
            Some(CommandLine::Shell(s)) => s.text.trim_start().starts_with("<<"),
            _ => true,
        };
        host.heredocs.len() > 1 || (!host.heredocs.is_empty() && !first_word)
    });
    if lexer_gave_up || ends_escaped || odd_blank_after_escape || unsupported_heredoc {
        return;
    }

    // A repeated directive or an invalid escape value is an error in
    // BuildKit (reported by us); parse-dockerfile forgets the directives on
    // the first and takes the first character on the second, so the escape
    // character, and everything after, may differ.
    let directive_error = our_file.diagnostics.iter().any(|d| {
        d.message.contains("parser directive") || d.message.contains("invalid escape token")
    });
    if directive_error {
        return;
    }
    // BuildKit strips any Unicode whitespace before a directive (we follow
    // it); parse-dockerfile reads only unindented directives, so an
    // indented `escape` changes every continuation after it.
    let indented = our_file.directives.iter().any(|d| {
        let line_start = text[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
        text[line_start..d.span.start]
            .chars()
            .any(|c| c != '\u{feff}')
    });
    // `# key=` with no value is no directive in BuildKit (its regex needs
    // a character) and ends the directive block (we follow it);
    // parse-dockerfile takes it as a directive with an empty value.
    let empty_directive = text.lines().any(|l| {
        let Some(body) = l.trim_start().strip_prefix('#') else {
            return false;
        };
        body.trim()
            .strip_suffix('=')
            .is_some_and(|k| !k.is_empty() && k.trim().chars().all(|c| c.is_ascii_alphanumeric()))
    });
    // Go's `\s` in BuildKit's directive regex is `[\t\n\f\r ]`: with a
    // vertical tab or a Unicode blank around the `=` the line is no
    // directive (we follow it); parse-dockerfile accepts any blank.
    let odd_directive_blank = text.lines().any(|l| {
        l.trim_start().starts_with('#')
            && l.contains('=')
            && l.contains(|c: char| {
                c.is_whitespace() && !matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
            })
    });
    if indented || empty_directive || odd_directive_blank {
        return;
    }
    let escape = their_file
        .parser_directives
        .escape
        .as_ref()
        .map_or('\\', |d| d.value.value);
    assert_eq!(our_file.escape, escape, "escape differs; {}", ctx());
    // BuildKit cuts the syntax value at a space only (we follow it);
    // parse-dockerfile at any blank. An empty value is no directive in
    // BuildKit (its regex needs a character); parse-dockerfile keeps "".
    let syntax = their_file
        .parser_directives
        .syntax
        .as_ref()
        .map(|d| d.value.value)
        .filter(|v| !v.is_empty());
    let other_blank = our_file
        .directive("syntax")
        .is_some_and(|d| d.value.contains(|c: char| c.is_whitespace() && c != ' '));
    if !other_blank {
        assert_eq!(our_file.syntax(), syntax, "syntax differs; {}", ctx());
    }

    assert_eq!(
        our_file.instructions.len(),
        their_file.instructions.len(),
        "instruction count differs: ours {:?}; {}",
        our_file
            .instructions
            .iter()
            .map(|i| i.kind)
            .collect::<Vec<_>>(),
        ctx()
    );
    for (mine, theirs) in our_file.instructions.iter().zip(&their_file.instructions) {
        // Where we report an error, BuildKit rejects the instruction and
        // the two parsers may read its arguments differently (e.g. an
        // unterminated quote in a flag, which BuildKit extends to the end
        // of the line); only the structure is compared there.
        let clean = !our_file
            .diagnostics
            .iter()
            .any(|d| d.span.start >= mine.span.start && d.span.start <= mine.span.end);
        compare(mine, theirs, text, clean);
    }
});

/// Inputs where the two parsers differ on purpose.
fn comparable(text: &str) -> bool {
    // parse-dockerfile treats a `\r` alone as a line break; BuildKit (Go's
    // bufio.ScanLines) breaks lines at `\n` only.
    let lone_cr = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\r' && w[1] != b'\n')
        || text.ends_with('\r');
    !lone_cr
}

fn compare(mine: &ours::Instruction, theirs: &Instruction<'_>, text: &str, clean: bool) {
    let ctx = || format!("ours {mine:?}\ntheirs {theirs:?}\ninput: {text:?}");
    // parse-dockerfile's offsets start after a BOM; ours count it.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (kind, keyword_start) = describe(theirs);
    let keyword_start = keyword_start.saturating_add(bom);
    assert_eq!(mine.kind, kind, "kind differs; {}", ctx());
    assert_eq!(
        mine.keyword.span.start,
        keyword_start,
        "keyword position differs; {}",
        ctx()
    );
    if let (Instruction::Onbuild(t), Args::Onbuild(Some(m))) = (theirs, &mine.args) {
        compare(m, &t.instruction, text, clean);
    }
    // BuildKit's flag scanner removes quotes (a quote runs to the closing
    // one whatever blanks come first) and resolves `\` escapes; we follow
    // it, parse-dockerfile keeps both and ends the flag at a blank.
    // The same when only parse-dockerfile sees a flag: `--"` is `--` to
    // BuildKit once the (unterminated) quote is removed, so no flag.
    let quoted_flag = mine
        .flags
        .iter()
        .any(|f| f.span.text(text).contains(['"', '\'', '\\']))
        || their_options(theirs).iter().any(|f| {
            let s = f.flag_span();
            text.get(s.start + bom..s.end + bom)
                .is_some_and(|t| t.contains(['"', '\'', '\\']))
        });
    // A bare `--` ends BuildKit's flags (we follow BuildKit);
    // parse-dockerfile reads it as a flag with an empty name and no
    // value, also when a continuation splits it (`-\` newline `-`).
    let double_dash = mine
        .span
        .text(text)
        .split_whitespace()
        .any(|w| w.trim_end_matches(['\\', '`']) == "--")
        || their_options(theirs)
            .iter()
            .any(|f| f.name.value.is_empty() && f.value.is_none());
    // Go's JSON allows only space, tab, CR and LF between tokens, so other
    // blanks make BuildKit read shell form (we follow it);
    // parse-dockerfile accepts any blank.
    let odd_json_blank = mine
        .span
        .text(text)
        .contains(|c: char| c.is_whitespace() && !matches!(c, ' ' | '\t' | '\n' | '\r'));
    if !clean || quoted_flag || double_dash || odd_json_blank {
        return;
    }

    let their_flags: Vec<&str> = their_options(theirs)
        .iter()
        .map(|f| f.name.value.as_ref())
        .collect();
    if !their_flags.is_empty() {
        let our_flags: Vec<&str> = mine.flags.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(our_flags, their_flags, "flags differ; {}", ctx());
    }

    match (theirs, &mine.args) {
        (Instruction::From(t), Args::From(m)) => {
            let image = m.image.as_ref().map(|w| w.span.start);
            assert_eq!(
                image,
                Some(t.image.span.start + bom),
                "FROM image differs; {}",
                ctx()
            );
            let alias = m.alias.as_ref().map(|w| w.span.start);
            let their_alias = t.as_.as_ref().map(|(_, name)| name.span.start + bom);
            assert_eq!(alias, their_alias, "FROM alias differs; {}", ctx());
        }
        (Instruction::Run(t), Args::Run(m)) => exec_args(&t.arguments, m, &ctx),
        (Instruction::Cmd(t), Args::Cmd(m)) => exec_args(&t.arguments, m, &ctx),
        (Instruction::Entrypoint(t), Args::Entrypoint(m)) => exec_args(&t.arguments, m, &ctx),
        _ => {}
    }
}

/// Their instruction's flags (only these instructions take any).
fn their_options<'a>(theirs: &'a Instruction<'_>) -> &'a [theirs::Flag<'a>] {
    match theirs {
        Instruction::Add(i) => &i.options,
        Instruction::Copy(i) => &i.options,
        Instruction::From(i) => &i.options,
        Instruction::Healthcheck(i) => &i.options,
        Instruction::Run(i) => &i.options,
        _ => &[],
    }
}

fn exec_args(theirs: &Command<'_>, mine: &CommandLine, ctx: &dyn Fn() -> String) {
    match (theirs, mine) {
        (Command::Exec(t), CommandLine::Exec(m)) => {
            let theirs: Vec<&str> = t.value.iter().map(|s| s.value.as_ref()).collect();
            let mine: Vec<&str> = m.args.iter().map(|w| w.value.as_str()).collect();
            assert_eq!(mine, theirs, "exec arguments differ; {}", ctx());
        }
        (Command::Shell(_), CommandLine::Shell(_)) => {}
        _ => panic!("exec/shell form differs; {}", ctx()),
    }
}

/// Their instruction's kind and keyword offset (the enum is
/// non-exhaustive; a newer variant would compare as unknown).
fn describe(i: &Instruction<'_>) -> (Kind, usize) {
    match i {
        Instruction::Add(x) => (Kind::Add, x.add.span.start),
        Instruction::Arg(x) => (Kind::Arg, x.arg.span.start),
        Instruction::Cmd(x) => (Kind::Cmd, x.cmd.span.start),
        Instruction::Copy(x) => (Kind::Copy, x.copy.span.start),
        Instruction::Entrypoint(x) => (Kind::Entrypoint, x.entrypoint.span.start),
        Instruction::Env(x) => (Kind::Env, x.env.span.start),
        Instruction::Expose(x) => (Kind::Expose, x.expose.span.start),
        Instruction::From(x) => (Kind::From, x.from.span.start),
        Instruction::Healthcheck(x) => (Kind::Healthcheck, x.healthcheck.span.start),
        Instruction::Label(x) => (Kind::Label, x.label.span.start),
        Instruction::Maintainer(x) => (Kind::Maintainer, x.maintainer.span.start),
        Instruction::Onbuild(x) => (Kind::Onbuild, x.onbuild.span.start),
        Instruction::Run(x) => (Kind::Run, x.run.span.start),
        Instruction::Shell(x) => (Kind::Shell, x.shell.span.start),
        Instruction::Stopsignal(x) => (Kind::Stopsignal, x.stopsignal.span.start),
        Instruction::User(x) => (Kind::User, x.user.span.start),
        Instruction::Volume(x) => (Kind::Volume, x.volume.span.start),
        Instruction::Workdir(x) => (Kind::Workdir, x.workdir.span.start),
        _ => (Kind::Unknown, usize::MAX),
    }
}
