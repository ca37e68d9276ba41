//! DKF032 `unpinned-pip-package`.

use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, Takes, basename, is_dynamic, report_commands, split, subcommand};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether `pip install` (also `pip3`, `pip3.12`, `python -m pip`,
    /// `uv pip install`) names a package without an exact version:
    /// `requests` or `requests>=2` rather than `requests==2.31.0`. Exact
    /// pins are `==` (without a wildcard) and `===`; a direct reference
    /// (`pkg @ https://…`) and a VCS URL with `@<ref>` pass, as do local
    /// paths, wheels and archives, and requirement or constraint files
    /// (`-r`, `-c`: their pins are checked where they are written).
    /// Options and their values (`-i URL`, `--target DIR`, `-e PATH`) are
    /// skipped; a package given through a variable is not judged. Commands
    /// are read in shell form, heredoc scripts, exec form and `sh -c "…"`.
    /// One finding per package, at the package.
    ///
    /// ## Why it matters
    /// PyPI is open to anyone: without a pin, each build installs the
    /// newest release, so a hijacked account, a malicious release or a
    /// breaking change enters the image the day it is published, with no
    /// review and no way to rebuild what was tested.
    ///
    /// ## How to fix
    /// Pin exact versions, best in a requirements file with hashes:
    /// `pip install --require-hashes -r requirements.txt`, or
    /// `pip install requests==2.31.0`.
    ///
    /// ## Examples
    /// Fails: `RUN pip install requests`, `RUN pip install 'django>=4'`.
    /// Passes: `RUN pip install requests==2.31.0`, `RUN pip install -r requirements.txt`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3013, KICS "Unpinned Package Version in Pip Install"
    /// - <https://pip.pypa.io/en/stable/topics/secure-installs/>
    pub UnpinnedPip {
        id: "DKF032",
        name: "unpinned-pip-package",
        severity: Medium,
        target: Dockerfile,
        summary: "pip installs a package without a pinned version",
    }
}

const TAKES: Takes = Takes::new(&[
    "-r",
    "-c",
    "-e",
    "-i",
    "-f",
    "-t",
    "-C",
    "--requirement",
    "--constraint",
    "--editable",
    "--index-url",
    "--extra-index-url",
    "--find-links",
    "--target",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--src",
    "--upgrade-strategy",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--global-option",
    "--config-settings",
    "--progress-bar",
    "--log",
    "--cache-dir",
    "--only-binary",
    "--no-binary",
    "--report",
    "--root-user-action",
    "--python",
    "--build-option",
]);

/// The arguments after `pip` in `pip …`, `python -m pip …`, `uv pip …`.
fn pip_args(words: &[Word]) -> Option<&[Word]> {
    let program = basename(&words.first()?.value);
    let is_pip = program == "pip"
        || program
            .strip_prefix("pip")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if is_pip {
        return Some(&words[1..]);
    }
    if program.starts_with("python") {
        let m = words.iter().position(|w| w.value == "-m")?;
        return (words.get(m + 1)?.value == "pip").then(|| &words[m + 2..]);
    }
    if program == "uv" && words.get(1)?.value == "pip" {
        return Some(&words[2..]);
    }
    None
}

fn pinned(spec: &str) -> bool {
    if let Some(at) = spec.find("===") {
        return at > 0;
    }
    if let Some(at) = spec.find("==") {
        return at > 0 && !spec.contains('*') && !spec.contains(',');
    }
    // A direct or VCS reference with a ref: `pkg @ url`, `git+https://…@v1`.
    if spec.contains("://") || spec.starts_with("git+") {
        return spec
            .rsplit_once('@')
            .is_some_and(|(url, r)| url.contains('/') && !r.contains('/'))
            || !spec.starts_with("git+");
    }
    false
}

fn is_local(spec: &str) -> bool {
    spec.starts_with(['.', '/', '~'])
        || spec.contains('/') && !spec.contains("://") && !spec.starts_with("git+")
        || [".whl", ".tar.gz", ".zip", ".tar.bz2"]
            .iter()
            .any(|e| spec.ends_with(e))
}

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet =
    ProgramSet::of(&[Program::Pip, Program::Python, Program::Uv]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    let Some(args) = pip_args(words) else {
        return Vec::new();
    };
    if subcommand(args, &TAKES).is_none_or(|v| v.value != "install") {
        return Vec::new();
    }
    let parsed = split(args, &TAKES);
    let rest = parsed.rest();
    rest.iter()
        .enumerate()
        .filter(|(i, p)| {
            let v = p.value.as_str();
            // `pkg @ url`: the name before `@` is pinned by the URL.
            let direct = rest.get(i + 1).is_some_and(|n| n.value == "@")
                || v == "@"
                || (*i > 0 && rest[i - 1].value == "@");
            !direct && !is_dynamic(p) && !pinned(v) && !is_local(v)
        })
        .map(|(_, p)| {
            (
                *p,
                format!(
                    "`pip install` installs `{}` without an exact version (`==<version>`).",
                    p.value
                ),
            )
        })
        .collect()
}

impl Check for UnpinnedPip {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedPip, text)
    }

    #[test]
    fn each_unpinned_package_fails_at_its_word() {
        assert_eq!(
            positions(&lint(
                "FROM a\nRUN pip install --no-cache-dir requests flask==3.0.0\n"
            )),
            [(2, 32)]
        );
        for c in [
            "pip3 install 'django>=4'",
            "pip install 'x~=1.4'",
            "pip install 'x==1.*'",
            "python3 -m pip install --upgrade pip",
            "python -m pip install -i https://pypi.example/simple x",
            "uv pip install x",
            "pip3.12 install x",
            "pip install git+https://github.com/o/r.git",
        ] {
            assert_eq!(lint(&format!("FROM a\nRUN {c}\n")).len(), 1, "{c}");
        }
    }

    #[test]
    fn pins_files_and_references_pass() {
        for c in [
            "pip install requests==2.31.0 'x[extra]===1.0'",
            "pip install -r requirements.txt -c constraints.txt",
            "pip install --require-hashes -r /tmp/req.txt",
            "pip install -e .",
            "pip install . ./dist/x-1.0-py3-none-any.whl",
            "pip install git+https://github.com/o/r.git@v1.2.3",
            "pip install pkg @ https://example.com/pkg-1.0.tar.gz",
            "pip install $PKGS",
            "pip download x",
            "pip uninstall -y x",
            "echo pip install x",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(lint("FROM a\nRUN <<EOF\npip install x\nEOF\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN [\"pip\", \"install\", \"x\"]\n").len(), 1);
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN pip install --upgrade pip && pip install 'flask>=3' gunicorn==22.0.0\n"
        )));
    }
}
