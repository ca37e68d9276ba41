//! CMP022 `service-hard-coded-secret`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{EnvVar, Located, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::defined_at;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service writes a secret into the file, in its
    /// `environment` or its `build.args`, in either spelling (`- KEY=value`
    /// or `KEY: value`). A setting fails when:
    /// - its value is shaped like a credential, whatever its name: a
    ///   private key (`-----BEGIN … PRIVATE KEY-----`), an AWS access key
    ///   id, a GitHub, GitLab, Slack, Stripe live, OpenAI-style (`sk-…`),
    ///   Google API, npm, PyPI, Hugging Face, Docker Hub or SendGrid token,
    ///   a Slack webhook URL, a JWT, or a URL with a password in it
    ///   (`postgres://app:s3cret@db/app`);
    /// - or its name looks like a secret and its value is written out.
    ///   Names are split into words (`_`, `-`, `.`, camelCase): a word
    ///   among password, passwd, pwd, passphrase, pass, psw, secret, token,
    ///   apikey, auth, credential(s), or `key` after a qualifier (`API_KEY`,
    ///   `PRIVATE_KEY`, `STRIPE_KEY`; not `SORT_KEY`, `CACHE_KEY`,
    ///   `PUBLIC_KEY`). Names whose last word says the value is about the
    ///   secret rather than the secret (`PASSWORD_FILE`, `TOKEN_URL`,
    ///   `AUTH_METHOD`, `PASSWORD_MIN_LENGTH`, `API_KEY_ID`, …) and names
    ///   with `public` or `publishable` in them are not secrets. Values
    ///   that cannot be one are passed over too: booleans (`true`, `yes`,
    ///   `off`), numbers of up to 4 digits, paths (`/run/secrets/db`) and
    ///   URLs without a password.
    ///
    /// A value that uses a variable (`${DB_PASSWORD}`, `$TOKEN`) is taken
    /// from the environment and passes; so do empty values and names alone
    /// (`- TOKEN`), which compose fills from the shell. The finding points
    /// at the name and never prints the value: it shows at most its first
    /// 4 characters, and no more than a quarter of it, with its length. A
    /// setting from an anchor is reported where the service uses it, with
    /// the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// A compose file is committed, shared, copied into images and CI logs:
    /// a secret written in it is readable by everyone who can read the
    /// repository, for as long as its history exists. Values in
    /// `environment` are also shown by `docker inspect` to anyone with
    /// access to the daemon, and build arguments end up in the image's
    /// history.
    ///
    /// ## How to fix
    /// Take the value from the environment or an `.env` file kept out of
    /// version control (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}`), or
    /// better, use compose `secrets:` and the image's `*_FILE` convention
    /// (`POSTGRES_PASSWORD_FILE: /run/secrets/db_password`). For build
    /// time, use `build.secrets` with `RUN --mount=type=secret`. Rotate any
    /// credential that was committed.
    ///
    /// ## Examples
    /// Fails: `environment: {POSTGRES_PASSWORD: hunter2}`,
    /// `environment: ["GITHUB_TOKEN=ghp_…"]`.
    /// Passes: `environment: {POSTGRES_PASSWORD: "${POSTGRES_PASSWORD}"}`,
    /// `environment: {POSTGRES_PASSWORD_FILE: /run/secrets/db}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.10
    /// - <https://docs.docker.com/compose/how-tos/use-secrets/>
    pub ServiceHardCodedSecret {
        id: "CMP022",
        name: "service-hard-coded-secret",
        severity: High,
        target: Compose,
        summary: "A compose service has a secret written in the file",
    }
}

impl Check for ServiceHardCodedSecret {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                let env = service.environment.iter().flat_map(|l| &l.value);
                let args = service
                    .build
                    .iter()
                    .flat_map(|b| &b.value.args)
                    .flat_map(|l| &l.value);
                for (what, var) in env
                    .map(|v| ("environment variable", v))
                    .chain(args.map(|v| ("build argument", v)))
                {
                    if let Some(verdict) = judge(src, service, what, var) {
                        out.push(subject(src), verdict);
                    }
                }
            }
        }
    }
}

fn judge(src: &Source, service: &Service, what: &str, var: &Located<EnvVar>) -> Option<Verdict> {
    let key = &var.value.key;
    let value = var.value.value.as_ref()?.value.expose();
    if value.trim().is_empty() || uses_variable(value) {
        return None;
    }
    let why = match token_kind(value) {
        Some(kind) if kind.starts_with("a URL") => kind.to_string(),
        Some(kind) => format!("a value shaped like {kind}"),
        None if secret_name(&key.value) && could_be_secret(value) => "a literal value".to_string(),
        None => return None,
    };
    let mut verdict = Verdict::fail(format!(
        "Service `{}` sets {what} `{}` to {why} ({}); take it from a variable or a secret.",
        service.name.value,
        key.value,
        masked(value)
    ))
    .at(location(src, key.used.span));
    if let Some(e) = defined_at(src, key, &format!("{} (value not shown)", key.value)) {
        verdict = verdict.with(e);
    }
    Some(verdict)
}

