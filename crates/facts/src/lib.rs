//! The snapshot: everything one bulwark run knows about a Docker host.
//!
//! Collectors (`bulwark-collect`) fill a [`Snapshot`]; rules (`bulwark-rules`)
//! read it and never do I/O themselves. Because the snapshot is plain serde
//! data it can be written to a file (`bulwark collect -o host.json`) and
//! evaluated later, anywhere (`bulwark audit --snapshot host.json`).
//!
//! Types that mirror Engine API objects keep the API's JSON field names
//! (`HostConfig`, `CapAdd`, …), so a fixture in a test reads like
//! `docker inspect` output and evidence pointers (`/HostConfig/Privileged`)
//! name the field a user would look at. Only the fields some rule needs are
//! kept: the snapshot is a typed subset, not a dump.
//!
//! Every part that is collected separately is a [`Part`]: either the data or
//! the reason it is missing, so a rule can say `skipped` or `error` instead
//! of guessing.

mod container;
mod daemon;
mod de;
mod engine;
mod files;
mod image;
mod network;
mod part;
pub mod time;
mod tls;

pub use container::*;
pub use daemon::*;
pub use engine::*;
pub use files::*;
pub use image::*;
pub use network::*;
pub use part::{Gap, GapKind, Part};
pub use tls::CertificateFacts;

use serde::{Deserialize, Serialize};

/// The version of the snapshot file format. Bump it when a field changes
/// meaning or disappears; adding an optional field does not need a bump.
pub const SNAPSHOT_SCHEMA_VERSION: u32 = 1;

/// One host, as seen by one collection run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    /// [`SNAPSHOT_SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// When collection started, RFC 3339 in UTC.
    pub collected_at: String,
    /// The bulwark version that collected it.
    pub collector: String,
    /// Where the Engine API was reached.
    pub endpoint: Endpoint,
    /// `/version` and `/info`.
    pub engine: Part<Engine>,
    /// The daemon process and its configuration sources.
    pub daemon: DaemonFacts,
    /// Every container in scope, inspected.
    pub containers: Part<Containers>,
    /// The image list (`/images/json`).
    pub images: Part<Vec<ImageSummary>>,
    /// The network list (`/networks`).
    pub networks: Part<Vec<Network>>,
    /// The volume list (`/volumes`).
    pub volumes: Part<Vec<Volume>>,
    /// Managed plugins (`/plugins`).
    pub plugins: Part<Vec<Plugin>>,
    /// Things worth knowing about the run that are not findings.
    pub notes: Vec<String>,
}

/// How the collector reached the daemon.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Endpoint {
    /// The address as the user would write it (`unix:///var/run/docker.sock`,
    /// `tcp://10.0.0.5:2376`).
    pub address: String,
    /// `unix`, `tcp` or `tls`.
    pub transport: String,
    /// True when the daemon is not on this machine: host files and `/proc`
    /// are then not the daemon's and are not read.
    pub remote: bool,
    /// For a TCP endpoint: how it is protected, probed read-only.
    pub tls: Option<EndpointTls>,
}

impl Snapshot {
    /// An empty snapshot of the current schema in which every part is
    /// missing for `reason`; collectors fill in what they reach.
    pub fn unreached(reason: &str) -> Self {
        fn gap<T>(reason: &str) -> Part<T> {
            Part::Missing(Gap::error(reason))
        }
        Snapshot {
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            engine: gap(reason),
            daemon: DaemonFacts {
                process: gap(reason),
                config_file: gap(reason),
                tls: gap(reason),
            },
            containers: gap(reason),
            images: gap(reason),
            networks: gap(reason),
            volumes: gap(reason),
            plugins: gap(reason),
            ..Snapshot::default()
        }
    }
}
