//! The images a build pulls (stage bases and `COPY --from` images), worked
//! out once per source for the three base-image rules.
//!
//! Two of those rules only ask whether a reference has a tag, which one,
//! and a digest; the third (registries) runs only under a policy that
//! names trusted registries. So a reference is kept as text, its tag and
//! digest read in place once ([`Reference`]), and it is split into owned
//! parts ([`ImageRef`]) only when asked.

use std::borrow::Cow;

use bulwark_syntax::dockerfile::{Dockerfile, ImageRef, Kind};
use bulwark_syntax::{SmolStr, Source, Span};

use super::literal;
use crate::context::Context;

/// An image a build pulls: a stage's base or a `COPY --from` image.
#[derive(Clone)]
pub(crate) struct PulledImage {
    /// The reference as written.
    pub written: SmolStr,
    /// Where it is written.
    pub span: Span,
    /// With ARGs substituted.
    pub resolved: SmolStr,
    /// The tag of `resolved` ([`Reference::tag`]).
    pub tag: Tag,
    /// Whether `resolved` has a digest.
    pub digest: bool,
    /// `FROM` (true) or `COPY --from` (false).
    pub is_base: bool,
}

/// What the rules ask of a reference's tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    None,
    Latest,
    Other,
}

impl PulledImage {
    /// `resolved` read as `parts` ([`Reference::of`]).
    fn new(
        written: &str,
        span: Span,
        resolved: &str,
        parts: Reference<'_>,
        is_base: bool,
    ) -> PulledImage {
        PulledImage {
            written: SmolStr::new(written),
            span,
            resolved: SmolStr::new(resolved),
            tag: match parts.tag {
                None => Tag::None,
                Some("latest") => Tag::Latest,
                Some(_) => Tag::Other,
            },
            digest: parts.digest,
            is_base,
        }
    }

    /// Neither a tag nor a digest: Docker pulls `:latest`.
    pub fn is_untagged(&self) -> bool {
        self.tag == Tag::None && !self.digest
    }

    /// How a message names the image: `The base image`, or `The image
    /// copied from` for `COPY --from`.
    pub fn what(&self) -> &'static str {
        if self.is_base {
            "The base image"
        } else {
            "The image copied from"
        }
    }

    /// A finding's message about the image: ``The base image `x` `` then
    /// `tail`, or, when ARGs changed the reference, ``… `x` resolves to
    /// `y` `` then `resolved_tail`.
    pub fn message(&self, tail: &str, resolved_tail: &str) -> String {
        let (what, written) = (self.what(), &*self.written);
        if written == self.resolved {
            super::concat(&[what, " `", written, tail])
        } else {
            super::concat(&[
                what,
                " `",
                written,
                "` resolves to `",
                &self.resolved,
                resolved_tail,
            ])
        }
    }

    /// The resolved reference split into owned parts.
    pub fn image(&self) -> ImageRef {
        ImageRef::parse(&self.resolved)
    }
}

/// What [`ImageRef::parse`] reads from a reference, borrowed from it:
/// the path (registry and repository), the tag, whether there is a
/// digest. The same splits, without the four strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reference<'a> {
    /// Registry and repository: everything before the tag and digest.
    pub path: &'a str,
    /// After the last `:` that follows the last `/` (before any `@`).
    pub tag: Option<&'a str>,
    /// Whether an `@digest` is written.
    pub digest: bool,
}

