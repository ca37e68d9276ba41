//! Rules about Dockerfiles.
//!
//! Below the rule list are the helpers the rules of this folder share:
//! the commands each RUN executes (heredoc scripts, exec form and nested
//! `sh -c "…"` scripts included), command wrappers (`sudo`, `env`, …),
//! option parsing for package managers, and stage chains. They are kept
//! here, private to the folder, until they move to shared code.

mod add_instead_of_copy;
mod apt_install_recommends;
mod base_image_latest;
mod base_image_untagged;
mod copy_whole_stage;
mod credential_setup_in_run;
mod insecure_download;
mod no_user;
mod non_numeric_user;
mod package_signature_check_disabled;
mod password_set_in_run;
mod pipe_without_pipefail;
mod remote_add;
mod root_user;
mod secret_file_in_env;
mod secret_in_arg_env;
mod ssh_port_exposed;
mod sudo_in_run;
mod tls_verification_disabled;
mod unpinned_apk;
mod unpinned_apt;
mod unpinned_dnf;
mod unpinned_gem;
mod unpinned_go_install;
mod unpinned_npm;
mod unpinned_pip;
mod unpinned_yum;
mod unpinned_zypper;
mod update_alone;
mod workdir_in_system_dir;

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Args, Command, Dockerfile, Instruction, Kind, Stage, Word};

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &no_user::NoUser,
    &root_user::RootUser,
    &non_numeric_user::NonNumericUser,
    &sudo_in_run::SudoInRun,
    &add_instead_of_copy::AddInsteadOfCopy,
    &remote_add::RemoteAdd,
    &base_image_latest::BaseImageLatest,
    &base_image_untagged::BaseImageUntagged,
    &ssh_port_exposed::SshPortExposed,
    &update_alone::UpdateAlone,
    &apt_install_recommends::AptInstallRecommends,
    &unpinned_apt::UnpinnedApt,
    &unpinned_apk::UnpinnedApk,
    &unpinned_pip::UnpinnedPip,
    &unpinned_npm::UnpinnedNpm,
    &unpinned_gem::UnpinnedGem,
    &unpinned_yum::UnpinnedYum,
    &unpinned_dnf::UnpinnedDnf,
    &unpinned_zypper::UnpinnedZypper,
    &unpinned_go_install::UnpinnedGoInstall,
    &insecure_download::InsecureDownload,
    &tls_verification_disabled::TlsVerificationDisabled,
    &package_signature_check_disabled::PackageSignatureCheckDisabled,
    &password_set_in_run::PasswordSetInRun,
    &secret_in_arg_env::SecretInArgEnv,
    &credential_setup_in_run::CredentialSetupInRun,
    &secret_file_in_env::SecretFileInEnv,
    &pipe_without_pipefail::PipeWithoutPipefail,
    &workdir_in_system_dir::WorkdirInSystemDir,
    &copy_whole_stage::CopyWholeStage,
];

// ---------------------------------------------------------------------
// What a RUN executes.
// ---------------------------------------------------------------------

/// One RUN instruction (or `ONBUILD RUN`) and the shell scripts it runs.
pub(crate) struct Run<'a> {
    /// The index of the instruction in the file (the ONBUILD for a trigger).
    pub index: usize,
    /// The RUN itself (the trigger for ONBUILD).
    pub run: &'a Instruction,
    /// The scripts: first the commands the RUN's shell runs (line, exec
    /// form and heredoc scripts, see `Instruction::shell_commands`), then
    /// one per nested `sh -c "…"` script found in them (exec-form
    /// `["sh", "-c", "…"]` scripts with JSON escapes included, their
    /// positions then being the whole script string).
    pub scripts: Vec<Vec<Command>>,
}

impl Run<'_> {
    /// Every command of every script.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.scripts.iter().flatten()
    }

    /// Whether the RUN has `--mount=type=<kind>`.
    pub fn has_mount(&self, kind: &str) -> bool {
        self.run
            .flags_named("mount")
            .filter_map(|f| f.mount())
            .any(|m| m.kind == kind)
    }
}

