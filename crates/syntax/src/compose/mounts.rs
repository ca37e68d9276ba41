//! A service's `volumes`: short syntax (`./src:/app:ro`, `data:/data`,
//! `/data`) and long syntax (`{type, source, target, read_only, bind: …}`),
//! read into one [`Mount`].
//!
//! The short syntax follows compose-go's `ParseVolume`: split at colons
//! (not inside `${…}`, and not after a lone letter, which is a Windows
//! drive: `C:\data:/data`), then `SOURCE:TARGET[:OPTIONS]` or just `TARGET`
//! (an anonymous volume). A source that looks like a path is a bind mount,
//! anything else names a volume. Options are comma-separated: `ro`/`rw`,
//! SELinux `z`/`Z`, a propagation mode, and others (`nocopy`, `cached`, …)
//! kept as written.

use std::borrow::Cow;

use serde::Serialize;
use smallvec::SmallVec;

use super::lower::{Path, Reader};
use super::ports::Syntax;
use super::split;
use super::tree::{Node, Value};

/// One entry of a service's `volumes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    pub kind: MountKind,
    /// Host path (bind) or volume name; `None` for an anonymous volume or
    /// a tmpfs. Variables stay as written (`${HOME}/.ssh`).
    pub source: Option<String>,
    /// Path in the container; `None` only when missing (reported).
    pub target: Option<String>,
    /// `:ro` or `read_only: true`.
    pub read_only: bool,
    /// `shared`, `rshared`, `slave`, `rslave`, `private` or `rprivate`,
    /// from the options or `bind.propagation`.
    pub propagation: Option<String>,
    /// `z` or `Z`, from the options or `bind.selinux`.
    pub selinux: Option<String>,
    /// Short syntax: every option as written, in order.
    pub options: Vec<String>,
    pub syntax: Syntax,
}

/// The mount type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
    Npipe,
    Cluster,
    Image,
    /// A `type:` compose does not know, as written.
    Other(String),
}

impl MountKind {
    fn parse(text: &str) -> MountKind {
        match text {
            "bind" => MountKind::Bind,
            "volume" => MountKind::Volume,
            "tmpfs" => MountKind::Tmpfs,
            "npipe" => MountKind::Npipe,
            "cluster" => MountKind::Cluster,
            "image" => MountKind::Image,
            other => MountKind::Other(other.to_owned()),
        }
    }
}

const PROPAGATION: [&str; 6] = [
    "shared", "rshared", "slave", "rslave", "private", "rprivate",
];

/// One entry of `volumes`.
pub(crate) fn mount(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Mount> {
    match &node.value {
        Value::Map(_) => long(r, path, node),
        Value::Str(text) => {
            let mount = short(text);
            if mount.is_none() {
                let message = format!(
                    "{path} is not a volume: expected `SOURCE:TARGET[:OPTIONS]` or `TARGET`"
                );
                r.report(node, message, Some("a volume such as `./src:/app:ro`"));
            }
            mount
        }
        _ => {
            r.wrong_type(path, node, "a volume string or a mapping");
            None
        }
    }
}

/// The short syntax; `None` when it does not parse.
pub(crate) fn short(spec: &str) -> Option<Mount> {
    let parts = join_drive_letters(split::split(spec, b':'));
    let (source, target, options) = match parts.as_slice() {
        [target] => (None, target, ""),
        [source, target] => (Some(source.as_ref()), target, ""),
        [source, target, options] => (Some(source.as_ref()), target, options.as_ref()),
        _ => return None,
    };
    if !is_absolute(target) || source == Some("") {
        return None;
    }
    let kind = match source {
        Some(s) if is_path(s) => MountKind::Bind,
        _ => MountKind::Volume,
    };
    let mut mount = Mount {
        kind,
        source: source.map(str::to_owned),
        target: Some(target.as_ref().to_owned()),
        read_only: false,
        propagation: None,
        selinux: None,
        options: Vec::new(),
        syntax: Syntax::Short,
    };
    for option in options.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        match option {
            "ro" => mount.read_only = true,
            "rw" => mount.read_only = false,
            "z" | "Z" => mount.selinux = Some(option.to_owned()),
            p if PROPAGATION.contains(&p) => mount.propagation = Some(p.to_owned()),
            _ => {}
        }
        mount.options.push(option.to_owned());
    }
    Some(mount)
}

