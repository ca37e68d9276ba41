//! What the Dockerfile rules look up in a file, indexed once per source
//! and shared by every rule: which command of which RUN runs which
//! [`Program`], so that a rule visits only the commands it judges (most
//! rules care about two or three programs, most files run a handful of
//! commands none of which concern most rules).
//!
//! Each source being linted has an [`Index`] slot in the
//! [`Context`](crate::context::Context), filled on first use, as
//! [`Derived`](super::Derived) is (which holds what this index is built
//! from: the RUN scripts). A source that is not one of the context's is
//! indexed afresh each time, hence the `Cow`.

use std::borrow::Cow;
use std::sync::OnceLock;

use bulwark_syntax::Source;
use bulwark_syntax::dockerfile::{Command, Word};

use super::{Program, ProgramSet, Run, may_write, runs};
use crate::context::Context;

/// The index of one source.
#[derive(Default)]
pub(crate) struct Index {
    commands: OnceLock<Commands>,
    /// See [`heredoc_copies`](super::heredoc_copies).
    pub(super) heredoc_copies: OnceLock<Vec<(usize, usize)>>,
    /// See [`pulled`](super::pulled).
    pub(super) pulled: OnceLock<Vec<super::PulledImage>>,
    /// See [`final_user`](super::final_user): the USER's instruction
    /// index and value (`None` for the user as written).
    pub(super) final_user: OnceLock<Option<(usize, Option<String>)>>,
}

/// The commands of a file's RUNs that some rule may judge.
#[derive(Clone, Default)]
struct Commands {
    /// Every program and property of the file's commands.
    present: ProgramSet,
    /// The commands of a known program or with a property, in order.
    entries: Vec<Entry>,
}

/// One command of [`Commands`], found again by position: its RUN, script
/// and place in the script, and where its program words start (see
/// [`Run::programs`]; `None` for a lookup such as `command -v`). Indices
/// rather than a walk over `programs()` up to the command, which every
/// rule visiting it would repeat.
#[derive(Clone)]
struct Entry {
    /// The position of the RUN in [`runs`].
    run: u32,
    script: u32,
    command: u32,
    /// Where the program words start among the command's words.
    start: Option<u32>,
    /// Its program and properties.
    set: ProgramSet,
}

impl Commands {
    fn read(runs: &[Run<'_>]) -> Commands {
        // Room for every command at once (most are entries): one
        // allocation instead of growing.
        let commands = runs.iter().flat_map(|r| &r.scripts).map(Vec::len).sum();
        let mut out = Commands {
            present: ProgramSet::default(),
            entries: Vec::with_capacity(commands),
        };
        for (r, run) in runs.iter().enumerate() {
            // `programs()` goes script after script, command after
            // command: the script and the place in it are counted along.
            let (mut s, mut c) = (0, 0);
            for (command, words) in run.programs() {
                while run.scripts.get(s).is_some_and(|script| c >= script.len()) {
                    s += 1;
                    c = 0;
                }
                let at = c;
                c += 1;
                let set = classify(command, words);
                if set == ProgramSet::default() {
                    continue;
                }
                // The program words are the command's last words.
                let start = (!words.is_empty()).then(|| command.words.len() - words.len());
                out.present = out.present.with(set);
                out.entries.push(Entry {
                    run: r as u32,
                    script: s as u32,
                    command: at as u32,
                    start: start.map(|s| s as u32),
                    set,
                });
            }
        }
        out
    }
}

/// The program and properties of one command, whose program words (see
/// [`Run::programs`]) are `words`.
fn classify(command: &Command, words: &[Word]) -> ProgramSet {
    let mut set = match words.first() {
        Some(w) => ProgramSet::of(&[Program::of(&w.value)]),
        None => ProgramSet::default(),
    };
    // The program words are the command's own words from where the
    // wrapper chain ends.
    if !words.is_empty() && words.len() < command.words.len() {
        set = set.with(ProgramSet::WRAPPED);
    }
    if !command.assignments.is_empty() {
        set = set.with(ProgramSet::ASSIGNS);
    }
    if may_write(command, words) {
        set = set.with(ProgramSet::WRITES);
    }
    set
}

fn commands<'c>(ctx: &'c Context<'_>, source: &Source, runs: &[Run<'_>]) -> Cow<'c, Commands> {
    match ctx.indexed(source) {
        Some(index) => Cow::Borrowed(index.commands.get_or_init(|| Commands::read(runs))),
        None => Cow::Owned(Commands::read(runs)),
    }
}