/// Every RUN (and ONBUILD RUN) of the file with its scripts, in order.
pub(crate) fn runs(df: &Dockerfile) -> Vec<Run<'_>> {
    df.instructions
        .iter()
        .enumerate()
        .filter_map(|(index, instruction)| {
            let run = instruction.onbuild_trigger().unwrap_or(instruction);
            if run.kind != Kind::Run {
                return None;
            }
            let first = instruction.shell_commands();
            let mut scripts = vec![first];
            // Nested `sh -c "…"`, breadth first, a few levels deep.
            let mut level = 0;
            let mut from = 0;
            while level < 3 {
                let to = scripts.len();
                let mut found = Vec::new();
                for script in &scripts[from..to] {
                    for command in script {
                        if let Some(nested) = nested_script(command) {
                            found.push(nested);
                        }
                    }
                }
                if found.is_empty() {
                    break;
                }
                scripts.extend(found);
                from = to;
                level += 1;
            }
            Some(Run {
                index,
                run,
                scripts,
            })
        })
        .collect()
}

/// The commands of `sh -c "script"` (after wrappers), when the script's
/// text maps one to one onto the file (a quoted or bare word on one line).
fn nested_script(command: &Command) -> Option<Vec<Command>> {
    let words = program_words(&command.words);
    let program = words.first()?;
    if !bulwark_syntax::dockerfile::is_shell(&program.value) {
        return None;
    }
    let args = &words[1..];
    // `-c` alone or at the end of a cluster (`-ec`, `-xc`).
    let c = args.iter().position(|w| {
        w.value.starts_with('-') && !w.value.starts_with("--") && w.value.ends_with('c')
    })?;
    let script = args.get(c + 1)?;
    let raw = script.raw.as_str();
    let inner = if raw.len() == script.value.len() + 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''))
    {
        Some(1)
    } else if raw == script.value {
        Some(0)
    } else {
        None
    };
    let mut commands = bulwark_syntax::dockerfile::commands(&script.value);
    match inner {
        Some(inner) if script.span.end - script.span.start == raw.len() => {
            let offset = script.span.start + inner;
            for c in &mut commands {
                shift_command(c, offset);
            }
        }
        // Escapes or continuation lines: offsets in the value do not map
        // onto the file, so everything points at the whole script word.
        _ => {
            for c in &mut commands {
                pin_command(c, script.span);
            }
        }
    }
    Some(commands)
}

fn pin_command(c: &mut Command, span: Span) {
    c.span = span;
    for w in c.words.iter_mut().chain(c.assignments.iter_mut()) {
        w.span = span;
    }
    for r in &mut c.redirects {
        r.span = span;
        if let Some(t) = &mut r.target {
            t.span = span;
        }
    }
}

fn shift(span: &mut Span, by: usize) {
    span.start += by;
    span.end += by;
}

fn shift_command(c: &mut Command, by: usize) {
    shift(&mut c.span, by);
    for w in c.words.iter_mut().chain(c.assignments.iter_mut()) {
        shift(&mut w.span, by);
    }
    for r in &mut c.redirects {
        shift(&mut r.span, by);
        if let Some(t) = &mut r.target {
            shift(&mut t.span, by);
        }
    }
}

// ---------------------------------------------------------------------
// Command wrappers.
// ---------------------------------------------------------------------

/// Programs that run the command given after them (with their options
/// that take a value).
const WRAPPERS: &[(&str, &[&str])] = &[
    (
        "sudo",
        &[
            "-u",
            "-g",
            "-h",
            "-C",
            "-p",
            "-r",
            "-t",
            "-U",
            "-D",
            "-T",
            "--user",
            "--group",
            "--host",
            "--prompt",
            "--role",
            "--type",
            "--other-user",
            "--chdir",
            "--close-from",
            "--command-timeout",
        ],
    ),
    ("doas", &["-u", "-C"]),
    ("env", &["-u", "-C", "--unset", "--chdir"]),
    ("nice", &["-n", "--adjustment"]),
    ("nohup", &[]),
    ("exec", &["-a"]),
    ("command", &[]),
    ("time", &["-f", "-o", "--format", "--output"]),
    (
        "stdbuf",
        &["-i", "-o", "-e", "--input", "--output", "--error"],
    ),
    (
        "xargs",
        &[
            "-I",
            "-n",
            "-P",
            "-L",
            "-s",
            "-d",
            "-E",
            "-a",
            "--max-args",
            "--max-procs",
            "--max-lines",
            "--max-chars",
            "--delimiter",
            "--arg-file",
            "--eof",
            "--replace",
        ],
    ),
    ("busybox", &[]),
];

