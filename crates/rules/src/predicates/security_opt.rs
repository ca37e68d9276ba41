//! `--security-opt` entries: `seccomp=unconfined`, `apparmor:docker-default`,
//! `no-new-privileges`, `label=disable`, ….

/// Splits an entry into key and value at the first `=` or `:`, whichever
/// comes first. Only the first separator counts: the CLI inlines a custom
/// seccomp profile's JSON as the value, and that JSON is full of both.
/// An entry without a separator has no value (`no-new-privileges`).
pub fn split(entry: &str) -> (&str, Option<&str>) {
    // A byte scan: both separators are ASCII, so the index is a char
    // boundary; `str::find` with a char set decodes every character and
    // cost several times more in compose lint profiles.
    match entry.bytes().position(|b| b == b'=' || b == b':') {
        Some(i) => (&entry[..i], Some(&entry[i + 1..])),
        None => (entry, None),
    }
}

/// The value of the last entry with `key` (later entries win, as in the
/// engine), `Some(None)` for a bare key, `None` if absent.
pub fn find<'a>(entries: &'a [String], key: &str) -> Option<Option<&'a str>> {
    entries
        .iter()
        .rev()
        .map(|e| split(e))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// The effective `no-new-privileges` of the entries: `Some(true)` for the
/// bare key or a true value, `Some(false)` for an explicit false, `None`
/// when not set.
pub fn no_new_privileges(entries: &[String]) -> Option<bool> {
    find(entries, "no-new-privileges").map(|v| match v {
        None => true,
        Some(v) => matches!(v, "true" | "1" | "True" | "TRUE"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn both_separators_and_only_the_first() {
        assert_eq!(split("seccomp=unconfined"), ("seccomp", Some("unconfined")));
        assert_eq!(split("seccomp:unconfined"), ("seccomp", Some("unconfined")));
        assert_eq!(
            split(r#"seccomp={"defaultAction":"SCMP_ACT_ERRNO"}"#),
            ("seccomp", Some(r#"{"defaultAction":"SCMP_ACT_ERRNO"}"#))
        );
        assert_eq!(split("no-new-privileges"), ("no-new-privileges", None));
    }

    #[test]
    fn no_new_privileges_in_every_form() {
        assert_eq!(no_new_privileges(&v(&["no-new-privileges"])), Some(true));
        assert_eq!(
            no_new_privileges(&v(&["no-new-privileges=true"])),
            Some(true)
        );
        assert_eq!(
            no_new_privileges(&v(&["no-new-privileges:true"])),
            Some(true)
        );
        assert_eq!(
            no_new_privileges(&v(&["no-new-privileges=false"])),
            Some(false)
        );
        assert_eq!(
            no_new_privileges(&v(&["no-new-privileges:false"])),
            Some(false)
        );
        assert_eq!(no_new_privileges(&v(&["seccomp=unconfined"])), None);
        assert_eq!(
            no_new_privileges(&v(&["no-new-privileges", "no-new-privileges=false"])),
            Some(false)
        );
    }
}
