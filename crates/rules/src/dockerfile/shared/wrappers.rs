//! Command wrappers (`sudo`, `env`, `nice`, …): finding the program a
//! command really runs.

use bulwark_syntax::dockerfile::Word;

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

pub(crate) fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
