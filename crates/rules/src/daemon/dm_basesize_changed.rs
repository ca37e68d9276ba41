//! DMN011 `dm-basesize-changed`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub DmBasesizeChanged {
        id: "DMN011",
        name: "dm-basesize-changed",
        severity: Low,
        target: Daemon,
        summary: "STUB (CIS 2.11)",
    }
}

impl Check for DmBasesizeChanged {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
