//! Image references normalised as Docker normalises them, and the
//! trusted-registry predicate (CIS 4.2, hadolint DL3026) every input that
//! names an image feeds (a Dockerfile's `FROM`, `COPY --from`,
//! `RUN --mount=from=`, a compose service's `image`).
//!
//! The split into registry, path, tag and digest is
//! [`bulwark_syntax::dockerfile::ImageRef`]'s; this adds Docker's
//! normalisation (`distribution/reference`'s `splitDockerDomain`): no
//! registry, or `index.docker.io`, is `docker.io`, and a Docker Hub path
//! of one component gets `library/` (`nginx` is `docker.io/library/nginx`).
//! The first path component is a registry when it has a `.` or a `:`, is
//! `localhost`, or has an uppercase letter (a repository never has one).
//!
//! An entry of the policy's `trusted_registries` is a registry host, with
//! an optional port and an optional path prefix:
//!
//! - `docker.io` (or `index.docker.io`): every Docker Hub image,
//!   `nginx` and `library/nginx` and `docker.io/library/nginx` alike;
//! - `registry.example.com:5000`: the port is part of the registry, so an
//!   entry without a port matches only references without one;
//! - `*.example.com`: any subdomain, at any depth (`a.example.com`,
//!   `a.b.example.com`), not `example.com` itself;
//! - `ghcr.io/myorg`: only images under that path, compared by whole
//!   components (`ghcr.io/myorg/app`, not `ghcr.io/myorg-x/app`);
//!   `docker.io/library` is Docker Hub's official images.
//!
//! Hosts and paths are compared without regard to case. Tags and digests
//! do not matter.

use bulwark_syntax::dockerfile::ImageRef;

/// Docker Hub's canonical registry name.
pub const DOCKER_HUB: &str = "docker.io";

/// An image's registry and path after Docker's normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageName {
    /// `host[:port]`, lowercased; `docker.io` for Docker Hub.
    pub registry: String,
    /// The repository path, lowercased; `library/x` for an official image.
    pub path: String,
}

impl ImageName {
    /// Normalises `reference` (`nginx:1.27`, `ghcr.io/o/app@sha256:…`).
    pub fn parse(reference: &str) -> ImageName {
        ImageName::from_ref(&ImageRef::parse(reference))
    }

    /// Normalises a reference already split.
    pub fn from_ref(image: &ImageRef) -> ImageName {
        let (registry, path) = match &image.registry {
            Some(r) => (r.as_str(), image.repository.as_str()),
            // Not a registry by `.`, `:` or `localhost`, but a first
            // component with an uppercase letter is one for Docker.
            None => match image.repository.split_once('/') {
                Some((first, rest)) if first.chars().any(|c| c.is_ascii_uppercase()) => {
                    (first, rest)
                }
                _ => (DOCKER_HUB, image.repository.as_str()),
            },
        };
        let mut registry = registry.to_ascii_lowercase();
        if registry == "index.docker.io" {
            registry = DOCKER_HUB.to_owned();
        }
        let mut path = path.to_ascii_lowercase();
        if registry == DOCKER_HUB && !path.contains('/') {
            path.insert_str(0, "library/");
        }
        ImageName { registry, path }
    }
}

/// The host part of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
    Exact(String),
    /// `*.example.com`, kept as `.example.com`.
    Subdomains(String),
}

/// One `trusted_registries` entry, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedRegistry {
    host: Host,
    port: Option<String>,
    /// Path prefix without `/` at either end; `None` for the whole registry.
    path: Option<String>,
}

/// `host[:port]` split at the port, when there is one (`[::1]:5000` too).
fn split_port(registry: &str) -> (&str, Option<&str>) {
    match registry.rsplit_once(':') {
        Some((host, port))
            if !port.is_empty()
                && port.chars().all(|c| c.is_ascii_digit())
                && (!host.contains(':') || host.ends_with(']')) =>
        {
            (host, Some(port))
        }
        _ => (registry, None),
    }
}