/// The positions in `words` where each program of a wrapper chain starts:
/// `sudo -u x env A=1 apt-get install y` gives the positions of `sudo`,
/// `env` and `apt-get`. Empty when there are no words, or when the chain
/// only looks a program up (`command -v sudo`).
pub(crate) fn program_positions(words: &[Word]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        out.push(i);
        let name = basename(&word.value);
        let Some((_, takes)) = WRAPPERS.iter().find(|(w, _)| *w == name) else {
            break;
        };
        i += 1;
        // Options of the wrapper.
        while let Some(w) = words.get(i) {
            let v = w.value.as_str();
            if v == "--" {
                i += 1;
                break;
            }
            if name == "command" && (v == "-v" || v == "-V") {
                // A lookup, not a run.
                out.pop();
                return out;
            }
            if v.starts_with('-') && v.len() > 1 {
                i += if takes.contains(&v) { 2 } else { 1 };
                continue;
            }
            // `sudo A=1 cmd`, `env A=1 cmd`.
            if (name == "sudo" || name == "env") && is_assignment(v) {
                i += 1;
                continue;
            }
            break;
        }
        // `timeout 10 cmd`-like positional arguments are not wrapped here.
        if name == "busybox" && words.get(i).is_none() {
            break;
        }
    }
    out
}

/// The words from the program a wrapper chain finally runs: `apt-get
/// install y` for `sudo env A=1 apt-get install y`. Empty for `command -v`.
pub(crate) fn program_words(words: &[Word]) -> &[Word] {
    match program_positions(words).last() {
        Some(&i) => &words[i..],
        None => &[],
    }
}

/// The name without its directory: `sh` for `/bin/sh`.
pub(crate) fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ---------------------------------------------------------------------
// Options and operands.
// ---------------------------------------------------------------------

/// Arguments split into options and operands.
pub(crate) struct Split<'a> {
    /// Option words (`-y`, `--no-cache`, `--opt=value`), with the value
    /// word that follows an option taking one.
    pub options: Vec<&'a Word>,
    /// Everything else, in order.
    pub operands: Vec<&'a Word>,
}

impl<'a> Split<'a> {
    /// Whether the long option `long` is present, alone or as
    /// `--name=…`.
    pub fn has(&self, long: &str) -> bool {
        self.options.iter().any(|w| {
            w.value == long
                || w.value
                    .strip_prefix(long)
                    .is_some_and(|rest| rest.starts_with('='))
        })
    }

    /// The first operand (the subcommand of `apt-get`, `pip`, …).
    pub fn subcommand(&self) -> Option<&'a Word> {
        self.operands.first().copied()
    }

    /// The operands after the subcommand.
    pub fn rest(&self) -> &[&'a Word] {
        self.operands.get(1..).unwrap_or(&[])
    }
}

/// Splits `args` into options and operands. `takes` lists the options
/// that take the next word as their value (`-o`, `--option`); a short
/// option in `takes` at the end of a cluster (`-qo`) takes it too. `--`
/// ends the options.
pub(crate) fn split<'a>(args: &'a [Word], takes: &[&str]) -> Split<'a> {
    let mut options = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    let mut only_operands = false;
    while let Some(w) = args.get(i) {
        i += 1;
        let v = w.value.as_str();
        if only_operands || !v.starts_with('-') || v == "-" {
            operands.push(w);
            continue;
        }
        if v == "--" {
            only_operands = true;
            continue;
        }
        options.push(w);
        let takes_next = if v.starts_with("--") {
            !v.contains('=') && takes.contains(&v)
        } else {
            short_takes_next(v, takes)
        };
        if takes_next && let Some(value) = args.get(i) {
            options.push(value);
            i += 1;
        }
    }
    Split { options, operands }
}