/// The start of a value and its length, never more than 4 characters and
/// never more than a quarter of it: `ghp_…, 40 characters`.
fn masked(value: &str) -> String {
    let len = value.chars().count();
    let shown: String = value.chars().take((len / 4).min(4)).collect();
    format!("`{shown}…`, {len} characters")
}

/// True when compose substitutes a variable into the value (`${X}`,
/// `$X`); `$$` is a literal dollar.
fn uses_variable(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            match bytes.get(i + 1) {
                Some(b'$') => i += 1,
                Some(b'{') => return true,
                Some(c) if c.is_ascii_alphabetic() || *c == b'_' => return true,
                _ => {}
            }
        }
        i += 1;
    }
    false
}

/// The words of a name, lower case: `DB_PASSWORD` → db, password;
/// `apiKey` → api, key.
fn words(name: &str) -> Vec<String> {
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

/// Words that name a secret on their own.
const SECRET_WORDS: [&str; 13] = [
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
];

/// Words before `key` that do not make it a secret.
const PLAIN_KEYS: [&str; 14] = [
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
];

/// Last words that make the value something about a secret (where it is,
/// how it is used), not the secret.
const ABOUT_A_SECRET: [&str; 58] = [
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
];

/// True for a name that looks like it holds a secret.
fn secret_name(name: &str) -> bool {
    let w = words(name);
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

/// False for values that cannot be a secret whatever the name says:
/// booleans, short numbers, paths, URLs without a password.
fn could_be_secret(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none" | "nil"
    ) {
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
fn url_password(value: &str) -> bool {
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

/// What a credential-shaped value looks like, if it does.
fn token_kind(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    for p in PATTERNS {
        if has_token(v, p.prefix, p.min, p.chars) {
            return Some(p.kind);
        }
    }
    if v.contains("hooks.slack.com/services/T") {
        return Some("a Slack webhook URL");
    }
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

/// True when `prefix` starts a word of `value` (nothing alphanumeric just
/// before it) and is followed by at least `min` characters of `chars`.
fn has_token(value: &str, prefix: &str, min: usize, chars: fn(char) -> bool) -> bool {
    value.match_indices(prefix).any(|(i, _)| {
        let before_ok = value[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        before_ok
            && value[i + prefix.len()..]
                .chars()
                .take_while(|c| chars(*c))
                .count()
                >= min
    })
}

/// `SG.<22>.<43>`.
fn is_sendgrid(value: &str) -> bool {
    value.match_indices("SG.").any(|(i, _)| {
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

/// Three base64url parts, the first two JSON objects (`eyJ`).
fn is_jwt(value: &str) -> bool {
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
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Finding;
    use crate::testing::*;

    fn compose(text: &str) -> Vec<Finding> {
        lint(
            &ServiceHardCodedSecret,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
    }

    fn env(key: &str, value: &str) -> Vec<Finding> {
        let list = compose(&format!(
            "services:\n  app:\n    environment:\n      - \"{key}={value}\"\n"
        ));
        let map = compose(&format!(
            "services:\n  app:\n    environment:\n      {key}: '{value}'\n"
        ));
        assert_eq!(list.len(), map.len(), "{key}={value}: list vs mapping");
        list
    }

    fn at(f: &Finding) -> (u32, u32) {
        let l = f.location.clone().unwrap();
        (l.start_line, l.start_column)
    }

    fn with_places(findings: &[Finding]) -> String {
        findings
            .iter()
            .map(|f| {
                let (line, column) = at(f);
                format!("{line}:{column} {}", render(std::slice::from_ref(f)))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    const GITHUB: &str = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

    #[test]
    fn secret_names_with_literal_values_fail_at_the_key() {
        for key in [
            "POSTGRES_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "DB_PASS",
            "REDIS_PWD",
            "JWT_SECRET",
            "SECRET_KEY_BASE",
            "DJANGO_SECRET_KEY",
            "API_KEY",
            "apiKey",
            "STRIPE_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "GITLAB_TOKEN",
            "BASIC_AUTH",
            "clientSecret",
            "SMTP_PASSPHRASE",
        ] {
            let f = env(key, "hunter2-is-long");
            assert_eq!(f.len(), 1, "{key}");
            assert_eq!(at(&f[0]), (4, 10), "{key}");
        }
    }

    #[test]
    fn names_about_a_secret_and_public_keys_pass() {
        for key in [
            "POSTGRES_PASSWORD_FILE",
            "TOKEN_URL",
            "AUTH_METHOD",
            "POSTGRES_HOST_AUTH_METHOD",
            "PASSWORD_MIN_LENGTH",
            "AWS_ACCESS_KEY_ID",
            "NEXT_PUBLIC_API_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "SORT_KEY",
            "CACHE_KEY",
            "KEY",
            "BYPASS_CACHE",
            "PASSENGER_APP_ENV",
            "KEYCLOAK_URL",
            "GF_SECURITY_ADMIN_PASSWORD__FILE",
            "TOKEN_EXPIRY",
        ] {
            assert!(env(key, "some-value-here").is_empty(), "{key}");
        }
    }

    #[test]
    fn values_that_cannot_be_secrets_pass() {
        for value in [
            "true",
            "yes",
            "off",
            "1",
            "3600",
            "/run/secrets/db",
            "./secrets/x",
            "https://auth.example.com/token",
            "",
        ] {
            assert!(env("DB_PASSWORD", value).is_empty(), "{value}");
        }
        assert_eq!(env("DB_PASSWORD", "123456").len(), 1);
    }

    #[test]
    fn variables_and_bare_names_pass() {
        for value in [
            "${DB_PASSWORD}",
            "${DB_PASSWORD:-changeme}",
            "$DB_PASSWORD",
            "postgres://u:${PW}@db/app",
        ] {
            assert!(env("DB_PASSWORD", value).is_empty(), "{value}");
        }
        assert_eq!(env("DB_PASSWORD", "pa$$word").len(), 1);
        assert!(
            compose("services:\n  app:\n    environment:\n      - DB_PASSWORD\n      - TOKEN=\n")
                .is_empty()
        );
        assert!(
            compose("services:\n  app:\n    environment:\n      DB_PASSWORD:\n      TOKEN: \"\"\n")
                .is_empty()
        );
    }

    #[test]
    fn credential_shaped_values_fail_whatever_the_name() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let cases = [
            ("CONFIG", GITHUB, "GitHub token"),
            ("DEPLOY", "glpat-abcdefghij0123456789", "GitLab token"),
            (
                "HOOK",
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "Slack webhook",
            ),
            ("AWS", "AKIAIOSFODNN7EXAMPLE", "AWS access key id"),
            (
                "AWS_ACCESS_KEY_ID",
                "AKIAIOSFODNN7EXAMPLE",
                "AWS access key id",
            ),
            ("OPENAI", "sk-proj-abcdefghijklmnopqrstuvwxyz012345", "sk-"),
            ("STRIPE", "sk_live_abcdefghijklmnopqrstuvwx", "Stripe"),
            ("SESSION", jwt, "JWT"),
            (
                "DATABASE_URL",
                "postgres://app:s3cret@db:5432/app",
                "URL with a password",
            ),
            (
                "GOOGLE",
                "AIzaSyA-abcdefghijklmnopqrstuvwxyz01234",
                "Google API key",
            ),
        ];
        for (key, value, kind) in cases {
            let f = env(key, value);
            assert_eq!(f.len(), 1, "{key}");
            assert!(f[0].message.contains(kind), "{}", f[0].message);
        }
        assert!(env("DATABASE_URL", "postgres://app@db:5432/app").is_empty());
        assert!(env("LOCALE", "sk-SK").is_empty());
        assert!(env("IMAGE", "mask-ghp_short").is_empty());
    }

    #[test]
    fn a_private_key_fails() {
        let f = compose(
            "services:\n  app:\n    environment:\n      TLS: |\n        -----BEGIN RSA PRIVATE KEY-----\n        MIIEowIBAAKCAQEA\n        -----END RSA PRIVATE KEY-----\n",
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("private key"), "{}", f[0].message);
    }

    #[test]
    fn the_value_is_never_printed() {
        let f = env("GITHUB_TOKEN", GITHUB);
        let shown = render(&f);
        assert!(!shown.contains(&GITHUB[4..]), "{shown}");
        assert!(shown.contains("`ghp_…`, 40 characters"), "{shown}");
        let f = env("DB_PASSWORD", "hunter2");
        let shown = render(&f);
        assert!(shown.contains("`h…`, 7 characters"), "{shown}");
        assert!(!shown.contains("hunt"), "{shown}");
    }

    #[test]
    fn build_arguments_are_read_too() {
        let f = compose(
            "services:\n  app:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: npm_abcdefghijklmnopqrstuvwxyz0123456789\n        VERSION: \"1.2\"\n",
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("build argument `NPM_TOKEN`"),
            "{}",
            f[0].message
        );
        assert_eq!(at(&f[0]), (6, 9));
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-env: &env\n  environment:\n    DB_PASSWORD: hunter2\nservices:\n  a:\n    <<: *env\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 6);
        assert_eq!(f[0].evidence[0].at, "compose.yml:3:5");
        assert!(!format!("{:?}", f[0].evidence).contains("hunter2"));
    }

    #[test]
    fn words_split_every_spelling() {
        assert_eq!(words("DB_PASSWORD"), ["db", "password"]);
        assert_eq!(words("apiKey"), ["api", "key"]);
        assert_eq!(words("my.secret-token"), ["my", "secret", "token"]);
        assert_eq!(words("GF__FILE"), ["gf", "file"]);
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example-password\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD_FILE: /run/secrets/db\n  api:\n    environment:\n      - DATABASE_URL=postgres://app:s3cret-pw@db/app\n      - GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\n      - API_KEY=${API_KEY}\n"
        )));
    }
}
