//! Options and operands of a command line: which options take a value,
//! clustered short options, the subcommand and what follows it.

use bulwark_syntax::dockerfile::Word;

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
    let letters = v.get(1..).unwrap_or_default();
    for (k, c) in letters.char_indices() {
        if takes_value(c, takes) {
            // The rest of the cluster is the value, unless it is empty.
            return k + c.len_utf8() == letters.len();
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
        if takes_value(c, takes) {
            return false;
        }
    }
    false
}

/// Whether `-c` is among `takes`.
fn takes_value(c: char, takes: &[&str]) -> bool {
    takes
        .iter()
        .any(|t| t.strip_prefix('-').is_some_and(|rest| rest.chars().eq([c])))
}

/// Whether a word holds a variable or a substitution the linter cannot
/// resolve (`$PKGS`, `$(cat list)`, `` `x` ``).
pub(crate) fn is_dynamic(w: &Word) -> bool {
    w.value.contains('$') || w.value.contains('`')
}
