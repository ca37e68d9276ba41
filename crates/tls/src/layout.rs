//! Where the files go and with which modes.
//!
//! The names are the ones dockerd and the docker CLI expect: `ca.pem`,
//! `server-cert.pem`, `server-key.pem` for the daemon; `ca.pem`,
//! `cert.pem`, `key.pem` for a client (a directory usable as
//! `DOCKER_CERT_PATH`). The CA key is kept apart, in `ca/` (mode 0700), so
//! that handing out the directory's client files never hands out the key
//! that signs new clients. Keys are 0400, certificates 0444.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::TlsError;

/// The CA certificate (daemon's `--tlscacert`, client's `ca.pem`).
pub const CA_CERT: &str = "ca.pem";
/// The CA key, in its own directory.
pub const CA_KEY: &str = "ca/ca-key.pem";
/// The daemon's certificate (`--tlscert`).
pub const SERVER_CERT: &str = "server-cert.pem";
/// The daemon's key (`--tlskey`).
pub const SERVER_KEY: &str = "server-key.pem";
/// The first client's certificate, where the docker CLI looks.
pub const CLIENT_CERT: &str = "cert.pem";
/// The first client's key.
pub const CLIENT_KEY: &str = "key.pem";

/// Mode of private keys.
pub const KEY_MODE: u32 = 0o400;
/// Mode of certificates.
pub const CERT_MODE: u32 = 0o444;

/// One file to write.
pub struct Planned {
    pub path: PathBuf,
    pub content: String,
    pub mode: u32,
}

/// Refuses to go on when any planned file exists, unless `force`; names
/// every one that does, so nothing is half-written.
pub fn check_free(files: &[Planned], force: bool) -> Result<(), TlsError> {
    if force {
        return Ok(());
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|f| f.path.exists())
        .map(|f| f.path.display().to_string())
        .collect();
    if existing.is_empty() {
        Ok(())
    } else {
        Err(TlsError::Invalid(format!(
            "refusing to overwrite {} (pass --force to replace)",
            existing.join(", ")
        )))
    }
}

/// Writes every file with its mode. A file is created with its final mode
/// from the start (never readable by others, not even for an instant),
/// replaced atomically through a temporary name when it exists.
pub fn write_all(files: &[Planned]) -> Result<(), TlsError> {
    for f in files {
        if let Some(dir) = f.path.parent() {
            let private = dir.file_name().is_some_and(|n| n == "ca");
            fs::create_dir_all(dir).map_err(|e| TlsError::io(dir, e))?;
            if private {
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                    .map_err(|e| TlsError::io(dir, e))?;
            }
        }
        let tmp = f.path.with_extension("pem.tmp");
        let _ = fs::remove_file(&tmp);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| TlsError::io(&tmp, e))?;
        file.write_all(f.content.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| TlsError::io(&tmp, e))?;
        fs::set_permissions(&tmp, fs::Permissions::from_mode(f.mode))
            .map_err(|e| TlsError::io(&tmp, e))?;
        fs::rename(&tmp, &f.path).map_err(|e| TlsError::io(&f.path, e))?;
    }
    Ok(())
}

/// Reads a file as text, with the path in the error.
pub fn read(path: &Path) -> Result<String, TlsError> {
    fs::read_to_string(path).map_err(|e| TlsError::io(path, e))
}
