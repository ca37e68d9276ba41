//! Deserialization helpers for the Engine API's habits.

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default. The API sends `null` for many empty
/// lists and maps (`Warnings`, `Plugins.Authorization`, `RepoTags` of a
/// dangling image); a rule should see an empty list, not a parse error.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
