//! Which dockerd serves the audited socket (catalog S2).
//!
//! Never "the newest dockerd" or "the first dockerd in `ps`": a host can
//! run several, and reporting another daemon's flags as the audited one's
//! is a classic misreport. The socket's peer credentials name the process
//! that listens on it. Under systemd socket activation that process is
//! systemd (pid 1), so bulwark then finds the dockerd holding the
//! listening socket's inode among its file descriptors.

use std::fs;
use std::os::unix::net::UnixStream;

use bulwark_facts::{DaemonProcess, Gap, Part};

/// Identifies the daemon behind `socket` and reads its process facts.
pub fn find(socket: &str) -> Part<DaemonProcess> {
    let stream = match UnixStream::connect(socket) {
        Ok(s) => s,
        Err(e) => {
            return Part::Missing(Gap::skipped(format!(
                "daemon process not identified: cannot connect to {socket}: {e}"
            )));
        }
    };
    let peer = rustix::net::sockopt::socket_peercred(&stream)
        .ok()
        .map(|cred| i64::from(rustix::process::Pid::as_raw(Some(cred.pid))))
        .filter(|pid: &i64| *pid > 0);

    if let Some(pid) = peer.filter(|pid| is_dockerd(*pid)) {
        return read(pid, "peer credentials of the socket");
    }
    if let Some(pid) = holder_of_listening_socket(socket) {
        return read(
            pid,
            "the listening socket's inode among dockerd's file descriptors",
        );
    }
    let why = match peer {
        None => "the socket's peer is not visible from this PID namespace".to_string(),
        Some(pid) => {
            format!("the socket's peer (pid {pid}) is not dockerd and no dockerd holds the socket")
        }
    };
    Part::Missing(Gap::skipped(format!(
        "daemon process not identified: {why}"
    )))
}

fn is_dockerd(pid: i64) -> bool {
    exe_name(pid).is_some_and(|n| n == "dockerd")
        || fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "dockerd")
}

fn exe_name(pid: i64) -> Option<String> {
    let exe = fs::read_link(format!("/proc/{pid}/exe")).ok()?;
    let name = exe.file_name()?.to_string_lossy();
    // A binary replaced on disk shows as `dockerd (deleted)`.
    Some(name.trim_end_matches(" (deleted)").to_string())
}

/// The dockerd process whose file descriptors include the listening unix
/// socket bound to `path`.
fn holder_of_listening_socket(path: &str) -> Option<i64> {
    let table = fs::read_to_string("/proc/net/unix").ok()?;
    // Columns: Num RefCount Protocol Flags Type St Inode Path; the
    // listening socket has the path and flag __SO_ACCEPTCON (00010000).
    let inode = table.lines().skip(1).find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        (cols.len() >= 8 && cols[7] == path && cols[3] == "00010000").then(|| cols[6].to_string())
    })?;
    let target = format!("socket:[{inode}]");
    for pid in pids() {
        if !is_dockerd(pid) {
            continue;
        }
        let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        let holds = fds
            .filter_map(Result::ok)
            .any(|fd| fs::read_link(fd.path()).is_ok_and(|l| l.to_string_lossy() == target));
        if holds {
            return Some(pid);
        }
    }
    None
}

/// Every pid in `/proc`.
pub fn pids() -> impl Iterator<Item = i64> {
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<i64>().ok())
}

fn read(pid: i64, found_by: &str) -> Part<DaemonProcess> {
    let cmdline = match fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(raw) => raw,
        Err(e) => {
            return Part::Missing(Gap::skipped(format!(
                "daemon process {pid} found but /proc/{pid}/cmdline is not readable: {e}"
            )));
        }
    };
    let argv = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let uid = fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(u32::MAX);
    Part::Collected(DaemonProcess {
        pid,
        uid,
        exe: fs::read_link(format!("/proc/{pid}/exe"))
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default(),
        argv,
        found_by: found_by.to_string(),
        started_at: start_time(pid),
    })
}

/// The process start time in Unix seconds: boot time plus field 22 of
/// `/proc/PID/stat` in clock ticks (100 per second on Linux).
fn start_time(pid: i64) -> Option<i64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: fields
    // are counted from after its closing parenthesis.
    let after = &stat[stat.rfind(')')? + 2..];
    let ticks: i64 = after.split_whitespace().nth(19)?.parse().ok()?;
    let btime: i64 = fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    Some(btime + ticks / 100)
}
