//! Command wrappers (`sudo`, `env`, `nice`, …): finding the program a
//! command really runs.

use bulwark_syntax::dockerfile::Word;
pub(crate) use bulwark_syntax::dockerfile::{basename, is_assignment};

/// The options that take a value of a program that runs the command
/// given after it, or `None` when `name` is not such a wrapper. A `match`
/// rather than a table: most commands are not wrappers, and this is asked
/// for every command of every RUN.
fn wrapper_options(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "sudo" => &[
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
        "doas" => &["-u", "-C"],
        "env" => &["-u", "-C", "--unset", "--chdir"],
        "nice" => &["-n", "--adjustment"],
        "nohup" | "command" | "busybox" => &[],
        "exec" => &["-a"],
        "time" => &["-f", "-o", "--format", "--output"],
        "stdbuf" => &["-i", "-o", "-e", "--input", "--output", "--error"],
        "xargs" => &[
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
        _ => return None,
    })
}

/// The positions in `words` where each program of a wrapper chain starts:
/// `sudo -u x env A=1 apt-get install y` gives the positions of `sudo`,
/// `env` and `apt-get`. Empty when there are no words, or when the chain
/// only looks a program up (`command -v sudo`).
pub(crate) fn program_positions(words: &[Word]) -> Vec<usize> {
    ProgramChain {
        words,
        next: Some(0),
    }
    .collect()
}

/// The words from the program a wrapper chain finally runs: `apt-get
/// install y` for `sudo env A=1 apt-get install y`. Empty for `command -v`.
pub(crate) fn program_words(words: &[Word]) -> &[Word] {
    match program_start(words) {
        Some(i) => &words[i..],
        None => &[],
    }
}

/// Where [`program_words`] start in `words`.
pub(crate) fn program_start(words: &[Word]) -> Option<usize> {
    // Most commands are not wrapped: their program is their first word,
    // known from its name alone, without walking the chain to its end.
    if wrapper_options(basename(&words.first()?.value)).is_none() {
        return Some(0);
    }
    ProgramChain {
        words,
        next: Some(0),
    }
    .last()
}

/// Walks a wrapper chain without allocating (see [`program_positions`]):
/// each position is yielded once the wrapper's own options have been read,
/// so that `command -v` can end the chain before `command` is yielded.
struct ProgramChain<'w> {
    words: &'w [Word],
    next: Option<usize>,
}

impl Iterator for ProgramChain<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let at = self.next.take()?;
        let name = basename(&self.words.get(at)?.value);
        let Some(takes) = wrapper_options(name) else {
            return Some(at);
        };
        let mut i = at + 1;
        // Options of the wrapper.
        while let Some(w) = self.words.get(i) {
            let v = w.value.as_str();
            if v == "--" {
                i += 1;
                break;
            }
            if name == "command" && (v == "-v" || v == "-V") {
                // A lookup, not a run.
                return None;
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
        // `timeout 10 cmd`-like positional arguments are not wrapped here;
        // a bare `busybox` ends the chain.
        if !(name == "busybox" && self.words.get(i).is_none()) {
            self.next = Some(i);
        }
        Some(at)
    }
}