/// Whether the short-option cluster `v` (`-qo`) ends with a letter that
/// takes the next word as its value.
pub(crate) fn short_takes_next(v: &str, takes: &[&str]) -> bool {
    let letters: Vec<char> = v.chars().skip(1).collect();
    for (k, c) in letters.iter().enumerate() {
        let mut buf = [0u8; 4];
        let short = format!("-{}", c.encode_utf8(&mut buf));
        if takes.contains(&short.as_str()) {
            // The rest of the cluster is the value, unless it is empty.
            return k + 1 == letters.len();
        }
    }
    false
}

/// Whether the short-option cluster `v` (`-fsSLk`) holds `letter` before
/// any letter that takes a value (`-ok` is `-o k`).
pub(crate) fn cluster_has(v: &str, letter: char, takes: &[&str]) -> bool {
    if !v.starts_with('-') || v.starts_with("--") {
        return false;
    }
    for c in v.chars().skip(1) {
        if c == letter {
            return true;
        }
        let mut buf = [0u8; 4];
        let short = format!("-{}", c.encode_utf8(&mut buf));
        if takes.contains(&short.as_str()) {
            return false;
        }
    }
    false
}

/// Whether a word holds a variable or a substitution the linter cannot
/// resolve (`$PKGS`, `$(cat list)`, `` `x` ``).
pub(crate) fn is_dynamic(w: &Word) -> bool {
    w.value.contains('$') || w.value.contains('`')
}

// ---------------------------------------------------------------------
// Stages.
// ---------------------------------------------------------------------

/// `stage` and the earlier stages it is built on, nearest first.
pub(crate) fn stage_chain<'a>(df: &'a Dockerfile, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut chain = vec![stage];
    let mut parent = stage.parent;
    while let Some(p) = parent.and_then(|p| df.stages.get(p)) {
        if chain.iter().any(|s| s.index == p.index) {
            break;
        }
        chain.push(p);
        parent = p.parent;
    }
    chain
}

/// The instructions of `stage` (FROM excluded), with their indices,
/// last first when `rev`.
pub(crate) fn stage_instructions<'a>(
    df: &'a Dockerfile,
    stage: &Stage,
) -> impl DoubleEndedIterator<Item = (usize, &'a Instruction)> {
    let range = stage.from + 1..stage.end.min(df.instructions.len());
    df.instructions
        .get(range.clone())
        .unwrap_or(&[])
        .iter()
        .zip(range)
        .map(|(i, n)| (n, i))
}

/// The USER in effect at the end of a stage.
pub(crate) enum LastUser<'a> {
    /// The last USER instruction of the stage or of a stage it is built on.
    Set {
        index: usize,
        user: &'a bulwark_syntax::dockerfile::UserArgs,
    },
    /// No USER in the stage nor in the stages it is built on.
    Unset,
    /// The tree cannot tell: a USER without a value, or an instruction the
    /// parser did not recognise (maybe a misspelt USER) after the last USER.
    Unknown,
}

/// The USER in effect at the end of `stage`, following its parent stages.
pub(crate) fn last_user<'a>(df: &'a Dockerfile, stage: &'a Stage) -> LastUser<'a> {
    for s in stage_chain(df, stage) {
        for (index, instruction) in stage_instructions(df, s).rev() {
            match (&instruction.kind, &instruction.args) {
                (Kind::User, Args::User(Some(user))) => return LastUser::Set { index, user },
                (Kind::User, _) | (Kind::Unknown, _) => return LastUser::Unknown,
                _ => {}
            }
        }
    }
    LastUser::Unset
}

/// The USER value (`user[:group]`), variables expanded as the build would;
/// `None` when a variable has no known value. The whole value is expanded
/// before splitting at `:`, as BuildKit does (the parser splits at the
/// first `:` of the text, which may sit inside `${UID:-0}`).
pub(crate) fn resolved_user(
    df: &Dockerfile,
    index: usize,
    user: &bulwark_syntax::dockerfile::UserArgs,
) -> Option<String> {
    let mut raw = user.user.raw.to_string();
    if let Some(g) = &user.group {
        raw.push(':');
        raw.push_str(&g.raw);
    }
    let e = df.expand_at(&raw, index);
    (e.is_complete() && !e.value.is_empty()).then_some(e.value)
}