impl TrustedRegistry {
    /// Reads an entry; the error says what is wrong with it.
    pub fn parse(entry: &str) -> Result<TrustedRegistry, String> {
        let text = entry.trim().trim_end_matches('/').to_ascii_lowercase();
        if text.is_empty() {
            return Err("an empty entry".into());
        }
        if text.contains("://") {
            return Err(format!(
                "`{entry}`: write the registry without a scheme (`ghcr.io`, not `https://ghcr.io`)"
            ));
        }
        let (registry, path) = match text.split_once('/') {
            Some((r, p)) => (r, Some(p)),
            None => (text.as_str(), None),
        };
        if let Some(p) = path
            && (p.is_empty() || p.contains([':', '@', '*']) || p.split('/').any(str::is_empty))
        {
            return Err(format!(
                "`{entry}`: a path prefix is plain path components (`ghcr.io/myorg`), without tag, digest or wildcard"
            ));
        }
        let (host, port) = split_port(registry);
        if host.is_empty() || (host.contains(['@', ':']) && !host.starts_with('[')) {
            return Err(format!("`{entry}`: not a registry host[:port]"));
        }
        let host = match host.strip_prefix("*.") {
            Some(rest) if !rest.is_empty() && !rest.contains('*') => {
                Host::Subdomains(format!(".{rest}"))
            }
            _ if host.contains('*') => {
                return Err(format!(
                    "`{entry}`: a wildcard is only allowed as a leading `*.` (`*.example.com`)"
                ));
            }
            _ if port.is_none() && !host.contains('.') && host != "localhost" => {
                return Err(format!(
                    "`{entry}`: Docker never reads `{host}` as a registry (no `.` or port, not localhost); \
                     for a Docker Hub namespace write `docker.io/{text}`"
                ));
            }
            _ if host == "index.docker.io" => Host::Exact(DOCKER_HUB.to_owned()),
            _ => Host::Exact(host.to_owned()),
        };
        Ok(TrustedRegistry {
            host,
            port: port.map(str::to_owned),
            path: path.map(str::to_owned),
        })
    }

