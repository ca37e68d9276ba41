//! CTR017 `host-ipc-namespace`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub HostIpcNamespace {
        id: "CTR017",
        name: "host-ipc-namespace",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.17)",
    }
}

impl Check for HostIpcNamespace {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