/// The span of a USER value, group included.
pub(crate) fn user_span(user: &bulwark_syntax::dockerfile::UserArgs) -> Span {
    match &user.group {
        Some(g) => user.user.span.to(g.span),
        None => user.user.span,
    }
}

/// The text of a USER value as written.
pub(crate) fn user_text(user: &bulwark_syntax::dockerfile::UserArgs) -> String {
    match &user.group {
        Some(g) => format!("{}:{}", user.user.raw, g.raw),
        None => user.user.raw.to_string(),
    }
}

/// An image a build pulls: a stage's base or a `COPY --from` image.
pub(crate) struct PulledImage {
    /// The reference as written.
    pub written: String,
    /// Where it is written.
    pub span: Span,
    /// With ARGs substituted.
    pub resolved: String,
    pub image: bulwark_syntax::dockerfile::ImageRef,
    /// `FROM` (true) or `COPY --from` (false).
    pub is_base: bool,
}

/// The images the build pulls, with their variables resolved: each
/// stage's base unless it is an earlier stage or `scratch`, and each
/// `COPY --from=<image>`. A reference whose variables have no known value
/// is left out.
pub(crate) fn pulled_images(df: &Dockerfile) -> Vec<PulledImage> {
    let mut out = Vec::new();
    for stage in &df.stages {
        let (Some(word), Some(e), None) = (&stage.base, &stage.base_resolved, stage.parent) else {
            continue;
        };
        if !e.is_complete() || e.value.is_empty() {
            continue;
        }
        let image = bulwark_syntax::dockerfile::ImageRef::parse(&e.value);
        if image.is_scratch() {
            continue;
        }
        out.push(PulledImage {
            written: word.raw.to_string(),
            span: word.span,
            resolved: e.value.clone(),
            image,
            is_base: true,
        });
    }
    for (index, instruction) in df.instructions.iter().enumerate() {
        if instruction.kind != Kind::Copy {
            continue;
        }
        let Some(flag) = instruction.flag("from") else {
            continue;
        };
        let e = df.expand_at(flag.value.as_deref().unwrap_or(""), index);
        if !e.is_complete() || e.value.is_empty() {
            continue;
        }
        let Some(bulwark_syntax::dockerfile::CopyFrom::Image(reference)) = df.copy_from(index)
        else {
            continue;
        };
        out.push(PulledImage {
            written: flag.value.as_deref().unwrap_or_default().to_string(),
            span: flag.value_span.unwrap_or(flag.span),
            image: bulwark_syntax::dockerfile::ImageRef::parse(&reference),
            resolved: reference,
            is_base: false,
        });
    }
    out
}

// ---------------------------------------------------------------------
// Environment settings and configuration files written by the build.
// ---------------------------------------------------------------------

/// Where a variable is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SettingKind {
    /// `ENV NAME=value`: in the image and every later RUN.
    Env,
    /// `ARG NAME[=default]`: in every later RUN of the stage.
    Arg,
    /// `NAME=value cmd`, `export NAME=value`, `env NAME=value cmd` in a RUN.
    Shell,
}

/// A variable set by the Dockerfile.
pub(crate) struct Setting {
    pub name: String,
    /// Expanded when it could be (ENV, ARG); as written in a RUN. `None`
    /// for `ARG NAME` without a default.
    pub value: Option<String>,
    /// The name (ENV, ARG) or the whole assignment word (RUN).
    pub span: Span,
    pub kind: SettingKind,
}

