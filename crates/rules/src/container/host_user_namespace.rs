//! CTR031 `host-user-namespace`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub HostUserNamespace {
        id: "CTR031",
        name: "host-user-namespace",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.31)",
    }
}

impl Check for HostUserNamespace {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
