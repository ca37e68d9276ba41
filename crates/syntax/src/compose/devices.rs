//! A service's `devices`: host devices passed into the container, as
//! `HOST[:CONTAINER[:PERMISSIONS]]` or `{source, target, permissions}`.
//! A CDI name (`vendor.com/gpu=all`) has no colon and reads as a source.

use serde::Serialize;

use super::lower::{Path, Reader};
use super::tree::{Node, Value};

/// One entry of `devices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    /// The host device (`/dev/ttyUSB0`) or CDI name.
    pub source: String,
    /// Where it appears in the container; `None` means the same path.
    pub target: Option<String>,
    /// cgroup permissions (`rwm` and subsets); `None` means `rwm`.
    pub permissions: Option<String>,
}

pub(crate) fn device(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Device> {
    if !matches!(node.value, Value::Map(_)) {
        let text = r.string(path, node)?.value;
        let device = short(&text);
        if device.is_none() {
            let message =
                format!("{path} is not a device: expected `HOST[:CONTAINER[:PERMISSIONS]]`");
            r.report(node, message, Some("a device such as `/dev/ttyUSB0`"));
        }
        return device;
    }
    let mut device = Device {
        source: String::new(),
        target: None,
        permissions: None,
    };
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "source" => device.source = r.string(&p, e.value)?.value,
            "target" => device.target = r.string(&p, e.value).map(|s| s.value),
            "permissions" => device.permissions = r.string(&p, e.value).map(|s| s.value),
            _ => {}
        }
    }
    if device.source.is_empty() {
        let message = format!("{path} has no `source`");
        r.report(node, message, Some("a `source` key"));
        return None;
    }
    Some(device)
}

/// The short syntax; `None` when it does not parse.
fn short(text: &str) -> Option<Device> {
    let mut parts = text.split(':');
    let source = parts.next().filter(|s| !s.is_empty())?;
    let target = parts.next().map(str::to_owned);
    let permissions = parts.next().map(str::to_owned);
    if parts.next().is_some() || target.as_deref() == Some("") {
        return None;
    }
    Some(Device {
        source: source.to_owned(),
        target,
        permissions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms() {
        let d = short("/dev/ttyUSB0:/dev/ttyUSB1:rw").unwrap();
        assert_eq!(d.source, "/dev/ttyUSB0");
        assert_eq!(d.target.as_deref(), Some("/dev/ttyUSB1"));
        assert_eq!(d.permissions.as_deref(), Some("rw"));
        let d = short("/dev/sda").unwrap();
        assert_eq!((d.target, d.permissions), (None, None));
        assert_eq!(
            short("vendor.com/gpu=all").unwrap().source,
            "vendor.com/gpu=all"
        );
        for bad in ["", ":/dev/x", "/a::rw", "/a:/b:rw:x"] {
            assert_eq!(short(bad), None, "{bad}");
        }
    }
}
