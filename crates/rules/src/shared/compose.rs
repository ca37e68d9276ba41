//! Logic the compose rules share: where a value from an anchor is written,
//! which service (through `extends`) decides a missing key, and compose's
//! `${VAR:-default}` interpolation.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Located, Service};

use crate::finding::Evidence;

/// Evidence naming the line where a value brought in from an anchor is
/// written.
pub fn defined_at<T>(src: &Source, v: &Located<T>, what: &str) -> Option<Evidence> {
    v.is_indirect().then(|| {
        Evidence::new(
            crate::finding::Source::File,
            format!(
                "{}:{}:{}",
                src.path, v.defined.position.line, v.defined.position.column
            ),
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
pub fn with_defaults(text: &str) -> Option<String> {
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
