//! DKF005 `add-instead-of-copy`.

use bulwark_syntax::dockerfile::{Args, CopySource, Dockerfile, Instruction, Kind};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether an `ADD` (or `ONBUILD ADD`) copies plain local files, which
    /// `COPY` does without ADD's extra behaviour. ADD is needed for a local
    /// tar archive to extract (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`,
    /// `.tar.xz`, `.tar.zst` and their short forms), a URL or a Git
    /// repository; those sources pass here (URLs and Git are DKF006's
    /// concern). Sources are read with ARG and ENV resolved; one whose
    /// variable has no known value is not judged. When every source is
    /// plain the finding points at `ADD`; when an ADD mixes a plain file
    /// with an archive, at each plain file.
    ///
    /// ## Why it matters
    /// ADD decides by the content of a file whether to unpack it: a file
    /// that happens to be a tar archive is extracted into the image, paths
    /// and all, instead of copied. COPY does exactly what it says, which
    /// is what a reviewer expects when reading the Dockerfile.
    ///
    /// ## How to fix
    /// Use `COPY` for local files and directories; keep `ADD` only for an
    /// archive you mean to extract.
    ///
    /// ## Examples
    /// Fails: `ADD app.py requirements.txt /app/`, `ADD . /src`.
    /// Passes: `COPY . /src`, `ADD rootfs.tar.xz /`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.9
    /// - hadolint DL3020, Trivy DS-0005, KICS "Add Instead of Copy", Checkov CKV_DOCKER_4
    /// - <https://docs.docker.com/build/building/best-practices/#add-or-copy>
    pub AddInsteadOfCopy {
        id: "DKF005",
        name: "add-instead-of-copy",
        severity: Low,
        target: Dockerfile,
        summary: "ADD is used where COPY would do",
    }
}

/// What an ADD source is.
#[derive(Debug, PartialEq, Eq)]
enum Kind_ {
    /// A local file or directory (or a heredoc): COPY would do.
    Plain,
    /// Needs ADD: an archive, a URL, a Git repository, or unknown.
    NeedsAdd,
}

fn is_archive(path: &str) -> bool {
    const ENDINGS: [&str; 10] = [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst",
        ".tzst",
    ];
    let p = path.to_ascii_lowercase();
    ENDINGS.iter().any(|e| p.ends_with(e))
}

fn classify(df: &Dockerfile, index: usize, source: &CopySource) -> Kind_ {
    if source.heredoc.is_some() {
        return Kind_::Plain;
    }
    if source.is_url() || source.is_git() {
        return Kind_::NeedsAdd;
    }
    let e = df.expand_at(&source.word.raw, index);
    if !e.is_complete() {
        return Kind_::NeedsAdd;
    }
    let v = e.value.to_ascii_lowercase();
    if v.starts_with("http://") || v.starts_with("https://") || v.starts_with("git@") {
        return Kind_::NeedsAdd;
    }
    if is_archive(&v) {
        Kind_::NeedsAdd
    } else {
        Kind_::Plain
    }
}

fn add_of(
    instruction: &Instruction,
) -> Option<(&Instruction, &bulwark_syntax::dockerfile::CopyArgs)> {
    let add = instruction.onbuild_trigger().unwrap_or(instruction);
    match (&add.kind, &add.args) {
        (Kind::Add, Args::Add(a)) => Some((add, a)),
        _ => None,
    }
}

impl Check for AddInsteadOfCopy {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            for (index, instruction) in df.instructions.iter().enumerate() {
                let Some((add, args)) = add_of(instruction) else {
                    continue;
                };
                if args.sources.is_empty() || args.dest.is_none() {
                    continue;
                }
                let kinds: Vec<Kind_> = args
                    .sources
                    .iter()
                    .map(|s| classify(df, index, s))
                    .collect();
                if kinds.iter().all(|k| *k == Kind_::Plain) {
                    out.push(
                        subject(src),
                        Verdict::fail(
                            "ADD copies only local files here; COPY does the same without ADD's archive extraction.",
                        )
                        .at(location(src, add.keyword.span)),
                    );
                    continue;
                }
                for (source, kind) in args.sources.iter().zip(&kinds) {
                    if *kind == Kind_::Plain {
                        out.push(
                            subject(src),
                            Verdict::fail(format!(
                                "`{}` is a plain local file: copy it with COPY, not ADD.",
                                source.word.raw
                            ))
                            .at(location(src, source.word.span)),
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
        dockerfile(&AddInsteadOfCopy, text)
    }

    #[test]
    fn local_files_fail_at_add() {
        assert_eq!(positions(&lint("FROM a\nADD . /src\n")), [(2, 1)]);
        assert_eq!(lint("FROM a\nadd --chown=1:1 a.py b.txt /app/\n").len(), 1);
        assert_eq!(lint("FROM a\nADD [\"a b\", \"/c\"]\n").len(), 1);
        assert_eq!(lint("FROM a\nONBUILD ADD . /app\n").len(), 1);
        assert_eq!(lint("FROM a\nADD <<EOF /etc/x\nhi\nEOF\n").len(), 1);
    }

    #[test]
    fn archives_urls_and_git_need_add() {
        assert!(lint("FROM a\nADD rootfs.tar.xz /\n").is_empty());
        assert!(lint("FROM a\nADD vendor.TGZ /v\n").is_empty());
        assert!(lint("FROM a\nADD https://x.example/f.bin /f\n").is_empty());
        assert!(lint("FROM a\nADD git@github.com:moby/buildkit.git /b\n").is_empty());
        assert!(lint("FROM a\nADD https://github.com/moby/buildkit.git#v0.10.1 /b\n").is_empty());
    }

    #[test]
    fn variables_are_resolved_and_unknowns_not_judged() {
        assert!(lint("FROM a\nARG F=x.tar.gz\nADD ${F} /\n").is_empty());
        assert_eq!(lint("FROM a\nARG F=x.txt\nADD ${F} /\n").len(), 1);
        assert!(lint("FROM a\nARG F\nADD ${F} /\n").is_empty());
    }

    #[test]
    fn a_mix_points_at_each_plain_file() {
        let f = lint("FROM a\nADD x.tar.gz notes.txt /d/\n");
        assert_eq!(positions(&f), [(2, 14)]);
    }

    #[test]
    fn copy_passes() {
        assert!(lint("FROM a\nCOPY . /src\nRUN echo ADD . /x\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nADD . /src\nADD base.tar.gz config.yml /\n"
        )));
    }
}
