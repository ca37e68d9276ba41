//! DMN002 `icc-enabled`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub IccEnabled {
        id: "DMN002",
        name: "icc-enabled",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.2)",
    }
}

impl Check for IccEnabled {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
