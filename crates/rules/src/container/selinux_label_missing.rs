//! CTR003 `selinux-label-missing`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub SelinuxLabelMissing {
        id: "CTR003",
        name: "selinux-label-missing",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.3)",
    }
}

impl Check for SelinuxLabelMissing {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
