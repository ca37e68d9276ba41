//! The whole compose file: services and the top-level resources they use.

use std::collections::HashMap;

use serde::Serialize;

use super::located::Located;
use super::lower::{Path, Reader};
use super::secrets::{Secret, secret};
use super::service::{Service, service};
use super::top_level::{NamedVolume, Network, named_volume, network};
use super::tree::{Node, Value};
use crate::Diagnostic;

/// A parsed compose file. Whatever the input, as much as could be read,
/// and what could not, in `diagnostics`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ComposeFile {
    /// False when a YAML error or a limit stopped reading before the end
    /// of the document: services after that point are missing, so rules
    /// about the file as a whole should hold back.
    pub complete: bool,
    /// The project `name`.
    pub name: Option<Located<String>>,
    /// In file order (services brought in by a merge key come after the
    /// mapping's own). A service name given twice is reported and the last
    /// definition kept, in the first one's rank.
    pub services: Vec<Service>,
    pub volumes: Vec<NamedVolume>,
    pub networks: Vec<Network>,
    pub secrets: Vec<Secret>,
    /// YAML errors and wrong values, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl ComposeFile {
    /// The service called `name`.
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name.value == name)
    }
}

/// Reads the model from the YAML tree (`None` when nothing could be read).
/// `yaml_failed` says whether YAML errors were reported already, in which
/// case an empty tree is no news.
pub(crate) fn compose_file(
    r: &mut Reader<'_>,
    root: Option<&Node>,
    yaml_failed: bool,
) -> ComposeFile {
    let mut file = ComposeFile::default();
    let Some(root) = root else {
        return file;
    };
    file.complete = root.complete();
    match &root.value {
        Value::Map(_) => {}
        Value::Null if yaml_failed => return file,
        Value::Null => {
            let message = "the file is empty: a compose file needs `services`".to_owned();
            r.report(root, message, Some("a mapping with `services`"));
            return file;
        }
        other => {
            let message = format!("a compose file must be a mapping, not {}", other.kind());
            r.report(root, message, Some("a mapping with `services`"));
            return file;
        }
    }
    let top = Path::Root;
    for e in r.mapping(&top, root).unwrap_or_default() {
        let p = top.key(&e.key);
        match e.key.as_ref() {
            "name" => file.name = r.string(&p, e.value),
            "services" => file.services = services(r, &p, e.value),
            "volumes" => {
                file.volumes = named(r, &p, e.value, named_volume);
            }
            "networks" => {
                file.networks = named(r, &p, e.value, network);
            }
            "secrets" => {
                file.secrets = named(r, &p, e.value, secret);
            }
            _ => {}
        }
    }
    file
}

/// Services read at most. A `Service` takes about 3.5 KB and an empty one
/// about 8 bytes of text (`s1: {}, `), so without a cap a 2 MB file could
/// cost 1 GB; 10 000 services (35 MB) is far beyond any real project.
const MAX_SERVICES: usize = 10_000;

fn services(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Vec<Service> {
    let entries = r.mapping(path, node).unwrap_or_default();
    let capacity = entries.size_hint().1.unwrap_or(0).min(MAX_SERVICES);
    let mut services: Vec<Service> = Vec::with_capacity(capacity);
    // Services by name, to find a service defined twice: a scan while
    // there are few, an index past that.
    let mut index: Option<HashMap<String, usize>> = None;
    for e in entries {
        let earlier = match &index {
            Some(index) => index.get(e.key.as_ref()).copied(),
            None => services.iter().position(|s| s.name.value == e.key),
        };
        if services.len() == MAX_SERVICES && earlier.is_none() {
            let message = format!(
                "more than {MAX_SERVICES} services; bulwark reads the first {MAX_SERVICES}"
            );
            r.report_at(r.place(e.key_node.defined), message, None);
            break;
        }
        let p = path.key(&e.key);
        let name = r.located(e.key_node, e.key.to_string());
        let added = service(r, &p, name, e.value, &mut services, earlier);
        if added && earlier.is_none() {
            if let Some(index) = index.as_mut() {
                index.insert(e.key.into_owned(), services.len() - 1);
            } else if services.len() > 32 {
                let names = services.iter().enumerate();
                index = Some(names.map(|(i, s)| (s.name.value.clone(), i)).collect());
            }
        }
    }
    services
}

/// A top-level mapping of named resources, each read by `read` (an empty
/// value means the defaults).
fn named<T>(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    node: &Node,
    read: impl Fn(&mut Reader<'_>, &Path<'_>, Located<String>, &Node) -> T,
) -> Vec<T> {
    r.mapping(path, node)
        .unwrap_or_default()
        .map(|e| {
            let name = r.located(e.key_node, e.key.to_string());
            read(r, &path.key(&e.key), name, e.value)
        })
        .collect()
}
