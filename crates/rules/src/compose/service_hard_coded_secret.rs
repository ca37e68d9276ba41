//! CMP022 `service-hard-coded-secret`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{EnvVar, Located, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::secrets;
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

/// The finding about `var`, if its value is a secret.
fn judge(src: &Source, service: &Service, what: &str, var: &Located<EnvVar>) -> Option<Verdict> {
    let key = &var.value.key;
    let value = var.value.value.as_ref()?.value.expose();
    if value.trim().is_empty() || uses_variable(value) {
        return None;
    }
    // Why, in two pieces written straight into the message: no string
    // of its own.
    let why = match secrets::token_kind(value) {
        Some(kind) if kind.starts_with("a URL") => ["", kind],
        Some(kind) => ["a value shaped like ", kind],
        None if secrets::is_secret_name(&key.value) && secrets::could_be_secret(value) => {
            ["", "a literal value"]
        }
        None => return None,
    };
    let mut verdict = Verdict::fail(
        [
            "Service `",
            &service.name.value,
            "` sets ",
            what,
            " `",
            &key.value,
            "` to ",
            why[0],
            why[1],
            " (",
            &secrets::mask(value),
            "); take it from a variable or a secret.",
        ]
        .concat(),
    )
    .at(location(src, key.used.span));
    if let Some(e) = defined_at(src, key, format_args!("{} (value not shown)", key.value)) {
        verdict = verdict.with(e);
    }
    Some(verdict)
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

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use crate::predicates::secrets::{
        could_be_secret, is_secret_name as secret_name, mask as masked, token_kind, url_password,
        words,
    };
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Finding;
    use crate::testing::at;
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
