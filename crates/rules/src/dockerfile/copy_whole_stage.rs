//! DKF067 `copy-whole-stage`.

use bulwark_syntax::dockerfile::{Args, CopyFrom};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a `COPY --from=<stage or image>` copies the whole root
    /// filesystem of its source: a source of `/`, `/.` or `/*` (variables
    /// resolved). The finding points at the source.
    ///
    /// ## Why it matters
    /// The point of a multi-stage build is to leave the build stage
    /// behind. Copying its whole filesystem brings along compilers, package
    /// caches, shell history, credentials used during the build (`.netrc`,
    /// `~/.aws`, `.npmrc`) and the build stage's `/etc/passwd`, undoing
    /// what the final stage was meant to exclude.
    ///
    /// ## How to fix
    /// Copy only the artefacts the final image needs:
    /// `COPY --from=build /out/app /usr/local/bin/app`.
    ///
    /// ## Examples
    /// Fails: `COPY --from=build / /`.
    /// Passes: `COPY --from=build /out/app /app`.
    ///
    /// ## References
    /// - hadolint DL3067
    /// - <https://docs.docker.com/build/building/multi-stage/>
    pub CopyWholeStage {
        id: "DKF067",
        name: "copy-whole-stage",
        severity: Medium,
        target: Dockerfile,
        summary: "COPY --from copies a stage's whole filesystem",
    }
}

/// Whether a source written `raw` may name the root (`/`, `/.`, `/*`):
/// it reads a variable, or holds nothing but slashes, dots, stars, quotes
/// and escape characters. Every character of the value of a source
/// without variables is one of its text's, so any other character rules
/// the root out without expanding it.
fn may_be_root(raw: &str) -> bool {
    raw.bytes()
        .all(|b| matches!(b, b'/' | b'.' | b'*' | b'"' | b'\'' | b'\\' | b'`' | b'$'))
        || raw.contains('$')
}

impl Check for CopyWholeStage {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            for (index, instruction) in df.instructions.iter().enumerate() {
                let Args::Copy(args) = &instruction.args else {
                    continue;
                };
                if instruction.flag("from").is_none() {
                    continue;
                }
                let mut from = None;
                for source in &args.sources {
                    if !may_be_root(&source.word.raw) {
                        continue;
                    }
                    let Some(from) = from.get_or_insert_with(|| df.copy_from(index)) else {
                        continue;
                    };
                    let e = df.expand_at(&source.word.raw, index);
                    if !e.is_complete() {
                        continue;
                    }
                    let v = e.value.trim_end_matches(['.', '*']);
                    if !v.is_empty() && v.chars().all(|c| c == '/') {
                        let what = match from {
                            CopyFrom::Stage(n) => {
                                match df.stages.get(*n).and_then(|s| s.alias.as_ref()) {
                                    Some(a) => format!("stage `{}`", a.raw),
                                    None => format!("stage {n}"),
                                }
                            }
                            CopyFrom::Image(i) => format!("image `{i}`"),
                        };
                        out.push(
                            subject(src),
                            Verdict::fail(format!(
                                "COPY copies the whole filesystem of {what}, build tools and secrets included."
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
        dockerfile(&CopyWholeStage, text)
    }

    #[test]
    fn the_root_fails_at_the_source() {
        let f = lint("FROM a AS build\nFROM b\nCOPY --from=build / /\n");
        assert_eq!(positions(&f), [(3, 19)]);
        for s in ["/.", "/*", "//"] {
            assert_eq!(
                lint(&format!("FROM a AS b\nFROM c\nCOPY --from=b {s} /\n")).len(),
                1,
                "{s}"
            );
        }
        assert_eq!(lint("FROM a\nCOPY --from=busybox:1.36 / /\n").len(), 1);
        assert_eq!(
            lint("FROM a\nFROM b\nCOPY --from=0 [\"/\", \"/\"]\n").len(),
            1
        );
    }

    #[test]
    fn paths_and_plain_copies_pass() {
        assert!(lint("FROM a AS b\nFROM c\nCOPY --from=b /out/app /app\nCOPY / /x\n").is_empty());
        assert!(lint("FROM a AS b\nFROM c\nCOPY --from=b ./ /app\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a AS build\nFROM b\nCOPY --from=build / /\n"
        )));
    }

    proptest::proptest! {
        /// A source ruled out without expanding it never expands to the
        /// root, with either escape character.
        #[test]
        fn sources_ruled_out_are_not_the_root(
            raw in "[/.*\"'\\\\`a-u0-9{}]{0,8}",
        ) {
            if !may_be_root(&raw) {
                for escape in ['\\', '`'] {
                    let e = bulwark_syntax::dockerfile::substitute_with_escape(
                        &raw,
                        escape,
                        &bulwark_syntax::dockerfile::Vars::new(),
                    );
                    let v = e.value.trim_end_matches(['.', '*']);
                    proptest::prop_assert!(v.is_empty() || !v.chars().all(|c| c == '/'), "{}", raw);
                }
            }
        }
    }
}
