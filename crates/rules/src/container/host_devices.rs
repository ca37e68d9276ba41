//! CTR018 `host-devices`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub HostDevices {
        id: "CTR018",
        name: "host-devices",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.18)",
    }
}

impl Check for HostDevices {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
