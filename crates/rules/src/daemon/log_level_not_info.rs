//! DMN003 `log-level-not-info`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub LogLevelNotInfo {
        id: "DMN003",
        name: "log-level-not-info",
        severity: Low,
        target: Daemon,
        summary: "STUB (CIS 2.3)",
    }
}

impl Check for LogLevelNotInfo {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
