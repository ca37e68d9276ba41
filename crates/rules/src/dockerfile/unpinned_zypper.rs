//! DKF037 `unpinned-zypper-package`.

use bulwark_syntax::dockerfile::Word;

use super::{
    Program, ProgramSet, Takes, install_operands, report_commands, rpm_not_a_name, rpm_versioned,
    split,
};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether `zypper install` (`zypper in`) names a package without a
    /// version: `curl` rather than `curl=8.6.0` (or `curl>=8.6`,
    /// `curl-8.6.0`). Local or remote `.rpm` files, paths and capabilities
    /// pass, as does an install of patterns or patches (`-t pattern`);
    /// global options before the subcommand and their values are skipped,
    /// and a package given through a variable is not judged. Commands are
    /// read in shell form, heredoc scripts, exec form and `sh -c "…"`. One
    /// finding per package, at the package.
    ///
    /// ## Why it matters
    /// Without a version, each build installs whatever the repository
    /// serves that day: builds differ silently, a bad or compromised
    /// update enters the image unreviewed, and an image cannot be rebuilt
    /// the way it was tested.
    ///
    /// ## How to fix
    /// `RUN zypper --non-interactive install curl=8.6.0 && zypper clean`,
    /// with versions updated on purpose.
    ///
    /// ## Examples
    /// Fails: `RUN zypper -n in curl`.
    /// Passes: `RUN zypper -n in curl=8.6.0`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3037, KICS "Zypper Install Without Version"
    pub UnpinnedZypper {
        id: "DKF037",
        name: "unpinned-zypper-package",
        severity: Low,
        target: Dockerfile,
        summary: "zypper installs a package without a pinned version",
    }
}

const TAKES: Takes = Takes::new(&[
    "-R",
    "-r",
    "-t",
    "-c",
    "-D",
    "-p",
    "--root",
    "--repo",
    "--type",
    "--config",
    "--from",
    "--reposd-dir",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "--plus-repo",
    "--installroot",
    "--download",
]);

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[Program::Zypper]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    let Some((_, packages)) = install_operands(words, &["zypper"], &["install", "in"], &TAKES)
    else {
        return Vec::new();
    };
    // `-t pattern|patch|product|srcpackage` installs something else.
    let parsed = split(&words[1..], &TAKES);
    let typed = parsed.options.iter().enumerate().any(|(i, o)| {
        let v = o.value.as_str();
        let value = if v == "-t" || v == "--type" {
            parsed.options.get(i + 1).map(|n| n.value.as_str())
        } else {
            v.strip_prefix("--type=")
        };
        value.is_some_and(|t| t != "package")
    });
    if typed {
        return Vec::new();
    }
    packages
        .into_iter()
        .filter(|p| !rpm_not_a_name(&p.value) && !rpm_versioned(&p.value))
        .map(|p| {
            (
                p,
                format!(
                    "`zypper install` installs `{}` without a version (`{}=<version>`).",
                    p.value, p.value
                ),
            )
        })
        .collect()
}

impl Check for UnpinnedZypper {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedZypper, text)
    }

    #[test]
    fn each_unpinned_package_fails_at_its_word() {
        assert_eq!(
            positions(&lint("FROM a\nRUN zypper -n in curl git=2.43.0\n")),
            [(2, 18)]
        );
        assert_eq!(
            lint("FROM a\nRUN zypper --non-interactive --root /x install -y curl\n").len(),
            1
        );
    }

    #[test]
    fn versions_patterns_files_and_other_commands_pass() {
        for c in [
            "zypper in -y curl=8.6.0 'git>=2.43' vim-9.1.0",
            "zypper in -t pattern devel_basis",
            "zypper in /tmp/x.rpm",
            "zypper in $PKGS",
            "zypper refresh",
            "echo zypper in x",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(lint("FROM a\nRUN <<EOF\nzypper -n in x\nEOF\n").len(), 1);
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN zypper -n install curl git=2.43.0\n"
        )));
    }
}
