//! DKF047 `secret-file-in-env`.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Args, Dockerfile, Stage};

use super::{stage_chain, stage_instructions};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a stage copies a credential file into the image and points a
    /// credential variable at it: `COPY` or `ADD` puts a file at the path
    /// (or in the directory) that an `ENV` of the same stage, or of a stage
    /// it is built on, names in `GOOGLE_APPLICATION_CREDENTIALS`,
    /// `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`,
    /// `AWS_WEB_IDENTITY_TOKEN_FILE`, `HF_TOKEN_PATH`, `KUBECONFIG`,
    /// `AZURE_CLIENT_CERTIFICATE_PATH`, `NPM_CONFIG_USERCONFIG`,
    /// `DOCKER_CONFIG` (a directory) or `GOOGLE_GHA_CREDS_PATH`. Paths are
    /// resolved as the build resolves them: variables substituted, relative
    /// destinations joined to the WORKDIR. The finding points at the COPY
    /// destination, with the ENV as evidence; no file content is read.
    ///
    /// ## Why it matters
    /// The variable says what the file is: a service account key, cloud
    /// credentials, a token. Copied in, it is part of a layer that anyone
    /// who can pull the image can extract, and deleting it in a later
    /// instruction does not remove it from the earlier layer.
    ///
    /// ## How to fix
    /// Mount the credential only where the build needs it
    /// (`RUN --mount=type=secret,id=gcp,target=/run/secrets/gcp.json …`),
    /// and give it to the container at run time (a mounted secret, workload
    /// identity) instead of baking it into the image.
    ///
    /// ## Examples
    /// Fails: `COPY key.json /app/key.json` with
    /// `ENV GOOGLE_APPLICATION_CREDENTIALS=/app/key.json`.
    /// Passes: `ENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json`
    /// with the file mounted at run time.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.10
    /// - Trivy DS-0031
    /// - <https://docs.docker.com/build/building/secrets/>
    pub SecretFileInEnv {
        id: "DKF047",
        name: "secret-file-in-env",
        severity: High,
        target: Dockerfile,
        summary: "A credential file is copied into the image and named by ENV",
    }
}

const CREDENTIAL_VARS: [&str; 10] = [
    "GOOGLE_APPLICATION_CREDENTIALS",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "HF_TOKEN_PATH",
    "KUBECONFIG",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "NPM_CONFIG_USERCONFIG",
    "DOCKER_CONFIG",
    "GOOGLE_GHA_CREDS_PATH",
];

/// Whether `name` is one of [`CREDENTIAL_VARS`], in any case.
fn is_credential_var(name: &str) -> bool {
    CREDENTIAL_VARS.iter().any(|v| v.eq_ignore_ascii_case(name))
}

/// `path` made absolute against `cwd` (itself absolute: the stage's
/// working directory starts at `/`), with `.`, `..` and repeated slashes
/// folded.
fn absolute(cwd: &str, path: &str) -> String {
    if path.starts_with('/') {
        crate::predicates::mounts::normalize(path).into_owned()
    } else {
        crate::predicates::mounts::normalize(&format!("{cwd}/{path}")).into_owned()
    }
}

/// A file or directory a COPY/ADD creates.
struct Copied {
    /// Absolute destination.
    dest: String,
    /// Source basenames, and whether each may be a directory (whose
    /// content is copied): `dir/`, `.`, a glob, or a name without an
    /// extension.
    names: Vec<(String, bool)>,
    span: Span,
}

/// A credential variable and the path it names.
struct Named {
    name: String,
    path: String,
    span: Span,
}

