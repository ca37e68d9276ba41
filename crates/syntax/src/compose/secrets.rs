//! Secrets: a service's `secrets` (references, short or long syntax) and
//! the top-level `secrets` (where each comes from).

use serde::Serialize;

use super::located::Located;
use super::lower::{Path, Reader};
use super::tree::{Node, Value};

/// One entry of a service's `secrets`: `name`, or `{source, target, …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretRef {
    /// The top-level secret's name.
    pub source: String,
    /// File name or path in the container; `None` means
    /// `/run/secrets/<source>`.
    pub target: Option<String>,
}

/// A top-level secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Secret {
    /// The key, located where it is written.
    pub name: Located<String>,
    /// A host file holding the secret.
    pub file: Option<Located<String>>,
    /// An environment variable of the host holding the secret.
    pub environment: Option<Located<String>>,
    pub external: Option<Located<bool>>,
}

pub(crate) fn secret_ref(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<SecretRef> {
    if !matches!(node.value, Value::Map(_)) {
        let source = r.string(path, node)?.value;
        return Some(SecretRef {
            source,
            target: None,
        });
    }
    let mut source = None;
    let mut target = None;
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "source" => source = r.string(&p, e.value).map(|s| s.value),
            "target" => target = r.string(&p, e.value).map(|s| s.value),
            _ => {}
        }
    }
    let Some(source) = source else {
        let message = format!("{path} has no `source`");
        r.report(node, message, Some("a `source` key"));
        return None;
    };
    Some(SecretRef { source, target })
}

pub(crate) fn secret(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    name: Located<String>,
    node: &Node,
) -> Secret {
    let mut secret = Secret {
        name,
        file: None,
        environment: None,
        external: None,
    };
    for e in r.mapping(path, node).unwrap_or_default() {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "file" => secret.file = r.string(&p, e.value),
            "environment" => secret.environment = r.string(&p, e.value),
            "external" => secret.external = super::top_level::external(r, &p, e.value),
            _ => {}
        }
    }
    secret
}
