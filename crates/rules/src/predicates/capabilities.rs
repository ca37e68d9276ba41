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

/// True for a capability in Docker's default set.
pub fn is_default(name: &str) -> bool {
    DEFAULT.contains(&normalize(name).as_str())
}

/// True for a capability in [`DANGEROUS`].
pub fn is_dangerous(name: &str) -> bool {
    DANGEROUS.contains(&normalize(name).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

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
