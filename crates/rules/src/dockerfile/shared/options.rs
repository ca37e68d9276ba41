//! Options and operands of a command line: which options take a value,
//! clustered short options, the subcommand and what follows it.
//!
//! Every install command of every file is split here, several times (one
//! per rule that reads it), so nothing here allocates for a command line
//! of ordinary length: the two lists live on the stack, and whether a
//! letter takes a value is one bit of a mask worked out at compile time
//! ([`Takes`]), not a walk over a list of strings.

use bulwark_syntax::dockerfile::Word;
use smallvec::SmallVec;

/// Words kept inline by [`Split`]: an install line rarely has more
/// options or operands than this; a longer one spills to the heap.
const INLINE: usize = 8;

/// The options of a program that take the next word as their value
/// (`-o`, `--option`), as a constant: `const T: Takes = Takes::new(&[…])`.
pub(crate) struct Takes {
    /// As written.
    all: &'static [&'static str],
    /// Bit `b` is set when `-` and the ASCII byte `b` is in `all`.
    letters: u128,
}

impl Takes {
    /// The options in `all`; the short ones with an ASCII letter are
    /// also put in a mask (a `-é` is found by reading `all`).
    pub(crate) const fn new(all: &'static [&'static str]) -> Takes {
        let mut letters = 0u128;
        let mut n = 0;
        while n < all.len() {
            let b = all[n].as_bytes();
            if b.len() == 2 && b[0] == b'-' && b[1].is_ascii() {
                letters |= 1 << b[1];
            }
            n += 1;
        }
        Takes { all, letters }
    }

    /// Whether the long option `v` (`--option`, as written) is one.
    pub(crate) fn contains(&self, v: &str) -> bool {
        self.all.contains(&v)
    }

    /// Whether `-c` is one.
    fn letter(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.letters >> (c as u32) & 1 == 1;
        }
        let mut buf = [0u8; 4];
        let letter = c.encode_utf8(&mut buf).as_bytes();
        self.all.iter().any(|t| {
            let t = t.as_bytes();
            t.len() == 1 + letter.len() && t[0] == b'-' && &t[1..] == letter
        })
    }
}

/// Arguments split into options and operands.
pub(crate) struct Split<'a> {
    /// Option words (`-y`, `--no-cache`, `--opt=value`), with the value
    /// word that follows an option taking one.
    pub options: SmallVec<[&'a Word; INLINE]>,
    /// Everything else, in order.
    pub operands: SmallVec<[&'a Word; INLINE]>,
}

impl<'a> Split<'a> {
    /// The operands after the subcommand.
    pub fn rest(&self) -> &[&'a Word] {
        self.operands.get(1..).unwrap_or(&[])
    }
}

/// Whether the option word `v` (`-o`, `--option`, `-qo`; not `--`) takes
/// the next word as its value.
fn takes_next(v: &str, takes: &Takes) -> bool {
    if v.starts_with("--") {
        !v.contains('=') && takes.contains(v)
    } else {
        short_takes_next(v, takes)
    }
}

/// Whether `v` is an operand when options are still read: not an option
/// word (`-` alone is an operand, standing for standard input).
fn is_operand(v: &str) -> bool {
    !v.starts_with('-') || v == "-"
}

/// Calls `f` with each argument in order and whether it is an option
/// word (or the value word of an option): what [`split`] sorts into two
/// lists, for the rules that want one thing of them and no lists.
/// `takes` lists the options that take the next word as their value
/// (`-o`, `--option`); a short option in `takes` at the end of a cluster
/// (`-qo`) takes it too. `--` ends the options.
pub(crate) fn each_argument<'a>(
    args: &'a [Word],
    takes: &Takes,
    mut f: impl FnMut(&'a Word, bool),
) {
    let mut i = 0;
    let mut only_operands = false;
    while let Some(w) = args.get(i) {
        i += 1;
        let v = w.value.as_str();
        if only_operands || is_operand(v) {
            f(w, false);
            continue;
        }
        if v == "--" {
            only_operands = true;
            continue;
        }
        f(w, true);
        if takes_next(v, takes)
            && let Some(value) = args.get(i)
        {
            f(value, true);
            i += 1;
        }
    }
}

/// Splits `args` into options and operands (see [`each_argument`]).
pub(crate) fn split<'a>(args: &'a [Word], takes: &Takes) -> Split<'a> {
    let mut options = SmallVec::new();
    let mut operands = SmallVec::new();
    each_argument(args, takes, |w, option| {
        if option {
            options.push(w);
        } else {
            operands.push(w);
        }
    });
    Split { options, operands }
}

/// [`Split::has`] without the split.
pub(crate) fn has_option(args: &[Word], takes: &Takes, long: &str) -> bool {
    let mut found = false;
    each_argument(args, takes, |w, option| {
        found |= option && is_long(&w.value, long);
    });
    found
}

/// Whether `v` is the long option `long`, alone or as `--name=…`.
fn is_long(v: &str, long: &str) -> bool {
    v.strip_prefix(long)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
}

/// The first operand of `args` (the subcommand of `apt-get`, `pip`, …),
/// as [`split`] finds it, read without reading further: the verb of
/// `apt-get install …` is most often its first word, and most rules stop
/// at a verb they do not judge.
pub(crate) fn subcommand<'a>(args: &'a [Word], takes: &Takes) -> Option<&'a Word> {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let v = w.value.as_str();
        if is_operand(v) {
            return Some(w);
        }
        if v == "--" {
            return args.get(i);
        }
        if takes_next(v, takes) {
            i += 1;
        }
    }
    None
}

