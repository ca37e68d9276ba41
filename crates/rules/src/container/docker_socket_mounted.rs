//! CTR032 `docker-socket-mounted`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub DockerSocketMounted {
        id: "CTR032",
        name: "docker-socket-mounted",
        severity: Critical,
        target: Container,
        summary: "STUB (CIS 5.32)",
    }
}

impl Check for DockerSocketMounted {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
