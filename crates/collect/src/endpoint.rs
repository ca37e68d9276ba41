//! Reaching the daemon: `--host`, `DOCKER_HOST`, TLS, and errors a person
//! can act on.
//!
//! The rules are the docker CLI's: `--host` beats `DOCKER_HOST`, which
//! beats the default socket; TLS is used when `--tlsverify`,
//! `DOCKER_TLS_VERIFY` or any certificate option says so, with files from
//! `--tlscacert/--tlscert/--tlskey`, else `DOCKER_CERT_PATH`, else
//! `~/.docker`.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::{API_DEFAULT_VERSION, Docker};
use bulwark_facts::Endpoint;

/// The default daemon socket.
pub const DEFAULT_SOCKET: &str = "unix:///var/run/docker.sock";

/// Where and how to connect. `None` fields fall back to the environment.
#[derive(Debug, Clone, Default)]
pub struct EndpointConfig {
    /// `--host`; else `DOCKER_HOST`; else the default socket.
    pub host: Option<String>,
    /// `--tlsverify`; else `DOCKER_TLS_VERIFY` (any non-empty value).
    pub tls_verify: bool,
    /// `--tlscacert`.
    pub ca: Option<PathBuf>,
    /// `--tlscert`.
    pub cert: Option<PathBuf>,
    /// `--tlskey`.
    pub key: Option<PathBuf>,
}

/// A daemon that could not be reached, and what to do about it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ConnectError {
    /// One line: what failed and what to do.
    pub message: String,
    /// The endpoint that was tried.
    pub endpoint: Endpoint,
    /// The socket path when the endpoint is a local unix socket: host
    /// facts can still be read.
    pub local_socket: Option<String>,
}

/// A connected client.
pub struct Connected {
    pub docker: Docker,
    pub endpoint: Endpoint,
    /// The socket path when the daemon is reached through a local unix
    /// socket (its process and files are then on this host).
    pub local_socket: Option<String>,
}

impl EndpointConfig {
    /// The address to use: `--host`, `DOCKER_HOST`, or the default socket.
    pub fn address(&self) -> String {
        self.host
            .clone()
            .or_else(|| std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()))
            .unwrap_or_else(|| DEFAULT_SOCKET.to_string())
    }

    /// The CA, certificate and key files a TLS connection uses.
    pub fn client_files(&self) -> (PathBuf, PathBuf, PathBuf) {
        (
            self.cert_file(&self.ca, "ca.pem"),
            self.cert_file(&self.cert, "cert.pem"),
            self.cert_file(&self.key, "key.pem"),
        )
    }

    fn wants_tls(&self) -> bool {
        self.tls_verify
            || self.ca.is_some()
            || self.cert.is_some()
            || self.key.is_some()
            || std::env::var("DOCKER_TLS_VERIFY").is_ok_and(|v| !v.is_empty())
    }

    fn cert_file(&self, explicit: &Option<PathBuf>, name: &str) -> PathBuf {
        if let Some(p) = explicit {
            return p.clone();
        }
        let dir = std::env::var_os("DOCKER_CERT_PATH")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".docker")))
            .unwrap_or_else(|| PathBuf::from(".docker"));
        dir.join(name)
    }
}

