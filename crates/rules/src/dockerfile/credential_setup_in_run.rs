//! DKF046 `credential-setup-in-run`.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, basename, each_command, runs, squeezed, written_to};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a `RUN` without a BuildKit secret mount
    /// (`--mount=type=secret`) sets up credentials:
    /// - `aws configure set` of `aws_access_key_id`,
    ///   `aws_secret_access_key` or `aws_session_token`;
    /// - `gcloud auth activate-service-account`, `gcloud auth login
    ///   --cred-file`;
    /// - `az login` with `-p`/`--password` or `--federated-token`;
    /// - `doctl auth init` with `-t`/`--access-token`;
    /// - `docker`, `podman`, `buildah`, `skopeo`, `helm registry` `login`
    ///   with `-p`, `--password` or `--password-stdin`;
    /// - `gh auth login --with-token`; `huggingface-cli login --token`;
    ///   `kubectl config set-credentials` with `--token` or `--password`;
    /// - `npm`/`yarn` `config set` of an auth token (`//registry/:_authToken`,
    ///   `_auth`, `_password`, `npmAuthToken`);
    /// - credentials written into a file the build creates: `.npmrc`
    ///   (`_authToken`, `_auth`, `_password`), `.netrc` (`password`),
    ///   `.pypirc` (`password`), `.aws/credentials`
    ///   (`aws_secret_access_key`), `.docker/config.json` (`"auth"`).
    ///
    /// Commands are read in shell form, heredoc scripts, exec form and
    /// `sh -c "…"`; strings that are not written to those files, and
    /// comments, do not count. Values are never printed. The finding
    /// points at the command or the written text.
    ///
    /// ## Why it matters
    /// Without a secret mount the credential reaches the RUN through the
    /// command line, a build argument or a file in the build context: it is
    /// recorded in the image history or a layer. The tools also store the
    /// credential in a file (`~/.aws/credentials`, `~/.config/gcloud`,
    /// `~/.docker/config.json`) that stays in the layer unless removed in
    /// the same RUN. Anyone who can pull the image can read it.
    ///
    /// ## How to fix
    /// Give the credential to the one RUN that needs it through a secret
    /// mount, which is never stored in the image:
    /// `RUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws s3 cp …`,
    /// built with `docker build --secret id=aws,src=$HOME/.aws/credentials`.
    /// Use the credential from the mount directly rather than writing it to
    /// the tool's configuration.
    ///
    /// ## Examples
    /// Fails: `RUN aws configure set aws_secret_access_key "$AWS_SECRET"`,
    /// `RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc`.
    /// Passes: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.10
    /// - Trivy DS-0031
    /// - <https://docs.docker.com/build/building/secrets/>
    pub CredentialSetupInRun {
        id: "DKF046",
        name: "credential-setup-in-run",
        severity: High,
        target: Dockerfile,
        summary: "A RUN sets up credentials without a secret mount",
    }
}

fn has_option(args: &[Word], names: &[&str]) -> bool {
    args.iter().any(|w| {
        names.iter().any(|n| {
            w.value == *n || (n.starts_with("--") && w.value.starts_with(&format!("{n}=")))
        })
    })
}

/// The programs [`credential_command`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[
    Program::Aws,
    Program::Gcloud,
    Program::Az,
    Program::Doctl,
    Program::Docker,
    Program::Podman,
    Program::Buildah,
    Program::Skopeo,
    Program::Helm,
    Program::Gh,
    Program::HuggingfaceCli,
    Program::Kubectl,
    Program::Npm,
    Program::Yarn,
    Program::Pnpm,
]);

