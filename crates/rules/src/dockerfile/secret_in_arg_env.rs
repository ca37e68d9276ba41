//! DKF045 `secret-in-arg-env`.

use bulwark_syntax::dockerfile::Args;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::secrets;
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether an `ARG` or `ENV` has a name that holds a secret:
    /// `AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`, `apiKey`,
    /// `NPM_AUTH`… A name is split into words at `_`, `-`, `.` and case
    /// changes; it looks secret when a word is `password`, `passwd`,
    /// `pwd`, `pass`, `pword`, `psw`, `secret`, `token`, `apikey`,
    /// `credential(s)`, `creds`, `auth`, or `key` (not after `gpg`, `pgp`,
    /// `public`, `cache`, `sort`, `partition`, `primary`). Names that hold
    /// something about a secret rather than the secret are left out: a
    /// last word such as `file`, `path`, `dir`, `url`, `host`, `port`,
    /// `name`, `id`, `type`, `length`, `ttl`, `enabled`
    /// (`POSTGRES_PASSWORD_FILE`), names with `public` or `fingerprint`,
    /// and `PWD`/`OLDPWD`. Every ARG counts, with or without a default; an
    /// ENV counts when it has a non-empty value. Values are never printed:
    /// messages show at most the first 4 characters of a value of 8 or more,
    /// and its length.
    ///
    /// ## Why it matters
    /// ENV values are stored in the image configuration, readable by anyone
    /// who can pull the image (`docker inspect`). Build arguments are
    /// recorded in the image history and the build's provenance, and a
    /// default written in the Dockerfile is in source control. Either way
    /// the secret outlives the build and spreads with the image.
    ///
    /// ## How to fix
    /// Pass build-time secrets with BuildKit secret mounts:
    /// `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci`, built
    /// with `docker build --secret id=npm_token,env=NPM_TOKEN`. Give
    /// run-time secrets to the container when it starts (orchestrator
    /// secrets, a mounted file referenced by `*_FILE`).
    ///
    /// ## Examples
    /// Fails: `ARG NPM_TOKEN`, `ENV DB_PASSWORD=changeme`.
    /// Passes: `ENV POSTGRES_PASSWORD_FILE=/run/secrets/db`, `ENV GPG_KEY=A035…`,
    /// `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.10
    /// - hadolint DL3064, Trivy DS-0031, KICS "Passwords And Secrets", BuildKit SecretsUsedInArgOrEnv
    /// - <https://docs.docker.com/build/building/secrets/>
    pub SecretInArgEnv {
        id: "DKF045",
        name: "secret-in-arg-env",
        severity: High,
        target: Dockerfile,
        summary: "An ARG or ENV name holds a secret",
    }
}

impl Check for SecretInArgEnv {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            for (index, instruction) in df.instructions.iter().enumerate() {
                let (pairs, env) = match &instruction.args {
                    Args::Env(p) => (p, true),
                    Args::Arg(p) => (p, false),
                    _ => continue,
                };
                for pair in pairs {
                    let name = &pair.key.value;
                    // A token-shaped literal is a secret whatever its name
                    // (the same test as CMP022's).
                    let token = pair
                        .value
                        .as_ref()
                        .and_then(|v| secrets::token_kind(&v.raw));
                    if let Some(kind) = token {
                        let what = if env { "ENV" } else { "ARG" };
                        out.push(
                            subject(src),
                            Verdict::fail(
                                [
                                    what,
                                    " `",
                                    name,
                                    "` holds a ",
                                    kind,
                                    " (",
                                    &secrets::mask(
                                        pair.value.as_ref().map_or("", |v| v.raw.as_str()),
                                    ),
                                    "); it is stored in the image.",
                                ]
                                .concat(),
                            )
                            .at(location(src, pair.key.span)),
                        );
                        continue;
                    }
                    if !secrets::is_secret_name(name) {
                        continue;
                    }
                    let value = pair
                        .value
                        .as_ref()
                        .map(|v| (v, df.expand_at(&v.raw, index)));
                    let message = match (env, &value) {
                        (true, None) => continue,
                        (true, Some((_, e))) if e.is_complete() && e.value.is_empty() => continue,
                        (true, Some((v, e))) => {
                            let shown = if v.raw.contains('$') && !e.is_complete() {
                                "set from a build argument".to_string()
                            } else {
                                ["value ", &secrets::mask(&e.value)].concat()
                            };
                            [
                                "ENV `",
                                name,
                                "` looks like a secret (",
                                &shown,
                                "); ENV values are stored in the image configuration.",
                            ]
                            .concat()
                        }
                        (false, None) => [
                            "ARG `",
                            name,
                            "` looks like a secret; build arguments are recorded in the image history and build metadata.",
                        ]
                        .concat(),
                        (false, Some((_, e))) => [
                            "ARG `",
                            name,
                            "` looks like a secret (default ",
                            &secrets::mask(&e.value),
                            "); build arguments are recorded in the image history and build metadata.",
                        ]
                        .concat(),
                    };
                    out.push(
                        subject(src),
                        Verdict::fail(message).at(location(src, pair.key.span)),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&SecretInArgEnv, text)
    }

