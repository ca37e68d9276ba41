//! `stat` of host paths into [`FileFacts`] (catalog S5): numeric owner,
//! group and the full mode, following symlinks but saying where they led.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use bulwark_facts::FileFacts;

/// Stats `path`. A missing path is `exists: false`, not an error.
pub fn stat(path: &str) -> FileFacts {
    let mut facts = FileFacts {
        path: path.to_string(),
        ..FileFacts::default()
    };
    match fs::metadata(path) {
        Ok(meta) => {
            facts.exists = true;
            facts.uid = meta.uid();
            facts.gid = meta.gid();
            facts.mode = meta.mode() & 0o7777;
            let t = meta.file_type();
            facts.kind = if t.is_file() {
                "file"
            } else if t.is_dir() {
                "dir"
            } else if t.is_socket() {
                "socket"
            } else {
                "other"
            }
            .to_string();
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                facts.resolved = fs::canonicalize(path)
                    .ok()
                    .map(|p| p.to_string_lossy().into_owned());
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => facts.error = Some(e.to_string()),
    }
    facts
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn mode_keeps_special_bits_and_symlinks_are_followed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("f");
        fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
        fs::set_permissions(&file, fs::Permissions::from_mode(0o4755))
            .unwrap_or_else(|e| panic!("{e}"));
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&file, &link).unwrap_or_else(|e| panic!("{e}"));
        let f = stat(&link.to_string_lossy());
        assert!(f.exists);
        assert_eq!(f.mode, 0o4755);
        assert_eq!(f.mode_octal(), "4755");
        assert_eq!(f.kind, "file");
        assert!(f.resolved.is_some_and(|r| r.ends_with("/f")));
        assert!(!stat(&dir.path().join("missing").to_string_lossy()).exists);
    }
}
