//! DMN014 `new-privileges-allowed-by-default`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NewPrivilegesAllowedByDefault {
        id: "DMN014",
        name: "new-privileges-allowed-by-default",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.14)",
    }
}

impl Check for NewPrivilegesAllowedByDefault {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
