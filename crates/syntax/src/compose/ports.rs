//! `ports`: short syntax (`"127.0.0.1:8080:80/udp"`) and long syntax
//! (`{target, published, host_ip, protocol, mode}`), read into one [`Port`].
//!
//! The short syntax is split as docker's `nat.ParsePortSpec` does:
//! `[[IP:]HOST:]CONTAINER[/PROTOCOL]`, counting colons from the right so that
//! an unbracketed IPv6 address keeps its own (`::1:8080:80`), and brackets
//! are dropped (`[::1]:8080:80`). Every entry of `ports` is published: with
//! no host port (`"80"`, `"127.0.0.1::80"`) the engine picks one, on every
//! interface unless an IP is given, which is what rules about exposure
//! need to know.

use serde::Serialize;

use super::lower::{Path, Reader};
use super::split;
use super::tree::{Node, Value};

/// A published port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Port {
    /// The host address to bind (brackets removed); `None` binds all
    /// interfaces.
    pub host_ip: Option<String>,
    /// The host port or range; `None` lets the engine choose.
    pub published: Option<PortNumbers>,
    /// The container port or range; `None` only when it could not be read
    /// (reported).
    pub target: Option<PortNumbers>,
    /// As written (`tcp`, `udp`, `sctp`); `None` means tcp.
    pub protocol: Option<String>,
    /// Long syntax only: `host` or `ingress`.
    pub mode: Option<String>,
    pub syntax: Syntax,
}

/// Which spelling an entry used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    Short,
    Long,
}

/// A port or a range as written, and its numbers when they are numbers
/// (not when a variable such as `${WEB_PORT}` stands for them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortNumbers {
    pub text: String,
    pub range: Option<PortRange>,
}

/// An inclusive range of ports; `start == end` for a single port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PortRange {
    pub start: u16,
    pub end: u16,
}

impl PortNumbers {
    /// Reads `80` or `8000-8010`. `Err` for text that is neither a number
    /// nor a variable.
    fn parse(text: &str) -> Result<PortNumbers, ()> {
        Ok(PortNumbers {
            range: range(text)?,
            text: text.to_owned(),
        })
    }

    /// [`Self::parse`] of a string already owned (a long-syntax value),
    /// kept rather than copied.
    fn parse_owned(text: String) -> Result<PortNumbers, ()> {
        Ok(PortNumbers {
            range: range(&text)?,
            text,
        })
    }
}

impl PortRange {
    /// Reads `80` or `8000-8010` (a range not running backwards); `None`
    /// for anything else, a variable included. For text a rule has
    /// substituted variables into: a port as written is read when the
    /// file is.
    pub fn parse(text: &str) -> Option<PortRange> {
        range(text).ok().flatten()
    }
}

/// The numbers of `80` or `8000-8010`; `None` for a variable.
///
/// Read over bytes: the text is a few bytes long, for which `str`'s
/// `contains` and `split_once` (each a `memchr` call) cost more than
/// looking at every byte.
fn range(text: &str) -> Result<Option<PortRange>, ()> {
    let bytes = text.as_bytes();
    if bytes.contains(&b'$') {
        return Ok(None);
    }
    let (start, end) = crate::split_once_ascii(text, b'-').unwrap_or((text, text));
    let start = number(start)?;
    let end = number(end)?;
    if end < start {
        return Err(());
    }
    Ok(Some(PortRange { start, end }))
}

/// One port number. The common spelling (up to five ASCII digits) is
/// summed up in place; anything else (spaces around it, a `+`, leading
/// zeros past five digits) goes to `u16`'s parser, which defines what is
/// accepted.
fn number(text: &str) -> Result<u16, ()> {
    if text.len() <= 5
        && let Some(n) = crate::ascii_digits(text)
    {
        return u16::try_from(n).map_err(|_| ());
    }
    text.trim().parse().map_err(|_| ())
}

/// One entry of `ports`.
pub(crate) fn port(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Port> {
    match &node.value {
        Value::Map(_) => long(r, path, node),
        Value::Int(_) | Value::Str(_) => {
            let text = r.scalar_text(node)?;
            let port = short(&text);
            if port.is_none() {
                let message = format!(
                    "{path} is not a port mapping: expected `[[IP:]HOST:]CONTAINER[/PROTOCOL]`"
                );
                r.report(node, message, Some("a port mapping such as `8080:80`"));
            }
            port
        }
        _ => {
            r.wrong_type(path, node, "a port mapping string or a mapping");
            None
        }
    }
}

/// The short syntax; `None` when it does not parse.
pub(crate) fn short(text: &str) -> Option<Port> {
    let (spec, protocol) = match split::rsplit_once(text, b'/') {
        Some((spec, protocol)) => (spec, Some(protocol.to_owned())),
        None => (text, None),
    };
    let parts = split::split(spec, b':');
    let (ip, published, target) = match parts.as_slice() {
        [target] => (None, None, *target),
        [published, target] => (None, Some(*published), *target),
        [ip @ .., published, target] => (Some(ip.join(":")), Some(*published), *target),
        [] => return None,
    };
    let host_ip = ip.map(|ip| {
        let ip = ip.strip_prefix('[').unwrap_or(&ip);
        ip.strip_suffix(']').unwrap_or(ip).to_owned()
    });
    let published = match published {
        None | Some("") => None,
        Some(p) => Some(PortNumbers::parse(p).ok()?),
    };
    Some(Port {
        host_ip: host_ip.filter(|ip| !ip.is_empty()),
        published,
        target: Some(PortNumbers::parse(target).ok()?),
        protocol: protocol.filter(|p| !p.is_empty()),
        mode: None,
        syntax: Syntax::Short,
    })
}

/// The long syntax: a mapping with `target` and optional fields.
fn long(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Port> {
    let mut port = Port {
        host_ip: None,
        published: None,
        target: None,
        protocol: None,
        mode: None,
        syntax: Syntax::Long,
    };
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "target" => port.target = numbers(r, &p, e.value),
            "published" => port.published = numbers(r, &p, e.value),
            "host_ip" => port.host_ip = r.string(&p, e.value).map(|s| s.value),
            "protocol" => port.protocol = r.string(&p, e.value).map(|s| s.value),
            "mode" => port.mode = r.string(&p, e.value).map(|s| s.value),
            _ => {}
        }
    }
    if port.target.is_none() {
        let message = format!("{path} has no `target` port");
        r.report(node, message, Some("a `target` key"));
    }
    Some(port)
}

