//! Resource limits: `mem_limit`, `cpus`, and `deploy` (`resources.limits`,
//! `resources.reservations`, `restart_policy`).
//!
//! Sizes and CPU counts come as numbers or strings (`mem_limit: 512m`,
//! `memory: 1073741824`, `cpus: 0.5`, `cpus: "0.5"`). Each reads into one
//! type that keeps the text as written and its value when it has one: a
//! variable (`${MEM:-1g}`) is a limit that is set but unknown, which is not
//! the same as no limit.

use serde::Serialize;

use super::located::Located;
use super::lower::{Path, Reader};
use super::tree::Node;

/// A memory size: `512m`, `1gb`, `1.5g`, `1073741824` (bytes). Units are
/// binary (k = 1024), as docker's `RAMInBytes` reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ByteSize {
    pub text: String,
    pub bytes: Option<u64>,
}

/// A number of CPUs: `0.5`, `"2"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cpus {
    pub text: String,
    pub value: Option<f64>,
}

/// `deploy`: the parts that limit what a container can take.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Deploy {
    pub resources: Option<Located<Resources>>,
    pub restart_policy: Option<Located<RestartPolicy>>,
}

/// `deploy.resources`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Resources {
    pub limits: Option<Located<Limits>>,
    pub reservations: Option<Located<Limits>>,
}

/// `deploy.resources.limits` (or `reservations`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Limits {
    pub cpus: Option<Located<Cpus>>,
    pub memory: Option<Located<ByteSize>>,
    pub pids: Option<Located<i64>>,
}

/// `deploy.restart_policy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RestartPolicy {
    /// `none`, `on-failure` or `any`.
    pub condition: Option<Located<String>>,
    pub max_attempts: Option<Located<i64>>,
}

pub(crate) fn byte_size(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    node: &Node,
) -> Option<Located<ByteSize>> {
    let text = r.string(path, node)?;
    let bytes = parse_bytes(&text.value);
    if bytes.is_none() && !text.value.contains('$') {
        r.wrong_type(path, node, "a size such as `512m`");
    }
    Some(text.map(|text| ByteSize { text, bytes }))
}

pub(crate) fn cpus(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Located<Cpus>> {
    let text = r.string(path, node)?;
    let value = text
        .value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0);
    if value.is_none() && !text.value.contains('$') {
        r.wrong_type(path, node, "a number of CPUs such as `0.5`");
    }
    Some(text.map(|text| Cpus { text, value }))
}

pub(crate) fn deploy(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Deploy> {
    let mut deploy = Deploy::default();
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "resources" => {
                deploy.resources = resources(r, &p, e.value).map(|v| r.located(e.value, v));
            }
            "restart_policy" => {
                deploy.restart_policy =
                    restart_policy(r, &p, e.value).map(|v| r.located(e.value, v));
            }
            _ => {}
        }
    }
    Some(deploy)
}

fn resources(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Resources> {
    let mut resources = Resources::default();
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "limits" => resources.limits = limits(r, &p, e.value),
            "reservations" => resources.reservations = limits(r, &p, e.value),
            _ => {}
        }
    }
    Some(resources)
}

fn limits(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Located<Limits>> {
    let mut limits = Limits::default();
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "cpus" => limits.cpus = cpus(r, &p, e.value),
            "memory" => limits.memory = byte_size(r, &p, e.value),
            "pids" => limits.pids = r.integer(&p, e.value),
            _ => {}
        }
    }
    Some(r.located(node, limits))
}

fn restart_policy(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<RestartPolicy> {
    let mut policy = RestartPolicy::default();
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "condition" => policy.condition = r.string(&p, e.value),
            "max_attempts" => policy.max_attempts = r.integer(&p, e.value),
            _ => {}
        }
    }
    Some(policy)
}

/// Docker's `RAMInBytes`: a decimal number, an optional space, then an
/// optional unit `k`, `m`, `g`, `t` or `p` (any case, binary multiples),
/// optionally followed by `i` and/or `b`.
fn parse_bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    // Byte by byte: a character that is not ASCII is not a digit or a dot,
    // and starts at the byte where it stops the number.
    let digits = text
        .bytes()
        .position(|b| !(b.is_ascii_digit() || b == b'.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: f64 = number.parse().ok()?;
    // The unit is matched in any case without lowering a copy of it.
    let unit = unit.strip_prefix(' ').unwrap_or(unit);
    let unit = unit.strip_suffix(['b', 'B']).unwrap_or(unit);
    let unit = unit.strip_suffix(['i', 'I']).unwrap_or(unit);
    let scale = match unit.as_bytes() {
        [] => 1.0,
        [letter] => match letter.to_ascii_lowercase() {
            b'k' => KIB,
            b'm' => KIB * KIB,
            b'g' => KIB * KIB * KIB,
            b't' => KIB * KIB * KIB * KIB,
            b'p' => KIB * KIB * KIB * KIB * KIB,
            _ => return None,
        },
        _ => return None,
    };
    let bytes = number * scale;
    // In range for u64 (and finite) by this check; the cast truncates any
    // fraction of a byte, as docker does.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (bytes.is_finite() && bytes < 1.8e19).then_some(bytes as u64)
}

/// A binary kilo. Its powers up to 1024⁵ are exact in an `f64`, so the
/// products above are the powers themselves.
const KIB: f64 = 1024.0;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_bytes("512m"), Some(512 << 20));
        assert_eq!(parse_bytes("512M"), Some(512 << 20));
        assert_eq!(parse_bytes("1gb"), Some(1 << 30));
        assert_eq!(parse_bytes("1GiB"), Some(1 << 30));
        assert_eq!(parse_bytes("1.5g"), Some(3 << 29));
        assert_eq!(parse_bytes("100"), Some(100));
        assert_eq!(parse_bytes("64 k"), Some(64 << 10));
        assert_eq!(parse_bytes("1073741824"), Some(1 << 30));
        for bad in ["", "m", "1x", "-1m", "1..2m", "1e400"] {
            assert_eq!(parse_bytes(bad), None, "{bad}");
        }
    }

    /// [`parse_bytes`] as first written: the unit lowered into a copy.
    fn parse_bytes_by_copy(text: &str) -> Option<u64> {
        let text = text.trim();
        let digits = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(digits);
        let number: f64 = number.parse().ok()?;
        let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
        let unit = unit.strip_suffix('b').unwrap_or(&unit);
        let unit = unit.strip_suffix('i').unwrap_or(unit);
        let power = match unit {
            "" => 0,
            "k" => 1,
            "m" => 2,
            "g" => 3,
            "t" => 4,
            "p" => 5,
            _ => return None,
        };
        let bytes = number * 1024f64.powi(power);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        (bytes.is_finite() && bytes < 1.8e19).then_some(bytes as u64)
    }

    proptest! {
        #[test]
        fn agrees_with_lowering_a_copy(
            text in "[ ]?[0-9.]{0,6}[ ]{0,2}[kKmMgGtTpPxé]?[iI]?[bB]?[iIbB ]?"
        ) {
            prop_assert_eq!(parse_bytes(&text), parse_bytes_by_copy(&text));
        }
    }
}
