//! Text the build writes into files: redirections, `tee`, `sed -i`, and
//! COPY/ADD heredocs.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Args, Command, Dockerfile, Word};

use std::borrow::Cow;

use super::{ProgramSet, Run, basename, each_command_at, program_words};
use crate::context::Context;
use bulwark_syntax::Source;

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

/// The names of the files (in any directory) the rules look for writes
/// to; any other file they look for is under `/etc/`.
const WATCHED_NAMES: [&str; 14] = [
    ".npmrc",
    "npmrc",
    "pip.conf",
    "pip.ini",
    ".gitconfig",
    "gitconfig",
    ".condarc",
    ".yarnrc",
    ".yarnrc.yml",
    ".netrc",
    "_netrc",
    ".pypirc",
    "credentials",
    "config.json",
];

/// The last two bytes of each of [`WATCHED_NAMES`].
const WATCHED_ENDINGS: [[u8; 2]; WATCHED_NAMES.len()] = {
    let mut endings = [[0; 2]; WATCHED_NAMES.len()];
    let mut n = 0;
    while n < WATCHED_NAMES.len() {
        let b = WATCHED_NAMES[n].as_bytes();
        endings[n] = [b[b.len() - 2], b[b.len() - 1]];
        n += 1;
    }
    endings
};

/// The last bytes of [`WATCHED_NAMES`], a bit each (all ASCII).
const WATCHED_LAST: u128 = {
    let mut bits = 0u128;
    let mut n = 0;
    while n < WATCHED_NAMES.len() {
        let b = WATCHED_NAMES[n].as_bytes();
        bits |= 1 << b[b.len() - 1];
        n += 1;
    }
    bits
};

/// Whether `path` may be a file some rule looks for writes to: under
/// `/etc/`, or one of [`WATCHED_NAMES`]. Every `wanted` given to
/// [`written_to`] accepts no other path (the rules' tests check theirs),
/// which lets the commands that write none of these be skipped once for
/// all the rules.
pub(crate) fn may_be_watched(path: &str) -> bool {
    let bytes = path.as_bytes();
    if bytes.starts_with(b"/etc/") {
        return true;
    }
    // Every argument of every command is asked: most words are ruled out
    // by their last byte (one bit of a mask), then their last two, before
    // their name is looked for.
    let [.., a, b] = bytes else {
        return false;
    };
    b.is_ascii()
        && WATCHED_LAST >> b & 1 == 1
        && WATCHED_ENDINGS.contains(&[*a, *b])
        && WATCHED_NAMES.contains(&basename(path))
}

/// The redirections that write their target.
fn writes(op: &str) -> bool {
    matches!(op, ">" | ">>" | ">|" | "&>" | "&>>")
}

/// Whether a command (whose program words are `words`, see
/// [`Run::programs`]) may write to a file some rule watches: one of its
/// redirections or arguments names a file that [`may_be_watched`]. Asked
/// once per command when the file is indexed (the command then has
/// [`ProgramSet::WRITES`](super::ProgramSet::WRITES)), so that
/// [`written_to`] visits only those commands, and none in most files.
pub(crate) fn may_write(command: &Command, words: &[Word]) -> bool {
    command
        .redirects
        .iter()
        .filter(|r| writes(&r.op))
        .filter_map(|r| r.target.as_ref())
        .any(|t| may_be_watched(&t.value))
        || words.iter().skip(1).any(|w| may_be_watched(&w.value))
}

/// The destination a COPY or ADD heredoc is written to.
fn heredoc_destination(dest: &Word, h: &bulwark_syntax::dockerfile::Heredoc) -> String {
    if dest.value.ends_with('/') {
        format!("{}{}", dest.value, h.delimiter)
    } else {
        dest.value.to_string()
    }
}

/// The COPY and ADD heredocs whose destination [`may_be_watched`]: the
/// instruction's index and the source's among its sources, in order.
fn read_heredoc_copies(df: &Dockerfile) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (index, instruction) in df.instructions.iter().enumerate() {
        let (Args::Copy(args) | Args::Add(args)) = &instruction.args else {
            continue;
        };
        let Some(dest) = args.dest.as_ref() else {
            continue;
        };
        for (n, source) in args.sources.iter().enumerate() {
            let Some(h) = source.heredoc.and_then(|h| instruction.heredocs.get(h)) else {
                continue;
            };
            if may_be_watched(&heredoc_destination(dest, h)) {
                out.push((index, n));
            }
        }
    }
    out
}

/// [`read_heredoc_copies`] of `source`, worked out once per source.
pub(crate) fn heredoc_copies<'c>(
    ctx: &'c Context<'_>,
    source: &Source,
    df: &Dockerfile,
) -> Cow<'c, [(usize, usize)]> {
    match ctx.indexed(source) {
        Some(index) => Cow::Borrowed(index.heredoc_copies.get_or_init(|| read_heredoc_copies(df))),
        None => Cow::Owned(read_heredoc_copies(df)),
    }
}

