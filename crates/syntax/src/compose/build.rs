//! A service's `build`: a context path, or a mapping with the context, the
//! Dockerfile (a path or inline text, which Dockerfile rules can lint) and
//! build arguments (which may hold secrets).

use serde::Serialize;

use super::environment::{EnvVar, Sensitive, key_values};
use super::located::{Located, LocatedList};
use super::lower::{Path, Reader};
use super::tree::{Node, Value};

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Build {
    pub context: Option<Located<String>>,
    pub dockerfile: Option<Located<String>>,
    /// `dockerfile_inline`: the Dockerfile itself.
    pub dockerfile_inline: Option<Located<String>>,
    pub args: Option<LocatedList<EnvVar>>,
}

pub(crate) fn build(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Build> {
    if !matches!(node.value, Value::Map(_)) {
        let context = r.string(path, node)?;
        return Some(Build {
            context: Some(context),
            ..Build::default()
        });
    }
    let mut build = Build::default();
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "context" => build.context = r.string(&p, e.value),
            "dockerfile" => build.dockerfile = r.string(&p, e.value),
            "dockerfile_inline" => build.dockerfile_inline = r.string(&p, e.value),
            "args" => build.args = key_values(r, &p, e.value, Sensitive::new),
            _ => {}
        }
    }
    Some(build)
}
