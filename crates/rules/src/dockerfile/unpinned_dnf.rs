//! DKF036 `unpinned-dnf-package`.

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
    /// Whether `dnf install` (also `dnf5`, `microdnf`, `tdnf`) names a
    /// package without a version: `httpd` rather than `httpd-2.4.57`. A
    /// version is a dash followed by a number with a `.` or `:`
    /// (`java-17-openjdk` is a name), or a comparison (`'nginx >= 1.24'`
    /// counts, as dnf accepts it). Local or remote `.rpm` files, paths,
    /// groups and modules (`@nodejs:20`) and capabilities
    /// (`pkgconfig(x)`) pass; options and their values are skipped, and a
    /// package given through a variable is not judged. Commands are read in
    /// shell form, heredoc scripts, exec form and `sh -c "…"`. One finding
    /// per package, at the package.
    ///
    /// ## Why it matters
    /// Without a version, each build installs whatever the repository
    /// serves that day: builds differ silently, a bad or compromised
    /// update enters the image unreviewed, and an image cannot be rebuilt
    /// the way it was tested.
    ///
    /// ## How to fix
    /// `RUN dnf install -y httpd-2.4.57 && dnf clean all`, with versions
    /// updated on purpose.
    ///
    /// ## Examples
    /// Fails: `RUN dnf install -y httpd`, `RUN microdnf install curl`.
    /// Passes: `RUN dnf install -y httpd-2.4.57`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3041, KICS "Missing Version Specification In dnf install"
    pub UnpinnedDnf {
        id: "DKF036",
        name: "unpinned-dnf-package",
        severity: Low,
        target: Dockerfile,
        summary: "dnf installs a package without a pinned version",
    }
}

const TAKES: Takes = Takes::new(&[
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
    "--use-host-config",
]);

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[Program::Dnf]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    let Some((name, packages)) = install_operands(
        words,
        &["dnf", "dnf5", "microdnf", "tdnf"],
        &["install", "reinstall"],
        &TAKES,
    ) else {
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

impl Check for UnpinnedDnf {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedDnf, text)
    }

    #[test]
    fn each_unpinned_package_fails_at_its_word() {
        assert_eq!(
            positions(&lint(
                "FROM a\nRUN dnf install -y httpd-2.4.57 java-17-openjdk\n"
            )),
            [(2, 33)]
        );
        for c in [
            "microdnf install curl",
            "tdnf install -y curl",
            "dnf5 install -y curl",
            "dnf --setopt install_weak_deps=0 install -y curl",
        ] {
            assert_eq!(lint(&format!("FROM a\nRUN {c}\n")).len(), 1, "{c}");
        }
    }

    #[test]
    fn versions_files_groups_and_other_commands_pass() {
        for c in [
            "dnf install -y httpd-2.4.57 'nginx >= 1.24' @nodejs:20",
            "dnf install -y ./x.rpm 'perl(Foo::Bar)'",
            "dnf install -y ${PKGS}",
            "dnf makecache",
            "yum install -y x",
            "echo dnf install x",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(lint("FROM a\nRUN <<EOF\ndnf install -y x\nEOF\n").len(), 1);
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN microdnf install -y curl jq-1.7.1\n"
        )));
    }
}
