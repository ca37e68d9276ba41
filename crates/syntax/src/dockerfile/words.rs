//! The two ways BuildKit splits instruction arguments into words, returning
//! byte ranges of the text so every word keeps its position.
//!
//! - [`split_whitespace`]: runs of `[\t\v\f\r ]` (FROM, EXPOSE, and the
//!   non-JSON form of COPY, ADD and VOLUME). Quotes mean nothing here.
//! - [`parse_words`]: words that may contain quoted spaces (ENV, LABEL,
//!   ARG), with the escape character protecting the next character. Quotes
//!   stay in the word; they are removed later (see `expand`).
//!
//! Both return the ranges inline for up to [`INLINE`] words: an
//! instruction rarely has more, and a heap vector per instruction showed
//! in profiles.
//!
//! Also here: [`leading_whitespace`] and [`trailing_whitespace`], the
//! lengths `str::trim_start` and `str::trim_end` cut, read byte by byte
//! while the text is ASCII (`trim_*` decode every char they look at, and
//! the parser trims every line and instruction).

use smallvec::SmallVec;

/// Words kept inline before the list spills to the heap. The lists are
/// returned by value: six ranges (104 bytes) are copied with a few moves,
/// where eight (136 bytes) took a `memcpy` call on every return.
pub(crate) const INLINE: usize = 6;

/// Byte ranges of words.
pub(crate) type Ranges = SmallVec<[(usize, usize); INLINE]>;

/// BuildKit's `[\t\v\f\r ]` separator class.
pub(crate) fn is_separator(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// [`is_separator`] for a byte.
pub(crate) fn is_separator_byte(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// The ASCII characters `char::is_whitespace` accepts.
fn is_ascii_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// How many bytes `text.trim_start()` removes.
pub(crate) fn leading_whitespace(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_ascii_whitespace(b) {
            i += 1;
        } else if b.is_ascii() {
            return i;
        } else {
            // Unicode whitespace may follow: `i` is a char boundary (the
            // bytes before it are ASCII).
            let rest = text.get(i..).unwrap_or("");
            return i + (rest.len() - rest.trim_start().len());
        }
    }
    i
}

/// How many bytes `text.trim_end()` removes.
pub(crate) fn trailing_whitespace(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while let Some(&b) = end.checked_sub(1).and_then(|i| bytes.get(i)) {
        if is_ascii_whitespace(b) {
            end -= 1;
        } else if b.is_ascii() {
            break;
        } else {
            // `end` is a char boundary (the bytes after it are ASCII).
            let head = text.get(..end).unwrap_or("");
            end = head.trim_end().len();
            break;
        }
    }
    bytes.len() - end
}

/// The first offset at or after `pos` (up to `end`) that is not a
/// separator.
pub(crate) fn skip_separators(text: &str, pos: usize, end: usize) -> usize {
    let rest = text.as_bytes().get(pos..end).unwrap_or(&[]);
    pos + rest.iter().take_while(|&&b| is_separator_byte(b)).count()
}

/// The first offset at or after `pos` (up to `end`) that is not Unicode
/// whitespace.
pub(crate) fn skip_whitespace(text: &str, pos: usize, end: usize) -> usize {
    pos + leading_whitespace(text.get(pos..end).unwrap_or(""))
}

/// Ranges of `text[start..end]` between runs of separators.
pub(crate) fn split_whitespace(text: &str, start: usize, end: usize) -> Ranges {
    let mut words = Ranges::new();
    // Separators are ASCII, so a byte scan finds the same boundaries (and
    // they fall on char boundaries). Two tight loops, blanks then a word,
    // rather than one loop that asks at every byte which it is in.
    let bytes = text.get(start..end).unwrap_or("").as_bytes();
    let mut i = 0;
    loop {
        while bytes.get(i).is_some_and(|&b| is_separator_byte(b)) {
            i += 1;
        }
        if i >= bytes.len() {
            return words;
        }
        let word_start = i;
        while bytes.get(i).is_some_and(|&b| !is_separator_byte(b)) {
            i += 1;
        }
        words.push((start + word_start, start + i));
    }
}

/// The bytes that end a run of ordinary characters in a word (besides the
/// escape character): quotes, ASCII whitespace, and any non-ASCII byte
/// (which may start Unicode whitespace). A table: asked for every byte of
/// every ENV, LABEL and ARG word.
const STOPS_WORD_RUN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b >= 0x80
            || matches!(
                b as u8,
                b'\'' | b'"' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '
            );
        b += 1;
    }
    table
};

