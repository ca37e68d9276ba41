//! DKF038 `unpinned-go-install`.

use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, basename, is_dynamic, report_commands};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether `go install` installs a remote package without a fixed
    /// version: no `@version`, or a moving one (`@latest`, `@master`,
    /// `@main`, `@HEAD`, `@upgrade`, `@patch`). Local packages (`.`,
    /// `./cmd/...`, absolute paths) and `go install` without arguments (the
    /// current module, pinned by `go.mod`) pass. Build flags and their
    /// values (`-ldflags X`, `-tags=x`) are skipped; a package given
    /// through a variable is not judged. Commands are read in shell form,
    /// heredoc scripts, exec form and `sh -c "…"`. One finding per package,
    /// at the package.
    ///
    /// ## Why it matters
    /// `@latest` and branches resolve to whatever was pushed last: the
    /// build compiles and installs code nobody reviewed, and two builds of
    /// the same Dockerfile contain different binaries.
    ///
    /// ## How to fix
    /// Name a release or a commit:
    /// `go install golang.org/x/tools/gopls@v0.15.3`.
    ///
    /// ## Examples
    /// Fails: `RUN go install golang.org/x/tools/gopls@latest`.
    /// Passes: `RUN go install golang.org/x/tools/gopls@v0.15.3`, `RUN go install ./cmd/app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3062
    /// - <https://go.dev/ref/mod#go-install>
    pub UnpinnedGoInstall {
        id: "DKF038",
        name: "unpinned-go-install",
        severity: Medium,
        target: Dockerfile,
        summary: "go install installs a package without a fixed version",
    }
}

/// Go build flags that take the next word (Go flags have one dash).
const TAKES: &[&str] = &[
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-tags",
    "-mod",
    "-modfile",
    "-o",
    "-p",
    "-pkgdir",
    "-toolexec",
    "-overlay",
    "-C",
    "-exec",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-pgo",
    "-covermode",
    "-coverpkg",
];

const MOVING: [&str; 6] = ["latest", "master", "main", "head", "upgrade", "patch"];

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[Program::Go]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    let Some(program) = words.first() else {
        return Vec::new();
    };
    if basename(&program.value) != "go" || words.get(1).is_none_or(|w| w.value != "install") {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut i = 2;
    while let Some(w) = words.get(i) {
        i += 1;
        let v = w.value.as_str();
        if v.starts_with('-') {
            let name = v.trim_start_matches('-');
            if !v.contains('=') && TAKES.iter().any(|t| t.trim_start_matches('-') == name) {
                i += 1;
            }
            continue;
        }
        if is_dynamic(w) || v.starts_with(['.', '/']) {
            continue;
        }
        let message = match v.rsplit_once('@') {
            None => format!("`go install` installs `{v}` without a version (`{v}@<version>`)."),
            Some((_, version)) if MOVING.contains(&version.to_ascii_lowercase().as_str()) => {
                format!("`go install` installs `{v}`, a moving version; name a release or commit.")
            }
            Some(_) => continue,
        };
        found.push((w, message));
    }
    found
}

impl Check for UnpinnedGoInstall {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedGoInstall, text)
    }

    #[test]
    fn moving_or_missing_versions_fail_at_the_package() {
        assert_eq!(
            positions(&lint(
                "FROM a\nRUN go install golang.org/x/tools/gopls@latest\n"
            )),
            [(2, 16)]
        );
        for c in [
            "go install github.com/o/r/cmd/x",
            "go install -ldflags '-s -w' github.com/o/r@main",
            "go install -tags=netgo github.com/o/r@HEAD",
            "CGO_ENABLED=0 go install github.com/o/r@master",
        ] {
            assert_eq!(lint(&format!("FROM a\nRUN {c}\n")).len(), 1, "{c}");
        }
    }

    #[test]
    fn versions_local_packages_and_other_commands_pass() {
        for c in [
            "go install golang.org/x/tools/gopls@v0.15.3",
            "go install github.com/o/r@0123abcd",
            "go install ./cmd/... .",
            "go install",
            "go install $PKG",
            "go build -o /app ./cmd/app",
            "echo go install x@latest",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(
            lint("FROM a\nRUN <<EOF\ngo install x.io/y@latest\nEOF\n").len(),
            1
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN go install x.io/a@latest x.io/b x.io/c@v1.2.3\n"
        )));
    }
}
