//! Exec sessions: what "none found" covers. Shared by CIS 5.23 and 5.24.

use bulwark_facts::{ContainerFacts, ExecInspect};

/// What "none found" covers: the engine lists only exec sessions that
/// have not exited, and forgets all of them when the container restarts.
pub fn window(c: &ContainerFacts, execs: &[ExecInspect]) -> String {
    let started = match c.inspect.state.started_at.as_str() {
        "" => "an unknown time",
        t => t,
    };
    let listed = match execs.len() {
        0 => "none is open now".to_string(),
        1 => "1 is open now".to_string(),
        n => format!("{n} are open now"),
    };
    format!(
        "{listed}; the engine does not list sessions that have exited, nor any from before the last start ({started})."
    )
}
