//! Byte-level helpers for the short ASCII values parsers and rules read
//! (ports, restart policies, scanner byte classes), where `str`'s
//! char-pattern searchers and parsers cost more than a loop over the
//! bytes.
//!
//! - [`byte_set`]: a set of bytes as a 256-entry table, built at compile
//!   time, looked up instead of searching a short list each time.
//! - [`split_once_ascii`]: `str::split_once` at an ASCII byte.
//! - [`ascii_digits`]: the value of a run of ASCII digits, in one pass.

/// The set of `bytes`: `true` at each of them.
pub const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// `text` split at the first `sep`, an ASCII byte: `str::split_once` with
/// a char, as one byte loop, which costs less than the char pattern's
/// searcher on short values (`on-failure:3`, `8000-8010`, `22/tcp`). An
/// ASCII byte is a whole character in UTF-8, so both halves are `str`s.
pub fn split_once_ascii(text: &str, sep: u8) -> Option<(&str, &str)> {
    debug_assert!(sep.is_ascii());
    let i = text.bytes().position(|b| b == sep)?;
    Some((&text[..i], &text[i + 1..]))
}

/// The value of `text` when it is one or more ASCII digits and nothing
/// else, saturating at `u64::MAX`; checked and summed in one pass. Callers
/// narrow it as their numbers need.
pub fn ascii_digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        b.is_ascii_digit()
            .then(|| n.saturating_mul(10).saturating_add(u64::from(b - b'0')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `split_once_ascii` splits as `str::split_once` does.
        #[test]
        fn split_once_ascii_agrees_with_split_once(text in "[a-z:é/-]{0,8}", sep in "[:/-]") {
            let sep = sep.as_bytes()[0];
            proptest::prop_assert_eq!(split_once_ascii(&text, sep), text.split_once(char::from(sep)));
        }

        /// `ascii_digits` reads what `u64`'s parser reads, bar signs and
        /// overflow (saturated), and refuses everything else.
        #[test]
        fn ascii_digits_agrees_with_parse(text in "[0-9]{0,25}|[0-9 +a.-]{0,6}") {
            let all_digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            let expected = all_digits.then(|| text.parse::<u64>().unwrap_or(u64::MAX));
            proptest::prop_assert_eq!(ascii_digits(&text), expected);
        }
    }

    #[test]
    fn holds_exactly_the_bytes_given() {
        let set = byte_set(b"a;\n\xff");
        for b in 0..=255u8 {
            assert_eq!(set[usize::from(b)], b"a;\n\xff".contains(&b), "{b}");
        }
    }
}