/// The span and tool of a command that sets up a credential.
pub(super) fn credential_command(words: &[Word]) -> Option<(Span, String)> {
    let program = words.first()?;
    let name = basename(&program.value);
    let args = &words[1..];
    let values: Vec<&str> = args.iter().map(|w| w.value.as_str()).collect();
    let starts =
        |prefix: &[&str]| values.len() >= prefix.len() && values[..prefix.len()] == *prefix;
    let span_to = |n: usize| {
        program.span.to(args
            .get(n.saturating_sub(1))
            .map_or(program.span, |w| w.span))
    };
    match name {
        "aws" if starts(&["configure", "set"]) => {
            let key = values
                .get(2)
                .map(|k| k.to_ascii_lowercase())
                .unwrap_or_default();
            [
                "aws_access_key_id",
                "aws_secret_access_key",
                "aws_session_token",
            ]
            .iter()
            .any(|k| key.ends_with(k))
            .then(|| (span_to(3), "aws configure set".to_string()))
        }
        "gcloud" if starts(&["auth", "activate-service-account"]) => {
            Some((span_to(2), "gcloud auth activate-service-account".into()))
        }
        "gcloud" if starts(&["auth", "login"]) && has_option(args, &["--cred-file"]) => {
            Some((span_to(2), "gcloud auth login --cred-file".into()))
        }
        "az" if starts(&["login"])
            && has_option(args, &["-p", "--password", "--federated-token"]) =>
        {
            Some((span_to(1), "az login".into()))
        }
        "doctl" if starts(&["auth", "init"]) && has_option(args, &["-t", "--access-token"]) => {
            Some((span_to(2), "doctl auth init".into()))
        }
        "docker" | "podman" | "buildah" | "skopeo"
            if starts(&["login"])
                && has_option(args, &["-p", "--password", "--password-stdin"]) =>
        {
            Some((span_to(1), format!("{name} login")))
        }
        "helm"
            if starts(&["registry", "login"])
                && has_option(args, &["-p", "--password", "--password-stdin"]) =>
        {
            Some((span_to(2), "helm registry login".into()))
        }
        "gh" if starts(&["auth", "login"]) && has_option(args, &["--with-token"]) => {
            Some((span_to(2), "gh auth login --with-token".into()))
        }
        "huggingface-cli" if starts(&["login"]) && has_option(args, &["--token"]) => {
            Some((span_to(1), "huggingface-cli login --token".into()))
        }
        "kubectl"
            if starts(&["config", "set-credentials"])
                && has_option(args, &["--token", "--password"]) =>
        {
            Some((span_to(2), "kubectl config set-credentials".into()))
        }
        "npm" | "yarn" | "pnpm" => {
            let at = values.iter().position(|v| *v == "set")?;
            let key = values.get(at + 1)?.to_ascii_lowercase();
            let key = key.split('=').next().unwrap_or("");
            (key.ends_with(":_authtoken")
                || key.ends_with(":_auth")
                || key.ends_with(":_password")
                || key == "_authtoken"
                || key == "_auth"
                || key == "npmauthtoken")
                .then(|| (span_to(at + 2), format!("{name} config set")))
        }
        _ => None,
    }
}

/// Files that hold credentials, and the setting that puts one in.
fn credential_text(path: &str, text: &str) -> bool {
    let t = squeezed(text);
    let file = basename(path);
    match file {
        ".npmrc" | "npmrc" => {
            t.contains("_authtoken=") || t.contains("_auth=") || t.contains("_password=")
        }
        ".netrc" | "_netrc" => t.contains("password"),
        ".pypirc" => t.contains("password"),
        "credentials" if path.contains(".aws/") => {
            t.contains("aws_secret_access_key") || t.contains("aws_session_token")
        }
        "config.json" if path.contains(".docker/") => {
            t.contains("auth:") || t.contains("auth\":") || t.contains("\"auth\"")
        }
        _ => false,
    }
}

pub(super) fn is_credential_file(path: &str) -> bool {
    let file = basename(path);
    matches!(file, ".npmrc" | "npmrc" | ".netrc" | "_netrc" | ".pypirc")
        || (file == "credentials" && path.contains(".aws/"))
        || (file == "config.json" && path.contains(".docker/"))
}

