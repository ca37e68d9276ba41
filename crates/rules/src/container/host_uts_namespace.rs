//! CTR021 `host-uts-namespace`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub HostUtsNamespace {
        id: "CTR021",
        name: "host-uts-namespace",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.21)",
    }
}

impl Check for HostUtsNamespace {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
