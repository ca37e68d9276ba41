//! DMN016 `userland-proxy-enabled`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub UserlandProxyEnabled {
        id: "DMN016",
        name: "userland-proxy-enabled",
        severity: Low,
        target: Daemon,
        summary: "STUB (CIS 2.16)",
    }
}

impl Check for UserlandProxyEnabled {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
