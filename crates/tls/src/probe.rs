//! Is a Docker API endpoint protected? Three read-only questions, asked
//! in order (see shared/reference/runtime-fleet.md §4.2 for what dockerd
//! answers in each mode):
//!
//! 1. Plain HTTP `GET /_ping`: a 200 with an `Api-Version` header is an
//!    unauthenticated API, root for anyone who can reach it.
//! 2. A TLS handshake *without* a client certificate, then `GET /version`:
//!    any HTTP answer means the daemon does not verify clients (TLS, but
//!    anyone can call it). A refused handshake or a "certificate required"
//!    alert means it does.
//! 3. With `--cert-path`: a handshake with the client certificate that
//!    verifies the server against `ca.pem` and the host name, then
//!    `GET /_ping`: the set-up works for a legitimate client.
//!
//! The server's chain is recorded from the handshake and judged: expiry,
//! key type and size, signature algorithm, whether it names the host
//! asked, self-signed or not.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bulwark_facts::CertificateFacts;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use serde::Serialize;

use crate::inspect;

/// How an endpoint is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protection {
    /// Plain HTTP: anyone who reaches the port is root on the host.
    Plaintext,
    /// TLS, but the daemon answers without a client certificate.
    TlsWithoutClientVerification,
    /// TLS with client certificates required.
    MutualTls,
    /// Not a Docker API, or nothing could be decided; see the notes.
    Unknown,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warn,
    Critical,
}

/// One thing wrong (or worth knowing) about the endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub level: Level,
    pub message: String,
}

/// What the probe found.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// As given: `tcp://HOST:PORT`.
    pub endpoint: String,
    pub host: String,
    pub port: u16,
    pub protection: Protection,
    /// The `Api-Version` header or `/version` ApiVersion, when seen.
    pub api_version: Option<String>,
    /// The server's certificate chain, leaf first.
    pub chain: Vec<CertificateFacts>,
    /// With `--cert-path`: whether the chain verified against its
    /// `ca.pem` for this host, and a client certificate was accepted.
    pub verified_with_client_cert: Option<bool>,
    pub problems: Vec<Problem>,
    /// What each step saw, in order, for the curious.
    pub steps: Vec<String>,
}

impl ProbeReport {
    /// The worst problem's level.
    pub fn worst(&self) -> Option<Level> {
        self.problems.iter().map(|p| p.level).max()
    }
}

