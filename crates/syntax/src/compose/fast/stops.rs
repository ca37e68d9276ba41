//! Finding where a plain scalar may stop (`:`, `#` or a line break), and
//! where indentation ends, eight bytes at a time.
//!
//! Every key and plain value of a file is scanned for these bytes, and
//! they are short (`image`, `nginx:1.27`): too short for `memchr3`, whose
//! setup costs more than the scan, and long enough that a byte loop was
//! the loader's most expensive line. A word-at-a-time scan (the classic
//! "has a zero byte" bit trick, on the word XORed with each byte sought)
//! needs no setup and no `unsafe`.

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// The high bit of each byte of `x` that is zero, and possibly of bytes
/// after (in memory order) a zero byte: the borrow of the subtraction can
/// only run towards higher bytes, so the lowest bit set is always exact.
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The offset of the first `:`, `#` or `\n` at or after `from` in `bytes`,
/// or `bytes.len()` when there is none.
pub(super) fn plain_stop(bytes: &[u8], mut from: usize) -> usize {
    while let Some(chunk) = bytes.get(from..from + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        // Little-endian, so that the first byte in memory is the lowest.
        let x = u64::from_le_bytes(word);
        let found = zero_bytes(x ^ (ONES * u64::from(b':')))
            | zero_bytes(x ^ (ONES * u64::from(b'#')))
            | zero_bytes(x ^ (ONES * u64::from(b'\n')));
        if found != 0 {
            return from + (found.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < bytes.len() && !matches!(bytes[from], b':' | b'#' | b'\n') {
        from += 1;
    }
    from.min(bytes.len())
}

/// The offset of the first byte other than a space at or after `from` in
/// `bytes`, or `bytes.len()` when there is none. For indentation: a byte
/// loop cost about five instructions a space, on every line.
pub(super) fn space_end(bytes: &[u8], mut from: usize) -> usize {
    while let Some(chunk) = bytes.get(from..from + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        // Zero bytes are spaces; the lowest other byte is the first.
        let others = u64::from_le_bytes(word) ^ (ONES * u64::from(b' '));
        if others != 0 {
            return from + (others.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < bytes.len() && bytes[from] == b' ' {
        from += 1;
    }
    from.min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn by_bytes(bytes: &[u8], from: usize) -> usize {
        bytes
            .iter()
            .skip(from)
            .position(|b| matches!(b, b':' | b'#' | b'\n'))
            .map_or(bytes.len(), |n| from + n)
    }

    #[test]
    fn finds_the_first_stop() {
        let text = b"image: nginx:1.27 # pinned\n";
        assert_eq!(plain_stop(text, 0), 5);
        assert_eq!(plain_stop(text, 6), 12);
        assert_eq!(plain_stop(text, 13), 18);
        assert_eq!(plain_stop(text, 19), 26);
        assert_eq!(plain_stop(b"abc", 0), 3);
        assert_eq!(plain_stop(b"abc", 7), 3);
    }

    fn spaces_by_bytes(bytes: &[u8], from: usize) -> usize {
        bytes
            .iter()
            .skip(from)
            .position(|&b| b != b' ')
            .map_or(bytes.len(), |n| from + n)
    }

    proptest! {
        #[test]
        fn space_end_agrees_with_a_byte_loop(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b' '), Just(b' '), Just(b' '), Just(0x00), Just(0xa0), any::<u8>()],
                0..40,
            ),
            from in 0usize..45,
        ) {
            prop_assert_eq!(space_end(&bytes, from), spaces_by_bytes(&bytes, from));
        }

        /// Bytes just above and below the sought ones (`9`, `;`, `"`,
        /// `$`, `\t`, `\x0b`) and high bytes are where the bit trick
        /// could go wrong.
        #[test]
        fn agrees_with_a_byte_loop(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b':'), Just(b'#'), Just(b'\n'), Just(b'9'), Just(b';'),
                    Just(b'"'), Just(b'$'), Just(b'\t'), Just(0x0b), Just(0x80),
                    Just(0xba), Just(0xff), Just(0), any::<u8>(),
                ],
                0..40,
            ),
            from in 0usize..45,
        ) {
            prop_assert_eq!(plain_stop(&bytes, from), by_bytes(&bytes, from));
        }
    }
}
