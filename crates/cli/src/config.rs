//! `bulwark.toml`: the operator's settings.
//!
//! Only what CIS leaves to the operator lives here (thresholds and
//! allow-lists, see [`Policy`]); everything else is a command-line flag.
//! Unknown keys are errors, with the file, line and column, so a typo
//! never silently leaves a default in force.

use std::path::Path;

use anyhow::Context as _;
use bulwark_rules::Policy;
use serde::Deserialize;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub policy: Policy,
    pub lint: LintConfig,
}

/// `[lint]`: what `bulwark lint` leaves out.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LintConfig {
    /// `[[lint.ignore]]` entries: rules (ids or names; none means every
    /// rule) silenced in files matching any of `paths` (globs, `**`
    /// crossing directories), with the reason.
    pub ignore: Vec<IgnoreEntry>,
}

/// One `[[lint.ignore]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    pub paths: Vec<String>,
    #[serde(default)]
    pub rules: Vec<String>,
    /// Why; required, as for inline suppressions.
    pub reason: String,
}

impl LintConfig {
    /// Drops findings an ignore entry covers.
    pub fn apply_ignores(
        &self,
        findings: Vec<bulwark_rules::Finding>,
    ) -> Vec<bulwark_rules::Finding> {
        if self.ignore.is_empty() {
            return findings;
        }
        let entries: Vec<(globset::GlobSet, &IgnoreEntry)> = self
            .ignore
            .iter()
            .filter_map(|e| {
                let mut set = globset::GlobSetBuilder::new();
                for p in &e.paths {
                    set.add(globset::Glob::new(p).ok()?);
                }
                Some((set.build().ok()?, e))
            })
            .collect();
        findings
            .into_iter()
            .filter(|f| {
                let Some(loc) = &f.location else { return true };
                let path = loc.path.trim_start_matches("./");
                !entries.iter().any(|(set, e)| {
                    set.is_match(path)
                        && (e.rules.is_empty()
                            || e.rules
                                .iter()
                                .any(|r| r.eq_ignore_ascii_case(f.rule.id) || r == f.rule.name))
                })
            })
            .collect()
    }

    fn validate(&self) -> Result<(), String> {
        for e in &self.ignore {
            if e.reason.trim().is_empty() {
                return Err(format!("[[lint.ignore]] for {:?} needs a reason", e.paths));
            }
            for p in &e.paths {
                globset::Glob::new(p)
                    .map_err(|err| format!("[[lint.ignore]] path `{p}`: {err}"))?;
            }
        }
        Ok(())
    }
}

impl Config {
    /// Reads `path`, or returns the defaults when no file is named.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        let config: Config = toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            anyhow::anyhow!("{}{at}: {}", path.display(), e.message())
        })?;
        config
            .lint
            .validate()
            .and_then(|()| config.policy.validate())
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> anyhow::Result<Config> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("bulwark.toml");
        std::fs::write(&path, text)?;
        Config::load(Some(&path))
    }

    #[test]
    fn policy_values_override_defaults() -> anyhow::Result<()> {
        let c = load("[policy]\ncontainer_sprawl_threshold = 5\nswarm_required = true\n")?;
        assert_eq!(c.policy.container_sprawl_threshold, 5);
        assert!(c.policy.swarm_required);
        assert!(c.policy.allowed_cgroup_parents.is_empty());
        Ok(())
    }

    #[test]
    fn a_typo_is_an_error_with_its_position() {
        let err = load("[policy]\ncontainer_sprawl_treshold = 5\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("bulwark.toml:2:1"), "{err}");
        assert!(err.contains("container_sprawl_treshold"), "{err}");
    }

    #[test]
    fn lint_ignores_need_a_reason_and_valid_globs() {
        let err = load("[[lint.ignore]]\npaths = [\"legacy/**\"]\nreason = \"\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("needs a reason"), "{err}");
        let err = load("[[lint.ignore]]\npaths = [\"a[\"]\nreason = \"x\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("a["), "{err}");
        assert!(load("[[lint.ignore]]\npaths = [\"legacy/**\"]\nrules = [\"CMP001\"]\nreason = \"frozen\"\n").is_ok());
    }

    #[test]
    fn trusted_registries_are_read_and_checked() -> anyhow::Result<()> {
        let c =
            load("[policy]\ntrusted_registries = [\"docker.io/library\", \"*.example.com\"]\n")?;
        assert_eq!(c.policy.trusted_registries.len(), 2);
        let err = load("[policy]\ntrusted_registries = [\"https://ghcr.io\"]\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("bulwark.toml") && err.contains("without a scheme"),
            "{err}"
        );
        Ok(())
    }

    #[test]
    fn no_file_means_defaults() -> anyhow::Result<()> {
        assert_eq!(Config::load(None)?.policy.container_sprawl_threshold, 25);
        Ok(())
    }
}
