//! DMN012 `no-authorization-plugin`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NoAuthorizationPlugin {
        id: "DMN012",
        name: "no-authorization-plugin",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.12)",
    }
}

impl Check for NoAuthorizationPlugin {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
