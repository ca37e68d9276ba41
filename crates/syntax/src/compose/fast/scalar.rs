//! Scalar values: resolving plain scalars as serde-saphyr does, and
//! decoding quoted scalars written on one line.
//!
//! serde-saphyr resolves an untagged plain scalar for `deserialize_any`
//! (`YamlDeserializer::deserialize_any` and `parse_scalars.rs` in
//! serde-saphyr 2.1.1, with the default options bulwark keeps) in this
//! order: null (`~`, `null`, `Null`, `NULL`), a YAML 1.1 boolean (`y`,
//! `yes`, `true`, `on`, `n`, `no`, `false`, `off`, any case), an integer
//! (decimal without a leading zero, `0x`, `0o`, `0b`, `_` separators, a
//! sign), a float (`.inf`/`.nan` spellings, then Rust's `f64` grammar), else
//! a string. Everything here is either exactly that or `None` ("not sure,
//! let serde-saphyr do it"): the spellings given up on (`0x1F`, `1_000`,
//! `0755`, `.Inf`, huge numbers) are rare in compose files.

use std::borrow::Cow;

use super::super::tree::{Integer, Value};

/// The value of a plain scalar (non-empty, already trimmed), or `None` when
/// the spelling is outside what is resolved here.
///
/// Most scalars in a compose file (keys, names, images) start with a
/// letter and cannot be a null or a boolean: the letter cannot begin one,
/// or they are longer than the longest (`false`, 5 bytes), as
/// `nginx:1.27` and `no-new-privileges:true` are. That case is decided
/// inline where scalars are read; the others (digits first among them) go
/// to [`resolve_other`].
#[inline(always)]
pub(super) fn resolve_plain(s: &str) -> Option<Value<'_>> {
    match s.as_bytes().first() {
        Some(b'n' | b'N' | b'y' | b'Y' | b't' | b'T' | b'f' | b'F' | b'o' | b'O')
            if s.len() <= 5 =>
        {
            resolve_other(s)
        }
        Some(c) if c.is_ascii_alphabetic() => Some(Value::Str(Cow::Borrowed(s))),
        _ => resolve_other(s),
    }
}

/// [`resolve_plain`] past its first byte's shortcut.
fn resolve_other(s: &str) -> Option<Value<'_>> {
    let &first = s.as_bytes().first()?;
    if first.is_ascii_digit() {
        // Ports, counts, addresses: no null or boolean starts with a
        // digit, nor has a sign to strip.
        return numeric(s, s);
    }
    if matches!(s, "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    if let Some(b) = yaml11_bool(s) {
        return Some(Value::Bool(b));
    }
    let rest = s.strip_prefix(['+', '-']).unwrap_or(s);
    let Some(&lead) = rest.as_bytes().first() else {
        // A lone sign: a string to serde-saphyr, but rare enough to leave.
        return None;
    };
    if !lead.is_ascii_digit() && lead != b'.' {
        // Neither parser takes it: integers need a digit after the sign,
        // and the only floats Rust reads without a leading digit or dot
        // (`inf`, `nan`, `infinity`) are non-finite, which serde-saphyr's
        // untyped path refuses to treat as numbers (strings).
        return Some(Value::Str(Cow::Borrowed(s)));
    }
    numeric(s, rest)
}

