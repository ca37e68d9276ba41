//! DMN017 `no-custom-seccomp-profile`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NoCustomSeccompProfile {
        id: "DMN017",
        name: "no-custom-seccomp-profile",
        severity: Low,
        target: Daemon,
        summary: "STUB (CIS 2.17)",
    }
}

impl Check for NoCustomSeccompProfile {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
