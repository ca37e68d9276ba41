//! Engine API calls, each under a timeout, each mapped into facts.
//!
//! bollard's typed models are converted to bulwark's facts through their
//! JSON form: both use the API's field names, so the conversion is one
//! serde round trip instead of hundreds of lines of field copying, and a
//! field bollard adds later cannot break it.

use std::future::Future;
use std::time::Duration;

use bollard::Docker;
use bollard::errors::Error as BollardError;
use bollard::query_parameters::{ListImagesOptions, ListNetworksOptions, ListVolumesOptions};
use bulwark_facts::{Engine, Gap, ImageSummary, Network, Part, Plugin, Volume};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The client plus the per-call timeout.
pub struct Api {
    pub docker: Docker,
    pub timeout: Duration,
}

/// Why a call produced no data.
pub enum CallError {
    /// 404: the object is gone (removed mid-run).
    NotFound,
    /// Anything else, as one line.
    Failed(String),
}

impl CallError {
    /// The gap to record for a part this call was to fill.
    pub fn gap(self, what: &str) -> Gap {
        match self {
            CallError::NotFound => Gap::error(format!("{what}: not found (404)")),
            CallError::Failed(reason) => Gap::error(format!("{what}: {reason}")),
        }
    }
}

impl Api {
    pub fn new(docker: Docker, timeout: Duration) -> Self {
        Api { docker, timeout }
    }

    /// Runs one call under the timeout.
    pub async fn call<T>(
        &self,
        what: &str,
        fut: impl Future<Output = Result<T, BollardError>>,
    ) -> Result<T, CallError> {
        let timed_out = || {
            CallError::Failed(format!(
                "{what} timed out after {}s",
                self.timeout.as_secs_f32()
            ))
        };
        match tokio::time::timeout(self.timeout, fut).await {
            // bollard has its own timer, set to the same limit: whichever
            // fires first, the message is the same.
            Err(_) | Ok(Err(BollardError::RequestTimeoutError)) => Err(timed_out()),
            Ok(Ok(v)) => Ok(v),
            Ok(Err(BollardError::DockerResponseServerError {
                status_code: 404, ..
            })) => Err(CallError::NotFound),
            Ok(Err(e)) => Err(CallError::Failed(e.to_string())),
        }
    }

    /// `/version` and `/info`.
    pub async fn engine(&self) -> Part<Engine> {
        let (version, info) = tokio::join!(
            self.call("GET /version", self.docker.version()),
            self.call("GET /info", self.docker.info()),
        );
        match (version, info) {
            (Ok(version), Ok(info)) => match (convert(&version), convert(&info)) {
                (Ok(version), Ok(info)) => Part::Collected(Engine { version, info }),
                (Err(e), _) | (_, Err(e)) => Part::Missing(Gap::error(e)),
            },
            (Err(e), _) => Part::Missing(e.gap("GET /version")),
            (_, Err(e)) => Part::Missing(e.gap("GET /info")),
        }
    }

    /// `/images/json` (tagged and dangling, not intermediate layers).
    pub async fn images(&self) -> Part<Vec<ImageSummary>> {
        let list = self.call(
            "GET /images/json",
            self.docker.list_images(None::<ListImagesOptions>),
        );
        to_part("GET /images/json", list.await)
    }

    /// `/networks`.
    pub async fn networks(&self) -> Part<Vec<Network>> {
        let list = self.call(
            "GET /networks",
            self.docker.list_networks(None::<ListNetworksOptions>),
        );
        to_part("GET /networks", list.await)
    }

    /// `/volumes`.
    pub async fn volumes(&self) -> Part<Vec<Volume>> {
        let list = self.call(
            "GET /volumes",
            self.docker.list_volumes(None::<ListVolumesOptions>),
        );
        match list.await {
            Ok(resp) => to_part("GET /volumes", Ok(resp.volumes.unwrap_or_default())),
            Err(e) => Part::Missing(e.gap("GET /volumes")),
        }
    }

    /// `/plugins`, with each plugin's interface types flattened.
    pub async fn plugins(&self) -> Part<Vec<Plugin>> {
        match self
            .call("GET /plugins", self.docker.list_plugins(None))
            .await
        {
            Ok(list) => Part::Collected(
                list.into_iter()
                    .map(|p| Plugin {
                        name: p.name,
                        enabled: p.enabled,
                        types: p
                            .config
                            .interface
                            .types
                            .into_iter()
                            .map(|t| t.to_string())
                            .collect(),
                    })
                    .collect(),
            ),
            Err(e) => Part::Missing(e.gap("GET /plugins")),
        }
    }
}

/// Converts a bollard model into the facts type with the same JSON shape.
pub fn convert<F: Serialize, T: DeserializeOwned>(from: &F) -> Result<T, String> {
    serde_json::to_value(from)
        .and_then(serde_json::from_value)
        .map_err(|e| format!("unexpected API response shape: {e}"))
}

fn to_part<F: Serialize, T: DeserializeOwned>(what: &str, r: Result<F, CallError>) -> Part<T> {
    match r {
        Ok(v) => match convert(&v) {
            Ok(t) => Part::Collected(t),
            Err(e) => Part::Missing(Gap::error(format!("{what}: {e}"))),
        },
        Err(e) => Part::Missing(e.gap(what)),
    }
}
