//! CTR029 `no-pids-limit`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NoPidsLimit {
        id: "CTR029",
        name: "no-pids-limit",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.29)",
    }
}

impl Check for NoPidsLimit {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
