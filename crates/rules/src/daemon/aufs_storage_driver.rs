//! DMN006 `aufs-storage-driver`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub AufsStorageDriver {
        id: "DMN006",
        name: "aufs-storage-driver",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.6)",
    }
}

impl Check for AufsStorageDriver {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
