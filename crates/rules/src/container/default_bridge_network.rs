//! CTR030 `default-bridge-network`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub DefaultBridgeNetwork {
        id: "CTR030",
        name: "default-bridge-network",
        severity: Low,
        target: Container,
        summary: "STUB (CIS 5.30)",
    }
}

impl Check for DefaultBridgeNetwork {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
