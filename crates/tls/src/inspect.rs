//! Reading certificates: PEM files or DER from a handshake, into
//! [`CertificateFacts`].

use bulwark_facts::CertificateFacts;
use x509_parser::extensions::GeneralName;
use x509_parser::objects::{oid_registry, oid2sn};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::TlsError;

/// Every certificate in a PEM text, in order.
pub fn pem_certificates(pem: &[u8]) -> Result<Vec<CertificateFacts>, TlsError> {
    let mut out = Vec::new();
    for block in x509_parser::pem::Pem::iter_from_buffer(pem) {
        let block = block.map_err(|e| TlsError::Invalid(format!("not PEM: {e}")))?;
        if block.label == "CERTIFICATE" {
            out.push(der_certificate(&block.contents)?);
        }
    }
    if out.is_empty() {
        return Err(TlsError::Invalid("no CERTIFICATE block".into()));
    }
    Ok(out)
}

/// One DER certificate.
pub fn der_certificate(der: &[u8]) -> Result<CertificateFacts, TlsError> {
    let (_, cert) = X509Certificate::from_der(der)
        .map_err(|e| TlsError::Invalid(format!("not an X.509 certificate: {e}")))?;
    let (key_type, key_bits) = key_of(&cert);
    let mut facts = CertificateFacts {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string(),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        key_type,
        key_bits,
        signature_algorithm: oid2sn(&cert.signature_algorithm.algorithm, oid_registry())
            .map(str::to_string)
            .unwrap_or_else(|_| cert.signature_algorithm.algorithm.to_id_string()),
        is_ca: cert.is_ca(),
        self_signed: cert.subject() == cert.issuer(),
        ..CertificateFacts::default()
    };
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(n) => facts.dns_names.push((*n).to_string()),
                GeneralName::IPAddress(bytes) => {
                    if let Some(ip) = ip_from_bytes(bytes) {
                        facts.ip_addresses.push(ip.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    if let Ok(Some(eku)) = cert.extended_key_usage() {
        let e = eku.value;
        for (on, name) in [
            (e.any, "any"),
            (e.server_auth, "serverAuth"),
            (e.client_auth, "clientAuth"),
            (e.code_signing, "codeSigning"),
        ] {
            if on {
                facts.extended_key_usage.push(name.to_string());
            }
        }
    }
    Ok(facts)
}

fn ip_from_bytes(bytes: &[u8]) -> Option<std::net::IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        _ => None,
    }
}

fn key_of(cert: &X509Certificate<'_>) -> (String, u32) {
    let spki = cert.public_key();
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => ("rsa".into(), u32::try_from(rsa.key_size()).unwrap_or(0)),
        Ok(PublicKey::EC(ec)) => {
            let bits = u32::try_from(ec.key_size()).unwrap_or(0);
            let curve = match bits {
                256 => "ecdsa-p256",
                384 => "ecdsa-p384",
                521 => "ecdsa-p521",
                _ => "ecdsa",
            };
            (curve.into(), bits)
        }
        _ => {
            let oid = &spki.algorithm.algorithm;
            let name = oid2sn(oid, oid_registry())
                .map(str::to_string)
                .unwrap_or_else(|_| oid.to_id_string());
            let bits = if name.eq_ignore_ascii_case("ed25519") {
                256
            } else {
                0
            };
            (name.to_ascii_lowercase(), bits)
        }
    }
}

/// How strong a key is, as a problem sentence, or `None` when it is
/// adequate: RSA under 2048 bits, EC under 256 bits.
pub fn weak_key(c: &CertificateFacts) -> Option<String> {
    match c.key_type.as_str() {
        "rsa" if c.key_bits < 2048 => Some(format!("RSA key of {} bits (under 2048)", c.key_bits)),
        t if t.starts_with("ecdsa") && c.key_bits < 256 => {
            Some(format!("EC key of {} bits (under 256)", c.key_bits))
        }
        _ => None,
    }
}

/// A weak signature algorithm (MD5, SHA-1), as a sentence.
pub fn weak_signature(c: &CertificateFacts) -> Option<String> {
    let s = c.signature_algorithm.to_ascii_lowercase();
    (s.contains("md5") || s.contains("sha1") || s.contains("sha-1"))
        .then(|| format!("signed with {}", c.signature_algorithm))
}
