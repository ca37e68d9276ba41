//! Benchmarks: thin mappings from a published benchmark's control ids to
//! bulwark's rule ids.
//!
//! CIS renumbers controls between versions (1.6.0 moved swarm to 5.1; 1.8.0
//! inserted a 2.7), so control numbers live only in `benchmarks/*.toml` at
//! the repository root, never in a rule. A finding shows the control id of
//! the benchmark the run selected, beside the rule id.

use serde::Deserialize;

/// A benchmark: its identity, sections and controls.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    /// `cis-docker-1.6.0`: what `--benchmark` takes.
    pub id: String,
    pub title: String,
    pub version: String,
    pub sections: Vec<Section>,
    pub controls: Vec<Control>,
}

/// A section of a benchmark (`5 Container runtime`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
}

/// One control and the rules that decide it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// `5.5`.
    pub id: String,
    /// The control's title, quoted as an identifier.
    pub title: String,
    /// The CIS profile level: 1 or 2.
    pub level: u8,
    /// The benchmark's own assessment tag: `automated` or `manual`. Only
    /// metadata: bulwark automates the evidence of most manual controls.
    pub assessment: Assessment,
    /// The rule ids that decide it. Every control has at least one: a
    /// control a machine cannot decide has a rule that collects the
    /// evidence and reports `manual` with what to verify.
    pub rules: Vec<String>,
}

/// See [`Control::assessment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Assessment {
    Automated,
    Manual,
}

impl Control {
    /// The section id: the part before the first dot (`5.5` → `5`).
    pub fn section(&self) -> &str {
        self.id.split('.').next().unwrap_or(&self.id)
    }
}

/// The benchmarks bulwark ships, built in.
const BUILT_IN: &[(&str, &str)] = &[(
    "cis-docker-1.6.0",
    include_str!("../../../benchmarks/cis-docker-1.6.0.toml"),
)];

/// The benchmark used when none is named.
pub const DEFAULT_BENCHMARK: &str = "cis-docker-1.6.0";

impl Benchmark {
    /// The ids of the built-in benchmarks.
    pub fn available() -> impl Iterator<Item = &'static str> {
        BUILT_IN.iter().map(|(id, _)| *id)
    }

    /// Loads a built-in benchmark by id.
    pub fn load(id: &str) -> Result<Benchmark, String> {
        let (_, text) = BUILT_IN.iter().find(|(k, _)| *k == id).ok_or_else(|| {
            format!(
                "unknown benchmark `{id}`; available: {}",
                Benchmark::available().collect::<Vec<_>>().join(", ")
            )
        })?;
        Benchmark::parse(text).map_err(|e| format!("benchmarks/{id}.toml: {e}"))
    }

    /// Parses a benchmark file.
    pub fn parse(text: &str) -> Result<Benchmark, toml::de::Error> {
        toml::from_str(text)
    }

    /// The controls a rule decides, in benchmark order.
    pub fn controls_of<'b>(&'b self, rule_id: &'b str) -> impl Iterator<Item = &'b Control> {
        self.controls
            .iter()
            .filter(move |c| c.rules.iter().any(|r| r == rule_id))
    }

    /// The title of a section.
    pub fn section_title(&self, id: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.title.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_benchmark_parses() {
        for id in Benchmark::available() {
            let b = Benchmark::load(id).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(b.id, id);
            assert!(!b.controls.is_empty());
        }
    }

    #[test]
    fn control_ids_are_unique_and_in_a_declared_section() {
        let b = Benchmark::load(DEFAULT_BENCHMARK).unwrap_or_else(|e| panic!("{e}"));
        let mut seen = std::collections::HashSet::new();
        for c in &b.controls {
            assert!(seen.insert(&c.id), "duplicate control {}", c.id);
            assert!(
                b.section_title(c.section()).is_some(),
                "{} has no section",
                c.id
            );
            assert!(matches!(c.level, 1 | 2), "{} has level {}", c.id, c.level);
            assert!(!c.rules.is_empty(), "{} names no rule", c.id);
        }
    }

    #[test]
    fn an_unknown_benchmark_lists_the_known_ones() {
        let err = Benchmark::load("cis-docker-9").unwrap_err();
        assert!(err.contains("cis-docker-1.6.0"), "{err}");
    }
}
