//! Image references (`registry:5000/team/app:1.2@sha256:…`) split into
//! their parts, for the base-image rules (`:latest`, untagged, registry
//! allow-lists, digest pinning).
//!
//! This follows the Docker reference grammar loosely: it never fails, and
//! reads whatever it is given the way `docker pull` would split it.

use serde::Serialize;

/// The parts of an image reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// The registry host (with port) when written: the first path part if
    /// it has a `.` or `:` or is `localhost`.
    pub registry: Option<String>,
    /// The path without registry, tag or digest (`library/` not added).
    pub repository: String,
    pub tag: Option<String>,
    /// `algorithm:hex` after `@`.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Splits `reference`.
    pub fn parse(reference: &str) -> ImageRef {
        let (name, digest) = match reference.split_once('@') {
            Some((n, d)) => (n, Some(d.to_owned())),
            None => (reference, None),
        };
        // A tag is after the last `:` that follows the last `/`.
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match name.get(last_slash..).and_then(|last| last.rfind(':')) {
            Some(i) => (
                name.get(..last_slash + i).unwrap_or(name),
                name.get(last_slash + i + 1..).map(str::to_owned),
            ),
            None => (name, None),
        };
        let (registry, repository) = match path.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
                (Some(first.to_owned()), rest.to_owned())
            }
            _ => (None, path.to_owned()),
        };
        ImageRef {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// `scratch`, the empty image.
    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.repository == "scratch" && self.tag.is_none()
    }

    /// Neither a tag nor a digest: Docker pulls `:latest`.
    pub fn is_untagged(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references() {
        let r = ImageRef::parse("registry.example.com:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("registry.example.com:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));

        let r = ImageRef::parse("alpine");
        assert!(r.is_untagged());
        assert_eq!(r.repository, "alpine");

        let r = ImageRef::parse("localhost/x:latest");
        assert_eq!(r.registry.as_deref(), Some("localhost"));
        assert_eq!(r.tag.as_deref(), Some("latest"));

        let r = ImageRef::parse("library/ubuntu");
        assert_eq!(r.registry, None);
        assert_eq!(r.repository, "library/ubuntu");
        assert!(ImageRef::parse("scratch").is_scratch());
        assert_eq!(ImageRef::parse("").repository, "");
    }
}
