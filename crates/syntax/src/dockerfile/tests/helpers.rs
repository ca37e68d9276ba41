//! The helpers rules use: scoped substitution and shell commands.

use super::{ins, parsed};
use crate::dockerfile::{Args, Separator, commands};

#[test]
fn global_args_are_visible_in_from_only() {
    let text = "ARG BASE=debian\nARG TAG=${BASE}-slim\nFROM ${BASE}:${TAG}\nUSER ${BASE}\nARG BASE\nUSER ${BASE}\n";
    let df = parsed(text);
    assert_eq!(
        df.stages[0].base_image_resolved().unwrap().value,
        "debian:debian-slim"
    );
    // Inside the stage the global is invisible until re-declared.
    let e = df.expand_at("${BASE}", 3);
    assert_eq!(
        (e.value.as_str(), e.unresolved.as_slice()),
        ("", &["BASE".to_owned()][..])
    );
    assert_eq!(df.expand_at("${BASE}", 5).value, "debian");
    assert_eq!(df.global_args().get("TAG"), Some("debian-slim"));
}

#[test]
fn args_are_scoped_per_stage_and_env_is_inherited() {
    let text = "FROM a AS one\nARG UID=1001\nENV HOME_DIR=/home/u${UID}\nUSER ${UID}\n\
                FROM one\nUSER ${UID}\nRUN echo $HOME_DIR\n";
    let df = parsed(text);
    let Args::User(Some(user)) = &ins(&df, 3).args else {
        panic!()
    };
    assert_eq!(df.expand_at(&user.user.raw, 3).value, "1001");
    // ARG does not cross stages; ENV comes with the parent image.
    let e = df.expand_at("${UID}", 5);
    assert!(!e.is_complete());
    assert_eq!(df.vars_at(6).get("HOME_DIR"), Some("/home/u1001"));
}

#[test]
fn defaults_resolve_unknown_build_args() {
    let df = parsed("ARG VERSION\nFROM node:${VERSION:-20}-alpine\n");
    let base = df.stages[0].base_image_resolved().unwrap();
    assert_eq!(base.value, "node:20-alpine");
    assert!(base.is_complete());
    let df = parsed("ARG VERSION\nFROM node:${VERSION}\n");
    assert_eq!(
        df.stages[0].base_image_resolved().unwrap().unresolved,
        ["VERSION"]
    );
}

#[test]
fn escape_directive_applies_to_substitution() {
    let df = parsed("# escape=`\nARG D=C:\\tools\nFROM a\nARG D\nWORKDIR ${D}\\bin\n");
    assert_eq!(df.expand_at("${D}\\bin", 3).value, "C:\\tools\\bin");
}

fn names(text: &str) -> Vec<String> {
    commands(text)
        .iter()
        .filter_map(|c| c.name().map(str::to_owned))
        .collect()
}

#[test]
fn commands_are_split_on_operators() {
    assert_eq!(
        names("a && b || c; d | e & f\ng"),
        ["a", "b", "c", "d", "e", "f", "g"]
    );
    let cmds = commands("curl -fsSL https://get.example.com | sudo sh -s -- --yes");
    assert_eq!(cmds[0].pipe_to, Some(1));
    assert_eq!(cmds[1].program(), Some("sudo"));
    assert_eq!(cmds[1].follows, Separator::Pipe);
    assert!(cmds[1].has_arg("sh"));
}

#[test]
fn quotes_and_comments_do_not_produce_false_commands() {
    assert_eq!(
        names("echo 'a && sudo b' \"c | sh\" # && sudo rm"),
        ["echo"]
    );
    let cmd = &commands("echo \"it's\" 'a'\"b\"c")[0];
    let values: Vec<&str> = cmd.words.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(values, ["echo", "it's", "abc"]);
    // A `#` inside a word is not a comment.
    assert_eq!(commands("echo a#b")[0].words[1].value, "a#b");
}

#[test]
fn substitutions_stay_inside_their_word() {
    let cmd = &commands("echo $(curl -s x | sh) `id -u` ${A:-b c} \"$(a \"b\")\" done")[0];
    let values: Vec<&str> = cmd.words.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(
        values,
        [
            "echo",
            "$(curl -s x | sh)",
            "`id -u`",
            "${A:-b c}",
            "$(a \"b\")",
            "done"
        ]
    );
}

#[test]
fn redirects_and_assignments() {
    let cmd = &commands("DEBIAN_FRONTEND=noninteractive apt-get install -y x > /dev/null 2>&1")[0];
    assert_eq!(cmd.assignments[0].value, "DEBIAN_FRONTEND=noninteractive");
    assert_eq!(cmd.name(), Some("apt-get"));
    assert_eq!(cmd.args().len(), 3);
    assert_eq!(cmd.redirects[0].op, ">");
    assert_eq!(cmd.redirects[0].target.as_ref().unwrap().value, "/dev/null");
    assert_eq!(cmd.redirects[1].fd, Some(2));
    assert_eq!(cmd.redirects[1].op, ">&");
}

#[test]
fn reserved_words_are_skipped_at_command_start() {
    assert_eq!(
        names("if [ -f x ]; then sudo rm x; else echo no; fi; for f in a b; do cat $f; done"),
        ["[", "sudo", "echo", "for", "cat"]
    );
    assert_eq!(names("{ a; b; } && (c)"), ["a", "b", "c"]);
}

#[test]
fn heredocs_inside_scripts_are_skipped() {
    let text = "cat <<EOF > /etc/x\nsudo is text here\nEOF\nsudo real\n";
    assert_eq!(names(text), ["cat", "sudo"]);
    let cmds = commands(text);
    assert_eq!(cmds[1].span.text(text), "sudo real");
}

#[test]
fn line_continuations_inside_scripts() {
    assert_eq!(
        names("apt-get update \\\n && apt-get install x"),
        ["apt-get", "apt-get"]
    );
}

#[test]
fn apt_get_update_and_install_in_the_same_run() {
    let df =
        parsed("FROM a\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n");
    let cmds = ins(&df, 1).shell_commands();
    let update = cmds
        .iter()
        .any(|c| c.name() == Some("apt-get") && c.has_arg("update"));
    let install = cmds
        .iter()
        .any(|c| c.name() == Some("apt-get") && c.has_arg("install"));
    assert!(update && install);
}

#[test]
fn exec_form_commands() {
    let text = "FROM a\nRUN [\"sudo\", \"apt-get\", \"update\"]\nRUN [\"/bin/sh\", \"-c\", \"curl x | sh\"]\n";
    let df = parsed(text);
    assert_eq!(ins(&df, 1).shell_commands()[0].name(), Some("sudo"));
    let cmds = ins(&df, 2).shell_commands();
    assert_eq!(cmds[0].name(), Some("curl"));
    assert_eq!(cmds[0].pipe_to, Some(1));
    assert_eq!(cmds[1].span.text(text), "sh");
}

#[test]
fn unterminated_quotes_and_substitutions_do_not_panic() {
    for text in [
        "echo 'a", "echo \"a", "echo $(a", "echo ${a", "echo `a", "a \\", "<<", "2>",
    ] {
        let _ = commands(text);
    }
}