/// Every variable the Dockerfile sets, in order: ENV and ARG pairs (values
/// expanded as the build would) and assignments in RUN scripts.
pub(crate) fn settings(df: &Dockerfile) -> Vec<Setting> {
    let mut out = Vec::new();
    for (index, instruction) in df.instructions.iter().enumerate() {
        let (pairs, kind) = match &instruction.args {
            Args::Env(p) => (p, SettingKind::Env),
            Args::Arg(p) => (p, SettingKind::Arg),
            _ => continue,
        };
        for pair in pairs {
            let value = pair.value.as_ref().map(|v| {
                let e = df.expand_at(&v.raw, index);
                if e.error.is_none() {
                    e.value
                } else {
                    v.value.to_string()
                }
            });
            out.push(Setting {
                name: pair.key.value.to_string(),
                value,
                span: pair.key.span,
                kind,
            });
        }
    }
    for run in runs(df) {
        for command in run.commands() {
            let mut words: Vec<&Word> = command.assignments.iter().collect();
            let positions = program_positions(&command.words);
            for (n, &p) in positions.iter().enumerate() {
                let name = basename(&command.words[p].value);
                let end = positions.get(n + 1).copied().unwrap_or(command.words.len());
                if matches!(
                    name,
                    "env" | "export" | "declare" | "typeset" | "readonly" | "sudo"
                ) {
                    words.extend(
                        command.words[p + 1..end]
                            .iter()
                            .filter(|w| is_assignment(&w.value)),
                    );
                }
            }
            for w in words {
                if let Some((name, value)) = w.value.split_once('=') {
                    out.push(Setting {
                        name: name.to_string(),
                        value: Some(value.to_string()),
                        span: w.span,
                        kind: SettingKind::Shell,
                    });
                }
            }
        }
    }
    out
}

/// A piece of text the build writes to a file.
pub(crate) struct Written {
    /// The file, as written.
    pub path: String,
    /// The text: an `echo`/`printf` argument, a `sed` replacement, a line
    /// of a heredoc.
    pub text: String,
    pub span: Span,
}

/// The heredoc bodies fed to each command of a RUN line (not of heredoc
/// scripts), by the command's index in `scripts[0]`.
fn heredocs_by_command<'a>(run: &Run<'a>) -> Vec<(usize, &'a bulwark_syntax::dockerfile::Heredoc)> {
    let Some(first_body) = run.run.heredocs.first().map(|h| h.body_span.start) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut next = 0;
    for (i, command) in run.scripts[0].iter().enumerate() {
        if command.span.start >= first_body {
            break;
        }
        for r in &command.redirects {
            if r.op == "<<" || r.op == "<<-" {
                if let Some(h) = run.run.heredocs.get(next) {
                    out.push((i, h));
                }
                next += 1;
            }
        }
    }
    out
}

/// The lines of a heredoc body with their spans.
fn heredoc_lines(h: &bulwark_syntax::dockerfile::Heredoc) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut offset = h.body_span.start;
    for line in h.body.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        out.push((text.to_string(), Span::new(offset, offset + text.len())));
        offset += line.len();
    }
    out
}

/// The replacement of a sed `s/from/to/` expression.
fn sed_replacement(expr: &str) -> Option<&str> {
    let rest = expr.strip_prefix('s')?;
    let delim = rest.chars().next()?;
    let mut parts = rest[delim.len_utf8()..].split(delim);
    parts.next()?;
    parts.next()
}

