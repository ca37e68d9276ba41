//! Processes of each running container, found by walking the host's
//! `/proc` and reading each process's cgroup (catalog 5.7).
//!
//! Never `docker exec … ps`: exec opens sessions in production containers,
//! fails in images without `ps`, and in a `--pid=host` container lists
//! every process on the host (the auditor's own `grep sshd` included). A
//! process belongs to a container when its cgroup path names the
//! container's id (`/docker/<id>`, `/system.slice/docker-<id>.scope`),
//! which holds for `--pid=host` containers too.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use bulwark_facts::{Containers, Gap, Part, Process};

use crate::daemon_process::pids;

/// Fills `processes` of every running container.
pub fn attribute(containers: &mut Containers) {
    let running: HashMap<String, usize> = containers
        .items
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_running())
        .map(|(i, c)| (c.inspect.id.clone(), i))
        .collect();
    if running.is_empty() {
        return;
    }
    let mut found: HashMap<usize, Vec<Process>> = HashMap::new();
    for pid in pids() {
        let Ok(cgroup) = fs::read_to_string(format!("/proc/{pid}/cgroup")) else {
            continue; // exited while we walked
        };
        let Some(index) = container_ids(&cgroup).find_map(|id| running.get(id)) else {
            continue;
        };
        let comm = fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|c| c.trim_end().to_string())
            .unwrap_or_default();
        let exe = fs::read_link(format!("/proc/{pid}/exe"))
            .ok()
            .and_then(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
            .unwrap_or_default();
        found
            .entry(*index)
            .or_default()
            .push(Process { pid, comm, exe });
    }
    for (id, index) in running {
        let c = &mut containers.items[index];
        let init = c.inspect.state.pid;
        c.processes = if init > 0 && !Path::new(&format!("/proc/{init}")).exists() {
            Part::Missing(Gap::skipped(format!(
                "the container's processes are not visible from this PID namespace (its init, pid {init}, is not in /proc)"
            )))
        } else {
            let mut procs = found.remove(&index).unwrap_or_default();
            procs.sort_by_key(|p| p.pid);
            tracing::debug!(container = %id, processes = procs.len(), "attributed");
            Part::Collected(procs)
        };
    }
}

/// Every 64-hex-digit run in a `/proc/PID/cgroup` file: the container ids
/// its cgroup paths name.
pub fn container_ids(cgroup: &str) -> impl Iterator<Item = &str> {
    cgroup.lines().flat_map(|line| {
        let path = line.splitn(3, ':').nth(2).unwrap_or("");
        path.split(|c: char| !c.is_ascii_hexdigit())
            .filter(|run| run.len() == 64)
    })
}

#[cfg(test)]
mod tests {
    use super::container_ids;

    const ID: &str = "f47e733c8c70865836d8b21c95c49fc056ce014b52280c09acb697abac9b72a4";

    #[test]
    fn ids_from_cgroup_v1_and_v2_and_systemd_paths() {
        let v1 = format!("12:pids:/docker/{ID}\n4:memory:/docker/{ID}\n");
        assert!(container_ids(&v1).all(|id| id == ID));
        let v2 = format!("0::/system.slice/docker-{ID}.scope\n");
        assert_eq!(container_ids(&v2).collect::<Vec<_>>(), vec![ID]);
    }

    #[test]
    fn host_processes_name_no_container() {
        assert_eq!(
            container_ids("0::/user.slice/session-1.scope\n1:cpu:/\n").count(),
            0
        );
        // A longer hex run is not an id.
        let long = format!("0::/x/{ID}ff\n");
        assert_eq!(container_ids(&long).count(), 0);
    }
}
