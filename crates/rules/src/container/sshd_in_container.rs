//! CTR007 `sshd-in-container`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub SshdInContainer {
        id: "CTR007",
        name: "sshd-in-container",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.7)",
    }
}

impl Check for SshdInContainer {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
