//! A file to lint: its path, text, line index and parsed tree together, so
//! that every rule reads the same parse and every finding converts its span
//! to line:column the same way.

use std::path::Path;
use std::sync::Arc;

use crate::span::{LineIndex, Position, Span};
use crate::{compose, dockerfile};

/// What kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    Dockerfile,
    Compose,
}

impl SourceKind {
    /// Recognises a file by name: `Dockerfile`, `*.Dockerfile`,
    /// `Dockerfile.*`, `Containerfile` (and `*.Containerfile`,
    /// `Containerfile.*`); `compose.yml`, `compose.yaml`,
    /// `docker-compose*.yml`, `docker-compose*.yaml` (and `compose.*.yml`
    /// overrides). Case-sensitive, as Docker's own defaults are.
    pub fn detect(path: &Path) -> Option<SourceKind> {
        let name = path.file_name()?.to_str()?;
        let dockerfile = |stem: &str| {
            name == stem
                || name.ends_with(&format!(".{stem}"))
                || name.starts_with(&format!("{stem}."))
        };
        if dockerfile("Dockerfile") || dockerfile("Containerfile") {
            return Some(SourceKind::Dockerfile);
        }
        let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
        if yaml && (name.starts_with("docker-compose") || name.starts_with("compose.")) {
            return Some(SourceKind::Compose);
        }
        None
    }

    /// `dockerfile` or `compose`, as `--kind` takes it.
    pub fn parse(name: &str) -> Option<SourceKind> {
        match name {
            "dockerfile" => Some(SourceKind::Dockerfile),
            "compose" => Some(SourceKind::Compose),
            _ => None,
        }
    }

    /// The name `parse` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Dockerfile => "dockerfile",
            SourceKind::Compose => "compose",
        }
    }
}

/// The parsed tree of a source.
#[derive(Debug)]
pub enum Tree {
    Dockerfile(dockerfile::Dockerfile),
    Compose(compose::ComposeFile),
}

/// One parsed file.
#[derive(Debug)]
pub struct Source {
    /// As the user named it (relative paths stay relative). Shared: every
    /// finding about the file holds it, and a clone is a count, not a copy.
    pub path: Arc<str>,
    pub kind: SourceKind,
    pub text: String,
    pub lines: LineIndex,
    pub tree: Tree,
    /// Whether the text is ASCII: then a column is a byte count, and
    /// [`Source::range`] need not count characters.
    ascii: bool,
}

impl Source {
    /// Parses `text` as `kind`. Never fails: problems are the tree's
    /// diagnostics.
    pub fn parse(path: impl Into<Arc<str>>, kind: SourceKind, text: String) -> Source {
        // The line index first: the Dockerfile parser walks its lines.
        let lines = LineIndex::new(&text);
        let tree = match kind {
            SourceKind::Dockerfile => Tree::Dockerfile(dockerfile::parse_indexed(&text, &lines)),
            SourceKind::Compose => Tree::Compose(compose::parse(&text)),
        };
        Source {
            path: path.into(),
            kind,
            lines,
            ascii: text.is_ascii(),
            text,
            tree,
        }
    }

    /// The line:column range of `span`.
    pub fn range(&self, span: Span) -> (Position, Position) {
        if !self.ascii || span.end < span.start {
            return self.lines.range(&self.text, span);
        }
        // Every finding asks, twice: in ASCII text (nearly every file) a
        // column is a byte count, and the end is a few lines after the
        // start at most, so it is looked for from there.
        let starts = self.lines.starts();
        let start = span.start.min(self.text.len());
        let end = span.end.min(self.text.len());
        let line = starts.partition_point(|&s| s <= start) - 1;
        let end_line = line + starts[line + 1..].iter().take_while(|&&s| s <= end).count();
        let at = |line: usize, offset: usize| Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(offset - starts[line] + 1).unwrap_or(u32::MAX),
        };
        (at(line, start), at(end_line, end))
    }

    /// The Dockerfile tree, if this is one.
    pub fn dockerfile(&self) -> Option<&dockerfile::Dockerfile> {
        match &self.tree {
            Tree::Dockerfile(d) => Some(d),
            Tree::Compose(_) => None,
        }
    }

    /// The compose tree, if this is one.
    pub fn compose(&self) -> Option<&compose::ComposeFile> {
        match &self.tree {
            Tree::Compose(c) => Some(c),
            Tree::Dockerfile(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The ASCII shortcut agrees with the line index's own count.
        #[test]
        fn ascii_ranges_agree_with_the_line_index(
            text in "[a-c \\n\\r\\t]{0,60}",
            a in 0usize..70,
            b in 0usize..70,
        ) {
            let src = Source::parse("Dockerfile", SourceKind::Dockerfile, text.clone());
            let span = Span::new(a, b);
            proptest::prop_assert_eq!(src.range(span), src.lines.range(&text, span));
        }
    }

    #[test]
    fn ranges_count_characters_outside_ascii() {
        let text = "\u{feff}FROM é\nRUN ü x\n".to_string();
        let src = Source::parse("Dockerfile", SourceKind::Dockerfile, text);
        let x = src.text.find('x').unwrap();
        let (start, end) = src.range(Span::new(x, x + 1));
        assert_eq!((start.line, start.column, end.column), (2, 7, 8));
        assert_eq!(src.range(Span::new(3, 7)).0.column, 1);
    }

    #[test]
    fn files_are_recognised_by_name() {
        let kind = |p: &str| SourceKind::detect(Path::new(p));
        for p in [
            "Dockerfile",
            "a/Dockerfile",
            "web.Dockerfile",
            "Dockerfile.prod",
            "Containerfile",
            "x.Containerfile",
        ] {
            assert_eq!(kind(p), Some(SourceKind::Dockerfile), "{p}");
        }
        for p in [
            "compose.yml",
            "compose.yaml",
            "docker-compose.yml",
            "docker-compose.prod.yaml",
            "compose.override.yml",
        ] {
            assert_eq!(kind(p), Some(SourceKind::Compose), "{p}");
        }
        for p in [
            "dockerfile",
            "Dockerfiles",
            "README.md",
            "compose.json",
            "my-compose.yml",
            "values.yaml",
        ] {
            assert_eq!(kind(p), None, "{p}");
        }
    }
}
