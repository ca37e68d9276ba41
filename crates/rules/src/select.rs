//! Rule selection: `--select`, `--ignore` and `--level`.
//!
//! A selector is a rule id (`CTR005`), an id prefix (`CTR`), a rule name
//! (`privileged-container`), a control id of the selected benchmark
//! (`5.5`), or a section (`5`). Selection starts from `--select` (every
//! rule when it is empty), then removes what `--ignore` names, then keeps
//! rules whose controls are at or below `--level` (CIS level 2 includes
//! level 1). Rules that map to no control of the benchmark are kept by
//! `--level`: they are bulwark's own baseline.

use crate::benchmark::Benchmark;
use crate::rule::{Rule, RuleMeta};

/// One parsed selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// `CTR005`.
    RuleId(String),
    /// `CTR`, `DMN`.
    IdPrefix(String),
    /// `privileged-container`.
    Name(String),
    /// `5.5`.
    Control(String),
    /// `5`.
    Section(String),
}

impl Selector {
    /// Parses a selector, checking it names something that exists so that
    /// a typo is an error rather than a silently empty selection.
    pub fn parse(text: &str, rules: &[&dyn Rule], benchmark: &Benchmark) -> Result<Self, String> {
        let t = text.trim();
        let upper = t.to_ascii_uppercase();
        if rules.iter().any(|r| r.meta().id == upper) {
            return Ok(Selector::RuleId(upper));
        }
        if !upper.is_empty()
            && upper.chars().all(|c| c.is_ascii_alphanumeric())
            && rules.iter().any(|r| r.meta().id.starts_with(&upper))
        {
            return Ok(Selector::IdPrefix(upper));
        }
        if rules.iter().any(|r| r.meta().name == t) {
            return Ok(Selector::Name(t.to_string()));
        }
        if benchmark.controls.iter().any(|c| c.id == t) {
            return Ok(Selector::Control(t.to_string()));
        }
        if benchmark.sections.iter().any(|s| s.id == t) {
            return Ok(Selector::Section(t.to_string()));
        }
        Err(format!(
            "`{t}` is not a rule id, rule name, control or section of {}; see `bulwark rules`",
            benchmark.id
        ))
    }

    fn matches(&self, rule: &RuleMeta, benchmark: &Benchmark) -> bool {
        match self {
            Selector::RuleId(id) => rule.id == id,
            Selector::IdPrefix(p) => rule.id.starts_with(p.as_str()),
            Selector::Name(n) => rule.name == n,
            Selector::Control(c) => benchmark.controls_of(rule.id).any(|x| &x.id == c),
            Selector::Section(s) => benchmark.controls_of(rule.id).any(|x| x.section() == s),
        }
    }
}

/// A complete selection.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<Selector>,
    pub ignore: Vec<Selector>,
    /// Keep only controls at or below this CIS level.
    pub level: Option<u8>,
}

impl Selection {
    /// Whether `rule` takes part in the run.
    pub fn includes(&self, rule: &RuleMeta, benchmark: &Benchmark) -> bool {
        let selected =
            self.select.is_empty() || self.select.iter().any(|s| s.matches(rule, benchmark));
        let ignored = self.ignore.iter().any(|s| s.matches(rule, benchmark));
        let level_ok = match self.level {
            None => true,
            Some(max) => {
                let mut controls = benchmark.controls_of(rule.id).peekable();
                controls.peek().is_none() || controls.any(|c| c.level <= max)
            }
        };
        selected && !ignored && level_ok
    }

    /// The selected rules, in registry order.
    pub fn apply<'r>(&self, rules: &[&'r dyn Rule], benchmark: &Benchmark) -> Vec<&'r dyn Rule> {
        rules
            .iter()
            .copied()
            .filter(|r| self.includes(r.meta(), benchmark))
            .collect()
    }
}
