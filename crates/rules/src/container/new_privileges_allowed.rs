//! CTR026 `new-privileges-allowed`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NewPrivilegesAllowed {
        id: "CTR026",
        name: "new-privileges-allowed",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.26)",
    }
}

impl Check for NewPrivilegesAllowed {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
