//! CTR013 `writable-root-filesystem`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub WritableRootFilesystem {
        id: "CTR013",
        name: "writable-root-filesystem",
        severity: Medium,
        target: Container,
        summary: "STUB (CIS 5.13)",
    }
}

impl Check for WritableRootFilesystem {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