/// Ranges of the words of `text[start..end]`, split on unquoted Unicode
/// whitespace, as BuildKit's `parseWords`: quotes are part of the word, an
/// escape character (outside single quotes) protects the next character,
/// and an escape character at the very end is dropped.
pub(crate) fn parse_words(text: &str, start: usize, end: usize, escape: char) -> Ranges {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let mut words = Ranges::new();
    let slice = text.get(start..end).unwrap_or("");
    let bytes = slice.as_bytes();
    // The char at byte `i` (always a char boundary) and its length,
    // decoding only at a non-ASCII byte.
    let char_at = |i: usize| -> Option<(char, usize)> {
        match *bytes.get(i)? {
            b if b.is_ascii() => Some((char::from(b), 1)),
            _ => slice.get(i..)?.chars().next().map(|c| (c, c.len_utf8())),
        }
    };
    // Bytes that end a run of ordinary characters: in a word, ASCII
    // whitespace, quotes, the escape character and any non-ASCII byte
    // (which may start Unicode whitespace); in quotes, the quote and the
    // escape character. Without an ASCII escape character every char
    // takes the general path.
    let ascii_escape = u8::try_from(escape).ok().filter(u8::is_ascii);
    let mut phase = Phase::Spaces;
    let mut word = (0, 0);
    let mut i = 0;
    while let Some((c, len)) = char_at(i) {
        let after = i + len;
        let at_end = after == bytes.len();
        match phase {
            Phase::Spaces => {
                if c.is_whitespace() {
                    i = after;
                    continue;
                }
                word = (i, i);
                phase = Phase::Word;
            }
            Phase::Word if c.is_whitespace() => {
                if word.1 > word.0 {
                    words.push((start + word.0, start + word.1));
                }
                phase = Phase::Spaces;
                i = after;
                continue;
            }
            _ => {}
        }
        match phase {
            Phase::Spaces => {}
            Phase::Word => {
                if c == '\'' || c == '"' {
                    phase = Phase::Quote(c);
                }
                if c == escape {
                    if at_end {
                        i = after;
                        continue;
                    }
                    // The escaped character joins the word whatever it is.
                    if let Some((_, n)) = char_at(after) {
                        word.1 = after + n;
                        i = after + n;
                        continue;
                    }
                }
                word.1 = after;
                i = after;
                if phase == Phase::Word
                    && let Some(e) = ascii_escape
                {
                    while let Some(&b) = bytes.get(i) {
                        if STOPS_WORD_RUN[usize::from(b)] || b == e {
                            break;
                        }
                        i += 1;
                    }
                    word.1 = i;
                }
            }
            Phase::Quote(q) => {
                if c == q {
                    phase = Phase::Word;
                }
                if c == escape && q != '\'' {
                    if at_end {
                        phase = Phase::Word;
                        i = after;
                        continue;
                    }
                    if let Some((_, n)) = char_at(after) {
                        word.1 = after + n;
                        i = after + n;
                        continue;
                    }
                }
                word.1 = after;
                i = after;
                if let (Phase::Quote(q), Some(e)) = (&phase, ascii_escape) {
                    // Non-ASCII bytes are skipped whole: the run ends at
                    // an ASCII byte, so on a char boundary.
                    let q = *q as u32;
                    while let Some(&b) = bytes.get(i) {
                        if u32::from(b) == q || b == e {
                            break;
                        }
                        i += 1;
                    }
                    word.1 = i;
                }
            }
        }
    }
    if phase != Phase::Spaces && word.1 > word.0 {
        words.push((start + word.0, start + word.1));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The char-by-char `parse_words` the byte-wise one replaced, kept as
    /// the reference it must agree with.
    fn parse_words_by_chars(
        text: &str,
        start: usize,
        end: usize,
        escape: char,
    ) -> Vec<(usize, usize)> {
        #[derive(PartialEq)]
        enum Phase {
            Spaces,
            Word,
            Quote(char),
        }
        let mut words = Vec::new();
        let mut phase = Phase::Spaces;
        let mut word = (0, 0);
        let mut chars = text.get(start..end).unwrap_or("").char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let i = start + i;
            let after = i + c.len_utf8();
            let at_end = after == end;
            match phase {
                Phase::Spaces => {
                    if c.is_whitespace() {
                        continue;
                    }
                    word = (i, i);
                    phase = Phase::Word;
                }
                Phase::Word if c.is_whitespace() => {
                    if word.1 > word.0 {
                        words.push(word);
                    }
                    phase = Phase::Spaces;
                    continue;
                }
                _ => {}
            }
            match phase {
                Phase::Spaces => {}
                Phase::Word => {
                    if c == '\'' || c == '"' {
                        phase = Phase::Quote(c);
                    }
                    if c == escape {
                        if at_end {
                            continue;
                        }
                        if let Some((j, n)) = chars.next() {
                            word.1 = start + j + n.len_utf8();
                            continue;
                        }
                    }
                    word.1 = after;
                }
                Phase::Quote(q) => {
                    if c == q {
                        phase = Phase::Word;
                    }
                    if c == escape && q != '\'' {
                        if at_end {
                            phase = Phase::Word;
                            continue;
                        }
                        if let Some((j, n)) = chars.next() {
                            word.1 = start + j + n.len_utf8();
                            continue;
                        }
                    }
                    word.1 = after;
                }
            }
        }
        if phase != Phase::Spaces && word.1 > word.0 {
            words.push(word);
        }
        words
    }

    proptest! {
        #[test]
        fn whitespace_lengths_agree_with_std_trims(
            text in "[a \t\n\r\u{b}\u{c}\u{a0}\u{2003}\u{3000}\u{85}é€]{0,12}",
        ) {
            prop_assert_eq!(leading_whitespace(&text), text.len() - text.trim_start().len());
            prop_assert_eq!(trailing_whitespace(&text), text.len() - text.trim_end().len());
            let end = text.len();
            for pos in (0..=end).filter(|&p| text.is_char_boundary(p)) {
                let rest = &text[pos..];
                prop_assert_eq!(
                    skip_separators(&text, pos, end),
                    pos + rest.len() - rest.trim_start_matches(is_separator).len()
                );
                prop_assert_eq!(
                    skip_whitespace(&text, pos, end),
                    pos + rest.len() - rest.trim_start().len()
                );
            }
        }

        #[test]
        fn parse_words_agrees_with_the_char_by_char_reading(
            text in "[a= '\"\\\\`\t\r\u{b}\u{a0}\u{2003}\u{3000}é€$]{0,24}",
            escape in prop::sample::select(vec!['\\', '`', 'é']),
            cut in 0usize..3,
        ) {
            // Also from an offset inside the text, as instructions call it.
            let start = text.char_indices().nth(cut).map_or(text.len(), |(i, _)| i);
            let got = parse_words(&text, start, text.len(), escape).into_vec();
            prop_assert_eq!(got, parse_words_by_chars(&text, start, text.len(), escape));
        }
    }

    /// `split_whitespace` as one loop with a state: the reading it
    /// replaced.
    fn split_whitespace_by_state(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
        let mut words = Vec::new();
        let mut word_start = None;
        let slice = text.get(start..end).unwrap_or("");
        for (i, &b) in slice.as_bytes().iter().enumerate() {
            let i = start + i;
            if is_separator_byte(b) {
                if let Some(s) = word_start.take() {
                    words.push((s, i));
                }
            } else if word_start.is_none() {
                word_start = Some(i);
            }
        }
        if let Some(s) = word_start {
            words.push((s, end));
        }
        words
    }

    proptest! {
        #[test]
        fn split_whitespace_agrees_with_the_state_machine(
            text in "[a \t\r\n\u{b}\u{c}\u{a0}é\"]{0,16}",
            cut in 0usize..3,
        ) {
            let start = text.char_indices().nth(cut).map_or(text.len(), |(i, _)| i);
            prop_assert_eq!(
                split_whitespace(&text, start, text.len()).into_vec(),
                split_whitespace_by_state(&text, start, text.len())
            );
        }
    }

    fn words(text: &str) -> Vec<&str> {
        parse_words(text, 0, text.len(), '\\')
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn parse_words_keeps_quotes_and_quoted_spaces() {
        assert_eq!(
            words(r#"a=1 b="x y" c='p q'"#),
            ["a=1", r#"b="x y""#, "c='p q'"]
        );
        assert_eq!(words(r"a=x\ y b"), [r"a=x\ y", "b"]);
        assert_eq!(words(r#"a="q\" z" b"#), [r#"a="q\" z""#, "b"]);
        assert_eq!(words("  \u{a0}a\u{2003}b  "), ["a", "b"]);
        assert_eq!(words(r"end\"), ["end"]);
        assert_eq!(words(r"\"), Vec::<&str>::new());
    }

    #[test]
    fn split_whitespace_ignores_quotes() {
        let text = "a  \"b c\"\td";
        let got: Vec<&str> = split_whitespace(text, 0, text.len())
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(got, ["a", "\"b", "c\"", "d"]);
    }
}