impl Check for CredentialSetupInRun {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            let mut found: Vec<(Span, String)> = Vec::new();
            each_command(ctx, src, PROGRAMS, |run, _, words| {
                if let Some((span, what)) = credential_command(words)
                    && !run.has_mount("secret")
                {
                    found.push((
                        span,
                        format!("`{what}` sets up a credential without a secret mount; it stays in the image history or a layer."),
                    ));
                }
            });
            let runs = runs(ctx, src);
            // Text written by a RUN with a secret mount may come from it.
            let secret_runs: Vec<Span> = runs
                .iter()
                .filter(|r| r.has_mount("secret"))
                .map(|r| r.run.span)
                .collect();
            for w in written_to(ctx, src, &is_credential_file) {
                if secret_runs
                    .iter()
                    .any(|s| s.start <= w.span.start && w.span.end <= s.end)
                {
                    continue;
                }
                if credential_text(&w.path, &w.text) {
                    found.push((
                        w.span,
                        format!(
                            "The build writes a credential to `{}`; it stays in the layer.",
                            w.path
                        ),
                    ));
                }
            }
            found.sort_by_key(|(span, _)| *span);
            found.dedup_by_key(|(span, _)| *span);
            for (span, message) in found {
                out.push(subject(src), Verdict::fail(message).at(location(src, span)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&CredentialSetupInRun, text)
    }

    #[test]
    fn credential_commands_fail_at_the_command() {
        let f = lint(
            "FROM a\nARG AWS_SECRET\nRUN aws configure set aws_secret_access_key \"$AWS_SECRET\"\n",
        );
        assert_eq!(positions(&f), [(3, 5)]);
        assert!(!f[0].message.contains("AWS_SECRET\""));
        for c in [
            "aws configure set profile.ci.aws_access_key_id AKIA0000",
            "gcloud auth activate-service-account --key-file=/tmp/key.json",
            "az login --service-principal -u id -p secret --tenant t",
            "doctl auth init -t token",
            "echo $TOKEN | docker login --password-stdin -u me ghcr.io",
            "podman login -p x -u y quay.io",
            "helm registry login -u u --password p r.example",
            "gh auth login --with-token < /tmp/token",
            "huggingface-cli login --token $HF_TOKEN",
            "kubectl config set-credentials ci --token=abc",
            "npm config set //registry.npmjs.org/:_authToken ${NPM_TOKEN}",
            "npm config set //npm.pkg.github.com/:_authToken=${T}",
            "yarn config set npmAuthToken x",
        ] {
            assert_eq!(lint(&format!("FROM a\nRUN {c}\n")).len(), 1, "{c}");
        }
    }

    #[test]
    fn a_secret_mount_passes() {
        assert!(lint("FROM a\nRUN --mount=type=secret,id=aws aws configure set aws_secret_access_key \"$(cat /run/secrets/aws)\"\n").is_empty());
        assert!(lint("FROM a\nRUN --mount=type=secret,id=t,env=T echo \"//r/:_authToken=$T\" > ~/.npmrc && npm ci\n").is_empty());
    }

    #[test]
    fn other_commands_strings_and_comments_pass() {
        for c in [
            "aws configure set region eu-west-1",
            "docker login ghcr.io",
            "npm config set registry https://r.example",
            "gcloud config set project p",
            "echo 'aws configure set aws_secret_access_key x' # docker login -p x",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn credential_files_written_by_the_build() {
        assert_eq!(lint("FROM a\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > /root/.npmrc\n").len(), 1);
        assert_eq!(
            lint("FROM a\nRUN printf 'machine github.com login x password y\\n' > ~/.netrc\n")
                .len(),
            1
        );
        assert_eq!(lint("FROM a\nCOPY <<EOF /root/.aws/credentials\n[default]\naws_secret_access_key = x\nEOF\n").len(), 1);
        assert!(lint("FROM a\nRUN echo 'registry=https://r.example/' > /root/.npmrc\n").is_empty());
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(
            lint("FROM a\nRUN <<EOF\ndocker login -u u -p p\nEOF\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN sh -c 'doctl auth init --access-token t'\n").len(),
            1
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > /root/.npmrc \\\n && gcloud auth activate-service-account --key-file=/tmp/k.json\n"
        )));
    }
}