/// Text the build writes into files whose path `wanted` accepts: what a
/// RUN command redirects (`echo … > f`, `printf … | tee f`,
/// `cat <<EOF > f`), a `sed -i` replacement in `f`, and COPY or ADD
/// heredocs whose destination is `f`.
pub(crate) fn written_to(df: &Dockerfile, wanted: &dyn Fn(&str) -> bool) -> Vec<Written> {
    let mut out = Vec::new();
    for run in runs(df) {
        let heredocs = heredocs_by_command(&run);
        for (s, script) in run.scripts.iter().enumerate() {
            for (i, command) in script.iter().enumerate() {
                let words = program_words(&command.words);
                let mut paths: Vec<&Word> = command
                    .redirects
                    .iter()
                    .filter(|r| matches!(r.op.as_str(), ">" | ">>" | ">|" | "&>" | "&>>"))
                    .filter_map(|r| r.target.as_ref())
                    .filter(|t| wanted(&t.value))
                    .collect();
                paths.extend(words.iter().skip(1).filter(|w| wanted(&w.value)));
                let Some(path) = paths.first() else {
                    continue;
                };
                // The writers: this command and the ones piping into it.
                let mut writers: Vec<usize> = vec![i];
                let mut k = 0;
                while let Some(&target) = writers.get(k) {
                    writers.extend(
                        script
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.pipe_to == Some(target))
                            .map(|(j, _)| j),
                    );
                    k += 1;
                }
                for j in writers {
                    let writer = &script[j];
                    let ws = program_words(&writer.words);
                    let is_sed = ws.first().is_some_and(|w| basename(&w.value) == "sed");
                    for w in ws.iter().skip(1) {
                        if paths.iter().any(|p| p.span == w.span) {
                            continue;
                        }
                        let text = if is_sed {
                            match sed_replacement(&w.value) {
                                Some(r) => r.to_string(),
                                None => continue,
                            }
                        } else {
                            w.value.to_string()
                        };
                        out.push(Written {
                            path: path.value.to_string(),
                            text,
                            span: w.span,
                        });
                    }
                    if s == 0 {
                        for (_, h) in heredocs.iter().filter(|(c, _)| *c == j) {
                            for (text, span) in heredoc_lines(h) {
                                out.push(Written {
                                    path: path.value.to_string(),
                                    text,
                                    span,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    for instruction in &df.instructions {
        let (Args::Copy(args) | Args::Add(args)) = &instruction.args else {
            continue;
        };
        let Some(dest) = args.dest.as_ref() else {
            continue;
        };
        for source in &args.sources {
            let Some(h) = source.heredoc.and_then(|n| instruction.heredocs.get(n)) else {
                continue;
            };
            let path = if dest.value.ends_with('/') {
                format!("{}{}", dest.value, h.delimiter)
            } else {
                dest.value.to_string()
            };
            if !wanted(&path) {
                continue;
            }
            for (text, span) in heredoc_lines(h) {
                out.push(Written {
                    path: path.clone(),
                    text,
                    span,
                });
            }
        }
    }
    out
}

/// `text` lowercased without blanks and quotes, for matching settings
/// however they are spaced (`gpgcheck = 0`, `"strict-ssl" false`).
pub(crate) fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
        .flat_map(char::to_lowercase)
        .collect()
}

// ---------------------------------------------------------------------
// Package installs.
// ---------------------------------------------------------------------

/// Reports what `find` returns for every command of every RUN: the words
/// to point at and the message for each (the unpinned packages of one
/// install command).
pub(crate) fn report_commands(
    ctx: &crate::context::Context<'_>,
    out: &mut crate::finding::Findings<'_>,
    find: fn(&[Word]) -> Vec<(&Word, String)>,
) {
    for (src, df) in ctx.dockerfiles() {
        for run in runs(df) {
            for command in run.commands() {
                for (word, message) in find(program_words(&command.words)) {
                    out.push(
                        crate::sources::subject(src),
                        crate::finding::Verdict::fail(message)
                            .at(crate::sources::location(src, word.span)),
                    );
                }
            }
        }
    }
}

/// The package operands of `<program> [options] <verb> [options]
/// packages…` when the program's name is in `programs` and the verb in
/// `verbs`: the program's name and the packages, variables and
/// substitutions left out (they cannot be judged).
pub(crate) fn install_operands<'w>(
    words: &'w [Word],
    programs: &[&str],
    verbs: &[&str],
    takes: &[&str],
) -> Option<(&'w str, Vec<&'w Word>)> {
    let program = words.first()?;
    let name = basename(&program.value);
    if !programs.contains(&name) {
        return None;
    }
    let parsed = split(&words[1..], takes);
    let verb = parsed.subcommand()?;
    if !verbs.contains(&verb.value.as_str()) {
        return None;
    }
    let packages = parsed
        .rest()
        .iter()
        .copied()
        .filter(|w| !is_dynamic(w) && !w.value.is_empty())
        .collect();
    Some((name, packages))
}

/// Whether an rpm-style package name carries a version:
/// `httpd-2.4.57`, `vim-enhanced-2:9.0.1-1.el9`, `nginx = 1.24`,
/// `curl>=8`… A dash followed by a number with a `.` or `:` counts
/// (`java-11-openjdk` is a name), as does any comparison operator.
pub(crate) fn rpm_versioned(package: &str) -> bool {
    if package.contains(['=', '<', '>']) {
        return true;
    }
    package.split('-').skip(1).any(|part| {
        part.chars().next().is_some_and(|c| c.is_ascii_digit()) && part.contains(['.', ':'])
    })
}

/// Whether an rpm-family operand is not a package name to pin: a local or
/// remote `.rpm`, a path, a URL, a group or module (`@…`), a capability
/// (`pkgconfig(x)`).
pub(crate) fn rpm_not_a_name(package: &str) -> bool {
    package.ends_with(".rpm")
        || package.contains('/')
        || package.starts_with('@')
        || package.contains('(')
}

#[cfg(test)]
pub(crate) mod test_support {
    use bulwark_syntax::{Source, SourceKind};

    use crate::finding::Finding;
    use crate::rule::Rule;

    /// Lints one Dockerfile with one rule.
    pub fn dockerfile(rule: &dyn Rule, text: &str) -> Vec<Finding> {
        crate::testing::lint(
            rule,
            vec![Source::parse(
                "Dockerfile",
                SourceKind::Dockerfile,
                text.into(),
            )],
        )
    }

    /// `line:column` of each finding.
    pub fn positions(findings: &[Finding]) -> Vec<(u32, u32)> {
        findings
            .iter()
            .map(|f| {
                let l = f.location.clone().unwrap_or_else(|| panic!("no location"));
                (l.start_line, l.start_column)
            })
            .collect()
    }

    /// Like `testing::render`, each line prefixed with the finding's
    /// `line:column-line:column`.
    pub fn render_at(findings: &[Finding]) -> String {
        findings
            .iter()
            .map(|f| {
                let at = f
                    .location
                    .as_ref()
                    .map(|l| {
                        format!(
                            "{}:{}-{}:{} ",
                            l.start_line, l.start_column, l.end_line, l.end_column
                        )
                    })
                    .unwrap_or_default();
                format!("{at}{}", crate::testing::render(std::slice::from_ref(f)))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::dockerfile::parse;

    use super::*;

    fn words(text: &str) -> Vec<Word> {
        bulwark_syntax::dockerfile::commands(text)
            .into_iter()
            .next()
            .map(|c| c.words)
            .unwrap_or_default()
    }

    #[test]
    fn wrappers_are_unwrapped() {
        let w = words("sudo -u root env A=1 nice -n 5 apt-get install x");
        assert_eq!(program_words(&w)[0].value, "apt-get");
        assert_eq!(program_positions(&w), vec![0, 3, 5, 8]);
        assert!(program_words(&words("command -v sudo")).is_empty());
        assert_eq!(program_words(&words("/usr/bin/sudo ls"))[0].value, "ls");
    }

    #[test]
    fn options_and_operands() {
        let w = words("apt-get -o Dpkg::Options::=x -qy install --no-install-recommends a b=1");
        let s = split(&w[1..], &["-o", "-c", "-t"]);
        let ops: Vec<&str> = s.operands.iter().map(|w| w.value.as_str()).collect();
        assert_eq!(ops, ["install", "a", "b=1"]);
        assert!(s.has("--no-install-recommends"));
        assert!(cluster_has("-fsSLk", 'k', &["-o"]));
        assert!(!cluster_has("-ok", 'k', &["-o"]));
    }

    #[test]
    fn nested_scripts_are_read_with_positions() {
        let df = parse("FROM a\nRUN bash -c \"sudo ls | wc\"\n");
        let runs = runs(&df);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].scripts.len(), 2);
        let sudo = &runs[0].scripts[1][0].words[0];
        assert_eq!(sudo.value, "sudo");
        assert_eq!(sudo.span, Span::new(20, 24));
    }

    #[test]
    fn exec_form_scripts_with_escapes_point_at_the_script() {
        let text = "FROM a\nRUN [\"sh\", \"-c\", \"echo \\\"x\\\" && sudo ls\"]\n";
        let df = parse(text);
        let runs = runs(&df);
        let all: Vec<&Command> = runs[0].commands().collect();
        let sudo = all
            .iter()
            .find(|c| c.words.first().is_some_and(|w| w.value == "sudo"))
            .unwrap_or_else(|| panic!("no sudo in {all:#?}"));
        assert_eq!(
            sudo.words[0].span.text(text),
            "\"echo \\\"x\\\" && sudo ls\""
        );
    }
}
