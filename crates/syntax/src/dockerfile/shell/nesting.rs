//! Where a nested construct of a shell word ends: `$(…)`, `${…}` (with
//! quotes, substitutions and backquotes inside) and `` `…` ``. Shared by
//! the lexer and, in tests, by the reference tokenizer it is checked
//! against: these scans were not rewritten, so one copy serves both.

fn at(b: &[u8], i: usize) -> Option<u8> {
    b.get(i).copied()
}

/// What closes the `$(` or `${` at `i`.
fn closer(b: &[u8], i: usize) -> u8 {
    if at(b, i + 1) == Some(b'(') {
        b')'
    } else {
        b'}'
    }
}

/// The first char boundary of `text` at or after `i`.
pub(super) fn char_end_at_least(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// From `$(` or `${` at `start`: the offset after the matching closer,
/// following nested quotes, substitutions and backquotes with an
/// explicit stack (or the end of the text).
pub(super) fn nested_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut stack: smallvec::SmallVec<[u8; 8]> = smallvec::smallvec![closer(b, start)];
    let mut i = start + 2;
    while let (Some(&top), Some(c)) = (stack.last(), at(b, i)) {
        let opens_nested = c == b'$' && matches!(at(b, i + 1), Some(b'(' | b'{'));
        match top {
            b'\'' => {
                if c == b'\'' {
                    stack.pop();
                }
            }
            b'`' => match c {
                b'`' => {
                    stack.pop();
                }
                b'\\' => i += 1,
                _ => {}
            },
            b'"' => match c {
                b'"' => {
                    stack.pop();
                }
                b'\\' => i += 1,
                b'`' => stack.push(b'`'),
                _ if opens_nested => {
                    stack.push(closer(b, i));
                    i += 1;
                }
                _ => {}
            },
            _ => match c {
                b'\\' => i += 1,
                b'\'' => stack.push(b'\''),
                b'"' => stack.push(b'"'),
                b'`' => stack.push(b'`'),
                _ if opens_nested => {
                    stack.push(closer(b, i));
                    i += 1;
                }
                b'(' if top == b')' => stack.push(b')'),
                c if c == top => {
                    stack.pop();
                }
                _ => {}
            },
        }
        i += 1;
    }
    char_end_at_least(text, i.min(b.len()))
}

/// From a backquote at `start`: the offset after the closing one.
pub(super) fn backquote_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut i = start + 1;
    while let Some(c) = at(b, i) {
        match c {
            b'`' => return i + 1,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    b.len()
}
