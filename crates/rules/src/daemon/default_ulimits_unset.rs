//! DMN008 `default-ulimits-unset`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub DefaultUlimitsUnset {
        id: "DMN008",
        name: "default-ulimits-unset",
        severity: Low,
        target: Daemon,
        summary: "STUB (CIS 2.8)",
    }
}

impl Check for DefaultUlimitsUnset {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
