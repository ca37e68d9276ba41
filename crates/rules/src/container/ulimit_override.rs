//! CTR019 `ulimit-override`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub UlimitOverride {
        id: "CTR019",
        name: "ulimit-override",
        severity: Info,
        target: Container,
        summary: "STUB (CIS 5.19)",
    }
}

impl Check for UlimitOverride {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
