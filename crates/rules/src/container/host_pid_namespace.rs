//! CTR016 `host-pid-namespace`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub HostPidNamespace {
        id: "CTR016",
        name: "host-pid-namespace",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.16)",
    }
}

impl Check for HostPidNamespace {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
