//! `KEY=value` settings (`environment`, `labels`, `sysctls`, build `args`,
//! driver options) in their two spellings, and `env_file`.
//!
//! Compose takes each of these as a list or as a mapping:
//!
//! ```yaml
//! environment:            environment:
//!   - DEBUG=1               DEBUG: 1
//!   - TOKEN=                TOKEN: ""
//!   - HOME                  HOME:
//! ```
//!
//! Both read into the same [`KeyValue`] list. `value` is `None` for a name
//! alone (`HOME`, `HOME:`), which compose fills from the shell's
//! environment when it runs, and `Some("")` for `TOKEN=`. In the list form
//! the key and the value are located at their own columns inside the item
//! when the item is written plainly.
//!
//! Environment values and build arguments are [`Sensitive`]: security rules
//! look for secrets in them, and a finding must never print one.

use std::fmt;

use serde::{Serialize, Serializer};

use super::located::{Located, LocatedList};
use super::lower::{Path, Reader};
use super::tree::{Node, Value};

/// A setting: `key` and, unless the name stands alone, `value`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyValue<V = String> {
    pub key: Located<String>,
    pub value: Option<Located<V>>,
}

/// An environment variable; its value is redacted from `Debug` and
/// `Serialize`.
pub type EnvVar = KeyValue<Sensitive>;

/// A value that may be a secret. `Debug` and `Serialize` print
/// `<redacted>`; [`Sensitive::expose`] gives the text to code that checks
/// it and promises not to print it.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive(String);

impl Sensitive {
    pub fn new(value: impl Into<String>) -> Self {
        Sensitive(value.into())
    }

    /// The value itself. Never print it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

impl Serialize for Sensitive {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("<redacted>")
    }
}

/// An `env_file` entry. Its variables are not read: the parser is pure and
/// the file may not exist where bulwark runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvFile {
    pub path: String,
    /// `false` when marked `required: false` (compose then skips a missing
    /// file).
    pub required: bool,
}

/// A list or mapping of settings, values wrapped by `wrap`.
pub(crate) fn key_values<V>(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    node: &Node,
    wrap: fn(String) -> V,
) -> Option<LocatedList<KeyValue<V>>> {
    match &node.value {
        Value::Map(_) => {
            let entries = r.mapping(path, node)?;
            let items = entries
                .into_iter()
                .filter_map(|e| {
                    let value = match &e.value.value {
                        Value::Null => None,
                        Value::Seq(_) | Value::Map(_) => {
                            let p = path.key(&e.key);
                            r.wrong_type(&p, e.value, "a string, a number or a boolean");
                            return None;
                        }
                        _ => r
                            .scalar_text(e.value)
                            .map(|text| r.located(e.value, wrap(text.into_owned()))),
                    };
                    let key = r.located(e.key_node, e.key.into_owned());
                    let item = KeyValue { key, value };
                    Some(r.located(e.key_node, item))
                })
                .collect();
            Some(r.located(node, items))
        }
        Value::Seq(_) | Value::Null => r.list(path, node, |r, p, n| list_item(r, p, n, wrap)),
        _ => {
            r.wrong_type(path, node, "a list of `NAME=value` or a mapping");
            None
        }
    }
}

/// One `KEY=value` (or `KEY`) list item.
fn list_item<V>(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    node: &Node,
    wrap: fn(String) -> V,
) -> Option<KeyValue<V>> {
    let Some(text) = r.scalar_text(node) else {
        if !matches!(node.value, Value::Null) {
            r.wrong_type(path, node, "a `NAME=value` string");
        }
        return None;
    };
    let (name, value) = match text.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (text.as_ref(), None),
    };
    if name.is_empty() {
        let message = format!("{path} has no name before `=`");
        r.report(node, message, Some("a `NAME=value` string"));
        return None;
    }
    let key = r.located_part(node, &text, 0..name.len(), name.to_owned());
    let value = value.map(|v| {
        let start = name.len() + 1;
        r.located_part(node, &text, start..text.len(), wrap(v.to_owned()))
    });
    Some(KeyValue { key, value })
}

/// `env_file`: a path, or a list of paths and `{path, required}` mappings.
pub(crate) fn env_files(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    node: &Node,
) -> Option<LocatedList<EnvFile>> {
    r.string_or_list(path, node, |r, p, n| {
        if !matches!(n.value, Value::Map(_)) {
            let file = r.string(p, n)?;
            return Some(EnvFile {
                path: file.value,
                required: true,
            });
        }
        let mut file = EnvFile {
            path: String::new(),
            required: true,
        };
        for e in r.mapping(p, n)? {
            match e.key.as_ref() {
                "path" => file.path = r.string(&p.key("path"), e.value)?.value,
                "required" => {
                    if let Some(b) = r.boolean(&p.key("required"), e.value) {
                        file.required = b.value;
                    }
                }
                _ => {}
            }
        }
        if file.path.is_empty() {
            let message = format!("{p} has no `path`");
            r.report(n, message, Some("a `path` key"));
            return None;
        }
        Some(file)
    })
}
