//! [`byte_set`]: a set of bytes as a 256-entry table, built at compile
//! time. Scanners that ask "is this byte one of these?" of every byte of
//! their input look it up instead of searching a short list
//! (`<[u8]>::contains`) each time.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_exactly_the_bytes_given() {
        let set = byte_set(b"a;\n\xff");
        for b in 0..=255u8 {
            assert_eq!(set[usize::from(b)], b"a;\n\xff".contains(&b), "{b}");
        }
    }
}
