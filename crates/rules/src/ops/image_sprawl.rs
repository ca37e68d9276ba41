//! OPS001 `image-sprawl`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub ImageSprawl {
        id: "OPS001",
        name: "image-sprawl",
        severity: Low,
        target: Ops,
        summary: "STUB (CIS 6.1)",
    }
}

impl Check for ImageSprawl {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
