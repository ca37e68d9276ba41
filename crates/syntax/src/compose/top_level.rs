//! The top-level `volumes` and `networks`: what a named volume mounts
//! (`driver_opts.device` can bind any host directory) and how networks are
//! set up.

use serde::Serialize;

use super::environment::{KeyValue, key_values};
use super::located::{Located, LocatedList};
use super::lower::{Path, Reader};
use super::tree::{Node, Value};

/// A top-level volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedVolume {
    /// The key, located where it is written.
    pub name: Located<String>,
    pub driver: Option<Located<String>>,
    /// `type`, `o`, `device`: with the `local` driver, `device` is a host
    /// path mounted like a bind.
    pub driver_opts: Option<LocatedList<KeyValue>>,
    pub external: Option<Located<bool>>,
}

/// A top-level network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    pub name: Located<String>,
    pub driver: Option<Located<String>>,
    pub driver_opts: Option<LocatedList<KeyValue>>,
    pub external: Option<Located<bool>>,
    /// `internal: true`: no route to the outside.
    pub internal: Option<Located<bool>>,
}

pub(crate) fn named_volume(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    name: Located<String>,
    node: &Node,
) -> NamedVolume {
    let mut volume = NamedVolume {
        name,
        driver: None,
        driver_opts: None,
        external: None,
    };
    for e in r.mapping(path, node).unwrap_or_default() {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "driver" => volume.driver = r.string(&p, e.value),
            "driver_opts" => volume.driver_opts = key_values(r, &p, e.value, String::from),
            "external" => volume.external = external(r, &p, e.value),
            _ => {}
        }
    }
    volume
}

pub(crate) fn network(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    name: Located<String>,
    node: &Node,
) -> Network {
    let mut network = Network {
        name,
        driver: None,
        driver_opts: None,
        external: None,
        internal: None,
    };
    for e in r.mapping(path, node).unwrap_or_default() {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "driver" => network.driver = r.string(&p, e.value),
            "driver_opts" => network.driver_opts = key_values(r, &p, e.value, String::from),
            "external" => network.external = external(r, &p, e.value),
            "internal" => network.internal = r.boolean(&p, e.value),
            _ => {}
        }
    }
    network
}

/// `external: true`, or the legacy `external: {name: …}`, which also means
/// external.
pub(crate) fn external(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Located<bool>> {
    match node.value {
        Value::Map(_) => Some(r.located(node, true)),
        _ => r.boolean(path, node),
    }
}
