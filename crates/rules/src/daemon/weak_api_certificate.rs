//! DMN019 `weak-api-certificate`.

use bulwark_facts::{CertificateFacts, DaemonTls, Part};
use serde_json::json;

use crate::context::{Context, gap_verdict};
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::{Check, Severity};
use crate::shared::files::certificate_evidence;

/// Expiry closer than this is a finding (the seed baseline's default N).
const EXPIRY_WARNING_DAYS: i64 = 30;
/// Longer validity than this is a finding: nobody chose it (rcgen's
/// default runs to the year 4096; copied recipes use 10 years and more).
const MAX_VALIDITY_DAYS: i64 = 3650;

declare_rule! {
    /// ## What it checks
    /// The TLS material that protects the daemon's TCP API, beyond CIS
    /// 2.7's "is TLS configured": the server certificate (`--tlscert`, or
    /// the certificate a probe of the audited TCP endpoint received) must
    /// - not be expired, nor expire within 30 days of the audit;
    /// - have a key of at least 2048 bits (RSA) or 256 bits (EC), and a
    ///   signature that is not MD5 or SHA-1;
    /// - carry subject alternative names, covering every specific address
    ///   the daemon listens on (clients ignore the common name);
    /// - allow serverAuth when it has an extended key usage at all;
    /// - not be valid for more than ten years.
    ///
    /// The CA certificate must not be expired either. On the host, the
    /// private key (`--tlskey`) must not be readable or writable by group
    /// or others (`mode & 0o077 == 0`), and no CA private key
    /// (`ca-key.pem`, `ca/ca-key.pem`, `ca.key`) may sit beside the TLS
    /// files. Not applicable when the daemon serves no TLS. Client
    /// certificates are not visible to an audit: the pass message says to
    /// verify them.
    ///
    /// ## Why it matters
    /// Mutual TLS is the only thing between the network and root on the
    /// host. A CA key on the daemon host lets anyone who reads it mint a
    /// client certificate; a readable server key lets them impersonate
    /// the daemon; an expired or misnamed certificate pushes operators to
    /// `--tlsverify=false` or `curl -k`, which is no protection at all.
    /// The recipe in most guides ends with `CN=*` certificates without
    /// subject alternative names, which modern clients reject.
    ///
    /// ## How to fix
    /// Re-issue with `bulwark tls init --dir DIR --host NAME --ip ADDR`
    /// (SANs, serverAuth, explicit validity, keys 0400), move `DIR/ca/`
    /// off the daemon host, `chmod 0400` the key, and restart dockerd.
    /// Renew before expiry (`--days`).
    ///
    /// ## Examples
    /// Fails: `server-cert.pem` with `CN=*` and no SAN, `ca-key.pem` in
    /// `/etc/docker/tls/`, `server-key.pem` mode 0644.
    /// Passes: a certificate from `bulwark tls init --ip 10.0.0.5`, the CA
    /// key kept elsewhere.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.7 (and 3.9–3.14 for file modes)
    /// - <https://docs.docker.com/engine/security/protect-access/>
    pub WeakApiCertificate {
        id: "DMN019",
        name: "weak-api-certificate",
        severity: High,
        target: Daemon,
        summary: "The API's TLS certificate or keys are weak, expiring, misnamed or exposed",
    }
}

/// One problem and how bad it is.
struct Problem {
    severity: Severity,
    text: String,
}

impl Check for WeakApiCertificate {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let now = bulwark_facts::time::parse_rfc3339(&ctx.snapshot.collected_at);
        let endpoint_chain = ctx
            .snapshot
            .endpoint
            .tls
            .as_ref()
            .filter(|t| !t.chain.is_empty());

