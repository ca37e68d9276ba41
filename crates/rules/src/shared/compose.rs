//! Logic the compose rules share: where a value from an anchor is written,
//! which service (through `extends`) decides a missing key, and compose's
//! `${VAR:-default}` interpolation.

use std::borrow::Cow;
use std::fmt;

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Located, Mount, MountKind, Port, Service};

use crate::context::Context;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::namespaces::{self, Sharing};
use crate::predicates::security_opt;
use crate::sources::{location, subject};

/// Evidence naming the line where a value brought in from an anchor is
/// written. `what` is only formatted then (pass `format_args!`): most
/// values are written in place, and building their text for nothing cost
/// a good share of the rules' time.
pub fn defined_at<T>(src: &Source, v: &Located<T>, what: impl fmt::Display) -> Option<Evidence> {
    v.is_indirect().then(|| {
        let at = v.defined.position(src);
        Evidence::new(
            crate::finding::Source::File,
            format!("{}:{}:{}", src.path, at.line, at.column),
            format!("{what} (defined in an anchor)"),
        )
    })
}

/// The service that decides a key the rule looks for: `service` itself
/// when `has` holds for it, else the service it `extends` in this file,
/// and so on. `Some(None)` when none of them sets it; `None` when that
/// cannot be known: a YAML error cut a service short, or it extends a
/// service in another file or one that is not in the file.
pub fn decided_by<'f>(
    file: &'f ComposeFile,
    service: &'f Service,
    has: impl Fn(&Service) -> bool,
) -> Option<Option<&'f Service>> {
    let mut current = service;
    for _ in 0..16 {
        if has(current) {
            return Some(Some(current));
        }
        if !current.complete {
            return None;
        }
        let Some(base) = &current.extends else {
            return Some(None);
        };
        if base.value.file.is_some() {
            return None;
        }
        current = file.service(&base.value.service)?;
    }
    None
}

/// The text with every `${NAME:-default}` or `${NAME-default}` replaced by
/// its default and `$$` by `$`, as compose reads it when NAME is unset;
/// `None` when a variable has no default (`$NAME`, `${NAME}`,
/// `${NAME:?error}`), since its value is unknown.
///
/// Most values hold no `$`: they come back borrowed, without a copy.
pub fn with_defaults(text: &str) -> Option<Cow<'_, str>> {
    // A byte slice's `contains`: core's word-at-a-time search, inlined.
    // Cheaper on these short values than a byte loop (`bytes().any`) and
    // than `str::contains`, which calls into `memchr` per value.
    if !text.as_bytes().contains(&b'$') {
        return Some(Cow::Borrowed(text));
    }
    interpolate(text).map(Cow::Owned)
}

/// [`with_defaults`] of a text with a `$`.
fn interpolate(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        let inner = after.strip_prefix('{')?;
        let mut depth = 1;
        let end = inner.char_indices().find_map(|(j, c)| {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(j)
        })?;
        let body = &inner[..end];
        let name_end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let op = &body[name_end..];
        let default = op.strip_prefix(":-").or_else(|| op.strip_prefix('-'))?;
        out.push_str(&with_defaults(default)?);
        rest = &inner[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The namespace rules' check (CMP007–CMP010): each service whose `key`
/// (read by `mode`) is `host`, or a `service:` chain ending in a service
/// that uses `host`, fails at the key; `noun` names the namespace in the
/// message. The compose form of [`crate::shared::namespace::judge_namespace`].
pub fn host_namespace(
    ctx: &Context<'_>,
    out: &mut Findings<'_>,
    key: &str,
    noun: &str,
    mode: fn(&Service) -> Option<&Located<String>>,
) {
    for (src, file) in ctx.compose_files() {
        for service in &file.services {
            if let Some(verdict) = judge_namespace(src, file, service, key, noun, mode) {
                out.push(subject(src), verdict);
            }
        }
    }
}

fn judge_namespace(
    src: &Source,
    file: &ComposeFile,
    service: &Service,
    key: &str,
    noun: &str,
    mode: fn(&Service) -> Option<&Located<String>>,
) -> Option<Verdict> {
    let own = mode(service)?;
    let name = &service.name.value;
    let (chain, host) = resolve(file, service, mode);
    if !host {
        return None;
    }
    let message = if chain.is_empty() {
        format!("Service `{name}` shares the host's {noun} namespace ({key}: host).")
    } else {
        format!(
            "Service `{name}` shares the host's {noun} namespace through service {}, which uses host.",
            chain
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" → ")
        )
    };
    let mut verdict = Verdict::fail(message).at(location(src, own.used.span));
    if let Some(e) = defined_at(src, own, format_args!("{key}: {}", own.value)) {
        verdict = verdict.with(e);
    }
    Some(verdict)
}

/// Follows `service:<name>` links through the file's services, as
/// [`namespaces::resolve_chain`] follows `container:` links between
/// containers: the services passed through, and whether the chain ends in
/// `host`. A `container:` link names a container outside the file and is
/// not followed; loops and unknown services end the walk (not host).
fn resolve<'f>(
    file: &'f ComposeFile,
    start: &'f Service,
    mode: fn(&Service) -> Option<&Located<String>>,
) -> (Vec<&'f str>, bool) {
    let mut chain: Vec<&str> = Vec::new();
    let mut current = start;
    loop {
        let Some(m) = mode(current) else {
            return (chain, false);
        };
        if namespaces::sharing(&m.value) == Sharing::Host {
            return (chain, true);
        }
        let Some(target) = m.value.strip_prefix("service:") else {
            return (chain, false);
        };
        if chain.contains(&target) || chain.len() > 16 {
            return (chain, false);
        }
        chain.push(target);
        match file.service(target) {
            Some(next) => current = next,
            None => return (chain, false),
        }
    }
}

