//! CTR024 `root-exec`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub RootExec {
        id: "CTR024",
        name: "root-exec",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.24)",
    }
}

impl Check for RootExec {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
