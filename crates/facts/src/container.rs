//! Containers: the inspect document of each one, plus what the collector
//! learnt beside it (its processes, its exec sessions, what its image
//! reference points at now).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Part;

/// Every container in scope.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Containers {
    /// True when only running containers were collected (`--running-only`).
    pub running_only: bool,
    /// The containers, in list order.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub items: Vec<ContainerFacts>,
    /// Containers that were listed but gone before they could be inspected
    /// (catalog S7): noted, never findings.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub vanished: Vec<String>,
    /// Containers left out on purpose: bulwark's own, when it runs in one.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub excluded: Vec<String>,
}

/// One container and its collected extras.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerFacts {
    /// `GET /containers/{id}/json` (subset, API field names).
    pub inspect: Container,
    /// Processes attributed to the container by their cgroup, read from the
    /// host's `/proc` (never by `docker exec`). Only for running containers
    /// on a local daemon.
    pub processes: Part<Vec<Process>>,
    /// `GET /exec/{id}/json` for each of `ExecIDs`.
    pub execs: Part<Vec<ExecInspect>>,
    /// The image id that the container's `Config.Image` reference resolves
    /// to now (`GET /images/{ref}/json`); absent when the reference no
    /// longer resolves.
    pub image_ref_id: Option<String>,
}

impl ContainerFacts {
    /// `name` without the API's leading slash.
    pub fn name(&self) -> &str {
        self.inspect.name.trim_start_matches('/')
    }

    /// The 12-character id the CLI shows.
    pub fn short_id(&self) -> &str {
        crate::short_id(&self.inspect.id)
    }

    /// True when the container is running (or paused, restarting: it has
    /// processes).
    pub fn is_running(&self) -> bool {
        self.inspect.state.running
    }
}

/// The first 12 characters of an id, without any `sha256:` prefix.
pub fn short_id(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    id.get(..12).unwrap_or(id)
}

/// `GET /containers/{id}/json` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Container {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub id: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub created: String,
    /// The image id the container was created from.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub image: String,
    pub config: ContainerConfig,
    pub host_config: HostConfig,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub mounts: Vec<MountPoint>,
    pub network_settings: NetworkSettings,
    pub state: ContainerState,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub app_armor_profile: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub process_label: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub mount_label: String,
    #[serde(rename = "ExecIDs")]
    pub exec_ids: Option<Vec<String>>,
    pub restart_count: i64,
}

/// `Config` of a container (subset). `Env` is deliberately not kept: it
/// holds secrets, and the snapshot is a file people share.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ContainerConfig {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub user: String,
    /// The image reference as given at create time (`nginx:1.25`).
    #[serde(deserialize_with = "crate::de::nullable")]
    pub image: String,
    pub healthcheck: Option<Healthcheck>,
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    pub labels: Option<BTreeMap<String, String>>,
}

/// `Config.Healthcheck`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Healthcheck {
    pub test: Option<Vec<String>>,
}

/// `HostConfig` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct HostConfig {
    pub privileged: bool,
    pub cap_add: Option<Vec<String>>,
    pub cap_drop: Option<Vec<String>>,
    pub binds: Option<Vec<String>>,
    pub mounts: Option<Vec<MountSpec>>,
    pub tmpfs: Option<BTreeMap<String, String>>,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub network_mode: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub pid_mode: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub ipc_mode: String,
    #[serde(rename = "UTSMode")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub uts_mode: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub userns_mode: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub cgroupns_mode: String,
    pub memory: i64,
    pub memory_reservation: i64,
    pub cpu_shares: i64,
    pub nano_cpus: i64,
    pub cpu_quota: i64,
    pub cpu_period: i64,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub cpuset_cpus: String,
    pub pids_limit: Option<i64>,
    pub readonly_rootfs: bool,
    pub security_opt: Option<Vec<String>>,
    pub restart_policy: RestartPolicy,
    pub port_bindings: Option<BTreeMap<String, Option<Vec<PortBinding>>>>,
    pub publish_all_ports: bool,
    pub devices: Option<Vec<DeviceMapping>>,
    pub device_cgroup_rules: Option<Vec<String>>,
    pub device_requests: Option<Vec<serde_json::Value>>,
    pub ulimits: Option<Vec<Ulimit>>,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub cgroup_parent: String,
    pub log_config: LogConfig,
}

/// `HostConfig.RestartPolicy`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RestartPolicy {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    pub maximum_retry_count: i64,
}

/// `HostConfig.Mounts[]`: what `--mount` asked for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct MountSpec {
    #[serde(rename = "Type")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub kind: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub source: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub target: String,
    pub read_only: bool,
    pub bind_options: Option<BindOptions>,
}

/// `HostConfig.Mounts[].BindOptions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct BindOptions {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub propagation: String,
}

/// `Mounts[]`: the daemon's resolved view of every mount, `-v` and
/// `--mount` alike.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct MountPoint {
    #[serde(rename = "Type")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub kind: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub source: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub destination: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub driver: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub mode: String,
    #[serde(rename = "RW")]
    pub rw: bool,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub propagation: String,
}

/// One host binding of a published port.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PortBinding {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub host_ip: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub host_port: String,
}

/// `HostConfig.Devices[]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DeviceMapping {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub path_on_host: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub path_in_container: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub cgroup_permissions: String,
}

/// `HostConfig.Ulimits[]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Ulimit {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    pub soft: i64,
    pub hard: i64,
}

/// `HostConfig.LogConfig`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct LogConfig {
    #[serde(rename = "Type")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub kind: String,
}

/// `NetworkSettings` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct NetworkSettings {
    /// The effective bindings: `{"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}`.
    /// A `null` value is an exposed port that is not published.
    pub ports: Option<BTreeMap<String, Option<Vec<PortBinding>>>>,
    pub networks: Option<BTreeMap<String, EndpointSettings>>,
}

/// `NetworkSettings.Networks[name]` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct EndpointSettings {
    #[serde(rename = "NetworkID")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub network_id: String,
}

/// `State` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ContainerState {
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub status: String,
    pub running: bool,
    pub pid: i64,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub started_at: String,
    pub health: Option<Health>,
}

/// `State.Health` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Health {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub status: String,
}

/// A process found in a container's cgroup on the host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Process {
    /// The host pid.
    pub pid: i64,
    /// `/proc/PID/comm`: the executable's name as the kernel knows it.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub comm: String,
    /// The basename of `/proc/PID/exe`, when readable.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub exe: String,
}

/// `GET /exec/{id}/json` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ExecInspect {
    #[serde(rename = "ID")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub id: String,
    pub running: bool,
    pub process_config: ExecProcessConfig,
}

/// `ProcessConfig` of an exec session (the API spells these in lower case).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExecProcessConfig {
    pub privileged: bool,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub user: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub entrypoint: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub arguments: Vec<String>,
}
