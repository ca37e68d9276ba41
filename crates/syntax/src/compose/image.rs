//! Splitting an `image:` reference into name, tag and digest, for rules
//! about unpinned (`:latest` or untagged) images.
//!
//! `registry:5000/app` has no tag (the colon belongs to the registry),
//! `app@sha256:…` is pinned by digest, and `app:${TAG:-latest}` has the tag
//! `${TAG:-latest}`, unresolved.

use super::split;

/// The parts of an image reference, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Repository, with registry and namespace: `registry:5000/team/app`.
    pub name: &'a str,
    pub tag: Option<&'a str>,
    /// `sha256:…` after `@`.
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    pub fn parse(image: &'a str) -> Self {
        // Most references (`nginx:1.27`, `reg:5000/app:2`) hold no digest
        // and nothing `split` reads around (`{`, `[`): one scan, then the
        // last `:` after the last `/` starts the tag.
        let bytes = image.as_bytes();
        if !bytes.iter().any(|&b| matches!(b, b'@' | b'{' | b'[')) {
            let (name, tag) = match bytes.iter().rposition(|&b| b == b':' || b == b'/') {
                Some(i) if bytes[i] == b':' => (&image[..i], Some(&image[i + 1..])),
                _ => (image, None),
            };
            return ImageRef {
                name,
                tag,
                digest: None,
            };
        }
        Self::parse_split(image)
    }

    /// [`Self::parse`] in general: digests, and `{…}`/`[…]` that `split`
    /// reads around.
    fn parse_split(image: &'a str) -> Self {
        let (rest, digest) = match split::rsplit_once(image, b'@') {
            Some((rest, digest)) => (rest, Some(digest)),
            None => (image, None),
        };
        let (name, tag) = match split::rsplit_once(rest, b':') {
            Some((name, tag)) if !tag.contains('/') => (name, Some(tag)),
            _ => (rest, None),
        };
        ImageRef { name, tag, digest }
    }

    /// The tag the engine pulls: the tag, else `latest` unless a digest
    /// pins the image.
    pub fn effective_tag(&self) -> Option<&'a str> {
        match (self.tag, self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The quick reading agrees with the general one.
        #[test]
        fn the_quick_reading_agrees(image in "[a-z:/@{}\\[\\]$.0-9-]{0,16}(:latest|:1|@sha256:0)?") {
            proptest::prop_assert_eq!(ImageRef::parse(&image), ImageRef::parse_split(&image));
        }
    }

    fn parts(image: &str) -> (&str, Option<&str>, Option<&str>) {
        let r = ImageRef::parse(image);
        (r.name, r.tag, r.digest)
    }

    #[test]
    fn references() {
        assert_eq!(parts("nginx"), ("nginx", None, None));
        assert_eq!(parts("nginx:1.27"), ("nginx", Some("1.27"), None));
        assert_eq!(
            parts("reg:5000/team/app"),
            ("reg:5000/team/app", None, None)
        );
        assert_eq!(parts("reg:5000/app:2"), ("reg:5000/app", Some("2"), None));
        assert_eq!(parts("app@sha256:abc"), ("app", None, Some("sha256:abc")));
        assert_eq!(
            parts("app:1@sha256:abc"),
            ("app", Some("1"), Some("sha256:abc"))
        );
        assert_eq!(
            parts("app:${TAG:-latest}"),
            ("app", Some("${TAG:-latest}"), None)
        );
    }

    #[test]
    fn effective_tags() {
        assert_eq!(ImageRef::parse("nginx").effective_tag(), Some("latest"));
        assert_eq!(
            ImageRef::parse("nginx:latest").effective_tag(),
            Some("latest")
        );
        assert_eq!(ImageRef::parse("nginx@sha256:0").effective_tag(), None);
    }
}
