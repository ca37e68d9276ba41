//! OPS002 `container-sprawl`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub ContainerSprawl {
        id: "OPS002",
        name: "container-sprawl",
        severity: Low,
        target: Ops,
        summary: "STUB (CIS 6.2)",
    }
}

impl Check for ContainerSprawl {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
