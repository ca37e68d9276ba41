//! The operator's policy: thresholds and allow-lists some controls need.
//!
//! CIS leaves several decisions to the operator (how many stopped
//! containers is sprawl, whether swarm is wanted). The defaults here are
//! the catalog's; a configuration file can override them.

use serde::Deserialize;

/// Operator decisions the rules consult.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// CIS 6.2: fail when stopped minus running containers reaches this.
    pub container_sprawl_threshold: i64,
    /// CIS 6.1: fail when more images than this are unused by any
    /// container. `None` reports the counts for a person to judge.
    pub unused_image_threshold: Option<usize>,
    /// CIS 5.1: swarm mode is required on this host.
    pub swarm_required: bool,
    /// CIS 5.25: cgroup parents that are intended (e.g. an orchestrator's).
    pub allowed_cgroup_parents: Vec<String>,
    /// CIS 5.6: host paths that may be bind-mounted although they are
    /// under a sensitive directory (`/etc/localtime`). Read-only only.
    pub allowed_sensitive_mounts: Vec<String>,
    /// CIS 4.2 (hadolint DL3026): the registries images may come from
    /// (`docker.io`, `registry.example.com:5000`, `*.example.com`,
    /// `ghcr.io/myorg`; see [`crate::predicates::image_ref`]). Empty: any
    /// registry, and the rules that check it report nothing.
    pub trusted_registries: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            container_sprawl_threshold: 25,
            unused_image_threshold: None,
            swarm_required: false,
            allowed_cgroup_parents: Vec::new(),
            allowed_sensitive_mounts: Vec::new(),
            trusted_registries: Vec::new(),
        }
    }
}

impl Policy {
    /// Checks the values serde cannot: each `trusted_registries` entry
    /// must read as a registry (a typo must not trust nothing, or
    /// everything, silently).
    pub fn validate(&self) -> Result<(), String> {
        for entry in &self.trusted_registries {
            crate::predicates::image_ref::TrustedRegistry::parse(entry)
                .map_err(|e| format!("[policy] trusted_registries: {e}"))?;
        }
        Ok(())
    }
}
