//! DMN001 `daemon-runs-as-root`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub DaemonRunsAsRoot {
        id: "DMN001",
        name: "daemon-runs-as-root",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.1)",
    }
}

impl Check for DaemonRunsAsRoot {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
