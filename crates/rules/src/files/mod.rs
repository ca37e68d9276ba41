//! Rules about host files: ownership and modes (CIS section 3).

mod tls_ca_cert_not_root_owned;
mod tls_ca_cert_permissive;
mod tls_cert_not_root_owned;
mod tls_cert_permissive;
mod tls_key_not_root_owned;
mod tls_key_permissive;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &tls_ca_cert_not_root_owned::TlsCaCertNotRootOwned,
    &tls_ca_cert_permissive::TlsCaCertPermissive,
    &tls_cert_not_root_owned::TlsCertNotRootOwned,
    &tls_cert_permissive::TlsCertPermissive,
    &tls_key_not_root_owned::TlsKeyNotRootOwned,
    &tls_key_permissive::TlsKeyPermissive,
];
