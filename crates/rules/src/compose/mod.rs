//! Rules about compose files: the compose form of the runtime concepts
//! (privileged, capabilities, mounts, namespaces, limits, root user).

mod privileged_service;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[&privileged_service::PrivilegedService];