impl<'a> Reference<'a> {
    /// Splits `reference` as [`ImageRef::parse`] does, reading its bytes
    /// once each at most: up to the first `@`, then back from there to
    /// the last `/` (`@`, `/` and `:` are ASCII, so every index is a char
    /// boundary).
    pub fn of(reference: &'a str) -> Reference<'a> {
        let bytes = reference.as_bytes();
        let at = bytes.iter().position(|&b| b == b'@');
        let name = &reference[..at.unwrap_or(bytes.len())];
        // The last `:` after the last `/`: the first met going back, if
        // no `/` comes first.
        let colon = name
            .bytes()
            .rev()
            .position(|b| b == b':' || b == b'/')
            .map(|back| name.len() - 1 - back)
            .filter(|&i| name.as_bytes()[i] == b':');
        let (path, tag) = match colon {
            Some(i) => (&name[..i], Some(&name[i + 1..])),
            None => (name, None),
        };
        Reference {
            path,
            tag,
            digest: at.is_some(),
        }
    }

    /// `scratch`, the empty image ([`ImageRef::is_scratch`]): a path
    /// without `/` has no registry, so its repository is the path.
    pub fn is_scratch(&self) -> bool {
        self.path == "scratch" && self.tag.is_none()
    }
}

/// [`pulled_images`] of `source`, worked out once per source (three
/// rules ask).
pub(crate) fn pulled<'c>(ctx: &'c Context<'_>, source: &Source) -> Cow<'c, [PulledImage]> {
    let Some(df) = source.dockerfile() else {
        return Cow::Borrowed(&[]);
    };
    match ctx.indexed(source) {
        Some(i) => Cow::Borrowed(i.pulled.get_or_init(|| pulled_images(df))),
        None => Cow::Owned(pulled_images(df)),
    }
}

/// The images the build pulls, with their variables resolved: each
/// stage's base unless it is an earlier stage or `scratch`, and each
/// `COPY --from=<image>`. A reference whose variables have no known value
/// is left out.
pub(crate) fn pulled_images(df: &Dockerfile) -> Vec<PulledImage> {
    let mut out = Vec::with_capacity(df.stages.len() + 1);
    for stage in &df.stages {
        let (Some(word), Some(e), None) = (&stage.base, &stage.base_resolved, stage.parent) else {
            continue;
        };
        if !e.is_complete() || e.value.is_empty() {
            continue;
        }
        let parts = Reference::of(&e.value);
        if parts.is_scratch() {
            continue;
        }
        out.push(PulledImage::new(
            &word.raw, word.span, &e.value, parts, true,
        ));
    }
    for (index, instruction) in df.instructions.iter().enumerate() {
        if instruction.kind != Kind::Copy {
            continue;
        }
        let Some(flag) = instruction.flag("from") else {
            continue;
        };
        let written = flag.value.as_deref().unwrap_or("");
        // Most `--from` values name a stage as written.
        let expanded;
        let value = match literal(df, written) {
            Some(v) => v,
            None => {
                let e = df.expand_at(written, index);
                if !e.is_complete() {
                    continue;
                }
                expanded = e.value;
                expanded.as_str()
            }
        };
        if value.is_empty() || names_stage(df, value) {
            continue;
        }
        let span = flag.value_span.unwrap_or(flag.span);
        out.push(PulledImage::new(
            written,
            span,
            value,
            Reference::of(value),
            false,
        ));
    }
    out
}

/// Whether a `COPY --from` value (expanded) names a stage, by number or
/// by name, as [`Dockerfile::copy_from`] reads it: that method would
/// expand the value a second time, and lowercase it into a new string to
/// compare with the (lowercased) stage names.
fn names_stage(df: &Dockerfile, value: &str) -> bool {
    value.parse::<usize>().is_ok_and(|n| n < df.stages.len())
        || df.stages.iter().any(|s| {
            s.name.as_deref().is_some_and(|name| {
                // `to_ascii_lowercase` maps ASCII bytes only: comparing
                // byte by byte is comparing with the lowercased value.
                name.len() == value.len()
                    && name
                        .bytes()
                        .zip(value.bytes())
                        .all(|(a, b)| a == b.to_ascii_lowercase())
            })
        })
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::dockerfile::{CopyFrom, parse};
    use proptest::prelude::*;

    use super::*;

    const PIECES: &[&str] = &[
        "alpine",
        "scratch",
        "library/",
        "registry.example.com:5000/",
        "localhost/",
        "team/",
        ":",
        ":latest",
        ":3.20",
        "@sha256:abc",
        "@",
        "/",
        "Scratch",
        "é",
        "x.y",
        "",
    ];

    proptest! {
        #[test]
        fn references_split_as_image_refs_do(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..6),
        ) {
            let text = pieces.concat();
            let parts = Reference::of(&text);
            let image = ImageRef::parse(&text);
            prop_assert_eq!(parts.tag, image.tag.as_deref());
            prop_assert_eq!(parts.digest, image.digest.is_some());
            prop_assert_eq!(parts.is_scratch(), image.is_scratch());
        }

        /// `names_stage` is `copy_from` saying `Stage`, for values that
        /// need no expanding.
        #[test]
        fn stage_names_are_found_as_copy_from_finds_them(
            alias in proptest::sample::select(&["build", "Build", "b2", "É", "0", "x"][..]),
            from in proptest::sample::select(&["build", "BUILD", "b2", "é", "É", "0", "1", "2", "x", "alpine"][..]),
        ) {
            let text = format!("FROM a AS {alias}\nFROM b\nCOPY --from={from} /x /y\n");
            let df = parse(&text);
            let copy = df.instructions.iter().position(|i| i.kind == Kind::Copy).unwrap_or(0);
            let stage = matches!(df.copy_from(copy), Some(CopyFrom::Stage(_)));
            prop_assert_eq!(names_stage(&df, from), stage, "{}", text);
        }
    }

    #[test]
    fn bases_and_copied_images_are_listed_with_their_resolved_references() {
        let df = parse(
            "ARG B=alpine:3\nFROM ${B} AS one\nFROM one\nFROM scratch\nCOPY --from=one /a /b\nCOPY --from=nginx:latest /c /d\n",
        );
        let listed: Vec<(String, String, bool)> = pulled_images(&df)
            .iter()
            .map(|p| (p.written.to_string(), p.resolved.to_string(), p.is_base))
            .collect();
        assert_eq!(
            listed,
            [
                ("${B}".to_string(), "alpine:3".to_string(), true),
                (
                    "nginx:latest".to_string(),
                    "nginx:latest".to_string(),
                    false
                ),
            ]
        );
    }
}