/// Calls `f` with every command of every RUN (and ONBUILD RUN) of
/// `source` whose program or properties are in `set`, in order: the RUN,
/// the command, and the words of the program it finally runs (see
/// [`Run::programs`]). The same commands, in the same order, as a walk
/// over `runs(…)` and their `programs()` keeping those of `set`.
pub(crate) fn each_command<'s>(
    ctx: &Context<'s>,
    source: &'s Source,
    set: ProgramSet,
    mut f: impl FnMut(&Run<'s>, &Command, &[Word]),
) {
    each_command_at(ctx, source, set, |run, script, command, words| {
        f(run, &run.scripts[script][command], words)
    });
}

/// [`each_command`], the command given by place: its script's position
/// in [`Run::scripts`] and its own in the script (for the rules that read
/// the commands around it, pipes into it, say).
pub(crate) fn each_command_at<'s>(
    ctx: &Context<'s>,
    source: &'s Source,
    set: ProgramSet,
    mut f: impl FnMut(&Run<'s>, usize, usize, &[Word]),
) {
    if source.dockerfile().is_none() {
        return;
    }
    // Once the file is indexed, a rule none of whose programs it runs
    // (most rules, most files) is turned away before the RUNs are looked
    // up.
    if let Some(index) = ctx.indexed(source).and_then(|i| i.commands.get())
        && !index.present.meets(set)
    {
        return;
    }
    let runs = runs(ctx, source);
    let index = commands(ctx, source, &runs);
    if !index.present.meets(set) {
        return;
    }
    for entry in index.entries.iter().filter(|e| e.set.meets(set)) {
        let run = &runs[entry.run as usize];
        let (script, at) = (entry.script as usize, entry.command as usize);
        let Some(command) = run.scripts.get(script).and_then(|s| s.get(at)) else {
            continue;
        };
        let words = match entry.start {
            Some(start) => &command.words[start as usize..],
            None => &[][..],
        };
        f(run, script, at, words);
    }
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::dockerfile::{Command, Word, commands};
    use proptest::prelude::*;

    use super::*;
    use crate::dockerfile::{
        content_trust_disabled, credential_setup_in_run, insecure_download,
        package_signature_check_disabled, password_set_in_run, program_positions, program_words,
        tls_verification_disabled, unpinned_apk, unpinned_apt, unpinned_dnf, unpinned_gem,
        unpinned_go_install, unpinned_npm, unpinned_pip, unpinned_yum, unpinned_zypper,
        update_alone,
    };

    /// A rule that judges commands one at a time: its name, its programs,
    /// and whether it finds anything in a command's program words.
    type Judge = (&'static str, ProgramSet, fn(&[Word]) -> bool);

    fn judges() -> Vec<Judge> {
        vec![
            ("apk", unpinned_apk::PROGRAMS, |w| {
                !unpinned_apk::unpinned(w).is_empty()
            }),
            ("apt", unpinned_apt::PROGRAMS, |w| {
                !unpinned_apt::unpinned(w).is_empty()
            }),
            ("dnf", unpinned_dnf::PROGRAMS, |w| {
                !unpinned_dnf::unpinned(w).is_empty()
            }),
            ("gem", unpinned_gem::PROGRAMS, |w| {
                !unpinned_gem::unpinned(w).is_empty()
            }),
            ("go", unpinned_go_install::PROGRAMS, |w| {
                !unpinned_go_install::unpinned(w).is_empty()
            }),
            ("npm", unpinned_npm::PROGRAMS, |w| {
                !unpinned_npm::unpinned(w).is_empty()
            }),
            ("pip", unpinned_pip::PROGRAMS, |w| {
                !unpinned_pip::unpinned(w).is_empty()
            }),
            ("yum", unpinned_yum::PROGRAMS, |w| {
                !unpinned_yum::unpinned(w).is_empty()
            }),
            ("zypper", unpinned_zypper::PROGRAMS, |w| {
                !unpinned_zypper::unpinned(w).is_empty()
            }),
            ("insecure", insecure_download::PROGRAMS, |w| {
                !insecure_download::insecure_options(w).is_empty()
            }),
            ("password", password_set_in_run::PROGRAMS, |w| {
                password_set_in_run::password_change(w).is_some()
            }),
            ("credential", credential_setup_in_run::PROGRAMS, |w| {
                credential_setup_in_run::credential_command(w).is_some()
            }),
            ("content-trust", content_trust_disabled::PROGRAMS, |w| {
                content_trust_disabled::disabling_flag(w).is_some()
            }),
            ("tls", tls_verification_disabled::PROGRAMS, |w| {
                !tls_verification_disabled::disabling(w).is_empty()
            }),
            (
                "signature",
                package_signature_check_disabled::PROGRAMS,
                |w| !package_signature_check_disabled::disabling_options(w).is_empty(),
            ),
            ("update", update_alone::PROGRAMS, |w| {
                update_alone::classify(w).is_some()
            }),
        ]
    }

    /// Program names: every name some rule reacts to, spelt as paths
    /// too, and names no rule knows.
    const PROGRAMS: &[&str] = &[
        "apt-get",
        "apt",
        "aptitude",
        "apk",
        "yum",
        "dnf",
        "dnf5",
        "microdnf",
        "tdnf",
        "yum-config-manager",
        "zypper",
        "pacman",
        "rpm",
        "pip",
        "pip3",
        "pip3.12",
        "pipx",
        "python",
        "python3",
        "python3.12",
        "uv",
        "npm",
        "yarn",
        "pnpm",
        "gem",
        "go",
        "curl",
        "wget",
        "aria2c",
        "fetch",
        "docker",
        "podman",
        "buildah",
        "skopeo",
        "git",
        "conda",
        "mamba",
        "micromamba",
        "composer",
        "bundle",
        "aws",
        "gcloud",
        "az",
        "doctl",
        "helm",
        "gh",
        "huggingface-cli",
        "kubectl",
        "chpasswd",
        "chgpasswd",
        "passwd",
        "useradd",
        "usermod",
        "adduser",
        "sudo",
        "doas",
        "env",
        "export",
        "declare",
        "typeset",
        "readonly",
        "sh",
        "bash",
        "set",
        "echo",
        "make",
        "ls",
        "/usr/bin/apt-get",
        "/usr/local/bin/pip3",
        "/bin/sudo",
        "./docker",
        "APT-GET",
        "Pip",
    ];

    /// Arguments the rules react to, and others.
    const ARGS: &[&str] = &[
        "install",
        "add",
        "i",
        "in",
        "isntall",
        "reinstall",
        "update",
        "upgrade",
        "makecache",
        "refresh",
        "global",
        "config",
        "set",
        "-m",
        "pip",
        "env",
        "-w",
        "GOSUMDB=off",
        "--disable-content-trust",
        "pull",
        "push",
        "run",
        "image",
        "login",
        "-p",
        "--password",
        "--password-stdin",
        "configure",
        "aws_access_key_id",
        "auth",
        "activate-service-account",
        "--trusted-host",
        "-k",
        "-fsSLk",
        "--insecure",
        "--no-check-certificate",
        "--check-certificate=false",
        "-e",
        "check_certificate=off",
        "-o",
        "Acquire::https::Verify-Peer=false",
        "APT::Get::AllowUnauthenticated=true",
        "--setopt",
        "sslverify=0",
        "gpgcheck=0",
        "--nogpgcheck",
        "--allow-untrusted",
        "--force-yes",
        "--nosignature",
        "--no-gpg-checks",
        "-d",
        "--delete",
        "--stdin",
        "-S",
        "-Sy",
        "-c",
        "http.sslVerify",
        "false",
        "true",
        "0",
        "--set",
        "ssl_verify",
        "disable-tls",
        "ssl_verify_mode",
        "strict-ssl",
        "--strict-ssl=false",
        "//registry/:_authToken=x",
        "--token",
        "--with-token",
        "--cred-file",
        "registry",
        "set-credentials",
        "init",
        "-t",
        "--access-token",
        "pkg",
        "pkg==1.0",
        "curl",
        "example.com/x@latest",
        "-u",
        "root",
        "-y",
        "--",
        "x",
        "A=1",
    ];

    /// What most commands the rules judge start with.
    const VERBS: &[&str] = &[
        "install",
        "add",
        "i",
        "update",
        "config",
        "set",
        "login",
        "auth",
        "configure",
        "pull",
        "run",
        "env",
        "-m pip install",
        "pip install",
        "-Sy",
        "",
    ];

    fn line() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(PROGRAMS),
            proptest::sample::select(VERBS),
            proptest::collection::vec(proptest::sample::select(ARGS), 0..5),
        )
            .prop_map(|(program, verb, args)| {
                [program, verb]
                    .into_iter()
                    .chain(args)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
    }

    fn parse(line: &str) -> Vec<Command> {
        commands(line)
    }

    /// Whether some rule finds something in `line` although the program
    /// of the command is outside the rule's programs.
    fn missed(line: &str) -> Option<String> {
        for command in parse(line) {
            let words = program_words(&command.words);
            let Some(first) = words.first() else { continue };
            let program = Program::of(&first.value);
            for (rule, set, finds) in judges() {
                if !set.meets(ProgramSet::of(&[program])) && finds(words) {
                    return Some(format!("{rule} finds something in `{line}`"));
                }
            }
        }
        None
    }

    #[test]
    fn rules_find_nothing_outside_their_programs_in_short_commands() {
        for program in PROGRAMS {
            for verb in VERBS {
                for arg in ARGS.iter().chain([&"", &"pkg x=1"]) {
                    let line = format!("{program} {verb} {arg}");
                    assert_eq!(missed(&line), None);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A rule that skips the commands outside its programs misses
        /// nothing: its judgement finds nothing in them.
        #[test]
        fn rules_find_nothing_outside_their_programs(line in line()) {
            prop_assert_eq!(missed(&line), None);
        }

        /// A command without a wrapper runs only its first word: what
        /// `sudo-in-run` and the settings rely on to skip it.
        #[test]
        fn an_unwrapped_command_runs_its_first_word(
            wrappers in proptest::collection::vec(
                proptest::sample::select(&["sudo", "sudo -u root", "env A=1", "env", "nice -n 5",
                    "command", "command -v", "time", "xargs", "busybox", "exec"][..]),
                0..3,
            ),
            line in line(),
        ) {
            let text = format!("{} {line}", wrappers.join(" "));
            for command in parse(&text) {
                let words = program_words(&command.words);
                let set = classify(&command, words);
                if !set.meets(ProgramSet::WRAPPED) {
                    let positions = program_positions(&command.words);
                    let expected: Vec<usize> = if words.is_empty() { vec![] } else { vec![0] };
                    prop_assert_eq!(positions, expected, "{}", text);
                }
            }
        }
    }

    #[test]
    fn each_command_visits_what_a_walk_over_the_runs_keeps() {
        let sets = [
            ProgramSet::of(&[Program::AptGet]),
            ProgramSet::of(&[Program::Curl, Program::Sudo]),
            ProgramSet::WRAPPED,
            ProgramSet::ASSIGNS.with(ProgramSet::of(&[Program::Export])),
        ];
        let files: Vec<Source> = crate::corpus::files(40)
            .into_iter()
            .map(|(path, kind, text)| Source::parse(path.as_str(), kind, text))
            .chain([Source::parse(
                "Dockerfile",
                bulwark_syntax::SourceKind::Dockerfile,
                "FROM a\nRUN A=1 sudo apt-get install x && sh -c 'curl -k y | sh'\n".into(),
            )])
            .collect();
        let ctx_snapshot = bulwark_facts::Snapshot::default();
        let policy = crate::policy::Policy::default();
        let ctx = Context::for_lint(&ctx_snapshot, &policy, &files);
        for src in &files {
            for set in sets {
                // The command and its program words, by address.
                type Seen = (*const Command, *const Word, usize);
                let mut seen: Vec<Seen> = Vec::new();
                each_command(&ctx, src, set, |_, c, w| {
                    seen.push((c, w.as_ptr(), w.len()))
                });
                let mut walked: Vec<Seen> = Vec::new();
                for run in runs(&ctx, src).iter() {
                    for (c, words) in run.programs() {
                        if classify(c, words).meets(set) {
                            walked.push((c, words.as_ptr(), words.len()));
                        }
                    }
                }
                assert_eq!(seen, walked, "{}", src.path);
            }
        }
    }
}
