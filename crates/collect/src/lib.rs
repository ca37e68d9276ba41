//! Every read of the outside world bulwark makes, and nothing else.
//!
//! [`collect`] connects to the Engine API (bollard), reads `/version`,
//! `/info`, the container, image, network, volume and plugin lists,
//! inspects every container concurrently with a bound, finds the daemon
//! process behind the socket and its daemon.json, and walks the host's
//! `/proc` to attribute processes to containers. The result is a
//! [`Snapshot`]; rules never see anything else.
//!
//! Failure is data: a part that cannot be read becomes a
//! [`Part::Missing`](bulwark_facts::Part) with a one-line reason, and the
//! rest of the collection goes on. Every daemon call has a timeout, so a
//! slow or dead daemon ends the run in seconds, never a hang.

mod api;
mod containers;
mod daemon_json;
mod daemon_process;
mod daemon_tls;
mod endpoint;
mod files;
mod processes;
pub mod sources;

use std::time::Duration;

use bulwark_facts::time::rfc3339;
use bulwark_facts::{Gap, Part, SNAPSHOT_SCHEMA_VERSION, Snapshot};

pub use endpoint::{ConnectError, EndpointConfig};

/// How to collect.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Where the daemon is and how to authenticate.
    pub endpoint: EndpointConfig,
    /// Only running containers (`--running-only`).
    pub running_only: bool,
    /// The limit for each daemon call.
    pub timeout: Duration,
    /// How many container inspections run at once.
    pub concurrency: usize,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            endpoint: EndpointConfig::default(),
            running_only: false,
            timeout: Duration::from_secs(10),
            concurrency: 32,
        }
    }
}

/// Collects a snapshot of the host. Never fails: what cannot be read is
/// recorded as missing, with the reason, in the snapshot itself. The
/// second value is the connection error when the daemon was not reached
/// at all, for the caller to report once and exit with status 2.
pub async fn collect(options: &CollectOptions) -> (Snapshot, Option<ConnectError>) {
    let started = now_rfc3339();
    let connected = endpoint::connect(&options.endpoint, options.timeout).await;
    let (docker, endpoint, local_socket) = match connected {
        Ok(c) => (c.docker, c.endpoint, c.local_socket),
        Err(err) => {
            let mut snapshot = Snapshot::unreached(&err.to_string());
            snapshot.collected_at = started;
            snapshot.collector = collector_name();
            snapshot.endpoint = err.endpoint.clone();
            // Host files do not depend on the daemon answering.
            fill_daemon_facts(&mut snapshot, err.local_socket.as_deref());
            return (snapshot, Some(err));
        }
    };

    let mut endpoint = endpoint;
    if local_socket.is_none() {
        endpoint.tls = Some(probe_endpoint(&options.endpoint, options.timeout).await);
    }
    let api = api::Api::new(docker, options.timeout);
    let mut snapshot = Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        collected_at: started,
        collector: collector_name(),
        endpoint,
        ..Snapshot::default()
    };

    let (engine, images, networks, volumes, plugins, containers) = tokio::join!(
        api.engine(),
        api.images(),
        api.networks(),
        api.volumes(),
        api.plugins(),
        containers::collect(&api, options),
    );
    snapshot.engine = engine;
    snapshot.images = images;
    snapshot.networks = networks;
    snapshot.volumes = volumes;
    snapshot.plugins = plugins;
    snapshot.containers = containers;

    fill_daemon_facts(&mut snapshot, local_socket.as_deref());
    snapshot.notes.extend(notes(&snapshot));
    if let (Part::Collected(containers), Some(_)) = (&mut snapshot.containers, &local_socket) {
        processes::attribute(containers);
    } else if let Part::Collected(containers) = &mut snapshot.containers {
        for c in containers.items.iter_mut().filter(|c| c.is_running()) {
            c.processes = Part::Missing(Gap::skipped(
                "the daemon is not reached through a local socket: its host's /proc is not readable from here",
            ));
        }
    }
    (snapshot, None)
}

/// The daemon process and its daemon.json: read from this host only when
/// the daemon is reached through a local unix socket.
fn fill_daemon_facts(snapshot: &mut Snapshot, local_socket: Option<&str>) {
    match local_socket {
        Some(socket) => {
            snapshot.daemon.process = daemon_process::find(socket);
            let argv = snapshot.daemon.process.get().map(|p| p.argv.as_slice());
            snapshot.daemon.config_file = daemon_json::read(argv);
            snapshot.daemon.tls = match &snapshot.daemon.process {
                Part::Collected(p) => {
                    Part::Collected(daemon_tls::read(p, snapshot.daemon.config_file.get()))
                }
                Part::Missing(gap) => Part::Missing(gap.clone()),
            };
        }
        None => {
            let gap = Gap::skipped(
                "remote daemon: its process and host files are not readable from this machine",
            );
            snapshot.daemon.process = Part::Missing(gap.clone());
            snapshot.daemon.config_file = Part::Missing(gap.clone());
            snapshot.daemon.tls = Part::Missing(gap);
        }
    }
}

/// How the audited TCP endpoint is protected, asked read-only (the same
/// probe as `bulwark tls check`): the user pointed bulwark at it.
async fn probe_endpoint(config: &EndpointConfig, timeout: Duration) -> bulwark_facts::EndpointTls {
    let address = config.address();
    let (ca, cert, key) = config.client_files();
    let files = bulwark_tls::probe::ClientFiles { ca, cert, key };
    let have_files = files.ca.exists() && files.cert.exists() && files.key.exists();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let result = tokio::task::spawn_blocking(move || {
        bulwark_tls::probe::probe(&address, have_files.then_some(&files), timeout, now)
    })
    .await;
    match result {
        Ok(Ok(report)) => bulwark_facts::EndpointTls {
            protection: serde_json::to_value(report.protection)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            chain: report.chain,
            steps: report.steps,
        },
        Ok(Err(e)) => bulwark_facts::EndpointTls {
            protection: "unknown".into(),
            steps: vec![e],
            ..Default::default()
        },
        Err(e) => bulwark_facts::EndpointTls {
            protection: "unknown".into(),
            steps: vec![e.to_string()],
            ..Default::default()
        },
    }
}

/// Things about the run worth telling that are not findings.
fn notes(snapshot: &Snapshot) -> Vec<String> {
    let mut notes = Vec::new();
    if let Part::Collected(c) = &snapshot.containers {
        for id in &c.vanished {
            notes.push(format!(
                "container {} was removed while the audit ran; it is not reported",
                bulwark_facts::short_id(id)
            ));
        }
        for id in &c.excluded {
            notes.push(format!(
                "container {} is bulwark's own and is not audited",
                bulwark_facts::short_id(id)
            ));
        }
    }
    // dockerd reads daemon.json at start (SIGHUP reloads only some keys):
    // a file changed since may say what the daemon does not do.
    if let (Part::Collected(file), Part::Collected(process)) =
        (&snapshot.daemon.config_file, &snapshot.daemon.process)
        && let (Some(modified), Some(started)) = (file.modified_at, process.started_at)
        && modified > started
    {
        notes.push(format!(
            "{} was modified after the daemon started ({} > {}): its settings may not be in effect; /info shows what is",
            file.path,
            rfc3339(modified),
            rfc3339(started)
        ));
    }
    notes
}

fn collector_name() -> String {
    format!("bulwark {}", env!("CARGO_PKG_VERSION"))
}

/// The current time as RFC 3339 UTC.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    rfc3339(secs)
}
