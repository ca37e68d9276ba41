//! DKF016 `update-alone`.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::Word;
use smallvec::SmallVec;

use super::{Program, ProgramSet, Takes, basename, each_command, subcommand};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a `RUN` refreshes a package index without installing or
    /// upgrading anything from it in the same RUN: `apt-get update`,
    /// `apt update`, `apk update`, `yum`/`dnf`/`microdnf`/`tdnf makecache`,
    /// `zypper refresh`, `pacman -Sy`. Only the same RUN counts (an install
    /// in a later RUN does not cancel the finding: that is the problem),
    /// and only the same package manager family. Commands are read in shell
    /// form, heredoc scripts, exec form and `sh -c "…"`, behind wrappers
    /// such as `sudo`; other words that merely contain "update"
    /// (`update-ca-certificates`, `echo update`) do not count. The finding
    /// points at the refresh command.
    ///
    /// ## Why it matters
    /// The refreshed index is cached in its own layer. When a later RUN
    /// changes, the build cache reuses that old layer, so packages are
    /// installed from an index that may be months old: without the
    /// security updates published since, or failing when the mirror has
    /// dropped the listed versions.
    ///
    /// ## How to fix
    /// Refresh and install in one RUN, and clean up in the same one:
    /// `RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// && rm -rf /var/lib/apt/lists/*`, or `RUN apk add --no-cache curl`
    /// (which needs no separate update).
    ///
    /// ## Examples
    /// Fails: `RUN apt-get update` followed by `RUN apt-get install -y curl`.
    /// Passes: `RUN apk update && apk add curl`,
    /// `RUN apt-get update && apt-get upgrade -y`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.7
    /// - Trivy DS-0017, KICS "Update Instruction Alone", Checkov CKV_DOCKER_5, Dockle CIS-DI-0007
    /// - <https://docs.docker.com/build/building/best-practices/#apt-get>
    pub UpdateAlone {
        id: "DKF016",
        name: "update-alone",
        severity: Medium,
        target: Dockerfile,
        summary: "A package index is refreshed in a RUN that installs nothing",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    Apt,
    Apk,
    Rpm,
    Zypper,
    Pacman,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Refresh,
    Consume,
    Other,
}

const APT_TAKES: Takes = Takes::new(&[
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
]);
const APK_TAKES: Takes = Takes::new(&[
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
]);
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
]);
const ZYPPER_TAKES: Takes = Takes::new(&[
    "-R", "-r", "-t", "-c", "--root", "--repo", "--type", "--config", "--from",
]);

/// The programs [`classify`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[
    Program::AptGet,
    Program::Apt,
    Program::Aptitude,
    Program::Apk,
    Program::Yum,
    Program::Dnf,
    Program::Zypper,
    Program::Pacman,
]);

/// What one command does to a package index, and where its verb is.
pub(super) fn classify(words: &[Word]) -> Option<(Family, Action, Span)> {
    let program = words.first()?;
    let name = basename(&program.value);
    let args = &words[1..];
    let (family, takes) = match name {
        "apt-get" | "apt" | "aptitude" => (Family::Apt, &APT_TAKES),
        "apk" => (Family::Apk, &APK_TAKES),
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" => (Family::Rpm, &RPM_TAKES),
        "zypper" => (Family::Zypper, &ZYPPER_TAKES),
        "pacman" => {
            // `-Sy` alone refreshes; `-S pkg`, `-Syu` and `-U` install.
            let options: Vec<&str> = args
                .iter()
                .map(|w| w.value.as_str())
                .filter(|v| v.starts_with('-') && !v.starts_with("--"))
                .collect();
            let has = |c: char| options.iter().any(|o| o.contains(c));
            let operands = args.iter().any(|w| !w.value.starts_with('-'));
            let action = if has('S') && has('y') && !has('u') && !operands {
                Action::Refresh
            } else if has('S') || has('U') {
                Action::Consume
            } else {
                Action::Other
            };
            let end = args.last().map_or(program.span, |w| w.span);
            return Some((Family::Pacman, action, program.span.to(end)));
        }
        _ => return None,
    };
    let verb = subcommand(args, takes)?;
    let action = match (family, verb.value.as_str()) {
        (Family::Apt, "update") | (Family::Apk, "update") => Action::Refresh,
        (Family::Rpm, "makecache") | (Family::Zypper, "refresh" | "ref") => Action::Refresh,
        (
            Family::Apt,
            "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep" | "source"
            | "download" | "reinstall" | "satisfy",
        ) => Action::Consume,
        (Family::Apk, "add" | "upgrade" | "fix" | "fetch") => Action::Consume,
        (
            Family::Rpm,
            "install" | "update" | "upgrade" | "reinstall" | "groupinstall" | "localinstall"
            | "distro-sync" | "distrosync" | "swap" | "downgrade" | "group" | "module" | "builddep"
            | "download",
        ) => Action::Consume,
        (
            Family::Zypper,
            "install" | "in" | "update" | "up" | "patch" | "dist-upgrade" | "dup"
            | "source-install" | "si",
        ) => Action::Consume,
        _ => Action::Other,
    };
    Some((family, action, program.span.to(verb.span)))
}

