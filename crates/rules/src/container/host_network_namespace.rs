//! CTR010 `host-network-namespace`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub HostNetworkNamespace {
        id: "CTR010",
        name: "host-network-namespace",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.10)",
    }
}

impl Check for HostNetworkNamespace {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
