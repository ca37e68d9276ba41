//! A service's `logging`: the driver (`none` loses the audit trail) and its
//! options.

use serde::Serialize;

use super::environment::{KeyValue, key_values};
use super::located::{Located, LocatedList};
use super::lower::{Path, Reader};
use super::tree::Node;

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Logging {
    pub driver: Option<Located<String>>,
    pub options: Option<LocatedList<KeyValue>>,
}

pub(crate) fn logging(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Logging> {
    let mut logging = Logging::default();
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "driver" => logging.driver = r.string(&p, e.value),
            "options" => logging.options = key_values(r, &p, e.value, String::from),
            _ => {}
        }
    }
    Some(logging)
}
