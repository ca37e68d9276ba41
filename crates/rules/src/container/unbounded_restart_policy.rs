//! CTR015 `unbounded-restart-policy`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub UnboundedRestartPolicy {
        id: "CTR015",
        name: "unbounded-restart-policy",
        severity: Low,
        target: Container,
        summary: "STUB (CIS 5.15)",
    }
}

impl Check for UnboundedRestartPolicy {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