/// Rejoins `C` and `\data` split at a Windows drive's colon. Like
/// compose-go, any part of a single letter is taken for a drive. Parts
/// stay borrowed unless joined.
fn join_drive_letters(parts: split::Parts<'_>) -> SmallVec<[Cow<'_, str>; 4]> {
    let mut out: SmallVec<[Cow<'_, str>; 4]> = SmallVec::new();
    let mut drive = false;
    for part in parts {
        match out.last_mut() {
            Some(last) if drive => {
                let last = last.to_mut();
                last.push(':');
                last.push_str(part);
                drive = false;
            }
            _ => {
                // One character that is an ASCII letter is one byte.
                drive = matches!(part.as_bytes(), [c] if c.is_ascii_alphabetic());
                out.push(Cow::Borrowed(part));
            }
        }
    }
    out
}

/// Whether a short-syntax source is a host path rather than a volume name.
/// A source starting with a variable counts as a path (`${PWD}`,
/// `${DATA_DIR}`): interpolated host paths are common, interpolated volume
/// names are not, and erring this way keeps bind-mount rules looking.
fn is_path(source: &str) -> bool {
    source.starts_with(['.', '/', '~', '\\', '$'])
        || source.bytes().any(|b| b == b'/' || b == b'\\')
        || source.as_bytes().get(1) == Some(&b':')
}

/// Whether a container path is absolute, as compose requires (a variable
/// is given the benefit of the doubt).
fn is_absolute(target: &str) -> bool {
    let bytes = target.as_bytes();
    target.starts_with(['/', '\\', '$'])
        || (bytes.len() > 2
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && matches!(bytes[2], b'/' | b'\\'))
}

/// The long syntax.
fn long(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Mount> {
    let mut mount = Mount {
        kind: MountKind::Volume,
        source: None,
        target: None,
        read_only: false,
        propagation: None,
        selinux: None,
        options: Vec::new(),
        syntax: Syntax::Long,
    };
    let mut kind = None;
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "type" => kind = r.string(&p, e.value).map(|s| MountKind::parse(&s.value)),
            "source" => mount.source = r.string(&p, e.value).map(|s| s.value),
            "target" => mount.target = r.string(&p, e.value).map(|s| s.value),
            "read_only" => {
                mount.read_only = r.boolean(&p, e.value).is_some_and(|b| b.value);
            }
            "bind" => {
                for b in r.mapping(&p, e.value).unwrap_or_default() {
                    let q = p.key(&b.key);
                    match b.key.as_ref() {
                        "propagation" => {
                            mount.propagation = r.string(&q, b.value).map(|s| s.value);
                        }
                        "selinux" => mount.selinux = r.string(&q, b.value).map(|s| s.value),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    // `type` is required; without it, guess as the short syntax does.
    mount.kind = kind.unwrap_or(match &mount.source {
        Some(s) if is_path(s) => MountKind::Bind,
        _ => MountKind::Volume,
    });
    if mount.target.is_none() {
        let message = format!("{path} has no `target`");
        r.report(node, message, Some("a `target` key"));
    }
    Some(mount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_bind_read_only() {
        let m = short("./src:/app:ro").unwrap();
        assert_eq!(m.kind, MountKind::Bind);
        assert_eq!(m.source.as_deref(), Some("./src"));
        assert_eq!(m.target.as_deref(), Some("/app"));
        assert!(m.read_only);
        assert_eq!(m.options, ["ro"]);
    }

    #[test]
    fn named_volume() {
        let m = short("data:/data").unwrap();
        assert_eq!(m.kind, MountKind::Volume);
        assert_eq!(m.source.as_deref(), Some("data"));
        assert!(!m.read_only);
    }

    #[test]
    fn docker_socket() {
        let m = short("/var/run/docker.sock:/var/run/docker.sock").unwrap();
        assert_eq!(m.kind, MountKind::Bind);
        assert_eq!(m.source.as_deref(), Some("/var/run/docker.sock"));
    }

    #[test]
    fn anonymous_volume() {
        let m = short("/data").unwrap();
        assert_eq!((m.kind, m.source), (MountKind::Volume, None));
        assert_eq!(m.target.as_deref(), Some("/data"));
    }

    #[test]
    fn options() {
        let m = short("/etc:/host/etc:ro,rshared,Z,nocopy").unwrap();
        assert!(m.read_only);
        assert_eq!(m.propagation.as_deref(), Some("rshared"));
        assert_eq!(m.selinux.as_deref(), Some("Z"));
        assert_eq!(m.options, ["ro", "rshared", "Z", "nocopy"]);
        assert!(!short("/a:/b:ro,rw").unwrap().read_only);
        assert_eq!(short("~/x:/x:z").unwrap().selinux.as_deref(), Some("z"));
    }

    #[test]
    fn windows_drives_and_variables() {
        let m = short(r"C:\data:/data:ro").unwrap();
        assert_eq!(m.source.as_deref(), Some(r"C:\data"));
        assert_eq!(m.kind, MountKind::Bind);
        let m = short("${DATA_DIR:-./data}:/data").unwrap();
        assert_eq!(m.source.as_deref(), Some("${DATA_DIR:-./data}"));
        assert_eq!(m.kind, MountKind::Bind);
    }

    #[test]
    fn garbage_is_refused() {
        for spec in ["", ":/a", "a:", "data", "./a:/b:ro:x", "a:b"] {
            assert_eq!(short(spec), None, "{spec}");
        }
    }
}
