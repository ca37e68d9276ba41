//! One small test per feature of the Dockerfile syntax.

use super::{ins, messages, parsed, shell_text};
use crate::dockerfile::{Args, CommandLine, Kind};
use crate::{LineIndex, Position, Span};

#[test]
fn every_instruction_in_any_case() {
    let text = "from a\nRun x\nCMD x\nlabel a=b\nMAINTAINER me\nexpose 80\nenv A=1\n\
                add a b\ncopy a b\nentrypoint x\nvolume /v\nuser u\nworkdir /w\narg A\n\
                onbuild RUN x\nstopsignal SIGTERM\nhealthcheck NONE\nshell [\"sh\"]\n";
    let df = parsed(text);
    let kinds: Vec<Kind> = df.instructions.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::From,
            Kind::Run,
            Kind::Cmd,
            Kind::Label,
            Kind::Maintainer,
            Kind::Expose,
            Kind::Env,
            Kind::Add,
            Kind::Copy,
            Kind::Entrypoint,
            Kind::Volume,
            Kind::User,
            Kind::Workdir,
            Kind::Arg,
            Kind::Onbuild,
            Kind::Stopsignal,
            Kind::Healthcheck,
            Kind::Shell,
        ]
    );
    assert_eq!(ins(&df, 1).keyword.text, "Run");
    assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics);
}

#[test]
fn leading_whitespace_before_instructions() {
    let df = parsed("FROM a\n   \t RUN echo hi\n");
    assert_eq!(ins(&df, 1).keyword.span, Span::new(12, 15));
}

#[test]
fn directives_in_the_leading_block() {
    let text =
        "# syntax=docker/dockerfile:1.7\n#  ESCAPE = `\n# check=skip=all;error=true\nFROM a\n";
    let df = parsed(text);
    assert_eq!(df.syntax(), Some("docker/dockerfile:1.7"));
    assert_eq!(df.escape, '`');
    let check = df.check().unwrap();
    assert_eq!(check.skip, ["all"]);
    assert!(check.error);
    assert!(df.comments.is_empty());
    assert_eq!(df.directives[1].value_span.text(text), "`");
}

#[test]
fn the_syntax_directive_selects_the_image_before_a_space() {
    // Found by the differential fuzz target against parse-dockerfile.
    let df = parsed("# syntax=docker/dockerfile:1 --opt x\nFROM a\n");
    assert_eq!(df.syntax(), Some("docker/dockerfile:1"));
    assert_eq!(df.directives[0].value, "docker/dockerfile:1 --opt x");
    // Blanks only: Go's `\s*(.+?)\s*$` keeps one blank, no image.
    let df = parsed("# syntax=   \nFROM a\n");
    assert_eq!(df.directives[0].value, " ");
    assert_eq!(df.syntax(), None);
}

#[test]
fn a_directive_after_a_comment_is_a_plain_comment() {
    let df = parsed("# hello\n# escape=`\nFROM a\n");
    assert!(df.directives.is_empty());
    assert_eq!(df.escape, '\\');
    assert_eq!(df.comments.len(), 2);
    assert_eq!(df.comments[1].text, "escape=`");
}

#[test]
fn a_directive_after_a_blank_line_or_instruction_is_a_comment() {
    let df = parsed("\n# syntax=x\nFROM a\n# escape=`\n");
    assert!(df.directives.is_empty());
    assert_eq!(df.comments.len(), 2);
    // An unknown key ends the block too.
    let df = parsed("# foo=bar\n# syntax=x\nFROM a\n");
    assert!(df.directives.is_empty());
}

#[test]
fn a_duplicate_directive_is_an_error() {
    let df = parsed("# syntax=a\n# SYNTAX=b\nFROM a\n");
    assert_eq!(df.directives.len(), 1);
    assert_eq!(
        messages(&df),
        ["only one syntax parser directive can be used"]
    );
    assert_eq!(df.diagnostics[0].span, Span::new(11, 21));
}

#[test]
fn an_invalid_escape_directive_is_an_error() {
    let df = parsed("# escape=x\nFROM a\n");
    assert_eq!(df.escape, '\\');
    assert_eq!(
        messages(&df),
        ["invalid escape token 'x' does not match ` or \\"]
    );
}