    /// Whether `image` comes from this registry (and path).
    pub fn matches(&self, image: &ImageName) -> bool {
        let (host, port) = split_port(&image.registry);
        let host_ok = match &self.host {
            Host::Exact(h) => h == host,
            Host::Subdomains(suffix) => {
                host.len() > suffix.len() && host.ends_with(suffix.as_str())
            }
        };
        if !host_ok || self.port.as_deref() != port {
            return false;
        }
        match &self.path {
            None => true,
            Some(prefix) => image
                .path
                .strip_prefix(prefix.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        }
    }
}

/// The policy's entries, read; entries that do not read are left out
/// (loading the configuration rejects them first).
pub fn trusted_registries(entries: &[String]) -> Vec<TrustedRegistry> {
    entries
        .iter()
        .filter_map(|e| TrustedRegistry::parse(e).ok())
        .collect()
}

/// Whether any of `trusted` matches `image`.
pub fn is_trusted(trusted: &[TrustedRegistry], image: &ImageName) -> bool {
    trusted.iter().any(|t| t.matches(image))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(reference: &str) -> (String, String) {
        let n = ImageName::parse(reference);
        (n.registry, n.path)
    }

    fn trusted(entries: &[&str], reference: &str) -> bool {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        is_trusted(&trusted_registries(&entries), &ImageName::parse(reference))
    }

    #[test]
    fn references_are_normalised_as_docker_does() {
        let hub = ("docker.io".to_string(), "library/nginx".to_string());
        for r in [
            "nginx",
            "nginx:1.27",
            "library/nginx",
            "docker.io/library/nginx",
            "docker.io/nginx",
            "index.docker.io/library/nginx:1@sha256:abc",
            "Docker.IO/library/nginx",
        ] {
            assert_eq!(name(r), hub, "{r}");
        }
        assert_eq!(name("bitnami/redis").1, "bitnami/redis");
        assert_eq!(
            name("localhost:5000/x"),
            ("localhost:5000".into(), "x".into())
        );
        assert_eq!(name("localhost/x").0, "localhost");
        assert_eq!(
            name("Registry.Example.com:5000/Team/App:1"),
            ("registry.example.com:5000".into(), "team/app".into())
        );
        // An uppercase first component is a host; a lowercase one without
        // `.` or `:` a Docker Hub namespace.
        assert_eq!(name("MyHost/app").0, "myhost");
        assert_eq!(name("myhost/app").0, "docker.io");
        assert_eq!(name("[::1]:5000/app").0, "[::1]:5000");
    }

    #[test]
    fn hosts_match_exactly_with_their_port() {
        assert!(trusted(&["docker.io"], "nginx"));
        assert!(trusted(&["index.docker.io"], "library/nginx:1"));
        assert!(trusted(&["DOCKER.IO"], "docker.io/library/nginx"));
        assert!(!trusted(&["docker.io"], "ghcr.io/o/app"));
        assert!(trusted(&["ghcr.io"], "GHCR.io/o/app:1"));
        assert!(trusted(&["localhost:5000"], "localhost:5000/x"));
        assert!(!trusted(&["localhost"], "localhost:5000/x"));
        assert!(!trusted(&["localhost:5000"], "localhost/x"));
        assert!(!trusted(
            &["registry.example.com"],
            "registry.example.com:5000/x"
        ));
        assert!(!trusted(&["example.com"], "registry.example.com/x"));
        assert!(!trusted(
            &["registry.example.com"],
            "registry.example.com.evil.io/x"
        ));
        assert!(trusted(&["[::1]:5000"], "[::1]:5000/app"));
    }

    #[test]
    fn wildcards_match_subdomains_only() {
        assert!(trusted(&["*.example.com"], "r.example.com/x"));
        assert!(trusted(&["*.example.com"], "a.b.example.com/x:1"));
        assert!(!trusted(&["*.example.com"], "example.com/x"));
        assert!(!trusted(&["*.example.com"], "r.example.com:5000/x"));
        assert!(trusted(&["*.example.com:5000"], "r.example.com:5000/x"));
        assert!(!trusted(&["*.example.com"], "evilexample.com/x"));
    }

    #[test]
    fn path_prefixes_match_whole_components() {
        assert!(trusted(&["ghcr.io/myorg"], "ghcr.io/myorg/app:1"));
        assert!(trusted(&["ghcr.io/myorg/"], "ghcr.io/myorg/team/app"));
        assert!(trusted(&["ghcr.io/MyOrg"], "ghcr.io/myorg/app"));
        assert!(!trusted(&["ghcr.io/myorg"], "ghcr.io/myorg-x/app"));
        assert!(!trusted(&["ghcr.io/myorg"], "ghcr.io/other/app"));
        assert!(trusted(&["docker.io/library"], "alpine:3.20"));
        assert!(!trusted(&["docker.io/library"], "bitnami/redis"));
        assert!(trusted(&["docker.io/bitnami"], "bitnami/redis"));
        // `library/` is added to the image, not to the entry.
        assert!(!trusted(&["docker.io/myorg"], "myorg"));
    }

    #[test]
    fn bad_entries_are_rejected_with_a_reason() {
        for entry in [
            "",
            "https://ghcr.io",
            "ghcr.io/org/app:1",
            "ghcr.io/org/*",
            "*",
            "reg*.example.com",
            "myorg",
            "myorg/app",
            "ghcr.io//x",
        ] {
            assert!(TrustedRegistry::parse(entry).is_err(), "{entry:?}");
        }
        for entry in [
            "docker.io",
            "localhost",
            "localhost:5000",
            "registry:5000",
            "*.example.com",
            "ghcr.io/myorg",
            "[::1]:5000",
        ] {
            assert!(TrustedRegistry::parse(entry).is_ok(), "{entry:?}");
        }
    }
}
