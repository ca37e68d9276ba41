//! Networks: the default bridge matters to CIS 2.2 and 5.30.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One entry of `GET /networks` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Network {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub id: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub driver: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub options: BTreeMap<String, String>,
}

/// The option that marks the daemon's default bridge, whatever its name
/// (`--bridge` can rename the interface; the option stays).
pub const DEFAULT_BRIDGE_OPTION: &str = "com.docker.network.bridge.default_bridge";

impl Network {
    /// True for the daemon's default bridge network.
    pub fn is_default_bridge(&self) -> bool {
        self.options.get(DEFAULT_BRIDGE_OPTION).map(String::as_str) == Some("true")
    }
}

/// One entry of `GET /volumes` (subset). A `local` volume with
/// `{type: none, o: bind, device: /etc}` is a bind mount in disguise.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Volume {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub name: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub driver: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub options: BTreeMap<String, String>,
}

impl Volume {
    /// The host path a `local` volume binds, if it is a bind in disguise.
    pub fn bound_host_path(&self) -> Option<&str> {
        let binds = self
            .options
            .get("o")
            .is_some_and(|o| o.split(',').any(|opt| opt == "bind" || opt == "rbind"));
        if self.driver == "local" && binds {
            self.options.get("device").map(String::as_str)
        } else {
            None
        }
    }
}
