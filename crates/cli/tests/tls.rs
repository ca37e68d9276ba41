//! `bulwark tls` against the real parts: files written by `tls init`, a
//! daemon started with them on 127.0.0.1, the real docker CLI, and
//! `tls check` classifying plaintext, TLS-without-verification and
//! mutual-TLS listeners of real daemons.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::daemon::{TestDaemon, free_port};
use support::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o7777)
        .unwrap_or(0)
}

fn init(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let d = dir.to_string_lossy().into_owned();
    let mut args = vec![
        "tls",
        "init",
        "--dir",
        &d,
        "--ip",
        "127.0.0.1",
        "--host",
        "localhost",
    ];
    args.extend_from_slice(extra);
    run_bulwark(&args)
}

fn certificate(path: &Path) -> bulwark_tls::CertificateFacts {
    let pem = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bulwark_tls::inspect::pem_certificates(&pem)
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0)
}

#[test]
fn init_writes_the_files_docker_expects_with_safe_modes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let (code, out, err) = init(d, &["--days", "90"]);
    assert_eq!(code, 0, "{err}");
    for (file, want) in [
        ("ca.pem", 0o444),
        ("server-cert.pem", 0o444),
        ("cert.pem", 0o444),
        ("server-key.pem", 0o400),
        ("key.pem", 0o400),
        ("ca/ca-key.pem", 0o400),
    ] {
        assert_eq!(mode(&d.join(file)), want, "{file}");
    }
    assert_eq!(mode(&d.join("ca")), 0o700, "the CA key's directory");
    assert!(!d.join("ca-key.pem").exists(), "the CA key is kept apart");
    // What it prints: the daemon's configuration and the client's.
    for needle in [
        "\"tlsverify\": true",
        "server-cert.pem",
        "DOCKER_TLS_VERIFY=1",
        "DOCKER_CERT_PATH=",
        "tcp://127.0.0.1:2376",
    ] {
        assert!(out.contains(needle), "missing {needle}: {out}");
    }

    let server = certificate(&d.join("server-cert.pem"));
    assert_eq!(server.dns_names, vec!["localhost"]);
    assert_eq!(server.ip_addresses, vec!["127.0.0.1"]);
    assert_eq!(server.extended_key_usage, vec!["serverAuth"]);
    assert!(!server.is_ca && !server.self_signed);
    let days = (server.not_after - server.not_before) / 86_400;
    assert!((90..=91).contains(&days), "validity {days} days");
    assert_eq!(
        (server.key_type.as_str(), server.key_bits),
        ("ecdsa-p256", 256)
    );
    let client = certificate(&d.join("cert.pem"));
    assert_eq!(client.extended_key_usage, vec!["clientAuth"]);
    assert!(client.subject.contains("docker-client"));
    let ca = certificate(&d.join("ca.pem"));
    assert!(ca.is_ca && ca.self_signed);

    // No overwrite without --force; nothing is half-written.
    let before = std::fs::read(d.join("server-cert.pem")).unwrap_or_default();
    let (code, _, err) = init(d, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("refusing to overwrite") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(d.join("server-cert.pem")).unwrap_or_default(),
        before
    );
    let (code, _, err) = init(d, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert_ne!(
        std::fs::read(d.join("server-cert.pem")).unwrap_or_default(),
        before
    );
}

#[test]
fn init_requires_a_name_and_offers_rsa() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path().to_string_lossy().into_owned();
    let (code, _, err) = run_bulwark(&["tls", "init", "--dir", &d]);
    assert_eq!(code, 2);
    assert!(err.contains("--host") && err.contains("--ip"), "{err}");
    let (code, _, err) = init(dir.path(), &["--key", "rsa-3072"]);
    assert_eq!(code, 0, "{err}");
    let server = certificate(&dir.path().join("server-cert.pem"));
    assert_eq!((server.key_type.as_str(), server.key_bits), ("rsa", 3072));
    assert_eq!(server.signature_algorithm, "sha256WithRSAEncryption");
}

#[test]
fn issue_client_adds_a_client_from_the_same_ca() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(init(dir.path(), &[]).0, 0);
    let d = dir.path().to_string_lossy().into_owned();
    let (code, out, err) = run_bulwark(&["tls", "issue-client", "alice", "--dir", &d]);
    assert_eq!(code, 0, "{err}");
    let alice = dir.path().join("clients/alice");
    assert!(out.contains(&alice.display().to_string()));
    assert_eq!(mode(&alice.join("key.pem")), 0o400);
    let cert = certificate(&alice.join("cert.pem"));
    assert!(cert.subject.contains("alice"));
    assert_eq!(cert.issuer, certificate(&dir.path().join("ca.pem")).subject);
    assert_eq!(cert.extended_key_usage, vec!["clientAuth"]);
    let (code, _, err) = run_bulwark(&["tls", "issue-client", "alice", "--dir", &d]);
    assert_eq!(code, 2, "no overwrite: {err}");
}

fn check_json(endpoint: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "tls",
        "check",
        endpoint,
        "--format",
        "json",
        "--timeout",
        "5",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run_bulwark(&args);
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, report)
}

