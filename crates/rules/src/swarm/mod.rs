//! Rules about swarm mode (CIS 5.1 and, later, section 7).

mod swarm_mode_enabled;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[&swarm_mode_enabled::SwarmModeEnabled];
