//! Compose files: text in, [`ComposeFile`] out, with the position of every
//! value security rules read.
//!
//! ```
//! use bulwark_syntax::{Source, SourceKind};
//!
//! let text = "x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n    image: nginx\n";
//! let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
//! let web = src.compose().unwrap().service("web").unwrap();
//! let privileged = web.privileged.as_ref().unwrap();
//! assert!(privileged.value);
//! // Used by `web` at the alias (line 5), written in the anchor (line 2).
//! let (used, defined) = (privileged.used.position(&src), privileged.defined.position(&src));
//! assert_eq!((used.line, defined.line), (5, 2));
//! ```
//!
//! How it works, in three steps:
//!
//! 1. `load`: the YAML becomes a `tree` of nodes with their locations,
//!    anchors and `<<` merge keys expanded, within limits that make alias
//!    bombs, deep nesting and huge files cheap to refuse. A hand-written
//!    loader (`fast`) reads the block-YAML subset real compose files use,
//!    about 25 times faster; on anything else, and on any error, it gives
//!    up and serde-saphyr reads the file, building the same tree (the
//!    differential tests and a fuzz target hold the two to that). A YAML
//!    error keeps everything before it.
//! 2. `lower`: the compose model is read from the tree by hand, field by
//!    field, so that a wrong value costs one diagnostic and that field,
//!    never the rest of the file.
//! 3. Short and long syntaxes meet in one type each: [`Port`], [`Mount`],
//!    [`Device`], [`KeyValue`] (lists or mappings), [`HealthTest`],
//!    [`Build`], [`ByteSize`] and [`Cpus`] (numbers or strings).
//!
//! Positions: every audited value is a [`Located`], with the [`Place`]
//! where it is used and the place where it is defined (they differ when it
//! comes from an anchor), each a byte [`crate::Span`]; [`Place::position`]
//! gives its 1-based line:column [`crate::Position`] (columns count code
//! points) when a finding needs it.
//!
//! `parse` never panics and never fails: an empty file, a top-level list,
//! `services: 3`, a 32 MB file or an alias bomb all give a `ComposeFile`
//! (possibly empty) with diagnostics.

mod build;
mod devices;
mod environment;
mod fast;
mod file;
mod healthcheck;
mod image;
mod load;
mod located;
mod logging;
mod lower;
mod mounts;
mod nested;
mod ports;
mod positions;
mod resources;
mod secrets;
mod service;
mod split;
mod top_level;
mod tree;

#[cfg(test)]
mod tests;

pub use build::Build;
pub use devices::Device;
pub use environment::{EnvFile, EnvVar, KeyValue, Sensitive};
pub use file::ComposeFile;
pub use healthcheck::{HealthTest, Healthcheck};
pub use image::ImageRef;
pub use located::{Located, LocatedList, Place};
pub use logging::Logging;
pub use mounts::{Mount, MountKind};
pub use ports::{Port, PortNumbers, PortRange, Syntax};
pub use resources::{ByteSize, Cpus, Deploy, Limits, Resources, RestartPolicy};
pub use secrets::{Secret, SecretRef};
pub use service::{Extends, Service};
pub use top_level::{NamedVolume, Network};

/// Fuzzing hook: `Ok(true)` when the fast loader read `text` and built the
/// tree serde-saphyr builds, `Ok(false)` when it left `text` to
/// serde-saphyr, `Err` describing any difference. Not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn fast_load_check(text: &str) -> Result<bool, String> {
    fast::differential::check(text)
}

/// Fuzzing hook: a compose-like YAML document generated from `choices`
/// (the generator of the fast loader's tests), with `mutations` random
/// edits. Not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn fast_load_generate(choices: &[u8], mutations: usize) -> String {
    fast::generate::document(&mut fast::generate::Bytes(choices), mutations)
}

/// Parses a compose file. Never fails: see [`ComposeFile::diagnostics`].
pub fn parse(text: &str) -> ComposeFile {
    if let Some(too_large) = load::too_large(text) {
        return ComposeFile {
            diagnostics: vec![too_large],
            ..ComposeFile::default()
        };
    }
    let positions = positions::Positions::new(text);
    let (tree, yaml_errors) = load::load(&positions);
    let yaml_failed = !yaml_errors.is_empty();
    let mut reader = lower::Reader::new(positions, &tree, yaml_errors);
    let mut file = file::compose_file(&mut reader, tree.root.as_ref(), yaml_failed);
    file.diagnostics = reader.finish();
    file
}
