//! DMN018 `experimental-features-enabled`. STUB: to be written.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;

declare_rule! {
    /// STUB
    pub ExperimentalFeaturesEnabled {
        id: "DMN018",
        name: "experimental-features-enabled",
        severity: Medium,
        target: Daemon,
        summary: "STUB (CIS 2.18)",
    }
}

impl Check for ExperimentalFeaturesEnabled {
    fn check(&self, _ctx: &Context<'_>, _out: &mut Findings<'_>) {}
}
