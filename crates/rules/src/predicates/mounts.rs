//! Host paths that must not be mounted into a container.
//!
//! Paths are compared lexically after normalisation (trailing slashes,
//! `//`, `.` and `..`). Symlinks on the host (`/lib` → `/usr/lib`) are the
//! collector's business: it records the resolved source where it can.

use std::borrow::Cow;

/// The directories CIS 5.6 names: mounting them, or anything beneath them,
/// exposes the host.
pub const SENSITIVE_DIRS: [&str; 8] = [
    "/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr",
];

/// Sockets that give full control of the daemon or its runtime.
pub const DAEMON_SOCKETS: [&str; 4] = [
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
];

/// Normalises an absolute path lexically: collapses `//` and `.`, applies
/// `..`, drops a trailing slash. Relative paths are returned as given, and
/// so are paths already normal (nearly all): borrowed, not copied.
pub fn normalize(path: &str) -> Cow<'_, str> {
    let normal = |p: &str| p == "/" || p[1..].split('/').all(|c| !matches!(c, "" | "." | ".."));
    if !path.starts_with('/') || normal(path) {
        return Cow::Borrowed(path);
    }
    Cow::Owned(format!("/{}", components(path).join("/")))
}

/// The components of `path` with `.` and `..` applied and empty ones
/// (repeated or trailing slashes) dropped: `/a/./b/../c/` → a, c.
fn components(path: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts
}

/// True when `path` is `dir` or lies beneath it, by whole components.
pub fn is_within(path: &str, dir: &str) -> bool {
    dir == "/"
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The sensitive directory that `source` is, or lies beneath.
/// `/` matches only itself here: everything is beneath `/`, and a mount of
/// `/srv/data` is not a mount of the host's root.
///
/// Every sensitive directory is absolute: a relative source (`./data`, how
/// most compose bind mounts are written) is answered before normalising.
pub fn sensitive_dir(source: &str) -> Option<&'static str> {
    if !source.starts_with('/') {
        return None;
    }
    let path = normalize(source);
    if path == "/" {
        return Some("/");
    }
    SENSITIVE_DIRS
        .iter()
        .copied()
        .filter(|d| *d != "/")
        .find(|d| is_within(&path, d))
}

/// True when `source` is a daemon socket, or a directory that holds one
/// (`/run`, `/var/run`, `/run/containerd`): connect() works through either.
///
/// Every socket is absolute: a relative source is answered before
/// normalising. An empty one counts as a directory holding them all.
pub fn exposes_daemon_socket(source: &str) -> bool {
    if !source.is_empty() && !source.starts_with('/') {
        return false;
    }
    let path = normalize(source);
    DAEMON_SOCKETS
        .iter()
        .any(|sock| path == *sock || is_within(sock, &path) && path != "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        assert_eq!(normalize("/etc/"), "/etc");
        assert_eq!(normalize("//etc//ssl/."), "/etc/ssl");
        assert_eq!(normalize("/srv/../etc"), "/etc");
        assert_eq!(normalize("/"), "/");
    }

    proptest::proptest! {
        /// A source that does not start with `/` is never sensitive, nor
        /// a socket, unless empty (the early answers agree with the full
        /// comparisons, whose lists are all absolute).
        #[test]
        fn a_relative_source_is_neither_sensitive_nor_a_socket(path in "[a-z.~$:][a-z./~]{0,16}") {
            proptest::prop_assert_eq!(sensitive_dir(&path), None);
            proptest::prop_assert!(!exposes_daemon_socket(&path));
        }
    }

    #[test]
    fn the_sensitive_directories_and_sockets_are_absolute() {
        assert!(SENSITIVE_DIRS.iter().all(|p| p.starts_with('/')));
        assert!(DAEMON_SOCKETS.iter().all(|p| p.starts_with('/')));
        assert!(
            exposes_daemon_socket(""),
            "an empty path holds every socket"
        );
    }

    proptest::proptest! {
        /// A path taken as already normal (and borrowed) is what its
        /// components joined make.
        #[test]
        fn normalisation_reads_as_before(path in "[/.a]{0,12}") {
            let before = if path.starts_with('/') {
                format!("/{}", components(&path).join("/"))
            } else {
                path.clone()
            };
            proptest::prop_assert_eq!(normalize(&path).into_owned(), before);
        }
    }

    #[test]
    fn sensitive_by_whole_components() {
        assert_eq!(sensitive_dir("/etc"), Some("/etc"));
        assert_eq!(sensitive_dir("/etc/ssl/certs"), Some("/etc"));
        assert_eq!(sensitive_dir("/etcetera"), None);
        assert_eq!(sensitive_dir("/"), Some("/"));
        assert_eq!(sensitive_dir("/srv/data"), None);
        assert_eq!(sensitive_dir("/usr/../proc"), Some("/proc"));
        assert_eq!(sensitive_dir("/home/user/etc"), None);
    }

    #[test]
    fn daemon_sockets_and_their_directories() {
        assert!(exposes_daemon_socket("/var/run/docker.sock"));
        assert!(exposes_daemon_socket("/run/docker.sock"));
        assert!(exposes_daemon_socket("/run"));
        assert!(exposes_daemon_socket("/var/run/"));
        assert!(exposes_daemon_socket("/run/containerd"));
        assert!(!exposes_daemon_socket("/run/user/1000"));
        assert!(!exposes_daemon_socket("/srv/docker.sock.bak"));
        assert!(!exposes_daemon_socket("/"));
    }
}
