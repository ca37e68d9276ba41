//! DMN009 `userns-remap-disabled`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub UsernsRemapDisabled {
        id: "DMN009",
        name: "userns-remap-disabled",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.9)",
    }
}

impl Check for UsernsRemapDisabled {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
