//! Package installs: the operands of `<manager> install …` and reporting
//! the unpinned ones.

use super::{ProgramSet, Takes, basename, each_argument, each_command, is_dynamic, subcommand};
use bulwark_syntax::dockerfile::Word;
use smallvec::SmallVec;

/// Reports what `find` returns for every command of every RUN whose
/// program is in `programs` (`find` returns nothing for the others): the
/// words to point at and the message for each (the unpinned packages of
/// one install command).
pub(crate) fn report_commands(
    ctx: &crate::context::Context<'_>,
    out: &mut crate::finding::Findings<'_>,
    programs: ProgramSet,
    find: fn(&[Word]) -> Vec<(&Word, String)>,
) {
    for (src, _) in ctx.dockerfiles() {
        each_command(ctx, src, programs, |_, _, words| {
            for (word, message) in find(words) {
                out.push(
                    crate::sources::subject(src),
                    crate::finding::Verdict::fail(message)
                        .at(crate::sources::location(src, word.span)),
                );
            }
        });
    }
}

/// The package operands of `<program> [options] <verb> [options]
/// packages…` when the program's name is in `programs` and the verb in
/// `verbs`: the program's name and the packages, variables and
/// substitutions left out (they cannot be judged). Kept on the stack:
/// every file installs packages.
pub(crate) fn install_operands<'w>(
    words: &'w [Word],
    programs: &[&str],
    verbs: &[&str],
    takes: &Takes,
) -> Option<(&'w str, SmallVec<[&'w Word; 8]>)> {
    let program = words.first()?;
    let name = basename(&program.value);
    if !programs.contains(&name) {
        return None;
    }
    // Most commands are turned away by their verb, read alone.
    let verb = subcommand(&words[1..], takes)?;
    if !verbs.contains(&verb.value.as_str()) {
        return None;
    }
    // The operands after the verb, read in one pass without a split.
    let mut packages = SmallVec::new();
    let mut verb_seen = false;
    each_argument(&words[1..], takes, |w, option| {
        if option {
            return;
        }
        if !std::mem::replace(&mut verb_seen, true) {
            return;
        }
        if !is_dynamic(w) && !w.value.is_empty() {
            packages.push(w);
        }
    });
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
