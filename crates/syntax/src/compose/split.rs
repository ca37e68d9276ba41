//! Splitting short-syntax strings (`127.0.0.1:8080:80`, `./src:/app:ro`,
//! `nginx:1.27`) at a separator, except inside `${…}` and `[…]`.
//!
//! Compose interpolates variables before it splits, so
//! `"${WEB_PORT:-8080}:80"` is two parts, not three; bulwark does not
//! interpolate, so it must not split inside `${…}` either. Brackets hold
//! IPv6 addresses (`[::1]:8080:80`), whose colons are not separators.

/// The byte offsets of `sep` in `s` outside `{…}` and `[…]`.
fn separators(s: &str, sep: char) -> impl Iterator<Item = usize> + '_ {
    let mut depth = 0usize;
    s.char_indices().filter_map(move |(i, c)| {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            c if c == sep && depth == 0 => return Some(i),
            _ => {}
        }
        None
    })
}

/// All parts of `s` between separators (`"a::b"` → `["a", "", "b"]`).
pub(crate) fn split(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in separators(s, sep) {
        parts.push(&s[start..i]);
        start = i + sep.len_utf8();
    }
    parts.push(&s[start..]);
    parts
}

/// `s` split at its last separator.
pub(crate) fn rsplit_once(s: &str, sep: char) -> Option<(&str, &str)> {
    let i = separators(s, sep).last()?;
    Some((&s[..i], &s[i + sep.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_variables_and_brackets() {
        assert_eq!(split("a::b", ':'), ["a", "", "b"]);
        assert_eq!(split("${P:-80}:80", ':'), ["${P:-80}", "80"]);
        assert_eq!(split("[::1]:8080:80", ':'), ["[::1]", "8080", "80"]);
        assert_eq!(split("", ':'), [""]);
        assert_eq!(
            rsplit_once("reg:5000/img:${T:-1}", ':'),
            Some(("reg:5000/img", "${T:-1}"))
        );
        assert_eq!(rsplit_once("img", ':'), None);
        // Unbalanced closers never underflow.
        assert_eq!(split("}]a:b", ':'), ["}]a", "b"]);
    }
}