    #[test]
    fn secret_names() {
        for n in [
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "GITHUB_TOKEN",
            "NPM_TOKEN",
            "DB_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "apiKey",
            "OPENAI_API_KEY",
            "SECRET_KEY_BASE",
            "JWT_SECRET",
            "DB_PASS",
            "PRIVATE_KEY",
            "NODE_AUTH_TOKEN",
            "BASIC_AUTH",
            "githubToken",
            "registry-password",
        ] {
            assert!(secrets::is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn names_about_secrets_are_not_secrets() {
        for n in [
            "POSTGRES_PASSWORD_FILE",
            "GPG_KEY",
            "GPG_KEYS",
            "PUBLIC_KEY",
            "SSH_PUBLIC_KEY",
            "KEY_FINGERPRINT",
            "TOKEN_URL",
            "AUTH_ENABLED",
            "PASSWORD_LENGTH",
            "PWD",
            "CACHE_KEY",
            "PATH",
            "PASSTHROUGH",
            "AUTHOR",
            "KEYCLOAK_VERSION",
            "SECRETS_DIR",
            "PASS_MAX_DAYS",
            "TOKENIZERS_PARALLELISM",
        ] {
            assert!(!secrets::is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn env_values_are_masked_never_printed() {
        let f = lint("FROM a\nENV API_KEY=sk-live-0123456789abcdef\n");
        assert_eq!(positions(&f), [(2, 5)]);
        assert!(
            f[0].message.contains("`sk-l…`, 24 characters"),
            "{}",
            f[0].message
        );
        assert!(!f[0].message.contains("0123456789"));
        let f = lint("FROM a\nENV DB_PASSWORD=hunter2\n");
        assert!(!f[0].message.contains("hunt"), "{}", f[0].message);
        // At most a quarter of the value, and never more than 4 characters.
        let f = lint("FROM a\nENV DB_PASSWORD hunter2hunter2\n");
        assert!(
            f[0].message.contains("`hun…`, 14 characters"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn args_count_with_or_without_default() {
        assert_eq!(lint("FROM a\nARG NPM_TOKEN\n").len(), 1);
        assert_eq!(lint("ARG NPM_TOKEN=abcdefghijkl\nFROM a\n").len(), 1);
        let f = lint("FROM a\nARG TOKEN\nENV TOKEN=$TOKEN\n");
        assert_eq!(f.len(), 2);
        assert!(
            f[1].message.contains("set from a build argument"),
            "{}",
            f[1].message
        );
    }

    #[test]
    fn empty_env_and_other_names_pass() {
        assert!(lint("FROM a\nENV API_KEY=\"\"\n").is_empty());
        assert!(lint("FROM a\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n").is_empty());
        assert!(lint("FROM a\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db\n").is_empty());
        assert!(lint("FROM a\nRUN echo PASSWORD=x\n# ENV PASSWORD=x\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nARG NPM_TOKEN\nENV DB_PASSWORD=correct-horse-battery APP_ENV=prod\n"
        )));
    }

    #[test]
    fn token_shaped_values_fail_whatever_the_name() {
        let f = lint("FROM a\nENV GREETING=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("GitHub"), "{}", f[0].message);
        assert!(
            !f[0].message.contains("0123456789abcdef"),
            "{}",
            f[0].message
        );
        assert!(lint("FROM a\nENV GREETING=hello\n").is_empty());
    }
}
