//! CTR004 `added-capabilities`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub AddedCapabilities {
        id: "CTR004",
        name: "added-capabilities",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.4)",
    }
}

impl Check for AddedCapabilities {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
