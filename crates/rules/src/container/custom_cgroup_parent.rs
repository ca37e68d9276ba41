//! CTR025 `custom-cgroup-parent`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub CustomCgroupParent {
        id: "CTR025",
        name: "custom-cgroup-parent",
        severity: Low,
        target: Container,
        summary: "STUB (CIS 5.25)",
    }
}

impl Check for CustomCgroupParent {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