fn collect(df: &Dockerfile, stage: &Stage) -> (Vec<Copied>, Vec<Named>) {
    let mut copied = Vec::new();
    let mut named = Vec::new();
    let mut cwd = "/".to_string();
    for s in stage_chain(df, stage).into_iter().rev() {
        for (index, instruction) in stage_instructions(df, s) {
            match &instruction.args {
                Args::Workdir(Some(w)) => {
                    let e = df.expand_at(&w.raw, index);
                    if e.is_complete() {
                        cwd = absolute(&cwd, &e.value);
                    }
                }
                Args::Copy(a) | Args::Add(a) => {
                    let Some(dest) = &a.dest else { continue };
                    let e = df.expand_at(&dest.raw, index);
                    if !e.is_complete() {
                        continue;
                    }
                    let names = a
                        .sources
                        .iter()
                        .map(|src| {
                            let v = df.expand_at(&src.word.raw, index).value;
                            let name = v.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                            let dir_like = src.heredoc.is_none()
                                && (v.ends_with('/')
                                    || name.is_empty()
                                    || name == "."
                                    || name.contains(['*', '?'])
                                    || !name.contains('.'));
                            (name.to_string(), dir_like)
                        })
                        .collect();
                    copied.push(Copied {
                        dest: absolute(&cwd, &e.value),
                        names,
                        span: dest.span,
                    });
                }
                Args::Env(pairs) => {
                    for pair in pairs {
                        if !is_credential_var(&pair.key.value) {
                            continue;
                        }
                        let Some(v) = &pair.value else { continue };
                        let e = df.expand_at(&v.raw, index);
                        if !e.is_complete() || e.value.is_empty() {
                            continue;
                        }
                        // KUBECONFIG may list several files.
                        for path in e.value.split(':').filter(|p| !p.is_empty()) {
                            named.push(Named {
                                name: pair.key.value.to_string(),
                                path: absolute(&cwd, path),
                                span: pair.key.span,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }
    (copied, named)
}

/// Whether copying `c` puts something at or under `path`.
fn covers(c: &Copied, path: &str, path_is_dir: bool) -> bool {
    if c.dest == path {
        return true;
    }
    let inside =
        |dir: &str, p: &str| dir == "/" || p.strip_prefix(dir).is_some_and(|r| r.starts_with('/'));
    if path_is_dir && inside(path, &c.dest) {
        return true;
    }
    if !inside(&c.dest, path) {
        return false;
    }
    // Under the destination: a file copied in by name, or the content of
    // a directory source (whose files are not known here).
    let rest = path
        .strip_prefix(&c.dest)
        .unwrap_or(path)
        .trim_start_matches('/');
    let first = rest.split('/').next().unwrap_or("");
    c.names
        .iter()
        .any(|(name, dir_like)| *dir_like || name == first)
}

impl Check for SecretFileInEnv {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            // Only a file whose ENV names a credential file can fail, and
            // most set none of these variables: skip reading the others'
            // copies and paths.
            let names_one = df.instructions.iter().any(|i| {
                matches!(&i.args, Args::Env(pairs) if pairs.iter().any(|p| is_credential_var(&p.key.value)))
            });
            if !names_one {
                continue;
            }
            let mut seen: Vec<Span> = Vec::new();
            for stage in &df.stages {
                let (copied, named) = collect(df, stage);
                for n in &named {
                    let dir = n.name.eq_ignore_ascii_case("DOCKER_CONFIG");
                    for c in copied.iter().filter(|c| covers(c, &n.path, dir)) {
                        if seen.contains(&c.span) {
                            continue;
                        }
                        seen.push(c.span);
                        let (at, _) = src.range(n.span);
                        out.push(
                            subject(src),
                            Verdict::fail(format!(
                                "This copy puts `{}`, the credential file that `{}` names, into the image.",
                                n.path, n.name
                            ))
                            .at(location(src, c.span))
                            .with(Evidence::new(
                                Source::File,
                                format!("{}:{}:{}", src.path, at.line, at.column),
                                format!("ENV {}={}", n.name, n.path),
                            )),
                        );
                    }
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
        dockerfile(&SecretFileInEnv, text)
    }

    #[test]
    fn a_copied_credential_fails_at_the_destination() {
        let f = lint(
            "FROM a\nCOPY key.json /app/key.json\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/key.json\n",
        );
        assert_eq!(positions(&f), [(2, 15)]);
        assert_eq!(f[0].evidence[0].at, "Dockerfile:3:5");
    }

    #[test]
    fn directories_workdirs_and_variables_are_resolved() {
        assert_eq!(lint("FROM a\nWORKDIR /app\nCOPY key.json ./\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/key.json\n").len(), 1);
        assert_eq!(lint("FROM a\nENV AWS_SHARED_CREDENTIALS_FILE=/root/.aws/credentials\nCOPY aws/ /root/.aws/\n").len(), 1);
        assert_eq!(
            lint(
                "FROM a\nARG D=/cfg\nCOPY kube.yaml ${D}/kube.yaml\nENV KUBECONFIG=${D}/kube.yaml\n"
            )
            .len(),
            1
        );
        assert_eq!(lint("FROM a\nENV DOCKER_CONFIG=/root/.docker\nCOPY config.json /root/.docker/config.json\n").len(), 1);
        assert_eq!(
            lint(
                "FROM a\nWORKDIR /app\nCOPY . .\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/sa.json\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn inherited_from_a_parent_stage() {
        assert_eq!(
            lint("FROM a AS base\nENV HF_TOKEN_PATH=/t/token\nFROM base\nCOPY token /t/token\n")
                .len(),
            1
        );
        assert!(
            lint("FROM a AS b\nENV HF_TOKEN_PATH=/t/token\nFROM c\nCOPY token /t/token\n")
                .is_empty()
        );
    }

    #[test]
    fn unrelated_copies_and_variables_pass() {
        assert!(lint("FROM a\nCOPY app.py /app/app.py\nENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json\n").is_empty());
        assert!(
            lint("FROM a\nCOPY key.json /app/key.json\nENV CONFIG_FILE=/app/key.json\n").is_empty()
        );
        assert!(
            lint("FROM a\nCOPY app /app/bin/\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/key.json\n")
                .is_empty()
        );
        assert!(lint("FROM a\nRUN --mount=type=secret,id=k,target=/app/key.json true\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/key.json\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nWORKDIR /app\nCOPY sa.json .\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/sa.json\n"
        )));
    }
}
