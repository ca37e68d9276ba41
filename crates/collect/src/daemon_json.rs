//! The daemon's configuration file (catalog S3): the `--config-file` the
//! process was started with, else `/etc/docker/daemon.json`.
//!
//! A malformed file is reported with its line and column; it is never
//! treated as empty (an empty file would make every setting look unset).

use std::fs;
use std::time::UNIX_EPOCH;

use bulwark_facts::{ConfigFile, Part};

/// Where dockerd reads its configuration when not told otherwise.
pub const DEFAULT_PATH: &str = "/etc/docker/daemon.json";

/// Reads the daemon.json named by `argv` (dockerd's command line, when
/// known), or the default one.
pub fn read(argv: Option<&[String]>) -> Part<ConfigFile> {
    let path = argv
        .and_then(config_file_flag)
        .unwrap_or_else(|| DEFAULT_PATH.to_string());
    Part::Collected(read_path(&path))
}

/// The value of `--config-file` in dockerd's argv (argv[0] included).
fn config_file_flag(argv: &[String]) -> Option<String> {
    bulwark_syntax::dockerd::parse(argv.get(1..).unwrap_or_default())
        .into_iter()
        .rev()
        .find(|f| f.long == "config-file")
        .and_then(|f| f.value)
}

/// Reads and parses one file.
pub fn read_path(path: &str) -> ConfigFile {
    let mut file = ConfigFile {
        path: path.to_string(),
        ..ConfigFile::default()
    };
    let text = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return file,
        Err(e) => {
            file.exists = true;
            file.parse_error = Some(format!("{path}: cannot read: {e}"));
            return file;
        }
    };
    file.exists = true;
    file.modified_at = fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    match serde_json::from_slice::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(map)) => file.content = Some(map),
        Ok(other) => {
            file.parse_error = Some(format!(
                "{path}:1:1: expected a JSON object, found {}",
                json_kind(&other)
            ));
        }
        Err(e) => file.parse_error = Some(format!("{path}:{}:{}: {e}", e.line(), e.column())),
    }
    file
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(content: &str) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("daemon.json");
        fs::write(&path, content).unwrap_or_else(|e| panic!("{e}"));
        (dir, path.to_string_lossy().into_owned())
    }

    #[test]
    fn a_valid_file_is_parsed() {
        let (_dir, path) = write(r#"{"icc": false, "log-level": "info"}"#);
        let f = read_path(&path);
        assert!(f.exists);
        assert_eq!(
            f.content.and_then(|c| c.get("icc").cloned()),
            Some(serde_json::json!(false))
        );
        assert!(f.parse_error.is_none());
    }

    #[test]
    fn a_malformed_file_reports_line_and_column() {
        let (_dir, path) = write("{\n  \"icc\": false,\n  oops\n}");
        let f = read_path(&path);
        let err = f.parse_error.unwrap_or_default();
        assert!(err.starts_with(&format!("{path}:3:3:")), "{err}");
        assert!(f.content.is_none());
    }

    #[test]
    fn a_non_object_is_an_error() {
        let (_dir, path) = write("[1, 2]");
        assert!(
            read_path(&path)
                .parse_error
                .is_some_and(|e| e.contains("an array"))
        );
    }

    #[test]
    fn an_absent_file_is_not_an_error() {
        let f = read_path("/nonexistent/daemon.json");
        assert!(!f.exists);
        assert!(f.parse_error.is_none());
    }

    #[test]
    fn the_config_file_flag_is_honoured_in_both_spellings() {
        let argv = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(
            config_file_flag(&argv("dockerd --config-file /srv/d.json")),
            Some("/srv/d.json".into())
        );
        assert_eq!(
            config_file_flag(&argv("dockerd --config-file=/srv/d.json")),
            Some("/srv/d.json".into())
        );
        assert_eq!(config_file_flag(&argv("dockerd -H fd://")), None);
    }
}
