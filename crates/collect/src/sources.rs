//! Finding and reading the files `bulwark lint` checks.
//!
//! A directory is walked (sorted, so output order is stable; symlinked
//! directories are not followed, so a link loop cannot trap the walk;
//! `.git` and `node_modules` are skipped) and files are picked by name
//! (see [`SourceKind::detect`]). A file named on the command line is taken
//! whatever its name when `--kind` says what it is. `-` reads stdin.
//!
//! A file that cannot be read, is too large, or is not UTF-8 is reported
//! with its path (and for bad UTF-8, the line and column of the first bad
//! byte); the other files are still linted.

use std::io::Read;
use std::path::Path;

use bulwark_syntax::{LineIndex, Source, SourceKind};

/// Files larger than this are refused: no Dockerfile or compose file is
/// this big, and the parsers' time is bounded per byte.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file that could not be linted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub path: String,
    pub message: String,
}

/// Reads and parses every file `paths` name.
pub fn read(paths: &[String], kind: Option<SourceKind>) -> (Vec<Source>, Vec<SourceError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p == "-" {
            match kind {
                Some(kind) => {
                    let mut bytes = Vec::new();
                    let limited = std::io::stdin()
                        .take(MAX_FILE_BYTES + 1)
                        .read_to_end(&mut bytes);
                    match limited {
                        Ok(_) => push(&mut sources, &mut errors, "<stdin>", kind, bytes),
                        Err(e) => errors.push(SourceError {
                            path: "<stdin>".into(),
                            message: e.to_string(),
                        }),
                    }
                }
                None => errors.push(SourceError {
                    path: "<stdin>".into(),
                    message: "reading stdin needs --kind dockerfile or --kind compose".into(),
                }),
            }
            continue;
        }
        let path = Path::new(p);
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, kind, &mut sources, &mut errors),
            Ok(_) => match kind.or_else(|| SourceKind::detect(path)) {
                Some(k) => read_file(path, k, &mut sources, &mut errors),
                None => errors.push(SourceError {
                    path: p.clone(),
                    message: "not a Dockerfile or compose file by name (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile, compose.y(a)ml, docker-compose*.y(a)ml); pass --kind to lint it anyway".into(),
                }),
            },
            Err(e) => errors.push(SourceError { path: p.clone(), message: e.to_string() }),
        }
    }
    (sources, errors)
}

fn walk(
    dir: &Path,
    kind: Option<SourceKind>,
    sources: &mut Vec<Source>,
    errors: &mut Vec<SourceError>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(SourceError {
                path: dir.display().to_string(),
                message: e.to_string(),
            });
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        if file_type.is_dir() {
            if name != ".git" && name != "node_modules" {
                walk(&path, kind, sources, errors);
            }
            continue;
        }
        // A symlink to a file is linted; to a directory, not followed.
        if file_type.is_symlink() && std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        // In a directory, files are picked by name even with --kind: the
        // kind then only decides how a file named on its own is read.
        if let Some(k) = SourceKind::detect(&path) {
            let _ = kind;
            read_file(&path, k, sources, errors);
        }
    }
}

fn read_file(
    path: &Path,
    kind: SourceKind,
    sources: &mut Vec<Source>,
    errors: &mut Vec<SourceError>,
) {
    let display = path.display().to_string();
    let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_FILE_BYTES);
    if too_big {
        errors.push(SourceError {
            path: display,
            message: format!(
                "larger than {} MiB; not linted",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        });
        return;
    }
    match std::fs::read(path) {
        Ok(bytes) => push(sources, errors, &display, kind, bytes),
        Err(e) => errors.push(SourceError {
            path: display,
            message: e.to_string(),
        }),
    }
}

fn push(
    sources: &mut Vec<Source>,
    errors: &mut Vec<SourceError>,
    path: &str,
    kind: SourceKind,
    bytes: Vec<u8>,
) {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        errors.push(SourceError {
            path: path.into(),
            message: "too large; not linted".into(),
        });
        return;
    }
    match String::from_utf8(bytes) {
        Ok(text) => sources.push(Source::parse(path, kind, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let pos = LineIndex::new(&valid).position(&valid, at);
            errors.push(SourceError {
                path: path.into(),
                message: format!(
                    "{}:{}: not UTF-8 (byte 0x{:02x})",
                    pos.line,
                    pos.column,
                    e.as_bytes()[at]
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path();
        let write = |rel: &str, text: &[u8]| {
            let p = d.join(rel);
            std::fs::create_dir_all(p.parent().unwrap_or(d)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
        };
        write("Dockerfile", b"FROM alpine\n");
        write("svc/web.Dockerfile", b"FROM nginx\n");
        write("svc/compose.yml", b"services: {web: {image: nginx}}\n");
        write("svc/README.md", b"# not me\n");
        write(".git/Dockerfile", b"FROM ignored\n");
        write("bad/Dockerfile", b"FROM a\nRUN \xff\n");
        dir
    }

    #[test]
    fn a_directory_is_walked_by_name_in_order() {
        let dir = tree();
        let (sources, errors) = read(&[dir.path().to_string_lossy().into_owned()], None);
        let names: Vec<String> = sources
            .iter()
            .map(|s| {
                s.path
                    .trim_start_matches(&*dir.path().to_string_lossy())
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            vec!["/Dockerfile", "/svc/compose.yml", "/svc/web.Dockerfile"]
        );
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.starts_with("2:5: not UTF-8"),
            "{:?}",
            errors[0]
        );
    }

    #[test]
    fn a_named_file_needs_a_recognised_name_or_a_kind() {
        let dir = tree();
        let readme = dir
            .path()
            .join("svc/README.md")
            .to_string_lossy()
            .into_owned();
        let (sources, errors) = read(std::slice::from_ref(&readme), None);
        assert!(sources.is_empty());
        assert!(errors[0].message.contains("--kind"));
        let (sources, _) = read(&[readme], Some(SourceKind::Dockerfile));
        assert_eq!(sources.len(), 1);
    }

    #[test]
    fn stdin_needs_a_kind() {
        let (_, errors) = read(&["-".into()], None);
        assert!(errors[0].message.contains("--kind"));
    }
}
