//! A private CA for one Docker daemon, and the certificates it signs.
//!
//! The recipe people copy from the docs ends with `CN=*` certificates
//! without subject alternative names (modern clients reject them) and a
//! validity nobody chose. Here every certificate has SANs where it needs
//! them, an extended key usage that says what it is for, and a validity
//! that is set explicitly (rcgen's default runs to the year 4096).

use std::net::IpAddr;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, RsaKeySize, SanType,
};
use time::{Duration, OffsetDateTime};

use crate::{KeyKind, TlsError};

/// A certificate and its private key, PEM-encoded.
#[derive(Debug, Clone)]
pub struct Issued {
    pub cert_pem: String,
    pub key_pem: String,
}

/// The CA: its certificate and key.
pub struct Authority {
    pub issued: Issued,
    issuer: Issuer<'static, KeyPair>,
}

/// Creates a key of `kind`.
fn new_key(kind: KeyKind) -> Result<KeyPair, TlsError> {
    Ok(match kind {
        KeyKind::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?,
        KeyKind::Rsa3072 => KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_3072)?,
        KeyKind::Rsa4096 => KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_4096)?,
    })
}

/// Parameters valid from an hour ago (clock skew between hosts) for
/// `days` days.
fn params(common_name: &str, days: u32) -> Result<CertificateParams, TlsError> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    p.distinguished_name = dn;
    let now = OffsetDateTime::now_utc();
    p.not_before = now - Duration::hours(1);
    p.not_after = now + Duration::days(i64::from(days));
    Ok(p)
}

impl Authority {
    /// A new CA named `common_name`, valid `days` days. It may sign leaf
    /// certificates only (path length 0).
    pub fn generate(common_name: &str, days: u32, kind: KeyKind) -> Result<Authority, TlsError> {
        let key = new_key(kind)?;
        let mut p = params(common_name, days)?;
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        p.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let cert = p.self_signed(&key)?;
        let issued = Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        };
        Ok(Authority {
            issued,
            issuer: Issuer::new(p, key),
        })
    }

    /// Loads an existing CA (for `tls issue-client`).
    pub fn load(cert_pem: &str, key_pem: &str) -> Result<Authority, TlsError> {
        let key = KeyPair::from_pem(key_pem)?;
        let issuer = Issuer::from_ca_cert_pem(cert_pem, key)?;
        Ok(Authority {
            issued: Issued {
                cert_pem: cert_pem.to_string(),
                key_pem: key_pem.to_string(),
            },
            issuer,
        })
    }

    /// A server certificate for `names` (DNS) and `ips`, for TLS server
    /// authentication only.
    pub fn issue_server(
        &self,
        names: &[String],
        ips: &[IpAddr],
        days: u32,
        kind: KeyKind,
    ) -> Result<Issued, TlsError> {
        if names.is_empty() && ips.is_empty() {
            return Err(TlsError::Invalid(
                "a server certificate needs at least one --host or --ip: clients check the name they connect to".into(),
            ));
        }
        let common = names
            .first()
            .cloned()
            .unwrap_or_else(|| ips.first().map(IpAddr::to_string).unwrap_or_default());
        let mut p = params(&common, days)?;
        for name in names {
            p.subject_alt_names
                .push(SanType::DnsName(name.clone().try_into()?));
        }
        for ip in ips {
            p.subject_alt_names.push(SanType::IpAddress(*ip));
        }
        p.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.sign(p, kind)
    }

    /// A client certificate for `user` (the name an authorization plugin
    /// sees), for TLS client authentication only.
    pub fn issue_client(&self, user: &str, days: u32, kind: KeyKind) -> Result<Issued, TlsError> {
        if user.trim().is_empty() {
            return Err(TlsError::Invalid(
                "a client certificate needs a name".into(),
            ));
        }
        let mut p = params(user, days)?;
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.sign(p, kind)
    }

    fn sign(&self, p: CertificateParams, kind: KeyKind) -> Result<Issued, TlsError> {
        let key = new_key(kind)?;
        let cert = p.signed_by(&key, &self.issuer)?;
        Ok(Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }
}
