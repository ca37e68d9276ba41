//! Host files as the CIS file controls need them: owner, group, mode,
//! kind, and where a symlink led (catalog S5). Contents are never kept:
//! a private key's mode is evidence, its bytes are a secret.

use serde::{Deserialize, Serialize};

use crate::CertificateFacts;

/// `stat` of one path, following symlinks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileFacts {
    pub path: String,
    pub exists: bool,
    pub uid: u32,
    pub gid: u32,
    /// Permission bits with setuid, setgid and sticky: `mode & 0o7777`.
    pub mode: u32,
    /// `file`, `dir`, `socket`, `symlink`, `other`.
    pub kind: String,
    /// The canonical path, when `path` went through a symlink.
    pub resolved: Option<String>,
    /// Why it could not be read (other than "does not exist").
    pub error: Option<String>,
}

impl FileFacts {
    /// The mode as the four octal digits people write (`0644`).
    pub fn mode_octal(&self) -> String {
        format!("{:04o}", self.mode)
    }
}

/// The daemon's TLS material (catalog S3, 2.7, 3.9–3.14).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DaemonTls {
    /// True when any of `tls`, `tlsverify`, `tlscacert`, `tlscert`,
    /// `tlskey` is set: dockerd then serves TLS on its TCP listeners.
    pub configured: bool,
    /// The CA, certificate and key the daemon uses.
    pub files: Vec<TlsFile>,
    /// CA private keys found beside them (`ca-key.pem`, `ca/ca-key.pem`,
    /// `ca.key`): a CA key on the daemon host lets whoever reads it mint
    /// client certificates.
    pub ca_keys_nearby: Vec<FileFacts>,
}

impl DaemonTls {
    /// The file of one role (`tlscacert`, `tlscert`, `tlskey`).
    pub fn file(&self, role: &str) -> Option<&TlsFile> {
        self.files.iter().find(|f| f.role == role)
    }
}

/// One of the daemon's TLS files.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsFile {
    /// `tlscacert`, `tlscert` or `tlskey`.
    pub role: String,
    /// What named the path: `--tlscert`, `daemon.json`, `DOCKER_CERT_PATH`,
    /// or `default` (`~/.docker` of the daemon's user).
    pub source: String,
    pub file: FileFacts,
    /// The certificates in it (CA and certificate roles only).
    pub certificates: Vec<CertificateFacts>,
    /// Why its certificates could not be read.
    pub error: Option<String>,
}

/// What a read-only probe of a TCP endpoint found (`bulwark tls check`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointTls {
    /// `plaintext`, `tls-without-client-verification`, `mutual-tls` or
    /// `unknown`.
    pub protection: String,
    /// The server's chain, leaf first.
    pub chain: Vec<CertificateFacts>,
    /// What the probe's steps saw, for evidence.
    pub steps: Vec<String>,
}
