//! CTR002 `apparmor-unconfined`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub ApparmorUnconfined {
        id: "CTR002",
        name: "apparmor-unconfined",
        severity: High,
        target: Container,
        summary: "STUB (CIS 5.2)",
    }
}

impl Check for ApparmorUnconfined {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