/// A long-syntax port number or range (`published` may be `"8000-8010"`).
fn numbers(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<PortNumbers> {
    let text = r.string(path, node)?.value;
    let numbers = PortNumbers::parse_owned(text).ok();
    if numbers.is_none() {
        r.wrong_type(path, node, "a port number or range");
    }
    numbers
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn range(start: u16, end: u16) -> Option<PortRange> {
        Some(PortRange { start, end })
    }

    #[test]
    fn host_and_container() {
        let p = short("8080:80").unwrap();
        assert_eq!(p.host_ip, None);
        assert_eq!(p.published.unwrap().range, range(8080, 8080));
        assert_eq!(p.target.unwrap().range, range(80, 80));
        assert_eq!(p.protocol, None);
    }

    #[test]
    fn ip_and_protocol() {
        let p = short("127.0.0.1:8080:80/udp").unwrap();
        assert_eq!(p.host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(p.published.unwrap().text, "8080");
        assert_eq!(p.protocol.as_deref(), Some("udp"));
    }

    #[test]
    fn ipv6_with_and_without_brackets() {
        for spec in ["[::1]:8080:80", "::1:8080:80"] {
            let p = short(spec).unwrap();
            assert_eq!(p.host_ip.as_deref(), Some("::1"), "{spec}");
            assert_eq!(p.published.unwrap().range, range(8080, 8080), "{spec}");
            assert_eq!(p.target.unwrap().range, range(80, 80), "{spec}");
        }
    }

    #[test]
    fn ranges() {
        let p = short("8000-8010:80-90").unwrap();
        assert_eq!(p.published.unwrap().range, range(8000, 8010));
        assert_eq!(p.target.unwrap().range, range(80, 90));
    }

    #[test]
    fn container_port_only_is_published_on_a_random_port() {
        let p = short("80").unwrap();
        assert_eq!((p.host_ip, p.published), (None, None));
        assert_eq!(p.target.unwrap().range, range(80, 80));
        let p = short("127.0.0.1::80").unwrap();
        assert_eq!(p.host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(p.published, None);
    }

    #[test]
    fn variables_are_kept_as_text() {
        let p = short("${BIND:-0.0.0.0}:${WEB_PORT:-8080}:80").unwrap();
        assert_eq!(p.host_ip.as_deref(), Some("${BIND:-0.0.0.0}"));
        let published = p.published.unwrap();
        assert_eq!(published.text, "${WEB_PORT:-8080}");
        assert_eq!(published.range, None);
    }

    /// [`super::range`] as first written, over `str`.
    fn range_by_str(text: &str) -> Result<Option<PortRange>, ()> {
        if text.contains('$') {
            return Ok(None);
        }
        let (start, end) = text.split_once('-').unwrap_or((text, text));
        let start: u16 = start.trim().parse().map_err(|_| ())?;
        let end: u16 = end.trim().parse().map_err(|_| ())?;
        if end < start {
            return Err(());
        }
        Ok(Some(PortRange { start, end }))
    }

    proptest! {
        #[test]
        fn range_agrees_with_str_parsing(text in "([0-9]{1,7}|[ +$x\\-]|é){0,4}") {
            prop_assert_eq!(super::range(&text), range_by_str(&text));
        }
    }

    #[test]
    fn range_edges_agree_with_str_parsing() {
        for text in [
            "0",
            "65535",
            "65536",
            "99999",
            "000080",
            "+80",
            " 80 ",
            "80-",
            "-80",
            "8000-8010",
            "90-80",
            "1-2-3",
            "${P}",
            "",
            "٣",
        ] {
            assert_eq!(super::range(text), range_by_str(text), "{text}");
        }
    }

    #[test]
    fn garbage_is_refused() {
        for spec in ["", "http", "80:", "a:80", "70000", "90-80", "1:2:x/tcp"] {
            assert_eq!(short(spec), None, "{spec}");
        }
    }
}
