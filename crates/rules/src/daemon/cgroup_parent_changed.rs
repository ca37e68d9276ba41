//! DMN010 `cgroup-parent-changed`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub CgroupParentChanged {
        id: "DMN010",
        name: "cgroup-parent-changed",
        severity: Low,
        target: Daemon,
        summary: "STUB (CIS 2.10)",
    }
}

impl Check for CgroupParentChanged {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
