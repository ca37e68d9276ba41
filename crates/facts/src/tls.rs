//! Certificates as bulwark reads them: the fields that decide whether a
//! certificate protects the Docker API (expiry, key strength, signature,
//! names), from a file or from a server's TLS handshake.

use serde::{Deserialize, Serialize};

/// One X.509 certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CertificateFacts {
    /// The subject as an RFC 4514 string (`CN=docker-server`).
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// Validity, Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    /// `ecdsa-p256`, `ecdsa-p384`, `rsa`, `ed25519`, or the algorithm OID.
    pub key_type: String,
    /// The key size in bits (RSA modulus, EC curve size).
    pub key_bits: u32,
    /// `ecdsa-with-SHA256`, `sha256WithRSAEncryption`, … or the OID.
    pub signature_algorithm: String,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<String>,
    /// Extended key usages: `serverAuth`, `clientAuth`, ….
    pub extended_key_usage: Vec<String>,
    /// Basic constraints say CA.
    pub is_ca: bool,
    /// Issuer and subject are the same name.
    pub self_signed: bool,
}

impl CertificateFacts {
    /// Whole days from `now` (Unix seconds) to expiry; negative once
    /// expired.
    pub fn days_left(&self, now: i64) -> i64 {
        (self.not_after - now).div_euclid(86_400)
    }

    /// True when the certificate names `host` (a DNS name, with `*.`
    /// wildcards for one label, or an IP address). The common name is not
    /// consulted: clients ignore it when SANs exist, and Go (the docker CLI)
    /// ignores it always.
    pub fn matches_host(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.parse::<std::net::IpAddr>().is_ok() {
            return self.ip_addresses.iter().any(|ip| ip == host);
        }
        let host = host.to_ascii_lowercase();
        self.dns_names.iter().any(|name| {
            let name = name.to_ascii_lowercase();
            match name.strip_prefix("*.") {
                Some(suffix) => host
                    .split_once('.')
                    .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
                None => name == host,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(dns: &[&str], ips: &[&str]) -> CertificateFacts {
        CertificateFacts {
            dns_names: dns.iter().map(|s| s.to_string()).collect(),
            ip_addresses: ips.iter().map(|s| s.to_string()).collect(),
            ..CertificateFacts::default()
        }
    }

    #[test]
    fn names_match_exactly_or_by_one_wildcard_label() {
        let c = cert(
            &["docker.example.com", "*.nodes.example.com"],
            &["127.0.0.1", "::1"],
        );
        assert!(c.matches_host("docker.example.com"));
        assert!(c.matches_host("DOCKER.example.com"));
        assert!(c.matches_host("n1.nodes.example.com"));
        assert!(!c.matches_host("a.b.nodes.example.com"));
        assert!(!c.matches_host("nodes.example.com"));
        assert!(c.matches_host("127.0.0.1"));
        assert!(c.matches_host("[::1]"));
        assert!(!c.matches_host("10.0.0.1"));
        assert!(!c.matches_host("example.com"));
    }

    #[test]
    fn days_left_counts_whole_days() {
        let c = CertificateFacts {
            not_after: 10 * 86_400,
            ..CertificateFacts::default()
        };
        assert_eq!(c.days_left(0), 10);
        assert_eq!(c.days_left(10 * 86_400 + 1), -1);
    }
}