/// A scalar that starts (after its sign) with a digit or a dot.
fn numeric<'t>(s: &'t str, rest: &str) -> Option<Value<'t>> {
    let digits = rest.as_bytes();
    if digits.iter().all(u8::is_ascii_digit) {
        // A decimal integer. A leading zero (`0755`, `08`) makes serde-saphyr
        // skip the integer parser and read a float; a long one may not fit
        // 64 bits (then a float too). Both are left to it.
        let plain_zero_free = digits == b"0" || digits[0] != b'0';
        if !plain_zero_free || digits.len() > 18 {
            return None;
        }
        let mut n: i128 = 0;
        for &d in digits {
            n = n * 10 + i128::from(d - b'0');
        }
        let n = if s.starts_with('-') { -n } else { n };
        return Some(Value::Int(Integer::new(n)));
    }
    if is_rust_float(digits) {
        // Rust's `f64::from_str`, which serde-saphyr calls on the same text.
        // Long spellings could overflow to infinity, which serde-saphyr
        // turns into the string ".inf": left to it.
        if s.len() > 40 {
            return None;
        }
        let value: f64 = s.parse().ok()?;
        return value.is_finite().then_some(Value::Float(value));
    }
    if matches!(rest, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        // serde-saphyr spells these its own way (".inf", "-.inf", ".nan").
        return None;
    }
    let radix_prefix = digits.len() >= 2
        && digits[0] == b'0'
        && matches!(digits[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B');
    if radix_prefix || digits.iter().all(|b| b.is_ascii_digit() || *b == b'_') {
        // Possibly an integer in another radix or with `_` separators.
        return None;
    }
    // Neither a radix prefix nor only digits and `_`: the integer parser
    // fails, and so did the float grammar: `127.0.0.1`, `8080:80`, `512M`,
    // `./db_password.txt`.
    Some(Value::Str(Cow::Borrowed(s)))
}

/// Rust's float grammar without the sign (`f64::from_str` documentation):
/// `(digits [. digits?] | . digits) [(e|E) [+|-] digits]`.
fn is_rust_float(b: &[u8]) -> bool {
    let mut i = 0;
    let int_digits = count_digits(&b[i..]);
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = count_digits(&b[i..]);
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = count_digits(&b[i..]);
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == b.len()
}

fn count_digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// serde-saphyr's `parse_yaml11_bool` (the text is already trimmed).
fn yaml11_bool(s: &str) -> Option<bool> {
    if s.len() > 5 {
        return None;
    }
    let is = |word: &str| s.eq_ignore_ascii_case(word);
    if is("true") || is("yes") || is("y") || is("on") {
        Some(true)
    } else if is("false") || is("no") || is("n") || is("off") {
        Some(false)
    } else {
        None
    }
}

/// The content of a single-quoted scalar whose opening quote is at `open`
/// (borrowed from the text unless it holds a `''`), and the position after
/// its closing quote. `None` if it does not close on this line (a
/// multi-line scalar folds its line breaks: left to serde-saphyr).
pub(super) fn single_quoted<'t>(
    bytes: &[u8],
    text: &'t str,
    open: usize,
) -> Option<(Cow<'t, str>, usize)> {
    let mut out: Option<String> = None;
    let mut run = open + 1;
    let mut i = run;
    loop {
        match *bytes.get(i)? {
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => {
                out.get_or_insert_with(String::new)
                    .push_str(text.get(run..=i)?);
                i += 2;
                run = i;
            }
            b'\'' => return Some((finish(out, text.get(run..i)?), i + 1)),
            b'\n' => return None,
            _ => i += 1,
        }
    }
}

/// The content of a double-quoted scalar whose opening quote is at `open`
/// (borrowed from the text unless it holds an escape), and the position
/// after its closing quote. `None` if it does not close on this line, or
/// holds an escape not decoded here.
pub(super) fn double_quoted<'t>(
    bytes: &[u8],
    text: &'t str,
    open: usize,
) -> Option<(Cow<'t, str>, usize)> {
    let mut out: Option<String> = None;
    let mut run = open + 1;
    let mut i = run;
    loop {
        match *bytes.get(i)? {
            b'"' => return Some((finish(out, text.get(run..i)?), i + 1)),
            b'\\' => {
                let (c, len) = escape(bytes, i + 1)?;
                let decoded = out.get_or_insert_with(String::new);
                decoded.push_str(text.get(run..i)?);
                decoded.push(c);
                i += 1 + len;
                run = i;
            }
            b'\n' => return None,
            _ => i += 1,
        }
    }
}

/// The decoded text so far (if anything had to be decoded) and the last run.
fn finish<'t>(decoded: Option<String>, last: &'t str) -> Cow<'t, str> {
    match decoded {
        Some(mut s) => {
            s.push_str(last);
            Cow::Owned(s)
        }
        None => Cow::Borrowed(last),
    }
}

/// The character an escape stands for (the byte after the backslash is at
/// `at`) and the length of what follows the backslash. Only the escapes
/// with one meaning everywhere; `\` at the end of a line (a continuation),
/// `\N`, `\_`, `\L`, `\P` and the rest are left to serde-saphyr.
fn escape(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let simple = match *bytes.get(at)? {
        b'\\' => '\\',
        b'"' => '"',
        b'/' => '/',
        b'n' => '\n',
        b't' => '\t',
        b'r' => '\r',
        b'0' => '\0',
        b' ' => ' ',
        b'x' => return hex_escape(bytes, at + 1, 2),
        b'u' => return hex_escape(bytes, at + 1, 4),
        b'U' => return hex_escape(bytes, at + 1, 8),
        _ => return None,
    };
    Some((simple, 1))
}

