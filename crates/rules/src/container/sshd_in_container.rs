//! CTR007 `sshd-in-container`.

use bulwark_facts::{ContainerFacts, Part};

use crate::context::{Context, gap_verdict};
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether an SSH daemon runs inside a running container. The processes
    /// are the ones the collector attributed to the container by their
    /// cgroup on the host (`/proc/<pid>/cgroup`), never by `docker exec`, so
    /// images without `ps` are checked too, and a `--pid=host` container is
    /// not blamed for the host's own sshd.
    ///
    /// - Fails when a process's name (`/proc/<pid>/comm`) or executable
    ///   (basename of `/proc/<pid>/exe`) is `sshd`, or one of OpenSSH's
    ///   helper names `sshd-session` and `sshd-auth`.
    /// - Passes otherwise.
    /// - Stopped containers have no processes and are not checked. When the
    ///   processes were not collected (remote daemon, no access to the
    ///   host's `/proc`) the finding is skipped or an error, with the
    ///   collector's reason; a running container with no attributed process
    ///   at all is an error, never a pass.
    ///
    /// A port 22 in `Config.ExposedPorts` or published in
    /// `NetworkSettings.Ports` is added as evidence.
    ///
    /// ## Why it matters
    /// An SSH server in a container is a second way in that bypasses the
    /// engine: it needs its own keys, passwords and updates, which are
    /// rarely managed, and it invites people to change running containers
    /// by hand instead of rebuilding them. `docker exec` already gives
    /// operators a shell, through the daemon's access control and audit
    /// trail.
    ///
    /// ## How to fix
    /// Remove the SSH server from the image (`openssh-server` and the
    /// `CMD`/entrypoint or supervisor entry that starts `sshd`) and stop
    /// publishing port 22. Use `docker exec -it <container> sh` for
    /// interactive access, and `docker cp` or volumes to move files.
    ///
    /// ## Examples
    /// Fails: a container from an image whose entrypoint runs
    /// `/usr/sbin/sshd -D`.
    /// Passes: `docker run nginx` (processes `nginx` only).
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.7
    /// - <https://docs.docker.com/reference/cli/docker/container/exec/>
    pub SshdInContainer {
        id: "CTR007",
        name: "sshd-in-container",
        severity: Medium,
        target: Container,
        summary: "A container runs an SSH server",
    }
}

/// Process names of an OpenSSH server; 9.8 split per-connection work into
/// `sshd-session` and `sshd-auth`.
const SSHD_NAMES: [&str; 3] = ["sshd", "sshd-session", "sshd-auth"];

impl Check for SshdInContainer {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_running_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let processes = match &c.processes {
        Part::Collected(p) => p,
        Part::Missing(gap) => return gap_verdict(gap),
    };
    if processes.is_empty() {
        return Verdict::error(
            "no-processes-attributed",
            "No process was attributed to this running container, so sshd cannot be ruled out.",
        );
    }

    let mut pids = Vec::new();
    let mut evidence = Vec::new();
    for p in processes {
        let comm = SSHD_NAMES.contains(&p.comm.as_str());
        let exe = SSHD_NAMES.contains(&p.exe.as_str());
        if !comm && !exe {
            continue;
        }
        pids.push(p.pid.to_string());
        // Show whichever name gave it away; comm first, as the kernel
        // reports it even when exe is unreadable.
        if comm {
            evidence.push(Evidence::new(
                Source::Proc,
                format!("/proc/{}/comm", p.pid),
                p.comm.as_str(),
            ));
        }
        if exe && p.exe != p.comm {
            evidence.push(Evidence::new(
                Source::Proc,
                format!("/proc/{}/exe", p.pid),
                p.exe.as_str(),
            ));
        }
    }

    if pids.is_empty() {
        let mut names: Vec<&str> = processes.iter().map(|p| p.comm.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let n = processes.len();
        let plural = if n == 1 { "" } else { "es" };
        return Verdict::pass(format!("No sshd among its {n} process{plural}.")).with(
            Evidence::new(
                Source::Proc,
                "/proc/<pid>/comm of the container's processes",
                names,
            ),
        );
    }

    Verdict::fail(format!(
        "Runs an SSH server (host pid {}).",
        pids.join(", ")
    ))
    .with_all(evidence)
    .with_all(port_22(c))
}

/// Port 22 exposed by the image or published on the host: corroborating
/// evidence, never the verdict on its own (any service may use 22).
fn port_22(c: &ContainerFacts) -> Vec<Evidence> {
    let mut evidence = Vec::new();
    for key in ["22/tcp", "22/udp"] {
        // JSON pointers escape `/` in a key as `~1`.
        let escaped = key.replace('/', "~1");
        if c.inspect
            .config
            .exposed_ports
            .as_ref()
            .is_some_and(|p| p.contains_key(key))
        {
            evidence.push(Evidence::inspect(
                format!("/Config/ExposedPorts/{escaped}"),
                serde_json::json!({}),
            ));
        }
        let published = c
            .inspect
            .network_settings
            .ports
            .as_ref()
            .and_then(|p| p.get(key))
            .and_then(Option::as_ref);
        if let Some(bindings) = published.filter(|b| !b.is_empty()) {
            evidence.push(Evidence::inspect(
                format!("/NetworkSettings/Ports/{escaped}"),
                serde_json::to_value(bindings).unwrap_or_default(),
            ));
        }
    }
    evidence
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Process};
    use serde_json::json;

