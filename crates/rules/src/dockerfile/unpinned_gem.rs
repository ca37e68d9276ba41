//! DKF034 `unpinned-gem`.

use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, Takes, install_operands, report_commands, split};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether `gem install` names a gem without a version: neither
    /// `-v`/`--version` (which applies to the gems of the command) nor the
    /// `name:version` form. An open requirement (`-v '>= 2'`) is not a pin.
    /// Local `.gem` files pass; everything after `--` is build options, not
    /// gems; options and their values are skipped, and a gem given through
    /// a variable is not judged. `bundle install` reads the lock file and
    /// is not checked. Commands are read in shell form, heredoc scripts,
    /// exec form and `sh -c "…"`. One finding per gem, at the gem.
    ///
    /// ## Why it matters
    /// RubyGems is open to anyone: without a pin, each build installs the
    /// newest release, so a hijacked or malicious release enters the image
    /// unreviewed, and an image cannot be rebuilt the way it was tested.
    ///
    /// ## How to fix
    /// `RUN gem install bundler -v 2.5.6`, or `bundle install` from a
    /// committed `Gemfile.lock`.
    ///
    /// ## Examples
    /// Fails: `RUN gem install bundler`.
    /// Passes: `RUN gem install bundler -v 2.5.6`, `RUN gem install bundler:2.5.6`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - hadolint DL3028, KICS "Gem Install Without Version"
    pub UnpinnedGem {
        id: "DKF034",
        name: "unpinned-gem",
        severity: Medium,
        target: Dockerfile,
        summary: "gem installs a gem without a pinned version",
    }
}

const TAKES: Takes = Takes::new(&[
    "-v",
    "-i",
    "-n",
    "-s",
    "-P",
    "-g",
    "--version",
    "--install-dir",
    "--bindir",
    "--source",
    "--trust-policy",
    "--platform",
    "--build-root",
    "--file",
    "--document",
    "--target-rbconfig",
]);

/// An exact version: `2.5.6`, `= 2.5.6`.
fn exact(version: &str) -> bool {
    let v = version.trim().trim_start_matches('=').trim();
    v.chars().next().is_some_and(|c| c.is_ascii_digit()) && !v.contains(['>', '<', '~', ',', ' '])
}

/// The programs [`unpinned`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[Program::Gem]);

pub(super) fn unpinned(words: &[Word]) -> Vec<(&Word, String)> {
    // Everything after `--` goes to the gem's build.
    let end = words
        .iter()
        .position(|w| w.value == "--")
        .unwrap_or(words.len());
    let words = &words[..end];
    let Some((_, gems)) = install_operands(words, &["gem"], &["install", "i"], &TAKES) else {
        return Vec::new();
    };
    let parsed = split(&words[1..], &TAKES);
    let version = parsed.options.iter().enumerate().find_map(|(i, o)| {
        let v = o.value.as_str();
        if v == "-v" || v == "--version" {
            parsed.options.get(i + 1).map(|n| n.value.to_string())
        } else if let Some(x) = v.strip_prefix("--version=") {
            Some(x.to_string())
        } else if !v.starts_with("--") && v.starts_with("-v") && v.len() > 2 {
            Some(v[2..].to_string())
        } else {
            None
        }
    });
    if version.as_deref().is_some_and(exact) {
        return Vec::new();
    }
    gems.into_iter()
        .filter(|g| {
            let v = g.value.as_str();
            let colon = v.split_once(':').is_some_and(|(_, ver)| exact(ver));
            !colon && !v.ends_with(".gem") && !v.starts_with(['.', '/'])
        })
        .map(|g| {
            (
                g,
                format!(
                    "`gem install` installs `{}` without a version (`-v <version>`).",
                    g.value
                ),
            )
        })
        .collect()
}

impl Check for UnpinnedGem {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        report_commands(ctx, out, PROGRAMS, unpinned);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&UnpinnedGem, text)
    }

    #[test]
    fn each_unpinned_gem_fails_at_its_word() {
        assert_eq!(
            positions(&lint("FROM a\nRUN gem install --no-document bundler\n")),
            [(2, 31)]
        );
        assert_eq!(lint("FROM a\nRUN gem install rails -v '>= 7'\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN gem install a b\n").len(), 2);
        assert_eq!(
            lint("FROM a\nRUN gem install mysql2 -- --with-mysql-config=/usr/bin/mysql_config\n")
                .len(),
            1
        );
    }

    #[test]
    fn versions_files_and_bundler_pass() {
        for c in [
            "gem install bundler -v 2.5.6",
            "gem install bundler --version=2.5.6",
            "gem install bundler:2.5.6 rake:13.1.0",
            "gem install ./x-1.0.gem",
            "gem install $GEMS",
            "bundle install",
            "gem update --system",
            "echo gem install x",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(lint("FROM a\nRUN <<EOF\ngem install x\nEOF\n").len(), 1);
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN gem install bundler rake:13.1.0\n"
        )));
    }
}
