//! The daemon behind the socket: its process (flags are the truth, unit
//! files are not) and its daemon.json.
//!
//! The collector finds the process from the socket's peer credentials, so a
//! second dockerd on the host is never mistaken for the audited one
//! (catalog S2).

use serde::{Deserialize, Serialize};

use crate::{DaemonTls, Part};

/// What bulwark knows about the daemon's own configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DaemonFacts {
    /// The dockerd process serving the audited socket.
    pub process: Part<DaemonProcess>,
    /// The daemon.json it was started with (or would read).
    pub config_file: Part<ConfigFile>,
    /// Its TLS certificate, key and CA files.
    pub tls: Part<DaemonTls>,
}

/// The daemon process.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DaemonProcess {
    pub pid: i64,
    /// Real uid (`/proc/PID/status`).
    pub uid: u32,
    /// `/proc/PID/exe`.
    pub exe: String,
    /// `/proc/PID/cmdline`, `argv[0]` included.
    pub argv: Vec<String>,
    /// How the process was identified (`peer credentials of the socket`,
    /// `socket inode in /proc/PID/fd`, …).
    pub found_by: String,
    /// The daemon's start time, Unix seconds, when known.
    pub started_at: Option<i64>,
}

/// A daemon.json file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfigFile {
    pub path: String,
    /// False when the file does not exist (the daemon then uses defaults).
    pub exists: bool,
    /// The parsed document (an object), when it exists and parses.
    pub content: Option<serde_json::Map<String, serde_json::Value>>,
    /// `path:line:column: message` when it exists but does not parse.
    pub parse_error: Option<String>,
    /// Modification time, Unix seconds.
    pub modified_at: Option<i64>,
}