/// `\xXX`, `\uXXXX`, `\UXXXXXXXX`: exactly `len` hex digits naming a
/// Unicode scalar value (surrogates are left to serde-saphyr).
fn hex_escape(bytes: &[u8], at: usize, len: usize) -> Option<(char, usize)> {
    let digits = bytes.get(at..at + len)?;
    let mut code: u32 = 0;
    for &d in digits {
        code = code * 16 + char::from(d).to_digit(16)?;
    }
    Some((char::from_u32(code)?, 1 + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        match resolve_plain(s) {
            Some(v) => format!("{v:?}"),
            None => "bail".to_owned(),
        }
    }

    #[test]
    fn resolves_like_serde_saphyr_or_gives_up() {
        let cases = [
            ("nginx", "Str(\"nginx\")"),
            ("~", "Null"),
            ("NULL", "Null"),
            ("nULL", "Str(\"nULL\")"),
            ("yes", "Bool(true)"),
            ("Off", "Bool(false)"),
            ("y", "Bool(true)"),
            ("N", "Bool(false)"),
            ("0", "Int(0)"),
            ("-0", "Int(0)"),
            ("+1", "Int(1)"),
            ("-42", "Int(-42)"),
            ("1.5", "Float(1.5)"),
            (".5", "Float(0.5)"),
            ("1.", "Float(1.0)"),
            ("1e3", "Float(1000.0)"),
            ("-0.0", "Float(-0.0)"),
            ("127.0.0.1", "Str(\"127.0.0.1\")"),
            ("8080:80", "Str(\"8080:80\")"),
            ("12:30", "Str(\"12:30\")"),
            ("3.12-slim", "Str(\"3.12-slim\")"),
            ("-foo", "Str(\"-foo\")"),
            ("-inf", "Str(\"-inf\")"),
            (".", "Str(\".\")"),
            ("0x1F", "bail"),
            ("0o17", "bail"),
            ("1_000", "bail"),
            ("08", "bail"),
            ("0755", "bail"),
            ("-.inf", "bail"),
            (".NaN", "bail"),
            ("-", "bail"),
            ("1234567890123456789", "bail"),
            ("512M", "Str(\"512M\")"),
            ("0b101", "bail"),
            ("1_0x", "Str(\"1_0x\")"),
            ("1__0", "bail"),
            ("./a_b", "Str(\"./a_b\")"),
        ];
        for (input, want) in cases {
            assert_eq!(show(input), want, "{input:?}");
        }
    }

    proptest::proptest! {
        /// The inline shortcut decides as the full resolution would.
        #[test]
        fn the_shortcut_agrees_with_the_full_resolution(
            s in "[a-zA-Z~.+-][a-zA-Z0-9:./_-]{0,9}",
        ) {
            let full = resolve_other(&s).map(|v| format!("{v:?}"));
            proptest::prop_assert_eq!(resolve_plain(&s).map(|v| format!("{v:?}")), full);
        }
    }

    #[test]
    fn quoted_scalars_decode_on_one_line() {
        let text = r#""a\tb\u00e9\x41\"\\\/" 'it''s' "open"#;
        let b = text.as_bytes();
        let (s, end) = double_quoted(b, text, 0).unwrap();
        assert_eq!(s, "a\tbéA\"\\/");
        let (s, end) = single_quoted(b, text, end + 1).unwrap();
        assert_eq!((s.as_ref(), end), ("it's", 30));
        let quote = text.find('\'').unwrap();
        assert!(matches!(
            single_quoted(b, text, quote).unwrap().0,
            Cow::Owned(_)
        ));
        assert!(matches!(
            double_quoted(b"\"x\"", "\"x\"", 0).unwrap().0,
            Cow::Borrowed("x")
        ));
        assert!(double_quoted(b, text, end + 1).is_none());
        assert!(double_quoted(b"\"a\\\n\"", "\"a\\\n\"", 0).is_none());
        assert!(double_quoted(b"\"\\N\"", "\"\\N\"", 0).is_none());
        assert!(double_quoted(b"\"\\ud800\"", "\"\\ud800\"", 0).is_none());
    }
}
