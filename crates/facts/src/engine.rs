//! `/version` and `/info`: what the daemon says about itself.
//!
//! Field names are the Engine API's. `/info` is the most trusted source for
//! any setting it exposes (it reflects what the running daemon applied, not
//! what a file asks for); see the catalog's S3.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The daemon's self-description.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Engine {
    /// `GET /version`.
    pub version: Version,
    /// `GET /info`.
    pub info: Info,
}

/// `GET /version` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Version {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub version: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub api_version: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub min_api_version: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub os: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub arch: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub kernel_version: String,
    /// Absent on engines that do not report it.
    pub experimental: Option<bool>,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub components: Vec<Component>,
}

/// One entry of `/version Components[]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Component {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub version: String,
}

/// `GET /info` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Info {
    #[serde(rename = "ID")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub id: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub server_version: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub operating_system: String,
    #[serde(rename = "OSType")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub os_type: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub kernel_version: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub docker_root_dir: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub driver: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub logging_driver: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub cgroup_driver: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub cgroup_version: String,
    /// CSV-like entries such as `name=seccomp,profile=default`.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub security_options: Vec<String>,
    pub live_restore_enabled: bool,
    pub experimental_build: bool,
    pub debug: bool,
    pub memory_limit: bool,
    pub pids_limit: bool,
    pub containers: i64,
    pub containers_running: i64,
    pub containers_paused: i64,
    pub containers_stopped: i64,
    pub images: i64,
    pub registry_config: RegistryConfig,
    pub plugins: PluginsInfo,
    pub swarm: SwarmInfo,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub warnings: Vec<String>,
}

impl Info {
    /// The `SecurityOptions` entry whose `name=` is `name`, split into its
    /// key/value pairs (`name=seccomp,profile=default` → `{name: seccomp,
    /// profile: default}`).
    pub fn security_option(&self, name: &str) -> Option<BTreeMap<String, String>> {
        self.security_options.iter().find_map(|entry| {
            let pairs: BTreeMap<String, String> = entry
                .split(',')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect();
            (pairs.get("name").map(String::as_str) == Some(name)).then_some(pairs)
        })
    }
}

/// `/info RegistryConfig`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RegistryConfig {
    #[serde(rename = "InsecureRegistryCIDRs")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub insecure_registry_cidrs: Vec<String>,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub index_configs: BTreeMap<String, IndexConfig>,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub mirrors: Vec<String>,
}

/// `/info RegistryConfig.IndexConfigs[name]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct IndexConfig {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    pub secure: bool,
    pub official: bool,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub mirrors: Vec<String>,
}

/// `/info Plugins`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PluginsInfo {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub authorization: Vec<String>,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub log: Vec<String>,
}

/// `/info Swarm` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct SwarmInfo {
    /// `inactive`, `pending`, `active`, `error` or `locked`.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub local_node_state: String,
    pub control_available: bool,
    #[serde(rename = "NodeID")]
    #[serde(deserialize_with = "crate::de::nullable")]
    pub node_id: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub node_addr: String,
    pub managers: i64,
    pub nodes: i64,
}

impl SwarmInfo {
    /// True unless the node state says swarm mode is off. `pending`,
    /// `error` and `locked` are swarm states too (catalog 5.1).
    pub fn is_active(&self) -> bool {
        !(self.local_node_state.is_empty() || self.local_node_state == "inactive")
    }
}

/// One managed plugin (`GET /plugins`, subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Plugin {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    pub enabled: bool,
    /// `Config.Interface.Types[]` flattened, e.g. `docker.authz/1.0`.
    #[serde(deserialize_with = "crate::de::nullable")]
    pub types: Vec<String>,
}
