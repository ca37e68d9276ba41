//! The daemon's TLS files (catalog S3, 2.7, 3.9–3.14).
//!
//! The paths come from the same sources dockerd uses: `--tlscacert`,
//! `--tlscert`, `--tlskey` or their daemon.json keys; when TLS is on and
//! a path is not given, `DOCKER_CERT_PATH` from the daemon's environment,
//! else `~/.docker` of the daemon's user. Certificates are parsed; keys
//! are only stat'ed, never read.

use std::path::Path;

use bulwark_facts::{ConfigFile, DaemonProcess, DaemonTls, FileFacts, TlsFile};
use bulwark_syntax::dockerd;

use crate::files::stat;

/// The three roles and dockerd's default file name for each.
const ROLES: [(&str, &str); 3] = [
    ("tlscacert", "ca.pem"),
    ("tlscert", "cert.pem"),
    ("tlskey", "key.pem"),
];

/// Reads the daemon's TLS files.
pub fn read(process: &DaemonProcess, config: Option<&ConfigFile>) -> DaemonTls {
    let flags = dockerd::parse(process.argv.get(1..).unwrap_or_default());
    let json = config.and_then(|c| c.content.as_ref());
    // A flag's value, else the daemon.json key's (as a string or bool).
    let setting = |key: &str| -> Option<(String, serde_json::Value)> {
        let long = dockerd::by_key(key).map_or(key, |k| k.long);
        if let Some(f) = flags.iter().rev().find(|f| f.long == long) {
            let value = match &f.value {
                Some(v) => serde_json::Value::String(v.clone()),
                None => serde_json::Value::Bool(true),
            };
            return Some((format!("--{long}"), value));
        }
        json.and_then(|j| j.get(key))
            .map(|v| ("daemon.json".to_string(), v.clone()))
    };
    let configured = ["tls", "tlsverify", "tlscacert", "tlscert", "tlskey"]
        .iter()
        .any(|k| setting(k).is_some_and(|(_, v)| v != serde_json::Value::Bool(false)));
    if !configured {
        return DaemonTls::default();
    }
    let default_dir = cert_dir(process);
    let files: Vec<TlsFile> = ROLES
        .iter()
        .map(|(role, default_name)| {
            let (source, path) = match setting(role) {
                Some((source, serde_json::Value::String(path))) => (source, path),
                _ => (
                    default_dir.0.clone(),
                    format!("{}/{default_name}", default_dir.1),
                ),
            };
            read_file(role, &source, &path)
        })
        .collect();
    let ca_keys_nearby = ca_keys_near(&files);
    DaemonTls {
        configured,
        files,
        ca_keys_nearby,
    }
}

/// Where dockerd looks when a TLS path is not given, and why.
fn cert_dir(process: &DaemonProcess) -> (String, String) {
    let environ = std::fs::read(format!("/proc/{}/environ", process.pid)).unwrap_or_default();
    let from_env = environ
        .split(|b| *b == 0)
        .filter_map(|kv| std::str::from_utf8(kv).ok())
        .find_map(|kv| kv.strip_prefix("DOCKER_CERT_PATH="))
        .filter(|v| !v.is_empty());
    if let Some(dir) = from_env {
        return ("DOCKER_CERT_PATH".into(), dir.to_string());
    }
    (
        "default".into(),
        format!("{}/.docker", home_of(process.uid)),
    )
}

/// The home directory of `uid` from the host's `/etc/passwd`.
fn home_of(uid: u32) -> String {
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|passwd| {
            passwd.lines().find_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                (fields.len() >= 6 && fields[2].parse() == Ok(uid)).then(|| fields[5].to_string())
            })
        })
        .unwrap_or_else(|| {
            if uid == 0 {
                "/root".into()
            } else {
                format!("/home/{uid}")
            }
        })
}

fn read_file(role: &str, source: &str, path: &str) -> TlsFile {
    let file = stat(path);
    let mut tls = TlsFile {
        role: role.to_string(),
        source: source.to_string(),
        certificates: Vec::new(),
        error: None,
        file,
    };
    if role != "tlskey" && tls.file.exists {
        match std::fs::read(path) {
            Ok(pem) => match bulwark_tls::inspect::pem_certificates(&pem) {
                Ok(certs) => tls.certificates = certs,
                Err(e) => tls.error = Some(e.to_string()),
            },
            Err(e) => tls.error = Some(e.to_string()),
        }
    }
    tls
}

/// CA private keys in the directories of the TLS files: the recipe people
/// copy leaves `ca-key.pem` right beside `ca.pem`.
fn ca_keys_near(files: &[TlsFile]) -> Vec<FileFacts> {
    let mut dirs: Vec<&Path> = files
        .iter()
        .filter_map(|f| Path::new(&f.file.path).parent())
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut found = Vec::new();
    for dir in dirs {
        for sub in [dir.to_path_buf(), dir.join("ca")] {
            let Ok(entries) = std::fs::read_dir(&sub) else {
                continue;
            };
            for e in entries.filter_map(Result::ok) {
                let name = e.file_name().to_string_lossy().to_ascii_lowercase();
                let looks_like_ca_key =
                    (name.starts_with("ca-key") || name.starts_with("ca_key") || name == "ca.key")
                        && (name.ends_with(".pem") || name.ends_with(".key"));
                if looks_like_ca_key {
                    found.push(stat(&e.path().to_string_lossy()));
                }
            }
        }
    }
    found
}
