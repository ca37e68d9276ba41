//! TLS for the Docker remote API.
//!
//! An unauthenticated `tcp://…:2375` is a root shell for anyone who can
//! reach it; the fix is mutual TLS with a private CA. This crate does the
//! three parts of that job:
//!
//! - [`authority`]: generate a CA, a server certificate (SANs, serverAuth)
//!   and client certificates (clientAuth), with explicit validity;
//! - [`layout`]: write them where dockerd and the docker CLI look, keys
//!   0400 and certificates 0444, never overwriting without being told;
//! - [`inspect`]: read any certificate into [`CertificateFacts`];
//! - [`probe`]: classify a live endpoint (plaintext, TLS without client
//!   verification, mutual TLS) with read-only requests.

pub mod authority;
pub mod inspect;
pub mod layout;
pub mod probe;

pub use bulwark_facts::CertificateFacts;

/// The key algorithms `tls init --key` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// ECDSA on P-256 with SHA-256: small, fast, and what modern clients
    /// prefer. The default.
    EcdsaP256,
    /// RSA 3072 with SHA-256: for peers that cannot do ECDSA.
    Rsa3072,
    /// RSA 4096 with SHA-256.
    Rsa4096,
}

impl KeyKind {
    /// Parses `ecdsa-p256`, `rsa-3072` or `rsa-4096`.
    pub fn parse(s: &str) -> Option<KeyKind> {
        match s {
            "ecdsa-p256" => Some(KeyKind::EcdsaP256),
            "rsa-3072" => Some(KeyKind::Rsa3072),
            "rsa-4096" => Some(KeyKind::Rsa4096),
            _ => None,
        }
    }

    /// The name `parse` accepts.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::EcdsaP256 => "ecdsa-p256",
            KeyKind::Rsa3072 => "rsa-3072",
            KeyKind::Rsa4096 => "rsa-4096",
        }
    }
}

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl TlsError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        TlsError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
