//! DMN013 `no-remote-logging`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub NoRemoteLogging {
        id: "DMN013",
        name: "no-remote-logging",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.13)",
    }
}

impl Check for NoRemoteLogging {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
