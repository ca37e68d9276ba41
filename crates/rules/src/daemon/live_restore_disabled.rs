//! DMN015 `live-restore-disabled`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub LiveRestoreDisabled {
        id: "DMN015",
        name: "live-restore-disabled",
        severity: Low,
        target: Daemon,
        summary: "STUB (CIS 2.15)",
    }
}

impl Check for LiveRestoreDisabled {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
