//! `healthcheck`: whether a service checks its health, and how.
//!
//! `test` is a string (run by a shell) or a list whose first item says how
//! to run the rest: `["CMD", "curl", …]`, `["CMD-SHELL", "curl …"]`, or
//! `["NONE"]`, which disables the image's check just as `disable: true`
//! does. Both spellings read into [`HealthTest`].

use serde::Serialize;

use super::located::Located;
use super::lower::{Path, Reader};
use super::tree::{Node, Value};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Healthcheck {
    pub test: Option<Located<HealthTest>>,
    pub disable: Option<Located<bool>>,
}

impl Healthcheck {
    /// `disable: true` or `test: ["NONE"]`.
    pub fn is_disabled(&self) -> bool {
        self.disable.as_ref().is_some_and(|d| d.value)
            || self
                .test
                .as_ref()
                .is_some_and(|t| t.value == HealthTest::Disabled)
    }
}

/// A health test, normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthTest {
    /// `["NONE"]`.
    Disabled,
    /// `["CMD", program, args…]`: the program and its arguments.
    Exec(Vec<String>),
    /// A string, or `["CMD-SHELL", command]`: the shell command.
    Shell(String),
    /// `[]`: use the image's check.
    Inherit,
    /// A list starting with anything else (reported), as written.
    Unknown(Vec<String>),
}

pub(crate) fn healthcheck(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Healthcheck> {
    let mut check = Healthcheck::default();
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "test" => check.test = test(r, &p, e.value),
            "disable" => check.disable = r.boolean(&p, e.value),
            _ => {}
        }
    }
    Some(check)
}

fn test(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Located<HealthTest>> {
    if !matches!(node.value, Value::Seq(_)) {
        return r.string(path, node).map(|s| s.map(HealthTest::Shell));
    }
    let items = r.strings(path, node)?;
    let mut words: Vec<String> = items.value.into_iter().map(|w| w.value).collect();
    let first = if words.is_empty() {
        None
    } else {
        Some(words.remove(0))
    };
    let test = match first.as_deref() {
        None => HealthTest::Inherit,
        Some("NONE") => HealthTest::Disabled,
        Some("CMD") => HealthTest::Exec(words),
        Some("CMD-SHELL") => HealthTest::Shell(words.join(" ")),
        Some(_) => {
            let message = format!("{path} must start with `CMD`, `CMD-SHELL` or `NONE`");
            r.report(node, message, Some("`CMD`, `CMD-SHELL` or `NONE`"));
            words.splice(0..0, first);
            HealthTest::Unknown(words)
        }
    };
    Some(r.located(node, test))
}
