//! Positions attached to compose values: [`Place`] and [`Located`].
//!
//! A place is a byte [`Span`]. Its 1-based line:column ([`Place::position`])
//! is computed on demand from the [`Source`]'s line index: a file has
//! hundreds of located values and its findings need a handful of
//! positions, so computing them all while parsing (as this crate once did)
//! cost more than the rest of lowering together.
//!
//! YAML anchors make "where is this value" ambiguous. With
//!
//! ```yaml
//! x-common: &common
//!   privileged: true      # defined here
//! services:
//!   web:
//!     <<: *common         # used here
//! ```
//!
//! `web.privileged` is *used* at the `*common` alias and *defined* inside the
//! anchor. [`Located`] keeps both, always: for a value written in place they
//! are equal, and [`Located::is_indirect`] tells them apart. Findings point
//! at `used` (the service the finding is about) and can add "defined at" from
//! `defined` (the line to edit).

use serde::{Serialize, Serializer, ser::SerializeMap};

use crate::{Position, Source, Span};

/// Where a node sits in the text: its byte span.
///
/// For a scalar the span covers its source text (quotes included); for a
/// mapping or a block sequence it is empty and sits at the first key or the
/// first `-`; for a flow collection it covers the opening bracket; for an
/// alias it covers the `*name` token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Place {
    pub span: Span,
}

impl Place {
    /// The 1-based line:column of the place's start (code-point columns)
    /// in `src`, the source the model was parsed from.
    pub fn position(&self, src: &Source) -> Position {
        src.lines.position(&src.text, self.span.start)
    }
}

/// Serialized as its span, `{"start": …, "end": …}`: a place does not know
/// its text, so it cannot say its line (the model snapshot turns spans
/// into `line:column` with the text at hand).
impl Serialize for Place {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.span.serialize(s)
    }
}

/// A value with the place where it is used and the place where it is
/// written (the same place unless it comes through an alias or a merge key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Located<T> {
    pub value: T,
    /// Where the value takes effect: the node itself, or the `*alias` token
    /// that brings it in (for merged keys, the alias after `<<:`).
    pub used: Place,
    /// Where the value is written: equal to `used`, or inside the anchor.
    pub defined: Place,
}

/// A list whose own position is known (the `cap_add:` value) and whose
/// items each carry theirs.
pub type LocatedList<T> = Located<Vec<Located<T>>>;

impl<T> Located<T> {
    /// A value used where it is written.
    pub fn direct(value: T, place: Place) -> Self {
        Located {
            value,
            used: place,
            defined: place,
        }
    }

    /// True when the value comes from elsewhere (an anchor, through an alias
    /// or a `<<` merge key).
    pub fn is_indirect(&self) -> bool {
        self.used != self.defined
    }

    /// The same places around another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            used: self.used,
            defined: self.defined,
        }
    }

    /// The same places around a borrowed value.
    pub fn as_ref(&self) -> Located<&T> {
        Located {
            value: &self.value,
            used: self.used,
            defined: self.defined,
        }
    }
}

/// Serialized as `{"value": …, "at": place}`, plus `"defined"` when the
/// value comes from elsewhere: compact enough to read a whole model in a
/// snapshot.
impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let indirect = self.is_indirect();
        let mut map = s.serialize_map(Some(2 + usize::from(indirect)))?;
        map.serialize_entry("value", &self.value)?;
        map.serialize_entry("at", &self.used)?;
        if indirect {
            map.serialize_entry("defined", &self.defined)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(offset: usize) -> Place {
        Place {
            span: Span::new(offset, offset + 1),
        }
    }

    #[test]
    fn direct_values_are_not_indirect() {
        let v = Located::direct(true, place(3));
        assert!(!v.is_indirect());
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"value":true,"at":{"start":3,"end":4}}"#
        );
    }

    #[test]
    fn indirect_values_serialize_both_places() {
        let v = Located {
            value: 1,
            used: place(30),
            defined: place(3),
        };
        assert!(v.is_indirect());
        assert_eq!(
            serde_json::to_string(&v.as_ref().map(|n| n + 1)).unwrap(),
            r#"{"value":2,"at":{"start":30,"end":31},"defined":{"start":3,"end":4}}"#
        );
    }

    #[test]
    fn positions_come_from_the_source() {
        let text = "services:\n  wéb:\n    privileged: true\n";
        let src = Source::parse("compose.yml", crate::SourceKind::Compose, text.into());
        let at = text.find("true").unwrap();
        let position = Place {
            span: Span::new(at, at + 4),
        }
        .position(&src);
        assert_eq!(
            position,
            Position {
                line: 3,
                column: 17
            }
        );
    }
}