/// Where the client files are: `ca.pem`, `cert.pem`, `key.pem`.
#[derive(Debug, Clone)]
pub struct ClientFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl ClientFiles {
    /// The docker CLI's names in `dir`.
    pub fn in_dir(dir: &Path) -> ClientFiles {
        ClientFiles {
            ca: dir.join("ca.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        }
    }
}

/// Probes `endpoint` (`tcp://HOST:PORT`, `https://…`, or `HOST:PORT`).
/// `now` is Unix seconds, for expiry.
pub fn probe(
    endpoint: &str,
    client: Option<&ClientFiles>,
    timeout: Duration,
    now: i64,
) -> Result<ProbeReport, String> {
    let (host, port) = split_endpoint(endpoint)?;
    let addr = resolve(&host, port)?;
    let mut report = ProbeReport {
        endpoint: endpoint.to_string(),
        host: host.clone(),
        port,
        protection: Protection::Unknown,
        api_version: None,
        chain: Vec::new(),
        verified_with_client_cert: None,
        problems: Vec::new(),
        steps: Vec::new(),
    };

    // 1. Plain HTTP.
    match http_get(connect(addr, timeout)?, &host, "/_ping") {
        Ok(resp) if resp.status == 200 && resp.header("api-version").is_some() => {
            report.api_version = resp.header("api-version").map(str::to_string);
            report
                .steps
                .push("plain HTTP GET /_ping: 200 with Api-Version".into());
            report.protection = Protection::Plaintext;
            report.problems.push(Problem {
                level: Level::Critical,
                message: format!(
                    "the Docker API answers plain HTTP on {host}:{port}: anyone who can reach it is root on the host"
                ),
            });
            return Ok(report);
        }
        Ok(resp) => report.steps.push(format!(
            "plain HTTP GET /_ping: HTTP {} (not an open API)",
            resp.status
        )),
        Err(e) => report.steps.push(format!("plain HTTP GET /_ping: {e}")),
    }

    // 2. TLS without a client certificate.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let recorder = Arc::new(RecordingVerifier::new(provider.clone()));
    let anonymous = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let outcome = tls_get(
        connect(addr, timeout)?,
        &host,
        Arc::new(anonymous),
        "/version",
    );
    report.chain = recorder
        .chain()
        .iter()
        .filter_map(|der| inspect::der_certificate(der).ok())
        .collect();
    match outcome {
        Ok(resp) => {
            report.steps.push(format!(
                "TLS without a client certificate, GET /version: HTTP {}",
                resp.status
            ));
            report.api_version = api_version_of(&resp);
            report.protection = Protection::TlsWithoutClientVerification;
            report.problems.push(Problem {
                level: Level::Critical,
                message: format!(
                    "TLS without client verification on {host}:{port}: the daemon answers anyone (HTTP {}); start it with --tlsverify and --tlscacert",
                    resp.status
                ),
            });
        }
        Err(e) if report.chain.is_empty() => {
            report
                .steps
                .push(format!("TLS handshake without a client certificate: {e}"));
            report.problems.push(Problem {
                level: Level::Warn,
                message: format!(
                    "{host}:{port} is neither an open Docker API nor a TLS server ({e})"
                ),
            });
            return Ok(report);
        }
        Err(e) => {
            report
                .steps
                .push(format!("TLS without a client certificate: refused ({e})"));
            report.protection = Protection::MutualTls;
        }
    }

    // 3. With the client's files, verified.
    if let Some(files) = client {
        match verified_ping(addr, &host, files, provider, timeout) {
            Ok(status) => {
                report.steps.push(format!(
                    "mutual TLS with {}, GET /_ping: HTTP {status}",
                    files.cert.display()
                ));
                report.verified_with_client_cert = Some(status == 200);
            }
            Err(e) => {
                report
                    .steps
                    .push(format!("mutual TLS with {}: {e}", files.cert.display()));
                report.verified_with_client_cert = Some(false);
                report.problems.push(Problem {
                    level: Level::Warn,
                    message: format!("a client with {} cannot connect: {e}", files.cert.display()),
                });
            }
        }
    }
    judge_chain(&mut report, now);
    Ok(report)
}

/// Expiry, key, signature, name and issuer of the server's certificate.
fn judge_chain(report: &mut ProbeReport, now: i64) {
    let Some(leaf) = report.chain.first().cloned() else {
        return;
    };
    let mut add = |level, message: String| report.problems.push(Problem { level, message });
    let days = leaf.days_left(now);
    if days < 0 {
        add(
            Level::Critical,
            format!("the server certificate expired {} days ago", -days),
        );
    } else if days < 30 {
        add(
            Level::Warn,
            format!("the server certificate expires in {days} days"),
        );
    }
    if let Some(weak) = inspect::weak_key(&leaf) {
        add(
            Level::Warn,
            format!("the server certificate has a weak key: {weak}"),
        );
    }
    if let Some(weak) = inspect::weak_signature(&leaf) {
        add(Level::Warn, format!("the server certificate is {weak}"));
    }
    if !leaf.matches_host(&report.host) {
        add(
            Level::Warn,
            format!(
                "the server certificate does not name {} (DNS {:?}, IP {:?}): clients will refuse it",
                report.host, leaf.dns_names, leaf.ip_addresses
            ),
        );
    }
    if leaf.self_signed {
        add(
            Level::Warn,
            "the server certificate is self-signed: clients cannot verify it against a CA".into(),
        );
    }
}

fn split_endpoint(endpoint: &str) -> Result<(String, u16), String> {
    let rest = ["tcp://", "https://", "http://"]
        .iter()
        .find_map(|p| endpoint.strip_prefix(p))
        .unwrap_or(endpoint)
        .trim_end_matches('/');
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && !h.ends_with(':') => (h, p),
        _ => {
            return Err(format!(
                "`{endpoint}` needs a host and a port: tcp://HOST:PORT"
            ));
        }
    };
    let port: u16 = port
        .parse()
        .map_err(|_| format!("`{endpoint}`: `{port}` is not a port"))?;
    Ok((
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
        port,
    ))
}

fn resolve(host: &str, port: u16) -> Result<SocketAddr, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host} has no address"))
}