/// Whether the short-option cluster `v` (`-qo`) ends with a letter that
/// takes the next word as its value.
pub(crate) fn short_takes_next(v: &str, takes: &Takes) -> bool {
    let letters = v.get(1..).unwrap_or_default();
    let bytes = letters.as_bytes();
    // Byte by byte, each ASCII letter one bit of the mask (some rules ask
    // this of every word, package names included); a non-ASCII character
    // is decoded and asked whole.
    let mut k = 0;
    while let Some(&b) = bytes.get(k) {
        let (taken, len) = if b.is_ascii() {
            (takes.letters >> b & 1 == 1, 1)
        } else {
            let c = letters[k..].chars().next().unwrap_or_default();
            (takes.letter(c), c.len_utf8())
        };
        if taken {
            // The rest of the cluster is the value, unless it is empty.
            return k + len == bytes.len();
        }
        k += len;
    }
    false
}

/// Whether the short-option cluster `v` (`-fsSLk`) holds `letter` before
/// any letter that takes a value (`-ok` is `-o k`).
pub(crate) fn cluster_has(v: &str, letter: char, takes: &Takes) -> bool {
    if !v.starts_with('-') || v.starts_with("--") {
        return false;
    }
    for c in v.chars().skip(1) {
        if c == letter {
            return true;
        }
        if takes.letter(c) {
            return false;
        }
    }
    false
}

/// Whether a word holds a variable or a substitution the linter cannot
/// resolve (`$PKGS`, `$(cat list)`, `` `x` ``). One pass over the bytes:
/// words are short, and two substring searches cost more than the scan.
pub(crate) fn is_dynamic(w: &Word) -> bool {
    w.value.bytes().any(|b| b == b'$' || b == b'`')
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::dockerfile::{Word, commands};
    use proptest::prelude::*;

    use super::*;

    /// The split this file had before it stopped allocating and reading
    /// the letters from a mask: kept as the reference the new one must
    /// equal.
    fn split_reference<'a>(args: &'a [Word], takes: &[&str]) -> (Vec<&'a Word>, Vec<&'a Word>) {
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
                short_takes_next_reference(v, takes)
            };
            if takes_next && let Some(value) = args.get(i) {
                options.push(value);
                i += 1;
            }
        }
        (options, operands)
    }

    fn short_takes_next_reference(v: &str, takes: &[&str]) -> bool {
        let letters = v.get(1..).unwrap_or_default();
        for (k, c) in letters.char_indices() {
            if takes_value_reference(c, takes) {
                return k + c.len_utf8() == letters.len();
            }
        }
        false
    }

    fn takes_value_reference(c: char, takes: &[&str]) -> bool {
        takes
            .iter()
            .any(|t| t.strip_prefix('-').is_some_and(|rest| rest.chars().eq([c])))
    }

    fn cluster_has_reference(v: &str, letter: char, takes: &[&str]) -> bool {
        if !v.starts_with('-') || v.starts_with("--") {
            return false;
        }
        for c in v.chars().skip(1) {
            if c == letter {
                return true;
            }
            if takes_value_reference(c, takes) {
                return false;
            }
        }
        false
    }

    fn has_reference(options: &[&Word], long: &str) -> bool {
        options.iter().any(|w| {
            w.value == long
                || w.value
                    .strip_prefix(long)
                    .is_some_and(|rest| rest.starts_with('='))
        })
    }

    const TAKES: &[&str] = &[
        "-o",
        "-c",
        "-t",
        "-é",
        "--option",
        "--target-release",
        "-",
        "-\u{7f}",
    ];

    const WORDS: &[&str] = &[
        "-o",
        "-c",
        "-t",
        "-y",
        "-qo",
        "-oq",
        "-yt",
        "-é",
        "-xé",
        "-éx",
        "-",
        "--",
        "--option",
        "--option=a",
        "--target-release",
        "--no-install-recommends",
        "--no",
        "install",
        "a",
        "b=1",
        "$X",
        "`x`",
        "ü",
        "-ü",
        "--opt",
    ];

    proptest! {
        #[test]
        fn split_equals_the_allocating_reference(
            words in proptest::collection::vec(proptest::sample::select(WORDS), 0..14),
            takes in proptest::sample::subsequence(TAKES, 0..TAKES.len()),
        ) {
            let line = format!("x {}", words.join(" "));
            let command = commands(&line).into_iter().next();
            let all = command.map(|c| c.words).unwrap_or_default();
            let args = all.get(1..).unwrap_or_default();
            // `Takes` wants a 'static list.
            let takes: &'static [&'static str] = Vec::leak(takes);
            let new_takes = Takes::new(takes);
            let new = split(args, &new_takes);
            let (options, operands) = split_reference(args, takes);
            let ptrs = |ws: &[&Word]| ws.iter().map(|w| *w as *const Word).collect::<Vec<_>>();
            prop_assert_eq!(ptrs(&new.options), ptrs(&options));
            prop_assert_eq!(ptrs(&new.operands), ptrs(&operands));
            prop_assert_eq!(
                subcommand(args, &new_takes).map(|w| w as *const Word),
                operands.first().map(|w| *w as *const Word)
            );
            for long in ["--option", "--no", "--no-install-recommends", "--target-release"] {
                prop_assert_eq!(has_option(args, &new_takes, long), has_reference(&options, long));
            }
            for w in args {
                prop_assert_eq!(
                    short_takes_next(&w.value, &new_takes),
                    short_takes_next_reference(&w.value, takes)
                );
                for letter in ['k', 'o', 'é'] {
                    prop_assert_eq!(
                        cluster_has(&w.value, letter, &new_takes),
                        cluster_has_reference(&w.value, letter, takes)
                    );
                }
                prop_assert_eq!(
                    is_dynamic(w),
                    w.value.contains('$') || w.value.contains('`')
                );
            }
        }
    }
}
