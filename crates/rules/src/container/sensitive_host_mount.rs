//! CTR006 `sensitive-host-mount`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub SensitiveHostMount {
        id: "CTR006",
        name: "sensitive-host-mount",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.6)",
    }
}

impl Check for SensitiveHostMount {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
