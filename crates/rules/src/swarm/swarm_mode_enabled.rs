//! SWM001 `swarm-mode-enabled`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub SwarmModeEnabled {
        id: "SWM001",
        name: "swarm-mode-enabled",
        severity: Low,
        target: Swarm,
        summary: "STUB (CIS 5.1)",
    }
}

impl Check for SwarmModeEnabled {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