        let (server, ca, tls): (
            Option<&CertificateFacts>,
            Option<&CertificateFacts>,
            Option<&DaemonTls>,
        ) = match (&ctx.snapshot.daemon.tls, endpoint_chain) {
            (Part::Collected(tls), _) if tls.configured => (
                tls.file("tlscert").and_then(|f| f.certificates.first()),
                tls.file("tlscacert").and_then(|f| f.certificates.first()),
                Some(tls),
            ),
            (_, Some(probe)) => (probe.chain.first(), probe.chain.get(1), None),
            (Part::Collected(_), None) => {
                out.push(
                    ctx.daemon_subject(),
                    Verdict::not_applicable("tls-not-configured", "The daemon serves no TLS."),
                );
                return;
            }
            (Part::Missing(gap), None) => {
                out.push(ctx.daemon_subject(), gap_verdict(gap));
                return;
            }
        };

        let mut problems = Vec::new();
        let mut evidence = Vec::new();
        match server {
            Some(cert) => {
                evidence.push(certificate_evidence("server certificate", cert));
                judge_server(cert, now, &listener_hosts(ctx), &mut problems);
            }
            None => problems.push(Problem {
                severity: Severity::Medium,
                text: "the server certificate could not be read".into(),
            }),
        }
        if let Some(ca) = ca {
            evidence.push(certificate_evidence("CA certificate", ca));
            if let Some(now) = now.filter(|n| ca.not_after < *n) {
                problems.push(Problem {
                    severity: Severity::High,
                    text: format!(
                        "the CA certificate expired {} days ago",
                        (now - ca.not_after) / 86_400
                    ),
                });
            }
        }
        if let Some(tls) = tls {
            judge_files(tls, &mut problems, &mut evidence);
        }

        let verdict = if problems.is_empty() {
            Verdict::pass(
                "The server certificate is current, named and strong, and its keys are private. Verify: client certificates carry clientAuth and go only to trusted users (their name is the user an authorization plugin sees).",
            )
        } else {
            let worst = problems
                .iter()
                .map(|p| p.severity)
                .max()
                .unwrap_or(Severity::Medium);
            let list: Vec<String> = problems.into_iter().map(|p| p.text).collect();
            Verdict::fail(format!("{}.", capitalize(&list.join("; ")))).severity(worst)
        };
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
    }
}

