//! Linux capabilities as Docker spells them.

/// Docker's default capability set (Engine 20.10 and later).
pub const DEFAULT: [&str; 14] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "FSETID",
    "FOWNER",
    "MKNOD",
    "NET_RAW",
    "SETGID",
    "SETUID",
    "SETFCAP",
    "SETPCAP",
    "NET_BIND_SERVICE",
    "SYS_CHROOT",
    "KILL",
    "AUDIT_WRITE",
];

/// Capabilities that amount to, or lead straight to, host root.
pub const DANGEROUS: [&str; 7] = [
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "DAC_READ_SEARCH",
    "NET_ADMIN",
];

/// Normalises a capability name: upper case, without `CAP_`
/// (`cap_sys_admin` → `SYS_ADMIN`).
pub fn normalize(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map(str::to_string)
        .unwrap_or(upper)
}

/// Whether `name` names the capability `normal` (as [`normalize`] spells
/// it), in any spelling; without the copy `normalize` makes.
pub fn names(name: &str, normal: &str) -> bool {
    let name = name.trim();
    let bare = match name.get(..4) {
        Some(cap) if cap.eq_ignore_ascii_case("CAP_") => &name[4..],
        _ => name,
    };
    bare.eq_ignore_ascii_case(normal)
}

/// True for a capability in Docker's default set.
pub fn is_default(name: &str) -> bool {
    DEFAULT.iter().any(|d| names(name, d))
}

/// True for a capability in [`DANGEROUS`].
pub fn is_dangerous(name: &str) -> bool {
    DANGEROUS.iter().any(|d| names(name, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `names` agrees with comparing what `normalize` makes.
        #[test]
        fn names_agrees_with_normalize(name in "[ _a-zA-Zé]{0,12}", normal in "(ALL|SYS_ADMIN|CHOWN|NET_RAW)") {
            proptest::prop_assert_eq!(names(&name, &normal), normalize(&name) == normal);
            let spelled = format!(" cap_{} ", normal.to_lowercase());
            proptest::prop_assert_eq!(names(&spelled, &normal), normalize(&spelled) == normal);
        }
    }

    #[test]
    fn spelling_variants_normalise() {
        assert_eq!(normalize("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize("CAP_SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(normalize("sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize("all"), "ALL");
    }

    #[test]
    fn classification() {
        assert!(is_default("net_raw"));
        assert!(!is_default("SYS_ADMIN"));
        assert!(is_dangerous("cap_sys_module"));
        assert!(is_dangerous("ALL"));
        assert!(!is_dangerous("CHOWN"));
    }
}
