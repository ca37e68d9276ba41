//! CTR028 `stale-image`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub StaleImage {
        id: "CTR028",
        name: "stale-image",
        severity: Low,
        target: Container,
        summary: "STUB (CIS 5.28)",
    }
}

impl Check for StaleImage {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