fn docker_over_tls(endpoint: &str, cert_dir: &Path) -> std::process::Output {
    Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .env("DOCKER_HOST", endpoint)
        .env("DOCKER_TLS_VERIFY", "1")
        .env("DOCKER_CERT_PATH", cert_dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_daemon_with_the_generated_certificates_requires_clients_to_prove_themselves() {
    if !docker_available() {
        return;
    }
    let certs = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let c = certs.path();
    assert_eq!(init(c, &[]).0, 0);
    let port = free_port();
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let daemon = TestDaemon::start(&[
        format!("--host={endpoint}"),
        "--tlsverify".into(),
        format!("--tlscacert={}", c.join("ca.pem").display()),
        format!("--tlscert={}", c.join("server-cert.pem").display()),
        format!("--tlskey={}", c.join("server-key.pem").display()),
    ]);

    // The real docker CLI connects with the generated client files.
    let out = docker_over_tls(&endpoint, c);
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        daemon.log()
    );

    // A client certificate from another CA is refused.
    let other = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(init(other.path(), &[]).0, 0);
    let mixed = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(c.join("ca.pem"), mixed.path().join("ca.pem")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(other.path().join("cert.pem"), mixed.path().join("cert.pem"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(other.path().join("key.pem"), mixed.path().join("key.pem"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = docker_over_tls(&endpoint, mixed.path());
    assert!(
        !out.status.success(),
        "a foreign client certificate was accepted"
    );

    // tls check: mutual TLS, and with the client files, verified.
    let (code, report) = check_json(&endpoint, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["protection"], "mutual-tls");
    assert_eq!(
        report["chain"][0]["ip_addresses"],
        serde_json::json!(["127.0.0.1"])
    );
    let c_path = c.to_string_lossy().into_owned();
    let (code, report) = check_json(&endpoint, &["--cert-path", &c_path]);
    assert_eq!(code, 0);
    assert_eq!(report["verified_with_client_cert"], true);
    let (_, report) = check_json(&endpoint, &["--cert-path", &mixed.path().to_string_lossy()]);
    assert_eq!(report["verified_with_client_cert"], false, "{report:#}");

    // A remote audit over mutual TLS: decided by the probe; host-side
    // facts skipped with the reason.
    let ca = c.join("ca.pem").to_string_lossy().into_owned();
    let cert = c.join("cert.pem").to_string_lossy().into_owned();
    let key = c.join("key.pem").to_string_lossy().into_owned();
    let report = audit_json(&[
        "--host",
        &endpoint,
        "--tlscacert",
        &ca,
        "--tlscert",
        &cert,
        "--tlskey",
        &key,
        "--select",
        "2,3",
    ]);
    assert_eq!(
        daemon_result(&report, "DMN007")["status"],
        "pass",
        "{report:#}"
    );
    let file009 = daemon_result(&report, "FILE009");
    assert_eq!(file009["status"], "skipped");
    assert!(
        file009["message"]
            .as_str()
            .unwrap_or("")
            .contains("remote daemon"),
        "{file009:#}"
    );
    let dmn003 = daemon_result(&report, "DMN003");
    assert_eq!(dmn003["status"], "skipped");

    // The same daemon audited locally through its socket: the TLS files
    // are found through its flags; the CA key `tls init` keeps in ca/ is
    // on this host, which DMN019 reports.
    let local = audit_json(&["--host", &daemon.socket, "--select", "2,3"]);
    assert_eq!(
        daemon_result(&local, "DMN007")["status"],
        "pass",
        "{local:#}"
    );
    for rule in [
        "FILE009", "FILE010", "FILE011", "FILE012", "FILE013", "FILE014",
    ] {
        let hits: Vec<&Value> = local["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["rule"] == rule)
            .collect();
        assert_eq!(hits.len(), 1, "{rule}");
        assert_eq!(hits[0]["status"], "pass", "{rule}: {:#}", hits[0]);
        if rule == "FILE011" {
            // The certificate's expiry and key strength ride along.
            let cert = hits[0]["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|e| e["source"] == "certificate")
                .cloned()
                .unwrap_or_default();
            assert_eq!(cert["value"]["key"], "ecdsa-p256 256", "{:#}", hits[0]);
            assert!(cert["value"]["not_after"].as_str().is_some());
        }
    }
    let dmn019 = daemon_result(&local, "DMN019");
    assert_eq!(dmn019["status"], "fail", "{dmn019:#}");
    assert!(
        dmn019["message"]
            .as_str()
            .unwrap_or("")
            .contains("CA private key"),
        "{dmn019:#}"
    );
}

#[test]
fn check_classifies_a_plaintext_listener_as_critical() {
    if !docker_available() {
        return;
    }
    let port = free_port();
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let _daemon = TestDaemon::start(&[format!("--host={endpoint}")]);
    let (code, report) = check_json(&endpoint, &[]);
    assert_eq!(code, 1);
    assert_eq!(report["protection"], "plaintext");
    assert_eq!(report["problems"][0]["level"], "critical");
    assert!(report["api_version"].as_str().is_some());

    // The audit over that endpoint names the listener, graded as loopback.
    let report = audit_json(&["--host", &endpoint, "--select", "DMN007"]);
    let dmn007 = daemon_result(&report, "DMN007");
    assert_eq!(dmn007["status"], "fail");
    assert_eq!(dmn007["severity"], "medium");
    // The daemon's own warning names it as http://127.0.0.1:PORT.
    let message = dmn007["message"].as_str().unwrap_or("");
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
}

#[test]
fn check_classifies_tls_without_client_verification_as_critical() {
    if !docker_available() {
        return;
    }
    let certs = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let c = certs.path();
    assert_eq!(init(c, &[]).0, 0);
    let endpoint = format!("tcp://127.0.0.1:{}", free_port());
    let _daemon = TestDaemon::start(&[
        format!("--host={endpoint}"),
        "--tls".into(),
        "--tlsverify=false".into(),
        format!("--tlscert={}", c.join("server-cert.pem").display()),
        format!("--tlskey={}", c.join("server-key.pem").display()),
    ]);
    let (code, report) = check_json(&endpoint, &[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["protection"], "tls-without-client-verification");
    assert_eq!(
        report["chain"][0]["dns_names"],
        serde_json::json!(["localhost"])
    );
}
