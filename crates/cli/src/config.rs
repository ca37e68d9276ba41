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
}

impl Config {
    /// Reads `path`, or returns the defaults when no file is named.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        toml::from_str(&text).map_err(|e| {
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
        })
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
    fn no_file_means_defaults() -> anyhow::Result<()> {
        assert_eq!(Config::load(None)?.policy.container_sprawl_threshold, 25);
        Ok(())
    }
}
