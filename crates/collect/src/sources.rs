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
use std::path::{Path, PathBuf};

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

/// Reads and parses every file `paths` name, and hands each source to
/// `each` as soon as it is parsed, with what its thread has gathered so
/// far (an `A` per run of files): a linter drops each tree once it is done
/// with it rather than hold them all. With `parallel`, files are found in
/// order first, then read and parsed on the threads of the current rayon
/// pool; `join` appends a run of later files to an earlier one, so what is
/// gathered, and the errors, are in the order of the files whatever the
/// threads.
pub fn read_into<A: Default + Send>(
    paths: &[String],
    kind: Option<SourceKind>,
    parallel: bool,
    each: impl Fn(&mut A, Source) + Sync + Send,
    join: impl Fn(&mut A, &mut A) + Sync + Send,
) -> (A, Vec<SourceError>) {
    let found = find(paths, kind);
    let one = |(mut gathered, mut errors): (A, Vec<SourceError>), found| {
        match load(found) {
            Ok(source) => each(&mut gathered, source),
            Err(error) => errors.push(error),
        }
        (gathered, errors)
    };
    if !parallel {
        return found.into_iter().fold(Default::default(), one);
    }
    use rayon::prelude::*;
    found.into_par_iter().fold(Default::default, one).reduce(
        Default::default,
        |(mut gathered, mut errors), (mut later, mut later_errors)| {
            join(&mut gathered, &mut later);
            errors.append(&mut later_errors);
            (gathered, errors)
        },
    )
}

/// Every file `paths` name, in order (directories walked), and every
/// path that cannot be linted.
fn find(paths: &[String], kind: Option<SourceKind>) -> Vec<Found> {
    let mut found = Vec::new();
    for p in paths {
        if p == "-" {
            found.push(stdin(kind));
            continue;
        }
        let path = Path::new(p);
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut found),
            Ok(_) => found.push(match kind.or_else(|| SourceKind::detect(path)) {
                Some(k) => Found::File(path.to_path_buf(), k),
                None => Found::Failed(SourceError {
                    path: p.clone(),
                    message: "not a Dockerfile or compose file by name (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile, compose.y(a)ml, docker-compose*.y(a)ml); pass --kind to lint it anyway".into(),
                }),
            }),
            Err(e) => found.push(Found::Failed(SourceError { path: p.clone(), message: e.to_string() })),
        }
    }
    found
}

/// What the search found at one place, in order; read later.
enum Found {
    /// A file to read as `kind`.
    File(PathBuf, SourceKind),
    /// Text already read (stdin), as `kind`.
    Bytes(&'static str, SourceKind, Vec<u8>),
    /// Something that cannot be linted, and why.
    Failed(SourceError),
}

fn stdin(kind: Option<SourceKind>) -> Found {
    const PATH: &str = "<stdin>";
    let Some(kind) = kind else {
        return Found::Failed(SourceError {
            path: PATH.into(),
            message: "reading stdin needs --kind dockerfile or --kind compose".into(),
        });
    };
    let mut bytes = Vec::new();
    match std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
    {
        Ok(_) => Found::Bytes(PATH, kind, bytes),
        Err(e) => Found::Failed(SourceError {
            path: PATH.into(),
            message: e.to_string(),
        }),
    }
}

fn walk(dir: &Path, found: &mut Vec<Found>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            found.push(Found::Failed(SourceError {
                path: dir.display().to_string(),
                message: e.to_string(),
            }));
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
                walk(&path, found);
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
            found.push(Found::File(path, k));
        }
    }
}

/// Reads (if need be) and parses what was found.
fn load(found: Found) -> Result<Source, SourceError> {
    match found {
        Found::Failed(error) => Err(error),
        Found::Bytes(path, kind, bytes) => parse(path, kind, bytes),
        Found::File(path, kind) => {
            let display = path.display().to_string();
            let too_big = std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_FILE_BYTES);
            if too_big {
                return Err(SourceError {
                    path: display,
                    message: format!(
                        "larger than {} MiB; not linted",
                        MAX_FILE_BYTES / 1024 / 1024
                    ),
                });
            }
            match std::fs::read(&path) {
                Ok(bytes) => parse(&display, kind, bytes),
                Err(e) => Err(SourceError {
                    path: display,
                    message: e.to_string(),
                }),
            }
        }
    }
}

fn parse(path: &str, kind: SourceKind, bytes: Vec<u8>) -> Result<Source, SourceError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(SourceError {
            path: path.into(),
            message: "too large; not linted".into(),
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::parse(path, kind, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let pos = LineIndex::new(&valid).position(&valid, at);
            Err(SourceError {
                path: path.into(),
                message: format!(
                    "{}:{}: not UTF-8 (byte 0x{:02x})",
                    pos.line,
                    pos.column,
                    e.as_bytes()[at]
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every source, in order, and the errors.
    fn read(
        paths: &[String],
        kind: Option<SourceKind>,
        parallel: bool,
    ) -> (Vec<Source>, Vec<SourceError>) {
        read_into(
            paths,
            kind,
            parallel,
            |all: &mut Vec<Source>, s| all.push(s),
            Vec::append,
        )
    }

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
        let (sources, errors) = read(&[dir.path().to_string_lossy().into_owned()], None, false);
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
        let (sources, errors) = read(std::slice::from_ref(&readme), None, false);
        assert!(sources.is_empty());
        assert!(errors[0].message.contains("--kind"));
        let (sources, _) = read(&[readme], Some(SourceKind::Dockerfile), false);
        assert_eq!(sources.len(), 1);
    }

    #[test]
    fn threads_change_nothing_but_the_time() {
        let dir = tree();
        let paths = [
            dir.path().to_string_lossy().into_owned(),
            "/nonexistent/bulwark".into(),
            dir.path()
                .join("svc/README.md")
                .to_string_lossy()
                .into_owned(),
        ];
        let one = read(&paths, None, false);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build();
        let four = pool
            .unwrap_or_else(|e| panic!("{e}"))
            .install(|| read(&paths, None, true));
        let names = |r: &(Vec<Source>, Vec<SourceError>)| -> Vec<String> {
            r.0.iter().map(|s| s.path.to_string()).collect()
        };
        assert_eq!(names(&one), names(&four));
        assert_eq!(one.1, four.1);
        assert_eq!((one.0.len(), one.1.len()), (3, 3));
    }

    #[test]
    fn stdin_needs_a_kind() {
        let (_, errors) = read(&["-".into()], None, false);
        assert!(errors[0].message.contains("--kind"));
    }
}