impl Check for UpdateAlone {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            // What each RUN does to package indexes, by RUN (instruction
            // index). On the stack: most files update and install once.
            let mut actions: SmallVec<[(usize, Family, Action, Span); 8]> = SmallVec::new();
            each_command(ctx, src, PROGRAMS, |run, _, words| {
                if let Some((family, action, span)) = classify(words) {
                    actions.push((run.index, family, action, span));
                }
            });
            for run in actions.chunk_by(|a, b| a.0 == b.0) {
                for (_, family, action, span) in run {
                    if *action != Action::Refresh {
                        continue;
                    }
                    if run
                        .iter()
                        .any(|(_, f, a, _)| f == family && *a == Action::Consume)
                    {
                        continue;
                    }
                    let written = span
                        .text(&src.text)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    out.push(
                        subject(src),
                        Verdict::fail(format!(
                            "`{written}` runs in a RUN that installs nothing: the refreshed index is cached in its own layer and goes stale for later installs."
                        ))
                        .at(location(src, *span)),
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
        dockerfile(&UpdateAlone, text)
    }

    #[test]
    fn update_alone_fails_even_with_a_later_install() {
        let f = lint("FROM a\nRUN apt-get update\nRUN apt-get install -y curl\n");
        assert_eq!(positions(&f), [(2, 5)]);
        for c in [
            "apk update",
            "apt update",
            "dnf makecache",
            "yum -q makecache",
            "zypper --non-interactive refresh",
            "pacman -Sy",
            "sudo apt-get -q update",
            "apt-get update && apt-get clean",
        ] {
            assert_eq!(lint(&format!("FROM a\nRUN {c}\n")).len(), 1, "{c}");
        }
    }

    #[test]
    fn update_with_an_install_in_the_same_run_passes() {
        for c in [
            "apk update && apk add curl",
            "apt-get update && apt-get install -y curl",
            "apt-get update && apt-get upgrade -y",
            "apt-get update; DEBIAN_FRONTEND=noninteractive apt-get install -y x",
            "dnf makecache && dnf install -y x",
            "zypper ref && zypper in -y x",
            "pacman -Syu --noconfirm",
            "pacman -Sy --noconfirm git",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn another_family_does_not_count() {
        assert_eq!(
            lint("FROM a\nRUN apt-get update && pip install x\n").len(),
            1
        );
    }

    #[test]
    fn words_containing_update_pass() {
        assert!(lint("FROM a\nRUN update-ca-certificates\n").is_empty());
        assert!(lint("FROM a\nRUN echo apt-get update # apt-get update\n").is_empty());
        assert!(lint("FROM a\nRUN yum update -y\n").is_empty());
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(lint("FROM a\nRUN <<EOF\napt-get update\nEOF\n").len(), 1);
        assert!(lint("FROM a\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n").is_empty());
        assert_eq!(lint("FROM a\nRUN [\"apt-get\", \"update\"]\n").len(), 1);
        assert!(lint("FROM a\nRUN sh -c 'apt-get update && apt-get install -y x'\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apk update && apk add x\n"
        )));
    }
}
