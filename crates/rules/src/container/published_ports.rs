//! CTR009 `published-ports`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub PublishedPorts {
        id: "CTR009",
        name: "published-ports",
        severity: Low,
        target: Container,
        summary: "STUB (CIS 5.9)",
    }
}

impl Check for PublishedPorts {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
