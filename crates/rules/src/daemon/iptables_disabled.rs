//! DMN004 `iptables-disabled`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub IptablesDisabled {
        id: "DMN004",
        name: "iptables-disabled",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.4)",
    }
}

impl Check for IptablesDisabled {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