/// Text the build writes into files whose path `wanted` accepts: what a
/// RUN command redirects (`echo … > f`, `printf … | tee f`,
/// `cat <<EOF > f`), a `sed -i` replacement in `f`, and COPY or ADD
/// heredocs whose destination is `f`. `wanted` accepts only paths that
/// [`may_be_watched`].
pub(crate) fn written_to<'s>(
    ctx: &Context<'s>,
    source: &'s Source,
    wanted: &dyn Fn(&str) -> bool,
) -> Vec<Written> {
    let mut out = Vec::new();
    let Some(df) = source.dockerfile() else {
        return out;
    };
    each_command_at(ctx, source, ProgramSet::WRITES, |run, s, i, words| {
        let script = &run.scripts[s];
        let command = &script[i];
        let mut paths: Vec<&Word> = command
            .redirects
            .iter()
            .filter(|r| writes(&r.op))
            .filter_map(|r| r.target.as_ref())
            .filter(|t| wanted(&t.value))
            .collect();
        paths.extend(words.iter().skip(1).filter(|w| wanted(&w.value)));
        let Some(path) = paths.first() else {
            return;
        };
        let heredocs = if s == 0 {
            heredocs_by_command(run)
        } else {
            Vec::new()
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
    });
    for &(index, n) in heredoc_copies(ctx, source, df).iter() {
        let instruction = &df.instructions[index];
        let (Args::Copy(args) | Args::Add(args)) = &instruction.args else {
            continue;
        };
        let (Some(dest), Some(source)) = (args.dest.as_ref(), args.sources.get(n)) else {
            continue;
        };
        let Some(h) = source.heredoc.and_then(|h| instruction.heredocs.get(h)) else {
            continue;
        };
        let path = heredoc_destination(dest, h);
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::dockerfile::{
        apt_install_recommends, credential_setup_in_run, package_signature_check_disabled,
        password_set_in_run, tls_verification_disabled,
    };

    /// A rule's name and the files it looks for writes to.
    type Wanted = (&'static str, fn(&str) -> bool);

    /// Every file a rule looks for writes to.
    const WANTED: [Wanted; 5] = [
        ("apt", apt_install_recommends::is_apt_config),
        ("credential", credential_setup_in_run::is_credential_file),
        (
            "signature",
            package_signature_check_disabled::is_package_config,
        ),
        ("account", password_set_in_run::is_account_file),
        ("tls", tls_verification_disabled::is_tool_config),
    ];

    const PARTS: &[&str] = &[
        "/",
        "etc",
        "apt",
        "apt.conf.d",
        "yum.repos.d",
        "dnf",
        "zypp",
        "yum",
        "yum.conf",
        "shadow",
        "passwd",
        "root",
        ".aws",
        "credentials",
        ".docker",
        "config.json",
        ".npmrc",
        "npmrc",
        "pip.conf",
        "pip.ini",
        ".gitconfig",
        "gitconfig",
        ".condarc",
        ".yarnrc",
        ".yarnrc.yml",
        ".netrc",
        "_netrc",
        ".pypirc",
        "home",
        "x",
        ".",
        "~",
        "$HOME",
    ];

    /// `may_be_watched` before it read the last two bytes first.
    fn may_be_watched_reference(path: &str) -> bool {
        path.starts_with("/etc/")
            || matches!(
                path.as_bytes().last(),
                Some(b'c' | b'f' | b'g' | b'i' | b'l' | b'n' | b's')
            ) && WATCHED_NAMES.contains(&basename(path))
    }

    #[test]
    fn watched_names_are_watched_in_any_directory() {
        for name in WATCHED_NAMES {
            assert!(may_be_watched(name), "{name}");
            assert!(may_be_watched(&format!("/root/{name}")), "{name}");
        }
    }

    proptest! {
        /// Skipping the commands that name no watched file misses no
        /// write a rule wants.
        #[test]
        fn every_wanted_file_may_be_watched(
            parts in proptest::collection::vec(proptest::sample::select(PARTS), 1..6),
        ) {
            for path in [parts.concat(), parts.join("/")] {
                for (rule, wanted) in WANTED {
                    prop_assert!(!wanted(&path) || may_be_watched(&path), "{rule}: {path}");
                }
                prop_assert_eq!(may_be_watched(&path), may_be_watched_reference(&path), "{}", path);
            }
        }

        #[test]
        fn any_text_is_watched_as_before(path in "[/a-z.çé_]{0,12}") {
            prop_assert_eq!(may_be_watched(&path), may_be_watched_reference(&path));
        }
    }
}
