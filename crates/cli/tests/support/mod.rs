//! Test support for integration tests against the real Docker daemon.
//!
//! [`Fixture`] creates containers with known settings, names them
//! `bwt-<run>-<name>`, labels them `bulwark.test=<run>`, and removes them
//! when dropped, also when the test fails. Images are built locally (no
//! registry is reachable): `docker import` of a busybox rootfs written
//! here, with `/usr/sbin/sshd` as a copy of busybox so a process can be
//! named `sshd` without any real SSH server.

#![allow(dead_code)]

pub mod daemon;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

/// The image every test container runs.
pub const IMAGE: &str = "bulwark-test/busybox:1";

/// True when a daemon answers. When it does not and
/// `BULWARK_REQUIRE_DOCKER` is set (scripts/test sets it), that is a
/// failure, not a skip.
pub fn docker_available() -> bool {
    let ok = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("BULWARK_REQUIRE_DOCKER").is_none(),
            "no Docker daemon answers, and BULWARK_REQUIRE_DOCKER is set"
        );
        eprintln!("skipping: no Docker daemon answers (scripts/test starts one)");
    }
    ok
}

/// Runs `docker args…`, panicking with its stderr on failure.
pub fn docker(args: &[&str]) -> String {
    let out = docker_raw(args);
    assert!(
        out.status.success(),
        "docker {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs `docker args…` and returns whatever happened.
pub fn docker_raw(args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run docker: {e}"))
}

/// Builds [`IMAGE`] once per test process (idempotent across processes:
/// an existing image is reused).
pub fn ensure_image() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        if docker_raw(&["image", "inspect", IMAGE]).status.success() {
            return;
        }
        let busybox = ["/bin/busybox", "/usr/bin/busybox"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("busybox-static is needed (scripts/test installs it)"));
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let r = root.path();
        for dir in ["bin", "usr/sbin", "tmp", "etc"] {
            std::fs::create_dir_all(r.join(dir)).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::copy(busybox, r.join("bin/busybox")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(busybox, r.join("usr/sbin/sshd")).unwrap_or_else(|e| panic!("{e}"));
        for applet in ["sh", "sleep", "true", "cat", "ls", "id"] {
            std::os::unix::fs::symlink("busybox", r.join("bin").join(applet))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(r.join("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/:/bin/sh\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "tar -C '{}' -c . | docker import -c 'ENV PATH=/bin:/usr/sbin' -c 'LABEL bulwark.test=image' - {IMAGE}",
                r.display()
            ))
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(status.success(), "docker import of the test image failed");
    });
}

/// Containers (and other objects) created by one test, removed on drop.
pub struct Fixture {
    pub run: String,
    networks: Vec<String>,
    images: Vec<String>,
    volumes: Vec<String>,
}

impl Fixture {
    /// A fixture with a unique run id; builds the test image if needed.
    pub fn new() -> Fixture {
        ensure_image();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        Fixture {
            run: format!("{:x}{:05x}", std::process::id(), nanos % 0xfffff),
            networks: Vec::new(),
            images: Vec::new(),
            volumes: Vec::new(),
        }
    }

    /// The full name of the fixture container `name`.
    pub fn name(&self, name: &str) -> String {
        format!("bwt-{}-{name}", self.run)
    }

    fn args<'a>(&'a self, verb: &'a str, name: &'a str, flags: &'a [&'a str]) -> Vec<String> {
        let mut args: Vec<String> = vec![
            verb.into(),
            "--name".into(),
            self.name(name),
            "--label".into(),
            format!("bulwark.test={}", self.run),
        ];
        args.extend(flags.iter().map(|s| s.to_string()));
        args
    }

    /// `docker create` (for settings that cannot start here, such as
    /// `--privileged`). The command is `sleep 300` unless `flags` ends
    /// with an image and a command of its own.
    pub fn create(&self, name: &str, flags: &[&str]) -> String {
        let mut args = self.args("create", name, flags);
        if !flags.iter().any(|f| f.starts_with("bulwark-test/")) {
            args.extend([IMAGE.to_string(), "sleep".into(), "300".into()]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        docker(&refs)
    }

    /// `docker run -d`, same conventions as [`Fixture::create`].
    pub fn run(&self, name: &str, flags: &[&str]) -> String {
        let mut args = self.args("run", name, flags);
        args.insert(1, "-d".into());
        if !flags.iter().any(|f| f.starts_with("bulwark-test/")) {
            args.extend([IMAGE.to_string(), "sleep".into(), "300".into()]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        docker(&refs)
    }

    /// A user-defined bridge network, removed on drop.
    pub fn network(&mut self, name: &str) -> String {
        let full = self.name(name);
        docker(&[
            "network",
            "create",
            "--label",
            &format!("bulwark.test={}", self.run),
            &full,
        ]);
        self.networks.push(full.clone());
        full
    }

    /// A named local volume with driver options, removed on drop.
    pub fn volume(&mut self, name: &str, opts: &[&str]) -> String {
        let full = self.name(name);
        let label = format!("bulwark.test={}", self.run);
        let mut args = vec!["volume", "create", "--label", &label];
        args.extend_from_slice(opts);
        args.push(&full);
        docker(&args);
        self.volumes.push(full.clone());
        full
    }

    /// Tags the test image as `bulwark-test/<run>-<name>:1`, removed on drop.
    pub fn tag(&mut self, name: &str) -> String {
        let tag = format!("bulwark-test/{}-{name}:1", self.run);
        docker(&["tag", IMAGE, &tag]);
        self.images.push(tag.clone());
        tag
    }

    /// Imports a distinct tiny image as `bulwark-test/<run>-<name>:1`, removed on drop.
    pub fn distinct_image(&mut self, name: &str) -> String {
        let tag = format!("bulwark-test/{}-{name}:1", self.run);
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("marker"), &tag).unwrap_or_else(|e| panic!("{e}"));
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "tar -C '{}' -c . | docker import - {tag}",
                dir.path().display()
            ))
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(status.success());
        self.images.push(tag.clone());
        tag
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let label = format!("label=bulwark.test={}", self.run);
        let ids = docker_raw(&["ps", "-aq", "--filter", &label]);
        let ids: Vec<String> = String::from_utf8_lossy(&ids.stdout)
            .split_whitespace()
            .map(String::from)
            .collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(ids.iter().map(String::as_str));
            let _ = docker_raw(&args);
        }
        for n in &self.networks {
            let _ = docker_raw(&["network", "rm", n]);
        }
        for v in &self.volumes {
            let _ = docker_raw(&["volume", "rm", "-f", v]);
        }
        for i in &self.images {
            let _ = docker_raw(&["rmi", "-f", i]);
        }
    }
}

/// The built binary.
pub fn bulwark() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bulwark"))
}

/// Runs `bulwark args…`; returns exit code and stdout.
pub fn run_bulwark(args: &[&str]) -> (i32, String, String) {
    let out = bulwark()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run bulwark: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `bulwark audit --format json args…` and parses the report.
pub fn audit_json(args: &[&str]) -> Value {
    let mut all = vec!["audit", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run_bulwark(&all);
    assert!(code == 0 || code == 1, "bulwark exited {code}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("report is not JSON ({e}): {stdout}"))
}

/// The results of `report` about the container named `name`, as
/// `rule id → status`.
pub fn statuses_for(report: &Value, name: &str) -> std::collections::BTreeMap<String, String> {
    report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["subject"]["kind"] == "container" && r["subject"]["name"] == name)
        .map(|r| {
            (
                r["rule"].as_str().unwrap_or_default().to_string(),
                r["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The one result of `rule` about the daemon.
pub fn daemon_result<'a>(report: &'a Value, rule: &str) -> &'a Value {
    let hits: Vec<&Value> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["rule"] == rule && r["subject"]["kind"] == "daemon")
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "expected one daemon result of {rule}, got {hits:#?}"
    );
    hits[0]
}
