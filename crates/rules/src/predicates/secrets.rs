//! Secrets: names that say a value is one, values shaped like one, and
//! how to show a secret without printing it.
//!
//! Shared by every input that can hold a secret: compose `environment`
//! and build args (CMP022), Dockerfile `ARG`/`ENV` (DKF045). Names are
//! split into words (`DB_PASSWORD`, `apiKey`), so `PASSWORD_FILE` or
//! `SORT_KEY` are not secrets while `db_pass` is; token-shaped values
//! (GitHub, AWS, Slack, JWTs, private keys, URLs with a password) are
//! secrets whatever their name.

/// The start of a value and its length, never more than 4 characters and
/// never more than a quarter of it: `ghp_…, 40 characters`.
pub fn mask(value: &str) -> String {
    let len = value.chars().count();
    let shown = value
        .char_indices()
        .nth((len / 4).min(4))
        .map_or(value, |(end, _)| &value[..end]);
    // Built by hand: `format!` cost more than the rest of a finding.
    let mut out = String::with_capacity(shown.len() + 24);
    out.push('`');
    out.push_str(shown);
    out.push_str("…`, ");
    push_decimal(&mut out, len);
    out.push_str(" characters");
    out
}

/// Appends `n` in decimal, digit by digit: `to_string` goes through the
/// formatting machinery and a string of its own.
fn push_decimal(out: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The words of a name, lower case: `DB_PASSWORD` → db, password;
/// `apiKey` → api, key.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A list of words as a predicate that is a `match` on the word (a switch
/// on its length and a comparison or two, where a slice's `contains`
/// compares the word with every entry, 58 for the longest list; every
/// name is asked), and, for the tests, as an array of the same words.
macro_rules! word_list {
    ($(#[$doc:meta])* $is:ident, $list:ident: [$($word:literal),* $(,)?]) => {
        $(#[$doc])*
        fn $is(word: &str) -> bool {
            matches!(word, $($word)|*)
        }

        #[cfg(test)]
        #[doc = concat!("The words of [`", stringify!($is), "`].")]
        const $list: [&str; [$($word),*].len()] = [$($word),*];
    };
}

word_list! {
    /// Whether `word` names a secret on its own.
    is_secret_word, SECRET_WORDS: [
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "pass",
        "psw",
        "secret",
        "secrets",
        "token",
        "apikey",
        "auth",
        "credential",
        "credentials",
    ]
}

/// Names that are secrets although their last word is not: hadolint's
/// DL3064 list has these (an access key id is half of a credential pair).
const ALWAYS: [&str; 1] = ["aws_access_key_id"];

word_list! {
    /// Whether `word` before `key` leaves it no secret (`GPG_KEY` holds a
    /// public key's fingerprint, as Docker's official images use it).
    is_plain_key, PLAIN_KEYS: [
        "gpg",
        "public",
        "publishable",
        "sort",
        "cache",
        "partition",
        "primary",
        "foreign",
        "routing",
        "shard",
        "idempotency",
        "lookup",
        "index",
        "group",
        "host",
    ]
}

word_list! {
    /// Whether `word`, last in a name, makes the value something about a
    /// secret (where it is, how it is used), not the secret.
    is_about_a_secret, ABOUT_A_SECRET: [
        "file",
        "path",
        "dir",
        "directory",
        "url",
        "uri",
        "host",
        "hostname",
        "port",
        "user",
        "username",
        "name",
        "id",
        "type",
        "mode",
        "method",
        "enabled",
        "enable",
        "disabled",
        "disable",
        "required",
        "length",
        "len",
        "min",
        "max",
        "size",
        "expiry",
        "expires",
        "expiration",
        "ttl",
        "timeout",
        "lifetime",
        "age",
        "days",
        "hours",
        "minutes",
        "seconds",
        "interval",
        "header",
        "prefix",
        "suffix",
        "field",
        "policy",
        "algorithm",
        "alg",
        "format",
        "provider",
        "strategy",
        "backend",
        "realm",
        "scheme",
        "domain",
        "server",
        "endpoint",
        "issuer",
        "audience",
        "scope",
        "version",
    ]
}

/// How many words of a name [`is_secret_name`] reads without allocating.
const FEW_WORDS: usize = 12;

/// The longest word the lists above hold, and then some.
const SHORT_WORD: usize = 16;

/// A word of a name, lowercased on the stack. A word too long to be in
/// any list reads as `""`, which no list holds either (words are never
/// empty).
#[derive(Clone, Copy)]
struct ShortWord {
    bytes: [u8; SHORT_WORD],
    len: usize,
}

impl ShortWord {
    fn new(word: &[u8]) -> ShortWord {
        let mut bytes = [0; SHORT_WORD];
        if word.len() > SHORT_WORD {
            return ShortWord { bytes, len: 0 };
        }
        for (b, w) in bytes.iter_mut().zip(word) {
            *b = w.to_ascii_lowercase();
        }
        ShortWord {
            bytes,
            len: word.len(),
        }
    }

    fn as_str(&self) -> &str {
        // Words are ASCII alphanumerics (see `words`).
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// The byte ranges of the words of `name`, as [`words`] splits it: runs
/// of ASCII alphanumerics, split again before an upper-case letter that
/// follows a lower-case letter or a digit. Bytes rather than chars: a
/// non-ASCII character (all its bytes) separates words in both.
fn word_ranges(name: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = name.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while bytes.get(at).is_some_and(|b| !b.is_ascii_alphanumeric()) {
            at += 1;
        }
        let start = at;
        let mut prev_lower = false;
        while let Some(&b) = bytes.get(at) {
            if !b.is_ascii_alphanumeric() || (b.is_ascii_uppercase() && prev_lower) {
                break;
            }
            prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
            at += 1;
        }
        (at > start).then_some(start..at)
    })
}

/// True for a name that looks like it holds a secret. Every ENV, ARG
/// and environment name is asked: the words are read on the stack (a
/// name of more than `FEW_WORDS` words takes the allocating path).
pub fn is_secret_name(name: &str) -> bool {
    if !may_name_a_secret(name) {
        return false;
    }
    let mut few = [ShortWord::new(b""); FEW_WORDS];
    let mut n = 0;
    for range in word_ranges(name) {
        if n == FEW_WORDS {
            let w = words(name);
            return secret_words(&w.iter().map(String::as_str).collect::<Vec<_>>());
        }
        few[n] = ShortWord::new(&name.as_bytes()[range]);
        n += 1;
    }
    let mut w = [""; FEW_WORDS];
    for (s, word) in w.iter_mut().zip(&few[..n]) {
        *s = word.as_str();
    }
    secret_words(&w[..n])
}

/// Whether `name` holds, in any case, a piece of every word that makes a
/// name a secret (`pass` of `password`, `passwd`, `passphrase`; `key` of
/// `apikey` and of `aws_access_key_id`; …). Most names hold none, and
/// this reads them without splitting them into words; a byte that starts
/// no piece (most bytes) costs one lookup in [`PIECE_STARTS`].
fn may_name_a_secret(name: &str) -> bool {
    let bytes = name.as_bytes();
    let at = |i: usize, piece: &[u8]| {
        bytes
            .get(i..i + piece.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(piece))
    };
    (0..bytes.len()).any(|i| {
        PIECE_STARTS[usize::from(bytes[i])] && piece_at(bytes[i].to_ascii_lowercase(), i, at)
    })
}

/// The bytes, in either case, that the pieces [`may_name_a_secret`] looks
/// for start with.
const PIECE_STARTS: [bool; 256] = bulwark_syntax::byte_set(b"pstkacPSTKAC");

/// Whether a piece starting with the lower-case byte `first` stands at
/// `i`, as `at(i, piece)` reads.
fn piece_at(first: u8, i: usize, at: impl Fn(usize, &[u8]) -> bool) -> bool {
    match first {
        b'p' => at(i, b"pass") || at(i, b"pwd") || at(i, b"psw"),
        b's' => at(i, b"secret"),
        b't' => at(i, b"token"),
        b'k' => at(i, b"key"),
        b'a' => at(i, b"auth"),
        b'c' => at(i, b"credential"),
        _ => false,
    }
}

/// [`is_secret_name`] of a name split into (lower-case) words `w`.
fn secret_words(w: &[&str]) -> bool {
    // Words never hold `_`: compare them with each name's parts.
    if ALWAYS.iter().any(|a| a.split('_').eq(w.iter().copied())) {
        return true;
    }
    // `PWD` alone is the shell's working directory, not a password.
    if w == ["pwd"] {
        return false;
    }
    let Some(last) = w.last() else {
        return false;
    };
    if is_about_a_secret(last) || w.iter().any(|x| *x == "public" || *x == "publishable") {
        return false;
    }
    w.iter()
        .enumerate()
        .any(|(i, x)| is_secret_word(x) || (*x == "key" && i > 0 && !is_plain_key(w[i - 1])))
}

/// False for values that cannot be a secret whatever the name says:
/// booleans, short numbers, paths, URLs without a password.
pub fn could_be_secret(value: &str) -> bool {
    let v = value.trim();
    // Compared in place rather than lower-cased into a new string.
    if [
        "true", "false", "yes", "no", "on", "off", "null", "none", "nil",
    ]
    .iter()
    .any(|word| v.eq_ignore_ascii_case(word))
    {
        return false;
    }
    if v.len() <= 4 && v.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if v.starts_with('/') || v.starts_with("./") || v.starts_with("../") || v.starts_with("~/") {
        return false;
    }
    if v.contains("://") && !v.contains(char::is_whitespace) {
        return url_password(v);
    }
    true
}

/// True for `scheme://user:password@host…` with a password.
pub fn url_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return false;
    };
    userinfo
        .split_once(':')
        .is_some_and(|(_, password)| !password.is_empty())
}

/// A token that starts with a fixed prefix.
struct Pattern {
    prefix: &'static str,
    /// How many characters of `chars` follow the prefix, at least.
    min: usize,
    chars: fn(char) -> bool,
    kind: &'static str,
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn upper(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

const fn pattern(
    prefix: &'static str,
    min: usize,
    chars: fn(char) -> bool,
    kind: &'static str,
) -> Pattern {
    Pattern {
        prefix,
        min,
        chars,
        kind,
    }
}

/// Provider tokens recognisable by their prefix.
const PATTERNS: [Pattern; 20] = [
    pattern("AKIA", 16, upper, "an AWS access key id"),
    pattern("ASIA", 16, upper, "an AWS access key id"),
    pattern("ghp_", 36, alnum, "a GitHub token"),
    pattern("gho_", 36, alnum, "a GitHub token"),
    pattern("ghu_", 36, alnum, "a GitHub token"),
    pattern("ghs_", 36, alnum, "a GitHub token"),
    pattern("ghr_", 36, alnum, "a GitHub token"),
    pattern("github_pat_", 22, word, "a GitHub token"),
    pattern("glpat-", 20, word, "a GitLab token"),
    pattern("xoxb-", 10, word, "a Slack token"),
    pattern("xoxp-", 10, word, "a Slack token"),
    pattern("xoxa-", 10, word, "a Slack token"),
    pattern("sk_live_", 20, alnum, "a Stripe secret key"),
    pattern("rk_live_", 20, alnum, "a Stripe secret key"),
    pattern("sk-", 32, word, "an API secret key (sk-…)"),
    pattern("AIza", 35, word, "a Google API key"),
    pattern("npm_", 36, alnum, "an npm token"),
    pattern("pypi-AgEIcHlwaS5vcmc", 50, word, "a PyPI token"),
    pattern("hf_", 30, alnum, "a Hugging Face token"),
    pattern("dckr_pat_", 20, word, "a Docker Hub token"),
];

/// The fewest bytes a match of one of [`PATTERNS`] takes: its prefix and
/// `min` characters, ASCII in every class. Shorter values (most of them)
/// are not searched.
const SHORTEST_TOKEN: usize = {
    let mut shortest = usize::MAX;
    let mut n = 0;
    while n < PATTERNS.len() {
        let len = PATTERNS[n].prefix.len() + PATTERNS[n].min;
        if len < shortest {
            shortest = len;
        }
        n += 1;
    }
    shortest
};

/// What a credential-shaped value looks like, if it does.
///
/// Every ENV, ARG and environment value is asked, most of them short and
/// plain: each text search is guarded by the least length a match needs
/// or a byte it needs (a `memchr`), which rules most values out at once.
pub fn token_kind(value: &str) -> Option<&'static str> {
    let v = value.trim();
    // Both markers, which cannot overlap: 10 + 11 bytes.
    if v.len() >= 21 && v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if v.len() >= SHORTEST_TOKEN
        && let Some(p) = first_token_pattern(v)
    {
        return Some(p.kind);
    }
    if v.len() >= 26 && v.contains("hooks.slack.com/services/T") {
        return Some("a Slack webhook URL");
    }
    if is_sendgrid(v) {
        return Some("a SendGrid key");
    }
    // `eyJ` twice, two dots and 10 more: 18 bytes.
    if v.len() >= 18 && is_jwt(v) {
        return Some("a JWT");
    }
    if has_window(v, b"://") && url_password(v) {
        return Some("a URL with a password in it");
    }
    None
}

/// For each byte, the [`PATTERNS`] (a bit each, by position) whose prefix
/// starts with it.
const FIRST_BYTES: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < PATTERNS.len() {
        table[PATTERNS[n].prefix.as_bytes()[0] as usize] |= 1 << n;
        n += 1;
    }
    table
};

/// The first of [`PATTERNS`] (in their order) that matches somewhere in
/// `value`: its prefix starts a word (nothing alphanumeric just before it)
/// and at least `min` characters of `chars` follow. One pass over the
/// word starts, each checked against the patterns whose prefix starts
/// with its byte ([`FIRST_BYTES`]), rather than a search per pattern:
/// every ENV, ARG and environment value is checked.
fn first_token_pattern(value: &str) -> Option<&'static Pattern> {
    let bytes = value.as_bytes();
    let mut best: Option<usize> = None;
    for i in 0..bytes.len() {
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        // Every prefix starts with an ASCII letter (so `i` is a character
        // boundary when a pattern is tried).
        let mut candidates = FIRST_BYTES[bytes[i] as usize];
        if let Some(best) = best {
            candidates &= (1 << best) - 1;
        }
        if candidates == 0 {
            continue;
        }
        let rest = &value[i..];
        while candidates != 0 {
            let n = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            let p = &PATTERNS[n];
            if rest.starts_with(p.prefix)
                && rest[p.prefix.len()..]
                    .chars()
                    .take_while(|c| (p.chars)(*c))
                    .take(p.min)
                    .count()
                    >= p.min
            {
                best = Some(n);
                break;
            }
        }
        if best == Some(0) {
            break;
        }
    }
    best.map(|n| &PATTERNS[n])
}

