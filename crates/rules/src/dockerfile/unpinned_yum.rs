//! DKF035 `unpinned-yum-package`.

use bulwark_syntax::dockerfile::Word;

use super::{
    Program, ProgramSet, Takes, install_operands, report_commands, rpm_not_a_name, rpm_versioned,
};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether `yum install` names a package without a version: `httpd`
    /// rather than `httpd-2.4.57`. A version is a dash followed by a number
    /// with a `.` or `:` (`java-11-openjdk` is a name,
    /// `java-11-openjdk-11.0.22.0.7` a version). Local or remote `.rpm`
    /// files, paths, groups (`@base`) and capabilities (`pkgconfig(x)`)
    /// pass; options and their values are skipped, and a package given
    /// through a variable is not judged. Commands are read in shell form,
    /// heredoc scripts, exec form and `sh -c "…"`. One finding per package,
    /// at the package. dnf has its own rule (DKF036).
    ///
    /// ## Why it matters
    /// Without a version, each build installs whatever the repository
    /// serves that day: builds differ silently, a bad or compromised
    /// update enters the image unreviewed, and an image cannot be rebuilt
    /// the way it was tested.
    ///
    /// ## How to fix
    /// `RUN yum install -y httpd-2.4.57 && yum clean all`, with versions
    /// updated on purpose.
    ///
    /// ## Examples
    /// Fails: `RUN yum install -y httpd`.
    /// Passes: `RUN yum install -y httpd-2.4.57`, `RUN yum localinstall -y ./x.rpm`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3033, KICS "Yum install Without Version"
    pub UnpinnedYum {
        id: "DKF035",
        name: "unpinned-yum-package",
        severity: Low,
        target: Dockerfile,
        summary: "yum installs a package without a pinned version",
    }
}

const RPM_TAKES: Takes = Takes::new(&[
    "-c",
    "-d",
    "-e",
    "-x",
    "--config",
    "--installroot",
    "--releasever",
    "--exclude",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "--setopt",
    "--downloaddir",
    "--destdir",
    "--forcearch",
    "--debuglevel",
    "--errorlevel",
    "--rpmverbosity",
    "--enableplugin",
    "--disableplugin",
]);

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[Program::Yum]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    let Some((name, packages)) =
        install_operands(words, &["yum"], &["install", "reinstall"], &RPM_TAKES)
    else {
        return Vec::new();
    };
    packages
        .into_iter()
        .filter(|p| !rpm_not_a_name(&p.value) && !rpm_versioned(&p.value))
        .map(|p| {
            (
                p,
                format!(
                    "`{name} install` installs `{}` without a version (`{}-<version>`).",
                    p.value, p.value
                ),
            )
        })
        .collect()
}

impl Check for UnpinnedYum {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedYum, text)
    }

    #[test]
    fn each_unpinned_package_fails_at_its_word() {
        assert_eq!(
            positions(&lint(
                "FROM a\nRUN yum install -y httpd-2.4.57 java-11-openjdk\n"
            )),
            [(2, 33)]
        );
        assert_eq!(
            lint("FROM a\nRUN yum -d 0 --enablerepo epel install -y x\n").len(),
            1
        );
        assert_eq!(lint("FROM a\nRUN sudo yum install x\n").len(), 1);
    }

    #[test]
    fn versions_files_groups_and_other_commands_pass() {
        for c in [
            "yum install -y httpd-2.4.57 vim-enhanced-2:9.0.1-1.el9 'nginx >= 1.24'",
            "yum install -y /tmp/x.rpm https://x.example/y.rpm @development 'pkgconfig(zlib)'",
            "yum install -y $PKGS",
            "yum update -y",
            "yum remove -y x",
            "dnf install -y x",
            "echo yum install x",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(lint("FROM a\nRUN <<EOF\nyum install -y x\nEOF\n").len(), 1);
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN yum install -y httpd git-2.43.0\n"
        )));
    }
}
