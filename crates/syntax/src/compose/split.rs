//! Splitting short-syntax strings (`127.0.0.1:8080:80`, `./src:/app:ro`,
//! `nginx:1.27`) at a separator, except inside `${…}` and `[…]`.
//!
//! Compose interpolates variables before it splits, so
//! `"${WEB_PORT:-8080}:80"` is two parts, not three; bulwark does not
//! interpolate, so it must not split inside `${…}` either. Brackets hold
//! IPv6 addresses (`[::1]:8080:80`), whose colons are not separators.
//!
//! The scan is over bytes: the separators and brackets are ASCII, and in
//! UTF-8 an ASCII byte is always a whole character, so every offset found
//! is a character boundary. Parts come back in a `SmallVec`: short
//! syntaxes have at most a handful, and every port and volume entry of a
//! file is split.

use smallvec::SmallVec;

/// The parts of a short-syntax string (at most 4 without allocating).
pub(crate) type Parts<'s> = SmallVec<[&'s str; 4]>;

/// The byte offsets of `sep` (ASCII) in `s` outside `{…}` and `[…]`.
///
/// One plain pass, byte by byte: these strings are a few dozen bytes, too
/// short for `memchr` to pay for its setup (it once found the separators
/// up to the first bracket, and cost more than this whole loop). A `}` or
/// `]` before any opener changes nothing: the depth stays 0.
fn separators(s: &str, sep: u8) -> impl Iterator<Item = usize> + '_ {
    debug_assert!(sep.is_ascii());
    let mut depth = 0usize;
    s.bytes().enumerate().filter_map(move |(i, b)| {
        match b {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ if b == sep && depth == 0 => return Some(i),
            _ => {}
        }
        None
    })
}

/// All parts of `s` between separators (`"a::b"` → `["a", "", "b"]`).
pub(crate) fn split(s: &str, sep: u8) -> Parts<'_> {
    let mut parts = Parts::new();
    let mut start = 0;
    if has_openers(s) {
        for i in separators(s, sep) {
            parts.push(&s[start..i]);
            start = i + 1;
        }
    } else {
        // Without an opener every separator counts: no depth to track.
        for (i, b) in s.bytes().enumerate() {
            if b == sep {
                parts.push(&s[start..i]);
                start = i + 1;
            }
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Whether `s` has a `{` or a `[`. Most short syntaxes have neither; the
/// test looks at every byte without stopping early, which the compiler
/// turns into a loop over many bytes at a time.
fn has_openers(s: &str) -> bool {
    s.bytes()
        .fold(false, |seen, b| seen | (b == b'{') | (b == b'['))
}

/// `s` split at its last separator.
pub(crate) fn rsplit_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = if has_openers(s) {
        separators(s, sep).last()?
    } else {
        s.bytes().rposition(|b| b == sep)?
    };
    Some((&s[..i], &s[i + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_outside_variables_and_brackets() {
        assert_eq!(split("a::b", b':').as_slice(), ["a", "", "b"]);
        assert_eq!(split("${P:-80}:80", b':').as_slice(), ["${P:-80}", "80"]);
        assert_eq!(
            split("[::1]:8080:80", b':').as_slice(),
            ["[::1]", "8080", "80"]
        );
        assert_eq!(split("", b':').as_slice(), [""]);
        assert_eq!(
            rsplit_once("reg:5000/img:${T:-1}", b':'),
            Some(("reg:5000/img", "${T:-1}"))
        );
        assert_eq!(rsplit_once("img", b':'), None);
        // Unbalanced closers never underflow.
        assert_eq!(split("}]a:b", b':').as_slice(), ["}]a", "b"]);
    }

    /// The definition over characters, as this module first read it.
    fn split_by_chars(s: &str, sep: char) -> Vec<&str> {
        let mut depth = 0usize;
        let mut parts = Vec::new();
        let mut start = 0;
        for (i, c) in s.char_indices() {
            match c {
                '{' | '[' => depth += 1,
                '}' | ']' => depth = depth.saturating_sub(1),
                c if c == sep && depth == 0 => {
                    parts.push(&s[start..i]);
                    start = i + sep.len_utf8();
                }
                _ => {}
            }
        }
        parts.push(&s[start..]);
        parts
    }

    proptest! {
        #[test]
        fn bytes_agree_with_chars(s in "([:/@{}\\[\\]$a-c]|é|\u{1F511}){0,24}") {
            for sep in [':', '/', '@'] {
                let by_chars = split_by_chars(&s, sep);
                prop_assert_eq!(split(&s, sep as u8).to_vec(), by_chars.clone());
                let last = (by_chars.len() > 1).then(|| {
                    let tail = by_chars[by_chars.len() - 1];
                    (&s[..s.len() - tail.len() - 1], tail)
                });
                prop_assert_eq!(rsplit_once(&s, sep as u8), last);
            }
        }
    }
}
