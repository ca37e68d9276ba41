//! CTR023 `privileged-exec`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub PrivilegedExec {
        id: "CTR023",
        name: "privileged-exec",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.23)",
    }
}

impl Check for PrivilegedExec {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
