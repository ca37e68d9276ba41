//! DKF033 `unpinned-npm-package`.

use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, Takes, basename, is_dynamic, report_commands, split};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether `npm install` (`npm i`, `npm add`), `yarn add`,
    /// `yarn global add` or `pnpm add` names a package without an exact
    /// version: `express`, `express@latest` or `express@^4` rather than
    /// `express@4.19.2` (scoped packages too: `@scope/pkg@1.2.3`). Git and
    /// URL sources need a `#<ref>`; local paths and tarballs pass.
    /// `npm install` and `npm ci` without package names install from
    /// `package.json` and its lock file and pass. Options and their values
    /// are skipped; a package given through a variable is not judged.
    /// Commands are read in shell form, heredoc scripts, exec form and
    /// `sh -c "…"`. One finding per package, at the package.
    ///
    /// ## Why it matters
    /// The npm registry is open to anyone, and hijacked or malicious
    /// releases are a recurring attack: without a pin, each build installs
    /// the newest one, unreviewed, and runs its install scripts as part of
    /// the build.
    ///
    /// ## How to fix
    /// Install from a lock file (`COPY package.json package-lock.json ./`
    /// then `RUN npm ci`), or pin exact versions: `npm install -g pm2@5.3.1`.
    ///
    /// ## Examples
    /// Fails: `RUN npm install -g pm2`, `RUN yarn add lodash@^4`.
    /// Passes: `RUN npm ci`, `RUN npm install -g pm2@5.3.1`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3016, KICS "NPM Install Command Without Pinned Version"
    /// - <https://docs.npmjs.com/cli/commands/npm-ci>
    pub UnpinnedNpm {
        id: "DKF033",
        name: "unpinned-npm-package",
        severity: Medium,
        target: Dockerfile,
        summary: "npm installs a package without a pinned version",
    }
}

const TAKES: Takes = Takes::new(&[
    "-w",
    "--prefix",
    "--registry",
    "--cache",
    "--tag",
    "--workspace",
    "--omit",
    "--include",
    "--install-strategy",
    "--loglevel",
    "--userconfig",
    "--globalconfig",
    "--before",
    "--cwd",
    "--network-timeout",
    "--modules-folder",
    "--filter",
    "-C",
    "--dir",
]);

/// An exact version: `4.19.2`, `v4.19.2`, `=4.19.2`, `1.0.0-beta.1`.
fn exact(version: &str) -> bool {
    let v = version.trim_start_matches(['=', 'v']);
    v.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !v.contains(['^', '~', '<', '>', '*', '|', ' '])
        && !v.split('.').any(|p| p == "x" || p == "X")
}

fn pinned(spec: &str) -> bool {
    if spec.starts_with(['.', '/', '~']) || spec.starts_with("file:") {
        return true;
    }
    if spec.ends_with(".tgz") || spec.ends_with(".tar.gz") {
        return true;
    }
    let remote = spec.contains("://")
        || spec.starts_with("git")
        || spec.starts_with("github:")
        || (spec.contains('/') && !spec.starts_with('@'));
    if remote {
        return spec.rsplit_once('#').is_some_and(|(_, r)| !r.is_empty());
    }
    // `name@version` or `@scope/name@version`.
    let body = spec.strip_prefix('@').unwrap_or(spec);
    match body.split_once('@') {
        Some((_, version)) => exact(version),
        None => false,
    }
}

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet =
    ProgramSet::of(&[Program::Npm, Program::Yarn, Program::Pnpm]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    let Some(program) = words.first() else {
        return Vec::new();
    };
    let name = basename(&program.value);
    if !matches!(name, "npm" | "yarn" | "pnpm") {
        return Vec::new();
    }
    let parsed = split(&words[1..], &TAKES);
    let ops = &parsed.operands;
    let packages: &[&Word] = match (name, ops.first().map(|w| w.value.as_str())) {
        ("npm", Some("install" | "i" | "add" | "isntall" | "in")) => &ops[1..],
        ("yarn", Some("add")) => &ops[1..],
        ("yarn", Some("global")) if ops.get(1).is_some_and(|w| w.value == "add") => &ops[2..],
        ("pnpm", Some("add" | "install" | "i")) => &ops[1..],
        _ => return Vec::new(),
    };
    let verb = ops[..ops.len() - packages.len()]
        .iter()
        .map(|w| w.value.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    packages
        .iter()
        .filter(|p| !is_dynamic(p) && !pinned(&p.value))
        .map(|p| {
            (
                *p,
                format!(
                    "`{name} {verb}` installs `{}` without an exact version (`<name>@<version>`).",
                    p.value
                ),
            )
        })
        .collect()
}

impl Check for UnpinnedNpm {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedNpm, text)
    }

    #[test]
    fn each_unpinned_package_fails_at_its_word() {
        assert_eq!(
            positions(&lint("FROM a\nRUN npm install -g pm2 typescript@5.4.5\n")),
            [(2, 20)]
        );
        for c in [
            "npm i express@latest",
            "npm install express@^4.19.0",
            "npm add @scope/pkg",
            "npm install @scope/pkg@~1.2.0",
            "yarn add lodash",
            "yarn global add serve",
            "pnpm add x@1.x",
            "npm install github:o/r",
            "npm install --prefix /opt x",
        ] {
            assert_eq!(lint(&format!("FROM a\nRUN {c}\n")).len(), 1, "{c}");
        }
    }

    #[test]
    fn exact_versions_lock_files_and_local_sources_pass() {
        for c in [
            "npm install -g pm2@5.3.1 @scope/pkg@1.0.0-beta.1",
            "npm install",
            "npm ci --omit dev",
            "npm install ./vendor/x.tgz ../lib",
            "npm install github:o/r#0123abc",
            "npm install $PKG",
            "yarn install --frozen-lockfile",
            "pnpm install --frozen-lockfile",
            "echo npm install x",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(lint("FROM a\nRUN <<EOF\nnpm install -g x\nEOF\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN sh -c 'npm i -g x'\n").len(), 1);
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN npm install -g pm2 @scope/x@^1 serve@14.2.3\n"
        )));
    }
}
