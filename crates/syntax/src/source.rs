//! A file to lint: its path, text, line index and parsed tree together, so
//! that every rule reads the same parse and every finding converts its span
//! to line:column the same way.

use std::path::Path;

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
    /// As the user named it (relative paths stay relative).
    pub path: String,
    pub kind: SourceKind,
    pub text: String,
    pub lines: LineIndex,
    pub tree: Tree,
}

impl Source {
    /// Parses `text` as `kind`. Never fails: problems are the tree's
    /// diagnostics.
    pub fn parse(path: impl Into<String>, kind: SourceKind, text: String) -> Source {
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
            text,
            tree,
        }
    }

    /// The line:column range of `span`.
    pub fn range(&self, span: Span) -> (Position, Position) {
        self.lines.range(&self.text, span)
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
