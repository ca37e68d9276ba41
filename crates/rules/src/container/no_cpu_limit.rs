//! CTR012 `no-cpu-limit`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NoCpuLimit {
        id: "CTR012",
        name: "no-cpu-limit",
        severity: Low,
        target: Container,
        summary: "STUB (CIS 5.12)",
    }
}

impl Check for NoCpuLimit {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
