//! CTR014 `port-bound-to-all-interfaces`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub PortBoundToAllInterfaces {
        id: "CTR014",
        name: "port-bound-to-all-interfaces",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.14)",
    }
}

impl Check for PortBoundToAllInterfaces {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
