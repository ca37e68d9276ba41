//! CTR020 `shared-mount-propagation`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub SharedMountPropagation {
        id: "CTR020",
        name: "shared-mount-propagation",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.20)",
    }
}

impl Check for SharedMountPropagation {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
