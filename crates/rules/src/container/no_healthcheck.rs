//! CTR027 `no-healthcheck`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NoHealthcheck {
        id: "CTR027",
        name: "no-healthcheck",
        severity: Low,
        target: Container,
        summary: "STUB (CIS 5.27)",
    }
}

impl Check for NoHealthcheck {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