    use super::*;
    use crate::finding::{Finding, Status};
    use crate::testing::*;

    fn proc(pid: i64, comm: &str, exe: &str) -> Process {
        Process {
            pid,
            comm: comm.into(),
            exe: exe.into(),
        }
    }

    fn with_processes(v: serde_json::Value, processes: Part<Vec<Process>>) -> ContainerFacts {
        let mut c = container(v);
        c.processes = processes;
        c
    }

    fn finding(c: ContainerFacts) -> Finding {
        only(run(&SshdInContainer, &with_containers(host(), vec![c])))
    }

    #[test]
    fn an_sshd_process_fails() {
        let f = finding(with_processes(
            json!({}),
            Part::Collected(vec![proc(4242, "sshd", "sshd"), proc(4300, "bash", "bash")]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(
            f.evidence,
            vec![Evidence::new(Source::Proc, "/proc/4242/comm", "sshd")]
        );
        assert!(f.message.contains("4242"), "{}", f.message);
    }

    #[test]
    fn a_renamed_comm_is_caught_by_the_exe() {
        // A supervisor may rename the process; the exe still says sshd.
        let f = finding(with_processes(
            json!({}),
            Part::Collected(vec![proc(51, "ssh-server", "sshd")]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].at, "/proc/51/exe");
    }

    #[test]
    fn openssh_session_helpers_count() {
        let f = finding(with_processes(
            json!({}),
            Part::Collected(vec![proc(60, "sshd-session", "sshd-session")]),
        ));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn other_processes_pass_and_lookalikes_do_not_fail() {
        let f = finding(with_processes(
            json!({}),
            Part::Collected(vec![
                proc(10, "nginx", "nginx"),
                proc(11, "nginx", "nginx"),
                proc(12, "sshd_exporter", "sshd_exporter"),
                proc(13, "ssh", "ssh"),
            ]),
        ));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(
            f.evidence[0].value,
            json!(["nginx", "ssh", "sshd_exporter"])
        );
    }

    #[test]
    fn port_22_is_evidence_but_not_a_verdict() {
        let c = json!({"Config": {"ExposedPorts": {"22/tcp": {}}},
                       "NetworkSettings": {"Ports": {"22/tcp": [{"HostIp": "0.0.0.0", "HostPort": "2222"}]}}});
        let f = finding(with_processes(
            c.clone(),
            Part::Collected(vec![proc(7, "sshd", "sshd")]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "/Config/ExposedPorts/22~1tcp")
        );
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "/NetworkSettings/Ports/22~1tcp")
        );
        let f = finding(with_processes(
            c,
            Part::Collected(vec![proc(7, "gitea", "gitea")]),
        ));
        assert_eq!(f.status, Status::Pass);
    }

    #[test]
    fn a_host_pid_container_is_judged_by_its_own_processes() {
        // The pitfall: `docker exec ps` in a --pid=host container lists the
        // host's sshd. Cgroup attribution gives only the container's own.
        let f = finding(with_processes(
            json!({"HostConfig": {"PidMode": "host"}}),
            Part::Collected(vec![proc(900, "node_exporter", "node_exporter")]),
        ));
        assert_eq!(f.status, Status::Pass);
    }

    #[test]
    fn processes_not_collected_is_skipped_or_error() {
        let f = finding(with_processes(
            json!({}),
            Part::Missing(Gap::skipped("remote daemon: host /proc not readable")),
        ));
        assert_eq!(f.status, Status::Skipped);
        assert_eq!(f.reason, Some("not-collected"));
        assert!(f.message.contains("remote daemon"));

        let f = finding(with_processes(
            json!({}),
            Part::Missing(Gap::error("EACCES on /proc/4242/cgroup")),
        ));
        assert_eq!(f.status, Status::Error);
    }

    #[test]
    fn no_attributed_process_is_an_error_not_a_pass() {
        // The pitfall: images without ps silently passed.
        let f = finding(with_processes(json!({}), Part::Collected(vec![])));
        assert_eq!(f.status, Status::Error);
        assert_eq!(f.reason, Some("no-processes-attributed"));
    }

    #[test]
    fn stopped_containers_are_not_checked() {
        let stopped = with_processes(
            json!({"State": {"Status": "exited", "Running": false}}),
            Part::Missing(Gap::skipped("not running")),
        );
        let f = finding(stopped);
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                with_processes(
                    json!({"Name": "/legacy", "Config": {"ExposedPorts": {"22/tcp": {}, "80/tcp": {}}}}),
                    Part::Collected(vec![
                        proc(3100, "supervisord", "python3.11"),
                        proc(3120, "sshd", "sshd"),
                        proc(3121, "apache2", "apache2"),
                    ]),
                ),
                with_processes(
                    json!({"Name": "/web"}),
                    Part::Collected(vec![proc(4000, "nginx", "nginx")]),
                ),
                with_processes(
                    json!({"Name": "/old", "State": {"Status": "exited", "Running": false}}),
                    Part::Missing(Gap::skipped("not running")),
                ),
            ],
        );
        insta::assert_snapshot!(render(&run(&SshdInContainer, &s)));
    }
}