fn connect(addr: SocketAddr, timeout: Duration) -> Result<TcpStream, String> {
    let s = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let _ = s.set_read_timeout(Some(timeout));
    let _ = s.set_write_timeout(Some(timeout));
    Ok(s)
}

/// A parsed HTTP response (status, headers, up to 64 KiB of body).
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn request(host: &str, path: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: bulwark-tls-check\r\nConnection: close\r\n\r\n"
    )
}

fn read_response(stream: &mut impl Read) -> Result<Response, String> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if raw.len() > 64 * 1024 {
                    break;
                }
            }
            // A server that keeps the connection open after its answer.
            Err(e)
                if !raw.is_empty()
                    && matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
            {
                break;
            }
            Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e.to_string()),
        }
    }
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            if raw.is_empty() {
                "closed without an answer".to_string()
            } else {
                "not an HTTP answer".to_string()
            }
        })?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Response {
        status,
        headers,
        body: body.to_string(),
    })
}

fn http_get(mut stream: TcpStream, host: &str, path: &str) -> Result<Response, String> {
    stream
        .write_all(request(host, path).as_bytes())
        .map_err(|e| e.to_string())?;
    read_response(&mut stream)
}

fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(host.to_string())
        .map_err(|e| format!("`{host}` is not a valid server name: {e}"))
}

fn tls_get(
    tcp: TcpStream,
    host: &str,
    config: Arc<ClientConfig>,
    path: &str,
) -> Result<Response, String> {
    let conn = ClientConnection::new(config, server_name(host)?).map_err(|e| e.to_string())?;
    let mut tls = StreamOwned::new(conn, tcp);
    tls.write_all(request(host, path).as_bytes())
        .map_err(|e| e.to_string())?;
    tls.flush().map_err(|e| e.to_string())?;
    read_response(&mut tls)
}

fn api_version_of(resp: &Response) -> Option<String> {
    resp.header("api-version").map(str::to_string).or_else(|| {
        serde_json::from_str::<serde_json::Value>(&resp.body)
            .ok()?
            .get("ApiVersion")?
            .as_str()
            .map(str::to_string)
    })
}

fn verified_ping(
    addr: SocketAddr,
    host: &str,
    files: &ClientFiles,
    provider: Arc<CryptoProvider>,
    timeout: Duration,
) -> Result<u16, String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&files.ca)
        .map_err(|e| format!("{}: {e}", files.ca.display()))?
    {
        roots
            .add(cert.map_err(|e| format!("{}: {e}", files.ca.display()))?)
            .map_err(|e| format!("{}: {e}", files.ca.display()))?;
    }
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|e| format!("{}: {e}", files.cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", files.cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| format!("{}: {e}", files.key.display()))?;
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .map_err(|e| e.to_string())?;
    tls_get(connect(addr, timeout)?, host, Arc::new(config), "/_ping").map(|r| r.status)
}

/// Accepts any server certificate, remembering the chain: step 2 asks
/// "does the daemon verify *me*", not "can I verify it"; the chain is
/// judged separately, and verified for real in step 3.
#[derive(Debug)]
struct RecordingVerifier {
    provider: Arc<CryptoProvider>,
    chain: Mutex<Vec<Vec<u8>>>,
}

impl RecordingVerifier {
    fn new(provider: Arc<CryptoProvider>) -> Self {
        RecordingVerifier {
            provider,
            chain: Mutex::new(Vec::new()),
        }
    }

    fn chain(&self) -> Vec<Vec<u8>> {
        self.chain.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.as_ref().to_vec())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_in_every_spelling() {
        assert_eq!(
            split_endpoint("tcp://10.0.0.5:2376"),
            Ok(("10.0.0.5".into(), 2376))
        );
        assert_eq!(
            split_endpoint("https://docker.example:2376/"),
            Ok(("docker.example".into(), 2376))
        );
        assert_eq!(split_endpoint("[::1]:2375"), Ok(("::1".into(), 2375)));
        assert!(split_endpoint("tcp://host").is_err());
        assert!(split_endpoint("tcp://host:port").is_err());
    }
}
