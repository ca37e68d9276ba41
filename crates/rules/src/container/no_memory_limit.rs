//! CTR011 `no-memory-limit`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NoMemoryLimit {
        id: "CTR011",
        name: "no-memory-limit",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.11)",
    }
}

impl Check for NoMemoryLimit {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
