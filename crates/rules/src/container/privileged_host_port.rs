//! CTR008 `privileged-host-port`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub PrivilegedHostPort {
        id: "CTR008",
        name: "privileged-host-port",
        severity: Low,
        target: Container,
        summary: "STUB (CIS 5.8)",
    }
}

impl Check for PrivilegedHostPort {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
