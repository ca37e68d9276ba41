//! The image list: enough to tell which images no container uses.

use serde::{Deserialize, Serialize};

/// One entry of `GET /images/json` (subset).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ImageSummary {
    #[serde(deserialize_with = "crate::de::nullable")]
    pub id: String,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub repo_tags: Vec<String>,
    #[serde(deserialize_with = "crate::de::nullable")]
    pub repo_digests: Vec<String>,
    /// Unix seconds.
    pub created: i64,
    pub size: i64,
}

impl ImageSummary {
    /// An image with no tag: left behind by a rebuild or a pull.
    pub fn is_dangling(&self) -> bool {
        self.repo_tags.iter().all(|t| t == "<none>:<none>")
    }

    /// The first tag, or the short id.
    pub fn display_name(&self) -> String {
        self.repo_tags
            .iter()
            .find(|t| *t != "<none>:<none>")
            .cloned()
            .unwrap_or_else(|| crate::short_id(&self.id).to_string())
    }
}