/// A host path a mount brings in, and where it is written when that is
/// not the volume entry itself (a named volume's `device`). Borrowed from
/// the model: every bind mount of every service has one.
pub struct HostPath<'f> {
    pub text: &'f str,
    pub place: Option<bulwark_syntax::compose::Place>,
}

/// The host path behind a mount: a bind's source, or the device a named
/// volume binds. The second value names the volume.
pub fn host_path<'f>(
    file: &'f ComposeFile,
    m: &'f Mount,
) -> Option<(HostPath<'f>, Option<&'f str>)> {
    let source = m.source.as_deref()?;
    match m.kind {
        MountKind::Bind => Some((
            HostPath {
                text: source,
                place: None,
            },
            None,
        )),
        MountKind::Volume => {
            let device = bound_device(file, source)?;
            Some((
                HostPath {
                    text: &device.value,
                    place: Some(device.used),
                },
                Some(source),
            ))
        }
        _ => None,
    }
}

/// The host path a top-level named volume binds: the `local` driver (the
/// default) with `o: bind` (or `rbind`) mounts `device` like a bind mount.
pub fn bound_device<'f>(file: &'f ComposeFile, name: &str) -> Option<&'f Located<String>> {
    let volume = file.volumes.iter().find(|v| v.name.value == name)?;
    if volume.external.as_ref().is_some_and(|e| e.value) {
        return None;
    }
    if volume.driver.as_ref().is_some_and(|d| d.value != "local") {
        return None;
    }
    let opts = &volume.driver_opts.as_ref()?.value;
    let opt = |key: &str| {
        opts.iter()
            .find(|kv| kv.value.key.value == key)
            .and_then(|kv| kv.value.value.as_ref())
    };
    let binds = opt("o").is_some_and(|o| o.value.split(',').any(|o| o == "bind" || o == "rbind"));
    if binds { opt("device") } else { None }
}

/// The service's `security_opt` entries, each with its place.
pub fn security_opt_entries(s: &Service) -> &[Located<String>] {
    s.security_opt.as_ref().map_or(&[], |l| l.value.as_slice())
}

/// The last entry with `key` (later entries win, as in the engine).
///
/// An entry with that key starts with it: entries that do not (most, for
/// most keys) are passed over without looking for their separator.
pub fn last_security_opt<'s>(s: &'s Service, key: &str) -> Option<&'s Located<String>> {
    security_opt_entries(s)
        .iter()
        .rev()
        .find(|e| e.value.starts_with(key) && security_opt::split(&e.value).0 == key)
}

/// A failure about `entry`, at the entry, naming the anchor it comes from.
pub fn fail_at_security_opt(src: &Source, entry: &Located<String>, message: String) -> Verdict {
    let verdict = Verdict::fail(message).at(location(src, entry.used.span));
    match defined_at(src, entry, format_args!("security_opt: {}", entry.value)) {
        Some(e) => verdict.with(e),
        None => verdict,
    }
}

/// A failure about `port`, at the entry, naming the anchor it comes from.
pub fn fail_at_port(src: &Source, port: &Located<Port>, message: String) -> Verdict {
    let verdict = Verdict::fail(message).at(location(src, port.used.span));
    match defined_at(src, port, "port") {
        Some(e) => verdict.with(e),
        None => verdict,
    }
}

/// `8080→80/tcp`, `(random)→80/tcp`: the mapping as people read it.
pub fn describe_port(p: &Port) -> String {
    port_pieces(p).concat()
}

/// [`describe_port`] in pieces, to write into a message with the rest of
/// it: one allocation for the message instead of two.
pub fn port_pieces(p: &Port) -> [&str; 5] {
    let host = p.published.as_ref().map_or("(random)", |n| n.text.as_str());
    let target = p.target.as_ref().map_or("?", |n| n.text.as_str());
    let protocol = p.protocol.as_deref().unwrap_or("tcp");
    [host, "→", target, "/", protocol]
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;

    proptest::proptest! {
        /// `last_security_opt` finds what splitting every entry finds.
        #[test]
        fn last_security_opt_agrees_with_splitting_every_entry(
            entries in proptest::collection::vec("(label|seccomp|apparmor|no-new-privileges|systempaths)?[:=]?(label|true|unconfined|disable)?", 0..5),
            key in "label|seccomp|apparmor|no-new-privileges|systempaths|disable",
        ) {
            let text = format!(
                "services:\n  app:\n    security_opt: [{}]\n",
                entries.iter().map(|e| format!("'{e}'")).collect::<Vec<_>>().join(", ")
            );
            let src = Source::parse("compose.yml", SourceKind::Compose, text);
            let service = &src.compose().unwrap().services[0];
            let split_all = security_opt_entries(service)
                .iter()
                .rev()
                .find(|e| security_opt::split(&e.value).0 == key);
            proptest::prop_assert_eq!(
                last_security_opt(service, &key).map(|e| e.used.span),
                split_all.map(|e| e.used.span)
            );
        }
    }
}
