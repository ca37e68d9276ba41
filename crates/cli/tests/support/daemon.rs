//! A second dockerd for tests that need a daemon configured differently
//! from the host's (a TCP listener, TLS modes).
//!
//! It gets its own data-root, exec-root, pidfile and socket, and its own
//! bridge created for it: never `--bridge none` while another daemon runs,
//! which deletes the shared `docker0`. It does not touch iptables. It is
//! stopped by its pid and its bridge removed when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A running test daemon.
pub struct TestDaemon {
    child: Child,
    pub dir: tempfile::TempDir,
    /// `unix:///…/docker.sock`.
    pub socket: String,
    bridge: String,
}

/// A TCP port free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

impl TestDaemon {
    /// Starts dockerd with `args` added (e.g. `-H tcp://127.0.0.1:PORT`
    /// and TLS flags) and waits until its socket answers.
    pub fn start(args: &[String]) -> TestDaemon {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let tag = (std::process::id() % 1000) * 10 + n % 10;
        let bridge = format!("bwt{tag}");
        let subnet = format!("10.{}.{}.1/24", 200 + tag % 50, tag % 250);
        for cmd in [
            vec!["link", "add", &bridge, "type", "bridge"],
            vec!["addr", "add", &subnet, "dev", &bridge],
            vec!["link", "set", &bridge, "up"],
        ] {
            let ok = Command::new("ip")
                .args(&cmd)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "ip {} failed", cmd.join(" "));
        }
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path();
        let socket = format!("unix://{}", d.join("docker.sock").display());
        let log = std::fs::File::create(d.join("dockerd.log")).unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new("dockerd")
            .arg(format!("--data-root={}", d.join("root").display()))
            .arg(format!("--exec-root={}", d.join("exec").display()))
            .arg(format!("--pidfile={}", d.join("docker.pid").display()))
            .arg(format!("--host={socket}"))
            .arg(format!("--bridge={bridge}"))
            .args([
                "--iptables=false",
                "--ip-masq=false",
                "--storage-driver=vfs",
            ])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start dockerd: {e}"));
        let daemon = TestDaemon {
            child,
            dir,
            socket,
            bridge,
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            let up = Command::new("docker")
                .args([
                    "-H",
                    &daemon.socket,
                    "version",
                    "--format",
                    "{{.Server.Version}}",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if up {
                return daemon;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let log =
            std::fs::read_to_string(daemon.dir.path().join("dockerd.log")).unwrap_or_default();
        panic!("test dockerd did not come up:\n{log}");
    }

    /// The daemon's log so far, for assertion messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dockerd.log")).unwrap_or_default()
    }

    /// The directory for files the test wants beside the daemon.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for TestDaemon {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = Command::new("ip")
            .args(["link", "del", &self.bridge])
            .status();
    }
}
