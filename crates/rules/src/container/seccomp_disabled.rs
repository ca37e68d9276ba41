//! CTR022 `seccomp-disabled`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub SeccompDisabled {
        id: "CTR022",
        name: "seccomp-disabled",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.22)",
    }
}

impl Check for SeccompDisabled {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