#[test]
fn backslash_continuation_joins_lines() {
    let text = "FROM a\nRUN apt-get update \\\n    && apt-get install -y curl\n";
    let df = parsed(text);
    let run = ins(&df, 1);
    let Args::Run(CommandLine::Shell(s)) = &run.args else {
        panic!()
    };
    assert_eq!(s.text, "apt-get update     && apt-get install -y curl");
    assert_eq!(run.span, Span::new(7, text.len() - 1));
    // A word after the join points into the second line.
    let curl = &run.shell_commands()[1].words[3];
    assert_eq!(curl.value, "curl");
    assert_eq!(curl.span.text(text), "curl");
}

#[test]
fn backtick_continuation_with_the_escape_directive() {
    let text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir C:\\ `\n    && echo done\nWORKDIR C:\\app\\\n";
    let df = parsed(text);
    assert_eq!(
        shell_text(ins(&df, 1).command_line().unwrap()),
        "dir C:\\     && echo done"
    );
    // A trailing backslash is literal: WORKDIR does not continue.
    let Args::Workdir(Some(w)) = &ins(&df, 2).args else {
        panic!()
    };
    assert_eq!(w.value, "C:\\app\\");
    assert_eq!(df.instructions.len(), 3);
}

#[test]
fn an_escaped_escape_does_not_continue() {
    let df = parsed("FROM a\nRUN echo \\\\\nRUN b\n");
    assert_eq!(df.instructions.len(), 3);
}

#[test]
fn comments_and_empty_lines_inside_continuations() {
    let text = "FROM a\nRUN a \\\n# a comment\n\n   \n  && b \\\n  # indented comment\n  && c\n";
    let df = parsed(text);
    let run = ins(&df, 1);
    assert_eq!(shell_text(run.command_line().unwrap()), "a   && b   && c");
    assert_eq!(df.comments.len(), 2);
    assert_eq!(df.comments[0].text, "a comment");
    assert_eq!(run.empty_continuation_lines.len(), 2);
    assert_eq!(df.instructions.len(), 2);
    assert!(run.span.end == text.len() - 1);
}

#[test]
fn crlf_line_endings() {
    let text = "FROM a AS b\r\nRUN x \\\r\n  y\r\nENV A=1\r\n";
    let df = parsed(text);
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(shell_text(ins(&df, 1).command_line().unwrap()), "x   y");
    let Args::Env(env) = &ins(&df, 2).args else {
        panic!()
    };
    assert_eq!(env[0].value.as_ref().unwrap().value, "1");
    let idx = LineIndex::new(text);
    assert_eq!(
        idx.position(text, ins(&df, 2).span.start),
        Position { line: 4, column: 1 }
    );
    assert!(!ins(&df, 0).span.text(text).contains('\r'));
}

#[test]
fn a_bom_is_skipped() {
    let text = "\u{feff}# syntax=x\nFROM a\n";
    let df = parsed(text);
    assert_eq!(df.syntax(), Some("x"));
    assert_eq!(df.directives[0].span.start, 3);
    assert_eq!(ins(&df, 0).span, Span::new(14, 20));
}

#[test]
fn exec_and_shell_forms() {
    let text =
        "FROM a\nCMD [\"node\", \"server.js\"]\nENTRYPOINT exec node\nRUN [ \"a\" ,\n\"b\" ]\n";
    let df = parsed(text);
    let Some(CommandLine::Exec(e)) = ins(&df, 1).command_line() else {
        panic!()
    };
    assert_eq!(e.args[1].value, "server.js");
    assert_eq!(e.args[1].span.text(text), "\"server.js\"");
    assert_eq!(shell_text(ins(&df, 2).command_line().unwrap()), "exec node");
    // Newlines are JSON whitespace only after joining; a bare newline ends
    // the instruction, so this RUN is shell form and "b" ] is unknown.
    assert!(!ins(&df, 3).command_line().unwrap().is_exec());
}

#[test]
fn invalid_json_falls_back_to_shell_form() {
    let df = parsed("FROM a\nCMD [\"a\", 'b']\nRUN [\"a\"] && b\nCMD [bash]\n");
    for i in 1..4 {
        assert!(!ins(&df, i).command_line().unwrap().is_exec());
    }
    assert_eq!(
        shell_text(ins(&df, 1).command_line().unwrap()),
        "[\"a\", 'b']"
    );
    assert!(df.diagnostics.is_empty());
}

#[test]
fn json_with_non_strings_is_an_error() {
    let df = parsed("FROM a\nCMD [\"a\", 1]\n");
    assert_eq!(
        messages(&df),
        ["when using JSON array syntax, arrays must be comprised of strings only"]
    );
    assert_eq!(df.diagnostics[0].span, Span::new(17, 18));
}

#[test]
fn shell_requires_json() {
    let df = parsed("FROM a\nSHELL [\"powershell\", \"-Command\"]\nSHELL /bin/bash -c\n");
    assert!(ins(&df, 1).command_line().unwrap().is_exec());
    assert_eq!(
        messages(&df),
        ["SHELL requires the arguments to be in JSON form"]
    );
}

#[test]
fn run_flags() {
    let text = "FROM a\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc --mount=type=cache,target=/var/cache/apt \\\n    --network=none --security=insecure npm ci\n";
    let df = parsed(text);
    let run = ins(&df, 1);
    let mounts: Vec<_> = run.flags_named("mount").filter_map(|f| f.mount()).collect();
    assert_eq!(mounts[0].kind, "secret");
    assert_eq!(mounts[0].get("id"), Some("npmrc"));
    assert_eq!(mounts[1].kind, "cache");
    assert_eq!(run.flag("network").unwrap().value.as_deref(), Some("none"));
    assert_eq!(
        run.flag("security").unwrap().value.as_deref(),
        Some("insecure")
    );
    let flag = run.flag("network").unwrap();
    assert_eq!(flag.span.text(text), "--network=none");
    assert_eq!(flag.name_span.text(text), "network");
    assert_eq!(flag.value_span.unwrap().text(text), "none");
    assert_eq!(shell_text(run.command_line().unwrap()), "npm ci");
    assert!(df.diagnostics.is_empty());
}

#[test]
fn copy_and_add_flags_and_arguments() {
    let text = "FROM a AS build\nFROM b\nCOPY --from=build --chown=app:app --chmod=0755 --link /out/app /usr/bin/\n\
                ADD --checksum=sha256:abc --keep-git-dir=true https://example.com/x.tgz /x/\n\
                COPY --parents --exclude=*.md [\"a b\", \"c\", \"/d/\"]\n";
    let df = parsed(text);
    let copy = ins(&df, 2);
    assert_eq!(copy.flag("from").unwrap().value.as_deref(), Some("build"));
    assert_eq!(
        copy.flag("chown").unwrap().value.as_deref(),
        Some("app:app")
    );
    assert_eq!(copy.flag("link").unwrap().value, None);
    let Args::Copy(c) = &copy.args else { panic!() };
    assert_eq!(c.sources[0].word.value, "/out/app");
    assert_eq!(c.dest.as_ref().unwrap().value, "/usr/bin/");
    let Args::Add(a) = &ins(&df, 3).args else {
        panic!()
    };
    assert!(a.sources[0].is_url());
    let Args::Copy(c) = &ins(&df, 4).args else {
        panic!()
    };
    assert!(c.json);
    assert_eq!(c.sources[0].word.value, "a b");
    assert_eq!(c.dest.as_ref().unwrap().value, "/d/");
    assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics);
}

#[test]
fn copy_from_a_stage_index() {
    let df = parsed("FROM a\nFROM b\nCOPY --from=0 /x /y\n");
    assert_eq!(df.copy_from(2), Some(crate::dockerfile::CopyFrom::Stage(0)));
}

#[test]
fn from_with_platform_and_alias() {
    let text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n";
    let df = parsed(text);
    let from = ins(&df, 0);
    assert_eq!(
        from.flag("platform").unwrap().value.as_deref(),
        Some("$BUILDPLATFORM")
    );
    let Args::From(f) = &from.args else { panic!() };
    assert_eq!(f.image.as_ref().unwrap().value, "golang:1.22");
    assert_eq!(f.as_keyword.as_ref().unwrap().text, "AS");
    assert_eq!(f.alias.as_ref().unwrap().span.text(text), "build");
    assert_eq!(df.stages[0].name.as_deref(), Some("build"));
    let platform = df.expand_at("$BUILDPLATFORM", 0);
    assert_eq!(platform.unresolved, ["BUILDPLATFORM"]);
    assert!(df.diagnostics.is_empty());
}

#[test]
fn stage_names_are_case_insensitive() {
    let df = parsed("FROM a AS Builder\nFROM BUILDER\nCOPY --from=builder /a /b\n");
    assert_eq!(df.stages[1].parent, Some(0));
    assert_eq!(df.stage_named("bUiLdEr").unwrap().index, 0);
    assert_eq!(df.copy_from(2), Some(crate::dockerfile::CopyFrom::Stage(0)));
}

#[test]
fn env_label_arg_pairs() {
    let text = "FROM a\nENV A=1 B=\"two words\" C=three\\ words D=\nLABEL \"com.example.vendor\"=\"ACME\" version=1.0\nARG NAME\nARG V=1 W\n";
    let df = parsed(text);
    let Args::Env(env) = &ins(&df, 1).args else {
        panic!()
    };
    let values: Vec<(&str, &str)> = env
        .iter()
        .map(|kv| {
            (
                kv.key.value.as_str(),
                kv.value.as_ref().unwrap().value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            ("A", "1"),
            ("B", "two words"),
            ("C", "three words"),
            ("D", "")
        ]
    );
    assert_eq!(
        env[1].value.as_ref().unwrap().span.text(text),
        "\"two words\""
    );
    let Args::Label(labels) = &ins(&df, 2).args else {
        panic!()
    };
    assert_eq!(labels[0].key.value, "com.example.vendor");
    assert_eq!(labels[0].value.as_ref().unwrap().value, "ACME");
    let Args::Arg(args) = &ins(&df, 3).args else {
        panic!()
    };
    assert!(args[0].value.is_none());
    let Args::Arg(args) = &ins(&df, 4).args else {
        panic!()
    };
    assert_eq!(args.len(), 2);
    assert_eq!(args[0].value.as_ref().unwrap().value, "1");
    assert!(df.diagnostics.is_empty());
}

#[test]
fn legacy_env_form() {
    let text = "FROM a\nENV JAVA_HOME /usr/lib/jvm/java 17\n";
    let df = parsed(text);
    let Args::Env(env) = &ins(&df, 1).args else {
        panic!()
    };
    assert!(env[0].legacy);
    assert_eq!(env[0].key.value, "JAVA_HOME");
    assert_eq!(env[0].value.as_ref().unwrap().value, "/usr/lib/jvm/java 17");
    assert_eq!(
        messages(&parsed("FROM a\nENV ONLY\n")),
        ["ENV must have two arguments"]
    );
}

#[test]
fn user_expose_workdir_stopsignal_volume_maintainer() {
    let text = "FROM a\nUSER app:staff\nUSER 1000\nEXPOSE 80 443/tcp 53/udp 8000-8010\nWORKDIR /app\n\
                STOPSIGNAL SIGQUIT\nVOLUME [\"/data\", \"/logs\"]\nVOLUME /a /b\nMAINTAINER Jane <j@x>\n";
    let df = parsed(text);
    let Args::User(Some(u)) = &ins(&df, 1).args else {
        panic!()
    };
    assert_eq!(
        (
            u.user.value.as_str(),
            u.group.as_ref().unwrap().value.as_str()
        ),
        ("app", "staff")
    );
    let Args::User(Some(u)) = &ins(&df, 2).args else {
        panic!()
    };
    assert!(u.group.is_none());
    let df2 = parsed("FROM a\nUSER ${APP_USER:-app}:${APP_GROUP}\n");
    let Args::User(Some(u)) = &ins(&df2, 1).args else {
        panic!()
    };
    assert_eq!(u.user.raw, "${APP_USER:-app}");
    assert_eq!(u.group.as_ref().unwrap().raw, "${APP_GROUP}");
    let Args::Expose(ports) = &ins(&df, 3).args else {
        panic!()
    };
    let read: Vec<_> = ports
        .iter()
        .map(|p| (p.start, p.end, p.protocol.as_deref()))
        .collect();
    assert_eq!(
        read,
        [
            (Some(80), Some(80), None),
            (Some(443), Some(443), Some("tcp")),
            (Some(53), Some(53), Some("udp")),
            (Some(8000), Some(8010), None)
        ]
    );
    assert!(matches!(&ins(&df, 4).args, Args::Workdir(Some(w)) if w.value == "/app"));
    assert!(matches!(&ins(&df, 5).args, Args::Stopsignal(Some(w)) if w.value == "SIGQUIT"));
    assert!(matches!(&ins(&df, 6).args, Args::Volume(v) if v.json && v.paths.len() == 2));
    assert!(matches!(&ins(&df, 7).args, Args::Volume(v) if !v.json && v.paths[1].value == "/b"));
    assert!(matches!(&ins(&df, 8).args, Args::Maintainer(Some(w)) if w.value == "Jane <j@x>"));
    assert!(df.diagnostics.is_empty());
}

#[test]
fn healthcheck_none_and_cmd_with_options() {
    let text = "FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=30s --timeout=3s --start-period=5s --start-interval=1s --retries=3 \\\n  CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK CMD [\"/bin/check\"]\n";
    let df = parsed(text);
    let Args::Healthcheck(h) = &ins(&df, 1).args else {
        panic!()
    };
    assert!(h.is_none());
    let hc = ins(&df, 2);
    let Args::Healthcheck(h) = &hc.args else {
        panic!()
    };
    assert!(!h.is_none());
    assert_eq!(hc.flag("retries").unwrap().value.as_deref(), Some("3"));
    assert_eq!(
        shell_text(h.command.as_ref().unwrap()),
        "curl -f http://localhost/ || exit 1"
    );
    let Args::Healthcheck(h) = &ins(&df, 3).args else {
        panic!()
    };
    assert!(h.command.as_ref().unwrap().is_exec());
    assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics);
}

#[test]
fn healthcheck_errors() {
    let df = parsed(
        "FROM a\nHEALTHCHECK NONE x\nHEALTHCHECK CHECK x\nHEALTHCHECK CMD\nHEALTHCHECK --interval=5 --retries=0 CMD x\n",
    );
    assert_eq!(
        messages(&df),
        [
            "HEALTHCHECK NONE takes no arguments",
            "Unknown type \"CHECK\" in HEALTHCHECK (try CMD)",
            "Missing command after HEALTHCHECK CMD",
            "invalid duration \"5\"",
            "--retries must be at least 1 (not 0)"
        ]
    );
}

#[test]
fn onbuild_wraps_an_instruction() {
    let text = "FROM a\nONBUILD COPY --chown=1:1 . /app\nONBUILD RUN <<EOF\necho hi\nEOF\n";
    let df = parsed(text);
    let trigger = ins(&df, 1).onbuild_trigger().unwrap();
    assert_eq!(trigger.kind, Kind::Copy);
    assert_eq!(trigger.flag("chown").unwrap().value.as_deref(), Some("1:1"));
    assert_eq!(trigger.span.text(text), "COPY --chown=1:1 . /app");
    let onbuild_run = ins(&df, 2);
    let trigger = onbuild_run.onbuild_trigger().unwrap();
    assert_eq!(trigger.heredocs[0].body, "echo hi\n");
    assert_eq!(
        onbuild_run.span.text(text),
        "ONBUILD RUN <<EOF\necho hi\nEOF"
    );
    assert_eq!(onbuild_run.shell_commands()[0].name(), Some("echo"));
    assert!(df.diagnostics.is_empty());
}

#[test]
fn onbuild_of_from_maintainer_or_onbuild_is_an_error() {
    let df =
        parsed("FROM a\nONBUILD FROM b\nONBUILD MAINTAINER x\nONBUILD ONBUILD RUN x\nONBUILD\n");
    assert_eq!(
        messages(&df),
        [
            "FROM isn't allowed as an ONBUILD trigger",
            "MAINTAINER isn't allowed as an ONBUILD trigger",
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            "ONBUILD requires at least one argument"
        ]
    );
    assert_eq!(df.diagnostics[0].span, Span::new(15, 19));
    // ONBUILD FROM does not start a stage.
    assert_eq!(df.stages.len(), 1);
}

#[test]
fn multi_stage_builds() {
    let text = "ARG BASE=alpine\nFROM ${BASE}:3.19 AS deps\nRUN a\nFROM deps AS build\nRUN b\nFROM scratch\nCOPY --from=build /x /x\n";
    let df = parsed(text);
    assert_eq!(df.stages.len(), 3);
    let s = &df.stages;
    assert_eq!(
        (
            s[0].instructions(),
            s[1].instructions(),
            s[2].instructions()
        ),
        (1..3, 3..5, 5..7)
    );
    assert_eq!(s[0].base_image_resolved().unwrap().value, "alpine:3.19");
    assert_eq!(s[0].base_image().unwrap().tag.as_deref(), Some("3.19"));
    assert_eq!(s[1].parent, Some(0));
    assert!(s[1].base_image().is_none());
    assert!(s[2].base_image().unwrap().is_scratch());
    assert_eq!(df.stage_of(4).unwrap().index, 1);
    assert_eq!(df.stage_of(0), None);
}

#[test]
fn a_duplicate_stage_name_is_an_error() {
    let text = "FROM a AS x\nFROM b as X\n";
    let df = parsed(text);
    assert_eq!(messages(&df), ["duplicate stage name \"x\""]);
    assert_eq!(df.diagnostics[0].span.text(text), "X");
}

#[test]
fn invalid_stage_names_and_from_arity() {
    let df = parsed("FROM a AS 1x\nFROM a b\nFROM\n");
    assert_eq!(
        messages(&df),
        [
            "invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
            "FROM requires either one or three arguments",
            "FROM requires either one or three arguments"
        ]
    );
}

#[test]
fn unknown_and_bad_flags() {
    let df = parsed(
        "FROM --foo=1 a\nRUN --mount x\nCOPY --link=maybe --from=a --from=b a b\nWORKDIR --x /w\n",
    );
    assert_eq!(
        messages(&df),
        [
            "unknown flag: foo",
            "Missing a value on flag: mount",
            "expecting boolean value for flag link, not: maybe",
            "Duplicate flag specified: from",
            "unknown flag: x"
        ]
    );
}

#[test]
fn argument_count_errors() {
    let df = parsed(
        "FROM a\nCOPY onlyone\nEXPOSE\nUSER\nENV\nLABEL\nARG\nVOLUME\nWORKDIR\nSTOPSIGNAL\n",
    );
    assert_eq!(df.diagnostics.len(), 9, "{:?}", messages(&df));
    assert!(messages(&df)[0].starts_with("COPY requires at least two arguments"));
}

#[test]
fn heredoc_run() {
    let text = "FROM a\nRUN <<EOF\napt-get update\n# not a comment\napt-get install -y curl\nEOF\nUSER app\n";
    let df = parsed(text);
    let run = ins(&df, 1);
    let h = &run.heredocs[0];
    assert_eq!(h.delimiter, "EOF");
    assert_eq!(
        h.body,
        "apt-get update\n# not a comment\napt-get install -y curl\n"
    );
    assert_eq!(h.span.text(text), "<<EOF");
    assert_eq!(h.body_span.text(text), h.body);
    assert_eq!(h.terminator_span.unwrap().text(text), "EOF");
    assert_eq!(
        run.span.text(text),
        "RUN <<EOF\napt-get update\n# not a comment\napt-get install -y curl\nEOF"
    );
    assert!(df.comments.is_empty());
    let names: Vec<_> = run
        .shell_commands()
        .iter()
        .map(|c| c.words[1].value.clone())
        .collect();
    assert_eq!(names, ["update", "install"]);
    assert_eq!(ins(&df, 2).kind, Kind::User);
}

#[test]
fn heredoc_anywhere_and_several_closed_in_order() {
    let text = "FROM a\nRUN python3 <<PY && cat <<'TXT' > /f\nprint('hi')\nPY\n$HOME stays\nTXT\n";
    let df = parsed(text);
    let run = ins(&df, 1);
    assert_eq!(run.heredocs.len(), 2);
    assert_eq!(run.heredocs[0].body, "print('hi')\n");
    assert_eq!(run.heredocs[1].body, "$HOME stays\n");
    assert!(!run.heredocs[0].quoted);
    assert!(run.heredocs[1].quoted);
    // Neither body is a shell script (python, and a file written by cat).
    assert!(!run.heredoc_runs_in_shell(0));
    assert!(!run.heredoc_runs_in_shell(1));
    let names: Vec<_> = run
        .shell_commands()
        .iter()
        .filter_map(|c| c.name().map(str::to_owned))
        .collect();
    assert_eq!(names, ["python3", "cat"]);
    assert_eq!(df.instructions.len(), 2);
}

#[test]
fn heredoc_fed_to_a_shell_is_tokenized() {
    let text = "FROM a\nRUN bash -e <<EOF\nsudo rm -rf /tmp/x\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n";
    let df = parsed(text);
    assert!(ins(&df, 1).heredoc_runs_in_shell(0));
    let names: Vec<_> = ins(&df, 1)
        .shell_commands()
        .iter()
        .filter_map(|c| c.name().map(str::to_owned))
        .collect();
    assert_eq!(names, ["bash", "sudo"]);
    assert!(!ins(&df, 2).heredoc_runs_in_shell(0));
}

#[test]
fn heredoc_strip_tabs_and_quoted_delimiters() {
    let text = "FROM a\nRUN <<-\"END\"\n\techo $X\n\t\tindented\n\tEND\n";
    let df = parsed(text);
    let h = &ins(&df, 1).heredocs[0];
    assert!(h.strip_tabs && h.quoted);
    assert_eq!(h.delimiter, "END");
    assert_eq!(h.body, "echo $X\nindented\n");
    assert_eq!(h.body_span.text(text), "\techo $X\n\t\tindented\n");
    assert_eq!(h.terminator_span.unwrap().text(text), "\tEND");
    // Commands keep exact offsets in the tab-stripped body.
    let c = &ins(&df, 1).shell_commands()[0];
    assert_eq!(c.words[1].span.text(text), "$X");
    // Without `-`, a tab-indented terminator does not end the body.
    let df = parsed("FROM a\nRUN <<END\n\tEND\nEND\n");
    assert_eq!(ins(&df, 1).heredocs[0].body, "\tEND\n");
}

#[test]
fn copy_heredoc() {
    let text = "FROM a\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\nCOPY --chmod=755 <<run.sh <<cfg /opt/\n#!/bin/sh\nrun.sh\ncfg-body\ncfg\n";
    let df = parsed(text);
    let Args::Copy(c) = &ins(&df, 1).args else {
        panic!()
    };
    assert_eq!(c.sources[0].heredoc, Some(0));
    assert_eq!(c.dest.as_ref().unwrap().value, "/etc/app.conf");
    assert_eq!(ins(&df, 1).heredocs[0].body, "key=value\n");
    let Args::Copy(c) = &ins(&df, 2).args else {
        panic!()
    };
    assert_eq!(
        c.sources.iter().map(|s| s.heredoc).collect::<Vec<_>>(),
        [Some(0), Some(1)]
    );
    assert_eq!(ins(&df, 2).heredocs[1].body, "cfg-body\n");
    assert!(df.diagnostics.is_empty());
}

#[test]
fn heredoc_with_crlf() {
    let text = "FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nUSER x\r\n";
    let df = parsed(text);
    let h = &ins(&df, 1).heredocs[0];
    assert!(h.is_terminated());
    assert_eq!(h.body, "echo hi\r\n");
    assert_eq!(df.instructions.len(), 3);
}

#[test]
fn heredoc_after_continuation_lines() {
    let text = "FROM a\nRUN --mount=type=cache,target=/c \\\n    sh <<EOF\necho 1\nEOF\n";
    let df = parsed(text);
    assert_eq!(ins(&df, 1).heredocs[0].body, "echo 1\n");
}

#[test]
fn no_heredocs_in_exec_form_or_other_instructions() {
    let df = parsed("FROM a\nRUN [\"cat\", \"<<EOF\"]\nENV A=<<EOF\nEOF\n");
    assert!(ins(&df, 1).heredocs.is_empty());
    assert!(ins(&df, 2).heredocs.is_empty());
    // `EOF` on its own line is then an unknown instruction.
    assert_eq!(ins(&df, 3).kind, Kind::Unknown);
}

#[test]
fn comments_have_spans() {
    let text = "FROM a\n  # bulwark:ignore=D2 reason  \nUSER root\n";
    let df = parsed(text);
    assert_eq!(df.comments[0].text, "bulwark:ignore=D2 reason");
    assert_eq!(df.comments[0].span.text(text), "# bulwark:ignore=D2 reason");
    assert_eq!(df.comments_before(text, 1).len(), 1);
    assert!(df.comments_before(text, 0).is_empty());
}