/// `SG.<22>.<43>`: at least 69 bytes.
fn is_sendgrid(value: &str) -> bool {
    value.len() >= 69
        && value.match_indices("SG.").any(|(i, _)| {
        let mut parts = value[i + 3..].splitn(2, '.');
        let b64 = |s: &str, n: usize| {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .count()
                >= n
        };
        matches!((parts.next(), parts.next()), (Some(a), Some(b)) if a.len() == 22 && b64(a, 22) && b64(b, 43))
    })
}

/// Whether `needle` occurs in `value`: `str::contains` with a short
/// needle, without the set-up of a substring searcher (which costs more
/// than reading a short value byte by byte, and every value is asked).
fn has_window(value: &str, needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    value
        .as_bytes()
        .windows(needle.len())
        .any(|w| w[0] == first && w == needle)
}

/// Three base64url parts, the first two JSON objects (`eyJ`).
fn is_jwt(value: &str) -> bool {
    if !has_window(value, b"eyJ") {
        return false;
    }
    value
        .split(|c: char| c.is_whitespace() || c == '"')
        .any(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() == 3
                && parts[0].starts_with("eyJ")
                && parts[1].starts_with("eyJ")
                && parts[2].len() >= 10
                && parts.iter().all(|p| {
                    p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '=')
                })
        })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn piece_starts_are_the_bytes_pieces_start_with() {
        for b in 0..=u8::MAX {
            // With every piece present, a piece is found where one starts.
            let starts = piece_at(b.to_ascii_lowercase(), 0, |_, _| true);
            assert_eq!(PIECE_STARTS[usize::from(b)], starts, "{b}");
        }
    }

    proptest! {
        #[test]
        fn windows_are_found_as_contains_finds_them(
            value in "[:/eyJ.xé]{0,12}",
            needle in proptest::sample::select(&["://", "eyJ", ":", ""][..]),
        ) {
            prop_assert_eq!(has_window(&value, needle.as_bytes()), value.contains(needle));
        }
    }

    /// The plain definition: each pattern in turn, searched everywhere.
    fn first_token_pattern_by_search(value: &str) -> Option<&'static str> {
        PATTERNS.iter().find_map(|p| {
            value
                .match_indices(p.prefix)
                .any(|(i, _)| {
                    value[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_ascii_alphanumeric())
                        && value[i + p.prefix.len()..]
                            .chars()
                            .take_while(|c| (p.chars)(*c))
                            .count()
                            >= p.min
                })
                .then_some(p.prefix)
        })
    }

    /// The plain definition of [`is_secret_name`]: split into owned
    /// words, compare.
    fn is_secret_name_by_words(name: &str) -> bool {
        let w = words(name);
        if ALWAYS.contains(&w.join("_").as_str()) {
            return true;
        }
        if w == ["pwd"] {
            return false;
        }
        let Some(last) = w.last() else {
            return false;
        };
        if ABOUT_A_SECRET.contains(&last.as_str())
            || w.iter().any(|x| x == "public" || x == "publishable")
        {
            return false;
        }
        w.iter().enumerate().any(|(i, x)| {
            SECRET_WORDS.contains(&x.as_str())
                || (x == "key" && i > 0 && !PLAIN_KEYS.contains(&w[i - 1].as_str()))
        })
    }

    /// The plain definition of [`token_kind`]: every search, unguarded.
    fn token_kind_unguarded(value: &str) -> Option<&'static str> {
        let v = value.trim();
        if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
            return Some("a private key");
        }
        if let Some(p) = first_token_pattern_by_search(v) {
            return PATTERNS.iter().find(|q| q.prefix == p).map(|q| q.kind);
        }
        if v.contains("hooks.slack.com/services/T") {
            return Some("a Slack webhook URL");
        }
        // The SendGrid shape is not what the new search replaced.
        if is_sendgrid(v) {
            return Some("a SendGrid key");
        }
        if is_jwt(v) {
            return Some("a JWT");
        }
        if v.contains("://") && url_password(v) {
            return Some("a URL with a password in it");
        }
        None
    }

    fn name_part() -> impl Strategy<Value = String> {
        let listed: Vec<&'static str> = SECRET_WORDS
            .iter()
            .chain(&PLAIN_KEYS)
            .chain(&ABOUT_A_SECRET)
            .chain(&[
                "key", "aws", "access", "id", "pwd", "KEY", "Key", "apiKey", "AWS",
            ])
            .copied()
            .collect();
        prop_oneof![
            proptest::sample::select(listed).prop_map(str::to_string),
            proptest::sample::select(&["_", "-", ".", "__", "é", "1", "x"][..])
                .prop_map(str::to_string),
            "[A-Za-z0-9_]{0,20}",
        ]
    }

    fn value_part() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(
                &[
                    "-----BEGIN",
                    "PRIVATE KEY",
                    "-----BEGIN RSA PRIVATE KEY-----",
                    "hooks.slack.com/services/T",
                    "https://",
                    "://",
                    "u:p@",
                    "@host",
                    "SG.",
                    "eyJ",
                    ".",
                    "AKIA",
                    "ghp_",
                    "sk-",
                    "xoxb-",
                    "hf_",
                    "é",
                    " ",
                    "\t",
                ][..]
            )
            .prop_map(str::to_string),
            "[A-Za-z0-9_-]{0,50}",
        ]
    }

    proptest! {
        #[test]
        fn secret_names_read_on_the_stack_as_by_words(
            parts in proptest::collection::vec(name_part(), 0..16),
        ) {
            let name = parts.concat();
            prop_assert_eq!(is_secret_name(&name), is_secret_name_by_words(&name), "{}", name);
            let joined = parts.join("_");
            prop_assert_eq!(is_secret_name(&joined), is_secret_name_by_words(&joined), "{}", joined);
        }

        /// Numbers are written as `to_string` writes them.
        #[test]
        fn decimals_read_as_to_string(n in any::<usize>()) {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            prop_assert_eq!(out, format!("x{n}"));
        }

        /// Plain words are turned away in any case, as lower-casing the
        /// value and matching it did.
        #[test]
        fn plain_values_are_found_in_any_case(
            value in "(?i)(true|false|yes|no|on|off|null|none|nil|nope|tru|é|x){1,2}",
        ) {
            let lower = value.to_ascii_lowercase();
            let plain = matches!(
                lower.as_str(),
                "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none" | "nil"
            );
            if plain {
                prop_assert!(!could_be_secret(&value));
            } else {
                prop_assert!(could_be_secret(&value), "{}", value);
            }
        }

        /// The mask as `format!` made it, before it was built by hand.
        #[test]
        fn masks_read_as_before(value in "\\PC{0,40}") {
            let len = value.chars().count();
            let shown: String = value.chars().take((len / 4).min(4)).collect();
            prop_assert_eq!(mask(&value), format!("`{shown}…`, {len} characters"));
        }

        #[test]
        fn guarded_token_searches_agree_with_unguarded_ones(
            parts in proptest::collection::vec(value_part(), 0..8),
        ) {
            let value = parts.concat();
            prop_assert_eq!(token_kind(&value), token_kind_unguarded(&value), "{}", value);
        }
    }

    #[test]
    fn long_tokens_are_read_as_before() {
        let sendgrid = format!("SG.{}.{}", "a".repeat(22), "b".repeat(43));
        let jwt = "eyJhbGciOi.eyJzdWIiOi.abcdefghijkl";
        for v in [
            sendgrid.as_str(),
            jwt,
            "https://u:p@h/x",
            "-----BEGIN PRIVATE KEY-----",
        ] {
            assert_eq!(token_kind(v), token_kind_unguarded(v), "{v}");
            assert!(token_kind(v).is_some(), "{v}");
        }
    }

    #[test]
    fn tokens_are_found_at_word_starts_only() {
        let key = "AKIAABCDEFGHIJKLMNOP";
        assert_eq!(token_kind(key), Some("an AWS access key id"));
        assert_eq!(token_kind(&format!("é{key}")), Some("an AWS access key id"));
        assert_eq!(token_kind(&format!("x{key}")), None);
        assert_eq!(token_kind("task-0123456789abcdef0123456789abcdef01"), None);
        assert_eq!(token_kind("AKIAshort"), None);
    }

    #[test]
    fn the_first_pattern_in_order_wins() {
        // A GitHub token before an AWS key in the text: AWS is listed first.
        let value = format!("ghp_{} AKIAABCDEFGHIJKLMNOP", "a".repeat(36));
        assert_eq!(token_kind(&value), Some("an AWS access key id"));
    }

    proptest! {
        #[test]
        fn one_pass_agrees_with_a_search_per_pattern(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("AKIA".to_string()),
                    Just("ghp_".to_string()),
                    Just("sk-".to_string()),
                    Just("xoxb-".to_string()),
                    Just("hf_".to_string()),
                    Just("é".to_string()),
                    "[A-Za-z0-9_ -]{0,40}",
                ],
                0..8,
            )
        ) {
            let value = parts.concat();
            prop_assert_eq!(
                first_token_pattern(&value).map(|p| p.prefix),
                first_token_pattern_by_search(&value)
            );
        }
    }
}