/// Connects and pings, within `timeout`.
pub async fn connect(
    config: &EndpointConfig,
    timeout: Duration,
) -> Result<Connected, ConnectError> {
    let address = config.address();
    let secs = timeout.as_secs().max(1);
    let (docker, endpoint, local_socket) = if let Some(path) = address.strip_prefix("unix://") {
        let endpoint = Endpoint {
            address: address.clone(),
            transport: "unix".into(),
            remote: false,
            tls: None,
        };
        let fail = |message: String| ConnectError {
            message,
            endpoint: endpoint.clone(),
            local_socket: Some(path.to_string()),
        };
        // A plain connect first: it tells "absent" from "permission
        // denied" from "nobody listening", which bollard folds together.
        if let Err(e) = UnixStream::connect(path) {
            return Err(fail(unix_error_message(&address, &e)));
        }
        let docker = Docker::connect_with_unix(path, secs, API_DEFAULT_VERSION)
            .map_err(|e| fail(format!("cannot use {address}: {e}")))?;
        (docker, endpoint, Some(path.to_string()))
    } else if address.starts_with("tcp://")
        || address.starts_with("http://")
        || address.starts_with("https://")
    {
        let tls = config.wants_tls() || address.starts_with("https://");
        let endpoint = Endpoint {
            address: address.clone(),
            transport: if tls { "tls" } else { "tcp" }.into(),
            remote: true,
            tls: None,
        };
        let fail = |message: String| ConnectError {
            message,
            endpoint: endpoint.clone(),
            local_socket: None,
        };
        let docker = if tls {
            // bollard panics without a process-wide crypto provider when
            // more than one could be linked; install ring's, once.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let (ca, cert, key) = (
                config.cert_file(&config.ca, "ca.pem"),
                config.cert_file(&config.cert, "cert.pem"),
                config.cert_file(&config.key, "key.pem"),
            );
            for f in [&ca, &cert, &key] {
                if let Err(e) = std::fs::metadata(f) {
                    return Err(fail(format!(
                        "TLS for {address} needs {}: {e}; pass --tlscacert/--tlscert/--tlskey or set DOCKER_CERT_PATH",
                        f.display()
                    )));
                }
            }
            Docker::connect_with_ssl(&address, &key, &cert, &ca, secs, API_DEFAULT_VERSION)
        } else {
            Docker::connect_with_http(&address, secs, API_DEFAULT_VERSION)
        }
        .map_err(|e| fail(format!("cannot use {address}: {e}")))?;
        (docker, endpoint, None)
    } else {
        return Err(ConnectError {
            message: format!(
                "unsupported daemon address `{address}`: use unix:///path/to/docker.sock or tcp://HOST:PORT"
            ),
            endpoint: Endpoint {
                address,
                transport: String::new(),
                remote: true,
                tls: None,
            },
            local_socket: None,
        });
    };

    let ping = tokio::time::timeout(timeout, docker.ping()).await;
    let problem = match ping {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(ping_error_message(&address, &e, timeout)),
        Err(_) => Some(no_answer(&address, timeout)),
    };
    match problem {
        None => Ok(Connected {
            docker,
            endpoint,
            local_socket,
        }),
        Some(message) => Err(ConnectError {
            message,
            endpoint,
            local_socket,
        }),
    }
}

fn no_answer(address: &str, timeout: Duration) -> String {
    format!(
        "no answer from {address} within {}s; check the address, a firewall, or whether the daemon is hung",
        timeout.as_secs_f32()
    )
}

/// Turns a failed `/_ping` into one actionable line: bollard's own
/// timeout, a refused connection, or the whole error chain (a TLS failure
/// says why only deep in its sources).
fn ping_error_message(address: &str, e: &bollard::errors::Error, timeout: Duration) -> String {
    if matches!(e, bollard::errors::Error::RequestTimeoutError) {
        return no_answer(address, timeout);
    }
    let mut chain = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    let mut refused = false;
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        let text = err.to_string();
        if !chain.iter().any(|c| c.contains(&text)) {
            chain.push(text);
        }
        source = err.source();
    }
    if refused {
        format!(
            "cannot connect to the Docker daemon at {address}: connection refused; is dockerd listening there?"
        )
    } else {
        format!(
            "the daemon at {address} did not answer /_ping: {}",
            chain.join(": ")
        )
    }
}

fn unix_error_message(address: &str, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => format!(
            "cannot connect to the Docker daemon at {address}: the socket does not exist; is dockerd running? (or point --host / DOCKER_HOST at it)"
        ),
        ErrorKind::PermissionDenied => format!(
            "permission denied on {address}: run bulwark as root or as a member of the socket's group (usually `docker`)"
        ),
        ErrorKind::ConnectionRefused => format!(
            "cannot connect to the Docker daemon at {address}: nothing is listening on the socket; is dockerd running?"
        ),
        _ => format!("cannot connect to the Docker daemon at {address}: {e}"),
    }
}
