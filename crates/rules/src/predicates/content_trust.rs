//! `DOCKER_CONTENT_TRUST`: when a value turns Docker Content Trust off.
//!
//! The docker CLI (`cli/command/cli_options.go`, `WithContentTrustFromEnv`)
//! enables trust when the variable is non-empty and `strconv.ParseBool`
//! reads it as true *or cannot read it*: "treat any other value as true".
//! So only the empty string and Go's false spellings (`0`, `f`, `F`,
//! `false`, `FALSE`, `False`) turn it off; `no`, `off` or `fAlse` leave it
//! on. Unset, it is off by default, which a file cannot show.

/// Whether setting `DOCKER_CONTENT_TRUST` to `value` turns trust off.
pub fn disables_content_trust(value: &str) -> bool {
    matches!(value, "" | "0" | "f" | "F" | "false" | "FALSE" | "False")
}

/// Whether a boolean flag's value (`--disable-content-trust=VALUE`, read
/// by pflag with `strconv.ParseBool`) is true; `None` (the bare flag) is.
pub fn flag_is_true(value: Option<&str>) -> bool {
    match value {
        None => true,
        Some(v) => matches!(v, "1" | "t" | "T" | "true" | "TRUE" | "True"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_empty_and_go_false_spellings_turn_trust_off() {
        for v in ["", "0", "f", "F", "false", "FALSE", "False"] {
            assert!(disables_content_trust(v), "{v:?}");
        }
        for v in ["1", "true", "True", "no", "off", "fAlse", " 0", "yes", "2"] {
            assert!(!disables_content_trust(v), "{v:?}");
        }
    }

    #[test]
    fn flag_values() {
        assert!(flag_is_true(None));
        assert!(flag_is_true(Some("true")));
        assert!(flag_is_true(Some("1")));
        assert!(!flag_is_true(Some("false")));
        assert!(!flag_is_true(Some("0")));
    }
}
