//! DKF031 `unpinned-apk-package`.

use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, Takes, install_operands, report_commands};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether `apk add` names a package without a version: `curl` rather
    /// than `curl=8.5.0-r0` (or `curl~8.5`). An open lower bound
    /// (`curl>=8`) is not a pin. Local `.apk` files pass. Options and their
    /// values are skipped, notably the virtual package name of
    /// `--virtual .build-deps` / `-t`; a package given through a variable
    /// is not judged. Commands are read in shell form, heredoc scripts,
    /// exec form and `sh -c "…"`. One finding per package, at the package.
    ///
    /// ## Why it matters
    /// Without a version, each build installs whatever the repository
    /// serves that day: builds differ silently, a bad or compromised
    /// update enters the image unreviewed, and an image cannot be rebuilt
    /// the way it was tested.
    ///
    /// ## How to fix
    /// `RUN apk add --no-cache curl=8.5.0-r0` (or `curl~8.5` to follow
    /// patch releases), updated on purpose.
    ///
    /// ## Examples
    /// Fails: `RUN apk add --no-cache curl`.
    /// Passes: `RUN apk add --no-cache curl=8.5.0-r0`,
    /// `RUN apk add --virtual .deps gcc=13.2.1_git20231014-r0`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3018, KICS "Unpinned Package Version in Apk Add"
    pub UnpinnedApk {
        id: "DKF031",
        name: "unpinned-apk-package",
        severity: Low,
        target: Dockerfile,
        summary: "apk adds a package without a pinned version",
    }
}

const TAKES: Takes = Takes::new(&[
    "-X",
    "-p",
    "-t",
    "--repository",
    "--root",
    "--virtual",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--repositories-file",
    "--cache-max-age",
]);

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[Program::Apk]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    let Some((_, packages)) = install_operands(words, &["apk"], &["add"], &TAKES) else {
        return Vec::new();
    };
    packages
        .into_iter()
        .filter(|p| {
            let v = p.value.as_str();
            let pinned = (v.contains('=') && !v.contains(">=")) || v.contains('~');
            !pinned && !v.ends_with(".apk") && !v.starts_with(['.', '/'])
        })
        .map(|p| {
            (
                p,
                format!(
                    "`apk add` installs `{}` without a version (`{}=<version>`).",
                    p.value, p.value
                ),
            )
        })
        .collect()
}

impl Check for UnpinnedApk {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedApk, text)
    }

    #[test]
    fn each_unpinned_package_fails_at_its_word() {
        assert_eq!(
            positions(&lint("FROM a\nRUN apk add --no-cache curl git=2.43.0-r0\n")),
            [(2, 24)]
        );
        assert_eq!(
            lint("FROM a\nRUN apk add --virtual .build-deps gcc musl-dev\n").len(),
            2
        );
        assert_eq!(lint("FROM a\nRUN apk add -t .deps gcc\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN apk add 'curl>=8'\n").len(), 1);
    }

    #[test]
    fn versions_files_variables_and_other_commands_pass() {
        for c in [
            "apk add --no-cache curl=8.5.0-r0 git~2.43",
            "apk add --allow-untrusted /tmp/x.apk",
            "apk add $PKGS",
            "apk update",
            "apk del curl",
            "echo apk add curl",
            "apk add --virtual .build-deps",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(lint("FROM a\nRUN <<EOF\napk add curl\nEOF\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN sh -c 'apk add curl'\n").len(), 1);
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN apk add --no-cache --virtual .d curl git=2.43.0-r0\n"
        )));
    }
}
