//! CIS section 5 against the real daemon: containers created with known
//! settings, audited by the built binary, verdicts compared per container
//! with what is known to be true of each.
//!
//! Settings that cannot start on these machines (`--privileged`: runc
//! cannot apply all capabilities here) are made with `docker create`; the
//! audit covers created and stopped containers too.

mod support;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::process::{Child, Command};

use support::*;

/// A port free on the host right now.
fn free_port() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    l.local_addr()
        .map(|a| a.port().to_string())
        .unwrap_or_default()
}

/// A host process named `sshd` (a copy of `sleep`), killed on drop: a
/// `--pid=host` container sees it, and must not be blamed for it.
struct HostSshd {
    child: Child,
    _dir: tempfile::TempDir,
}

impl HostSshd {
    fn start() -> HostSshd {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let sleep = ["/bin/sleep", "/usr/bin/sleep"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .unwrap_or_else(|| panic!("no sleep binary"));
        let sshd = dir.path().join("sshd");
        std::fs::copy(sleep, &sshd).unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new(&sshd)
            .arg("300")
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        HostSshd { child, _dir: dir }
    }
}

impl Drop for HostSshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Checks `expected` (rule → status) against what the audit said about
/// container `name`; collects every mismatch instead of stopping at the
/// first, so one run shows the whole picture.
fn check(
    report: &serde_json::Value,
    fx: &Fixture,
    name: &str,
    expected: &[(&str, &str)],
    mismatches: &mut Vec<String>,
) {
    let got: BTreeMap<String, String> = statuses_for(report, &fx.name(name));
    if got.is_empty() {
        mismatches.push(format!("{name}: no results at all"));
        return;
    }
    for (rule, status) in expected {
        match got.get(*rule) {
            Some(s) if s == status => {}
            other => mismatches.push(format!("{name}: {rule} expected {status}, got {other:?}")),
        }
    }
}

#[test]
fn section_5_verdicts_per_container() {
    if !docker_available() {
        return;
    }
    let mut fx = Fixture::new();
    let _host_sshd = HostSshd::start();
    let bind_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bind_src = bind_dir.path().to_string_lossy().into_owned();
    let (port_all, port_local) = (free_port(), free_port());
    let user_net = fx.network("net");

    // Compliant with everything section 5 can ask of one container.
    fx.run(
        "good",
        &[
            "--network",
            "none",
            "--read-only",
            "--memory",
            "64m",
            "--cpus",
            "0.5",
            "--pids-limit",
            "50",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--health-cmd",
            "true",
            "--health-interval",
            "5s",
            "--restart",
            "on-failure:3",
            "--user",
            "1000:1000",
        ],
    );
    // Docker's defaults: the usual failures.
    fx.run("defaults", &[]);
    fx.create("privileged", &["--privileged"]);
    fx.create("capadd", &["--cap-add", "sys_admin"]);
    fx.create("etc-v", &["-v", "/etc:/host-etc:ro"]);
    fx.create(
        "etc-mount",
        &["--mount", "type=bind,src=/etc,dst=/host-etc,readonly"],
    );
    fx.create(
        "sock-v",
        &["-v", "/var/run/docker.sock:/var/run/docker.sock:ro"],
    );
    fx.create(
        "sock-mount",
        &["--mount", "type=bind,src=/run/docker.sock,dst=/d.sock"],
    );
    fx.run("ports-all", &["-p", &format!("{port_all}:80")]);
    fx.run(
        "ports-local",
        &["-p", &format!("127.0.0.1:{port_local}:80")],
    );
    fx.create("port-80", &["-p", "80:80"]);
    fx.create("publish-all", &["--expose", "8080", "-P"]);
    fx.create("hostnet", &["--network", "host"]);
    fx.create(
        "netchain",
        &["--network", &format!("container:{}", fx.name("hostnet"))],
    );
    fx.run("hostpid", &["--network", "none", "--pid", "host"]);
    fx.run(
        "sshd",
        &[
            "--network",
            "none",
            IMAGE,
            "sh",
            "-c",
            "exec -a sleep /usr/sbin/sshd 300",
        ],
    );
    fx.create("ipc", &["--ipc", "host"]);
    fx.create("uts", &["--uts", "host"]);
    fx.create("userns", &["--userns", "host"]);
    fx.create("device", &["--device", "/dev/null:/dev/xnull"]);
    fx.create("ulimit", &["--ulimit", "nofile=1024:2048"]);
    fx.create("rshared", &["-v", &format!("{bind_src}:/x:rshared")]);
    fx.create("seccomp", &["--security-opt", "seccomp=unconfined"]);
    fx.create("cgroup", &["--cgroup-parent", "/bwt-parent"]);
    fx.create("nnp-false", &["--security-opt", "no-new-privileges=false"]);
    fx.create("restart-always", &["--restart", "always"]);
    fx.create("restart-10", &["--restart", "on-failure:10"]);
    // A named volume that is a bind of /etc in disguise.
    let etc_volume = fx.volume(
        "etc",
        &[
            "--opt",
            "type=none",
            "--opt",
            "o=bind",
            "--opt",
            "device=/etc",
        ],
    );
    fx.create("volume-bind", &["-v", &format!("{etc_volume}:/x:ro")]);
    fx.create("mem-reservation", &["--memory-reservation", "32m"]);
    fx.create("cpu-quota", &["--cpu-quota", "50000"]);
    fx.run("usernet", &["--network", &user_net]);
    // 5.28: created from a tag that then moves to another image.
    let moving = fx.tag("moving");
    fx.create("stale", &[&moving, "sleep", "300"]);
    let other = fx.distinct_image("other");
    docker(&["tag", &other, &moving]);
    // 5.24: a root exec session still running when the audit looks.
    fx.run("rootexec", &["--network", "none", "--user", "1000"]);
    docker(&[
        "exec",
        "-d",
        "-u",
        "0",
        &fx.name("rootexec"),
        "sleep",
        "120",
    ]);

    let report = audit_json(&["--select", "5"]);
    let mut bad = Vec::new();
    let c = |name: &str, expected: &[(&str, &str)], bad: &mut Vec<String>| {
        check(&report, &fx, name, expected, bad)
    };

    c(
        "good",
        &[
            ("CTR004", "pass"),
            ("CTR005", "pass"),
            ("CTR006", "pass"),
            ("CTR007", "pass"),
            ("CTR009", "pass"),
            ("CTR010", "pass"),
            ("CTR011", "pass"),
            ("CTR012", "pass"),
            ("CTR013", "pass"),
            ("CTR015", "pass"),
            ("CTR016", "pass"),
            ("CTR017", "pass"),
            ("CTR018", "pass"),
            ("CTR019", "pass"),
            ("CTR020", "pass"),
            ("CTR021", "pass"),
            ("CTR022", "pass"),
            ("CTR023", "pass"),
            ("CTR024", "pass"),
            ("CTR025", "pass"),
            ("CTR026", "pass"),
            ("CTR027", "pass"),
            ("CTR029", "pass"),
            ("CTR030", "pass"),
            ("CTR031", "pass"),
            ("CTR032", "pass"),
        ],
        &mut bad,
    );
    c(
        "defaults",
        &[
            ("CTR004", "manual"),
            ("CTR011", "fail"),
            ("CTR012", "fail"),
            ("CTR013", "fail"),
            ("CTR015", "pass"),
            ("CTR026", "fail"),
            ("CTR027", "fail"),
            ("CTR029", "fail"),
            ("CTR030", "fail"),
        ],
        &mut bad,
    );
    c(
        "privileged",
        &[
            ("CTR005", "fail"),
            ("CTR004", "fail"),
            ("CTR018", "fail"),
            ("CTR022", "fail"),
        ],
        &mut bad,
    );
    c(
        "capadd",
        &[("CTR004", "fail"), ("CTR005", "pass")],
        &mut bad,
    );
    c("etc-v", &[("CTR006", "fail")], &mut bad);
    c("etc-mount", &[("CTR006", "fail")], &mut bad);
    c("sock-v", &[("CTR032", "fail")], &mut bad);
    c("sock-mount", &[("CTR032", "fail")], &mut bad);
    c(
        "ports-all",
        &[("CTR014", "fail"), ("CTR008", "pass"), ("CTR009", "manual")],
        &mut bad,
    );
    c(
        "ports-local",
        &[("CTR014", "pass"), ("CTR008", "pass")],
        &mut bad,
    );
    c("port-80", &[("CTR008", "fail")], &mut bad);
    c("publish-all", &[("CTR009", "fail")], &mut bad);
    c("hostnet", &[("CTR010", "fail")], &mut bad);
    c("netchain", &[("CTR010", "fail")], &mut bad);
    c(
        "hostpid",
        &[("CTR016", "fail"), ("CTR007", "pass")],
        &mut bad,
    );
    c("sshd", &[("CTR007", "fail"), ("CTR016", "pass")], &mut bad);
    c("ipc", &[("CTR017", "fail")], &mut bad);
    c("uts", &[("CTR021", "fail")], &mut bad);
    c("userns", &[("CTR031", "fail")], &mut bad);
    c("device", &[("CTR018", "fail")], &mut bad);
    c("ulimit", &[("CTR019", "manual")], &mut bad);
    c("rshared", &[("CTR020", "fail")], &mut bad);
    c("seccomp", &[("CTR022", "fail")], &mut bad);
    c("cgroup", &[("CTR025", "manual")], &mut bad);
    c("nnp-false", &[("CTR026", "fail")], &mut bad);
    c("restart-always", &[("CTR015", "fail")], &mut bad);
    c("restart-10", &[("CTR015", "fail")], &mut bad);
    c("volume-bind", &[("CTR006", "fail")], &mut bad);
    c("mem-reservation", &[("CTR011", "fail")], &mut bad);
    c("cpu-quota", &[("CTR012", "pass")], &mut bad);
    c("usernet", &[("CTR030", "pass")], &mut bad);
    c("stale", &[("CTR028", "fail")], &mut bad);
    c(
        "rootexec",
        &[("CTR024", "fail"), ("CTR023", "pass")],
        &mut bad,
    );

    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
