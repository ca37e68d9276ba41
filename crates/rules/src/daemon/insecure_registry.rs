//! DMN005 `insecure-registry`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub InsecureRegistry {
        id: "DMN005",
        name: "insecure-registry",
        severity: High,
        target: Daemon,
        summary: "STUB (CIS 2.5)",
    }
}

impl Check for InsecureRegistry {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
