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

use smallvec::SmallVec;

/// Words kept inline before the list spills to the heap.
pub(crate) const INLINE: usize = 8;

/// Byte ranges of words.
pub(crate) type Ranges = SmallVec<[(usize, usize); INLINE]>;

/// BuildKit's `[\t\v\f\r ]` separator class.
pub(crate) fn is_separator(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Ranges of `text[start..end]` between runs of separators.
pub(crate) fn split_whitespace(text: &str, start: usize, end: usize) -> Ranges {
    let mut words = Ranges::new();
    let mut word_start = None;
    // Separators are ASCII, so a byte scan finds the same boundaries (and
    // they fall on char boundaries).
    let slice = text.get(start..end).unwrap_or("");
    for (i, &b) in slice.as_bytes().iter().enumerate() {
        let i = start + i;
        if b.is_ascii() && is_separator(char::from(b)) {
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
    let mut phase = Phase::Spaces;
    let mut word = (0, 0);
    // Walks bytes, decoding a char only at a non-ASCII byte: the same
    // chars as `char_indices`, without its per-char decoding cost.
    let slice = text.get(start..end).unwrap_or("");
    let char_at = |at: usize| -> Option<(usize, char)> {
        match *slice.as_bytes().get(at)? {
            b if b.is_ascii() => Some((at, char::from(b))),
            _ => Some((at, slice.get(at..)?.chars().next()?)),
        }
    };
    let mut next = 0;
    let mut chars = std::iter::from_fn(|| {
        let (at, c) = char_at(next)?;
        next = at + c.len_utf8();
        Some((at, c))
    });
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
                    // The escaped character joins the word whatever it is.
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

#[cfg(test)]
mod tests {
    use super::*;

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
