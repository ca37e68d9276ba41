//! DKF030 `unpinned-apt-package`.

use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, Takes, concat, install_operands, report_commands};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether `apt-get install` (or `apt install`, `aptitude install`)
    /// names a package without a version: `curl` rather than
    /// `curl=8.5.0-2`. Local `.deb` files and paths pass; a release
    /// (`curl/bookworm-backports`) is not a version. Options and their
    /// values (`-o X`, `-t release`) are skipped; a package given through a
    /// variable (`$PKGS`) is not judged. Commands are read in shell form,
    /// heredoc scripts, exec form and `sh -c "…"`, behind wrappers such as
    /// `sudo`. One finding per package, at the package.
    ///
    /// ## Why it matters
    /// Without a version, each build installs whatever the mirror serves
    /// that day: builds differ silently, a bad or compromised update
    /// enters the image unreviewed, and an image cannot be rebuilt the way
    /// it was tested.
    ///
    /// ## How to fix
    /// Pin the versions you tested, `apt-get install -y curl=8.5.0-2`, and
    /// update them on purpose (a tool such as Renovate can). Pinning trades
    /// automatic security updates for reproducibility: rebuild regularly.
    ///
    /// ## Examples
    /// Fails: `RUN apt-get install -y curl`.
    /// Passes: `RUN apt-get install -y curl=8.5.0-2`, `RUN apt-get install -y ./pkg.deb`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3008, KICS "Apt Get Install Pin Version Not Defined"
    pub UnpinnedApt {
        id: "DKF030",
        name: "unpinned-apt-package",
        severity: Low,
        target: Dockerfile,
        summary: "apt-get installs a package without a pinned version",
    }
}

const TAKES: Takes = Takes::new(&[
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
]);

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet =
    ProgramSet::of(&[Program::AptGet, Program::Apt, Program::Aptitude]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    let Some((name, packages)) =
        install_operands(words, &["apt-get", "apt", "aptitude"], &["install"], &TAKES)
    else {
        return Vec::new();
    };
    packages
        .into_iter()
        .filter(|p| {
            let v = p.value.as_str();
            !v.contains('=') && !v.ends_with(".deb") && !v.starts_with(['.', '/'])
        })
        .map(|p| {
            // Every file installs packages: see `concat`. The program's
            // part of the text is one piece.
            let head = match name {
                "apt-get" => "`apt-get install` installs `",
                "apt" => "`apt install` installs `",
                _ => "`aptitude install` installs `",
            };
            let message = concat(&[
                head,
                &p.value,
                "` without a version (`",
                &p.value,
                "=<version>`).",
            ]);
            (p, message)
        })
        .collect()
}

impl Check for UnpinnedApt {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedApt, text)
    }

    #[test]
    fn each_unpinned_package_fails_at_its_word() {
        let f =
            lint("FROM a\nRUN apt-get install -y --no-install-recommends curl git=1:2.39.2-1\n");
        assert_eq!(positions(&f), [(2, 48)]);
        assert_eq!(
            lint("FROM a\nRUN apt-get -o Dpkg::Options::=--force-confnew install -y a b\n").len(),
            2
        );
        assert_eq!(
            lint("FROM a\nRUN apt-get install -t bookworm-backports -y curl/bookworm-backports\n")
                .len(),
            1
        );
        assert_eq!(lint("FROM a\nRUN sudo apt install curl\n").len(), 1);
    }

    #[test]
    fn versions_files_variables_and_other_commands_pass() {
        for c in [
            "apt-get install -y curl=8.5.0-2 'git=1:2.*'",
            "apt-get install -y ./pkg.deb /tmp/x.deb",
            "apt-get install -y $PACKAGES",
            "apt-get update",
            "apt-get remove -y curl",
            "echo apt-get install curl",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(
            lint("FROM a\nRUN <<EOF\napt-get install -y curl\nEOF\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n").len(),
            1
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN apt-get install -y curl git=1:2.39.2-1\n"
        )));
    }
}