fn judge_server(
    cert: &CertificateFacts,
    now: Option<i64>,
    hosts: &[String],
    problems: &mut Vec<Problem>,
) {
    let mut add = |severity, text: String| problems.push(Problem { severity, text });
    if let Some(now) = now {
        let days = cert.days_left(now);
        if days < 0 {
            add(
                Severity::High,
                format!("the server certificate expired {} days ago", -days),
            );
        } else if days < EXPIRY_WARNING_DAYS {
            add(
                Severity::Medium,
                format!("the server certificate expires in {days} days"),
            );
        }
    }
    if (cert.not_after - cert.not_before) / 86_400 > MAX_VALIDITY_DAYS {
        add(
            Severity::Low,
            format!(
                "the server certificate is valid for {} days, more than ten years",
                (cert.not_after - cert.not_before) / 86_400
            ),
        );
    }
    let key_weak = match cert.key_type.as_str() {
        "rsa" => cert.key_bits < 2048,
        t if t.starts_with("ecdsa") => cert.key_bits < 256,
        _ => false,
    };
    if key_weak {
        add(
            Severity::High,
            format!(
                "the server key is {} of {} bits",
                cert.key_type, cert.key_bits
            ),
        );
    }
    let sig = cert.signature_algorithm.to_ascii_lowercase();
    if sig.contains("md5") || sig.contains("sha1") {
        add(
            Severity::High,
            format!(
                "the server certificate is signed with {}",
                cert.signature_algorithm
            ),
        );
    }
    if cert.dns_names.is_empty() && cert.ip_addresses.is_empty() {
        add(
            Severity::Medium,
            "the server certificate has no subject alternative name: clients ignore its common name and refuse it".into(),
        );
    } else {
        let missing: Vec<&String> = hosts.iter().filter(|h| !cert.matches_host(h)).collect();
        if !missing.is_empty() {
            add(
                Severity::Medium,
                format!(
                    "the server certificate does not name {} (it names DNS {:?}, IP {:?})",
                    missing
                        .iter()
                        .map(|h| h.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    cert.dns_names,
                    cert.ip_addresses
                ),
            );
        }
    }
    let eku = &cert.extended_key_usage;
    if !eku.is_empty() && !eku.iter().any(|u| u == "serverAuth" || u == "any") {
        add(
            Severity::Medium,
            format!(
                "the server certificate's extended key usage ({}) excludes serverAuth",
                eku.join(", ")
            ),
        );
    }
}

fn judge_files(tls: &DaemonTls, problems: &mut Vec<Problem>, evidence: &mut Vec<Evidence>) {
    if let Some(key) = tls.file("tlskey").filter(|k| k.file.exists) {
        evidence.push(Evidence::new(
            Source::File,
            key.file.path.clone(),
            json!({"mode": key.file.mode_octal()}),
        ));
        if key.file.mode & 0o077 != 0 {
            problems.push(Problem {
                severity: Severity::High,
                text: format!(
                    "the server key {} has mode {}: others may read it",
                    key.file.path,
                    key.file.mode_octal()
                ),
            });
        }
    }
    for ca_key in &tls.ca_keys_nearby {
        evidence.push(Evidence::new(
            Source::File,
            ca_key.path.clone(),
            json!({"mode": ca_key.mode_octal()}),
        ));
        problems.push(Problem {
            severity: Severity::High,
            text: format!(
                "a CA private key is on the daemon host ({}): whoever reads it can issue client certificates",
                ca_key.path
            ),
        });
    }
}

/// The specific hosts the daemon's TCP listeners use: the audited
/// endpoint's, and those in `hosts` that are neither a wildcard nor empty.
fn listener_hosts(ctx: &Context<'_>) -> Vec<String> {
    let mut hosts: Vec<String> = ctx
        .daemon
        .get("hosts")
        .as_list()
        .iter()
        .chain(std::iter::once(&ctx.snapshot.endpoint.address))
        .filter_map(|entry| entry.strip_prefix("tcp://"))
        .map(|rest| {
            let authority = rest.split('/').next().unwrap_or_default();
            match authority.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or_default().to_string(),
                None => authority
                    .rsplit_once(':')
                    .map_or(authority, |(h, _)| h)
                    .to_string(),
            }
        })
        .filter(|h| !h.is_empty() && h != "0.0.0.0" && h != "::")
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|f| f.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{FileFacts, Snapshot, TlsFile};

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    const NOW: i64 = 1_800_000_000;

    fn good_cert() -> CertificateFacts {
        CertificateFacts {
            subject: "CN=docker.example".into(),
            issuer: "CN=bulwark Docker CA".into(),
            not_before: NOW - 86_400,
            not_after: NOW + 365 * 86_400,
            key_type: "ecdsa-p256".into(),
            key_bits: 256,
            signature_algorithm: "ecdsa-with-SHA256".into(),
            dns_names: vec!["docker.example".into()],
            ip_addresses: vec!["10.0.0.5".into()],
            extended_key_usage: vec!["serverAuth".into()],
            ..CertificateFacts::default()
        }
    }

    fn tls_host(cert: CertificateFacts, key_mode: u32, ca_key: bool, flags: &str) -> Snapshot {
        let mut s = with_flags(host(), flags);
        s.collected_at = bulwark_facts::time::rfc3339(NOW);
        let file = |role: &str, mode| FileFacts {
            path: format!("/etc/docker/tls/{role}.pem"),
            exists: true,
            mode,
            kind: "file".into(),
            ..FileFacts::default()
        };
        s.daemon.tls = Part::Collected(DaemonTls {
            configured: true,
            files: vec![
                TlsFile {
                    role: "tlscert".into(),
                    file: file("tlscert", 0o444),
                    certificates: vec![cert],
                    ..TlsFile::default()
                },
                TlsFile {
                    role: "tlskey".into(),
                    file: file("tlskey", key_mode),
                    ..TlsFile::default()
                },
            ],
            ca_keys_nearby: if ca_key {
                vec![file("ca-key", 0o400)]
            } else {
                Vec::new()
            },
        });
        s
    }

    fn judged(s: &Snapshot) -> crate::finding::Finding {
        only(run(&WeakApiCertificate, s))
    }

    #[test]
    fn a_good_certificate_passes_with_a_note_about_clients() {
        let f = judged(&tls_host(
            good_cert(),
            0o400,
            false,
            "-H tcp://10.0.0.5:2376 --tlsverify",
        ));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("Verify: client certificates"));
    }

    #[test]
    fn expired_and_expiring_certificates_fail() {
        let mut c = good_cert();
        c.not_after = NOW - 3 * 86_400;
        let f = judged(&tls_host(c, 0o400, false, ""));
        assert_eq!((f.status, f.severity), (Status::Fail, Severity::High));
        assert!(f.message.contains("expired 3 days ago"), "{}", f.message);
        let mut c = good_cert();
        c.not_after = NOW + 10 * 86_400;
        let f = judged(&tls_host(c, 0o400, false, ""));
        assert_eq!((f.status, f.severity), (Status::Fail, Severity::Medium));
        assert!(f.message.contains("expires in 10 days"), "{}", f.message);
    }

    #[test]
    fn the_recipe_cn_star_without_san_fails() {
        let mut c = good_cert();
        c.dns_names.clear();
        c.ip_addresses.clear();
        c.subject = "CN=*".into();
        let f = judged(&tls_host(c, 0o400, false, ""));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("no subject alternative name"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_listener_address_the_certificate_does_not_name_fails() {
        let f = judged(&tls_host(
            good_cert(),
            0o400,
            false,
            "-H tcp://192.168.1.9:2376",
        ));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("does not name 192.168.1.9"),
            "{}",
            f.message
        );
        // A wildcard bind names no address to check.
        let f = judged(&tls_host(
            good_cert(),
            0o400,
            false,
            "-H tcp://0.0.0.0:2376",
        ));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
    }

    #[test]
    fn weak_keys_old_signatures_wrong_usage_and_long_validity_fail() {
        let mut c = good_cert();
        c.key_type = "rsa".into();
        c.key_bits = 1024;
        c.signature_algorithm = "sha1WithRSAEncryption".into();
        c.extended_key_usage = vec!["clientAuth".into()];
        c.not_before = NOW - 86_400;
        c.not_after = NOW + 20 * 365 * 86_400;
        let f = judged(&tls_host(c, 0o400, false, ""));
        for part in [
            "rsa of 1024 bits",
            "sha1WithRSAEncryption",
            "excludes serverAuth",
            "more than ten years",
        ] {
            assert!(f.message.contains(part), "{part}: {}", f.message);
        }
    }

    #[test]
    fn exposed_keys_fail() {
        let f = judged(&tls_host(good_cert(), 0o644, false, ""));
        assert_eq!((f.status, f.severity), (Status::Fail, Severity::High));
        assert!(f.message.contains("mode 0644"), "{}", f.message);
        let f = judged(&tls_host(good_cert(), 0o400, true, ""));
        assert!(
            f.message.contains("CA private key is on the daemon host"),
            "{}",
            f.message
        );
    }

    #[test]
    fn no_tls_is_not_applicable() {
        let f = judged(&host());
        assert_eq!(
            (f.status, f.reason),
            (Status::NotApplicable, Some("tls-not-configured"))
        );
    }

    #[test]
    fn a_remote_audit_judges_the_probed_chain() {
        let mut s = host();
        s.collected_at = bulwark_facts::time::rfc3339(NOW);
        s.daemon.tls = Part::Missing(bulwark_facts::Gap::skipped("remote daemon"));
        s.endpoint.address = "tcp://10.0.0.9:2376".into();
        s.endpoint.tls = Some(bulwark_facts::EndpointTls {
            protection: "mutual-tls".into(),
            chain: vec![good_cert()],
            steps: Vec::new(),
        });
        let f = judged(&s);
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("does not name 10.0.0.9"),
            "{}",
            f.message
        );
    }

    #[test]
    fn rendered() {
        let mut c = good_cert();
        c.not_after = NOW + 5 * 86_400;
        insta::assert_snapshot!(render(&run(
            &WeakApiCertificate,
            &tls_host(c, 0o640, true, "-H tcp://10.0.0.5:2376")
        )));
    }
}
