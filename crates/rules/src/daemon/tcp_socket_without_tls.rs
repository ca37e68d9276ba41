//! DMN007 `tcp-socket-without-tls`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub TcpSocketWithoutTls {
        id: "DMN007",
        name: "tcp-socket-without-tls",
        severity: Critical,
        target: Daemon,
        summary: "STUB (CIS 2.7)",
    }
}

impl Check for TcpSocketWithoutTls {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
