//! DMN005 `insecure-registry`.

use std::net::IpAddr;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict, pointer_token};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Which registries the running daemon talks to without verified TLS,
    /// from its own report in `/info RegistryConfig` (not from text
    /// parsing, and not from a configuration file that may not be loaded):
    /// - `InsecureRegistryCIDRs`: any range that is not inside loopback
    ///   (`127.0.0.0/8`, `::1/128`) fails. `127.0.0.0/8` is always present
    ///   by default and is not a finding;
    /// - `IndexConfigs{name}.Secure`: any registry with `Secure: false`
    ///   fails (registries listed by name in `--insecure-registry`);
    /// - `Mirrors`: a registry mirror reached over plain `http://` fails
    ///   too, since every Docker Hub pull then crosses the network
    ///   unencrypted.
    ///
    /// Passes when none of these is found. The `--insecure-registry` /
    /// `"insecure-registries"` and `--registry-mirror` /
    /// `"registry-mirrors"` settings are shown as evidence when set.
    ///
    /// ## Why it matters
    /// For an insecure registry the daemon accepts plain HTTP or any TLS
    /// certificate. Anyone on the network path can then serve a different
    /// image for a tag, and the next `docker pull` or `docker run` executes
    /// the attacker's code, often with the privileges the real image was
    /// trusted with. Credentials sent to the registry travel in clear text.
    ///
    /// ## How to fix
    /// Remove `--insecure-registry` flags and the `"insecure-registries"`
    /// key from `/etc/docker/daemon.json`, and use `https://` registry
    /// mirrors. Give private registries a certificate the host trusts
    /// (`/etc/docker/certs.d/<registry:port>/ca.crt`), then reload or
    /// restart the daemon.
    ///
    /// ## Examples
    /// Fails: `{"insecure-registries": ["registry.internal:5000", "10.0.0.0/8"]}`,
    /// or `{"registry-mirrors": ["http://mirror.local"]}`.
    /// Passes: no insecure registries; `docker info` shows only
    /// `127.0.0.0/8` under Insecure Registries.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.5
    /// - <https://docs.docker.com/engine/daemon/insecure-registry/>
    pub InsecureRegistry {
        id: "DMN005",
        name: "insecure-registry",
        severity: High,
        target: Daemon,
        summary: "The daemon pulls from registries without verified TLS",
    }
}

impl Check for InsecureRegistry {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let registry = &engine.info.registry_config;
        let mut insecure: Vec<String> = Vec::new();
        let mut evidence = vec![Evidence::info(
            "/RegistryConfig/InsecureRegistryCIDRs",
            registry.insecure_registry_cidrs.clone(),
        )];

        insecure.extend(
            registry
                .insecure_registry_cidrs
                .iter()
                .filter(|cidr| !within_loopback(cidr))
                .cloned(),
        );
        for (name, index) in &registry.index_configs {
            if !index.secure {
                insecure.push(name.clone());
                evidence.push(Evidence::info(
                    format!(
                        "/RegistryConfig/IndexConfigs/{}/Secure",
                        pointer_token(name)
                    ),
                    false,
                ));
            }
        }
        let plain_mirrors: Vec<String> = registry
            .mirrors
            .iter()
            .filter(|m| is_plain_http(m))
            .cloned()
            .collect();
        if !plain_mirrors.is_empty() {
            evidence.push(Evidence::info(
                "/RegistryConfig/Mirrors",
                registry.mirrors.clone(),
            ));
        }
        insecure.extend(plain_mirrors.iter().map(|m| format!("mirror {m}")));

        for key in ["insecure-registries", "registry-mirrors"] {
            evidence.extend(ctx.daemon.get(key).evidence().cloned());
        }
        let verdict = if insecure.is_empty() {
            Verdict::pass(
                "No registry is reached without verified TLS (only the default loopback range is insecure).",
            )
        } else {
            Verdict::fail(format!(
                "The daemon reaches these registries without verified TLS: {}.",
                insecure.join(", ")
            ))
        };
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
    }
}

/// True when a CIDR lies inside loopback (`127.0.0.0/8` or `::1/128`).
/// Anything unparsable is not assumed safe.
fn within_loopback(cidr: &str) -> bool {
    let (addr, prefix) = match cidr.trim().split_once('/') {
        Some((a, p)) => (a, p.parse::<u8>().ok()),
        None => (cidr.trim(), None),
    };
    match addr.parse::<IpAddr>() {
        // A prefix shorter than /8 reaches outside 127/8; no prefix is a
        // single address.
        Ok(IpAddr::V4(ip)) => ip.is_loopback() && prefix.is_none_or(|p| (8..=32).contains(&p)),
        Ok(IpAddr::V6(ip)) => ip.is_loopback() && prefix.is_none_or(|p| p == 128),
        Err(_) => false,
    }
}

/// A mirror URL that uses plain HTTP.
fn is_plain_http(url: &str) -> bool {
    url.trim()
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn registry(config: Value) -> bulwark_facts::Snapshot {
        with_info(host(), json!({"RegistryConfig": config}))
    }

    fn default_registry() -> Value {
        json!({
            "InsecureRegistryCIDRs": ["127.0.0.0/8"],
            "IndexConfigs": {"docker.io": {"Name": "docker.io", "Secure": true, "Official": true}},
            "Mirrors": []
        })
    }

    #[test]
    fn the_default_loopback_range_passes() {
        let f = only(run(&InsecureRegistry, &registry(default_registry())));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence[0].value, json!(["127.0.0.0/8"]));
    }

    #[test]
    fn a_non_loopback_cidr_fails() {
        let mut r = default_registry();
        r["InsecureRegistryCIDRs"] = json!(["10.0.0.0/8", "127.0.0.0/8"]);
        let f = only(run(&InsecureRegistry, &registry(r)));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("10.0.0.0/8"));
        assert!(!f.message.contains("127.0.0.0/8"));
    }

    #[test]
    fn an_insecure_index_fails() {
        let mut r = default_registry();
        r["IndexConfigs"]["registry.internal:5000"] =
            json!({"Name": "registry.internal:5000", "Secure": false});
        let s = with_daemon_json(
            registry(r),
            json!({"insecure-registries": ["registry.internal:5000"]}),
        );
        let f = only(run(&InsecureRegistry, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "/RegistryConfig/IndexConfigs/registry.internal:5000/Secure")
        );
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "/etc/docker/daemon.json#/insecure-registries")
        );
    }

    #[test]
    fn info_wins_over_a_configuration_not_yet_loaded() {
        // daemon.json lists an insecure registry the daemon has not loaded:
        // the daemon's report decides; the file is evidence.
        let s = with_daemon_json(
            registry(default_registry()),
            json!({"insecure-registries": ["10.1.2.3:5000"]}),
        );
        let f = only(run(&InsecureRegistry, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at.ends_with("#/insecure-registries"))
        );
    }

    #[test]
    fn a_plain_http_mirror_fails_and_https_passes() {
        let mut r = default_registry();
        r["Mirrors"] = json!(["https://mirror.example/"]);
        assert_eq!(
            only(run(&InsecureRegistry, &registry(r.clone()))).status,
            Status::Pass
        );
        r["Mirrors"] = json!(["HTTP://mirror.local:5000/"]);
        let f = only(run(&InsecureRegistry, &registry(r)));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("mirror HTTP://mirror.local:5000/"));
    }

    #[test]
    fn loopback_subsets_and_supersets() {
        assert!(within_loopback("127.0.0.0/8"));
        assert!(within_loopback("127.0.0.1/32"));
        assert!(within_loopback("::1/128"));
        assert!(!within_loopback("127.0.0.0/7"));
        assert!(!within_loopback("0.0.0.0/0"));
        assert!(!within_loopback("::/0"));
        assert!(!within_loopback("10.0.0.0/8"));
        assert!(!within_loopback("not-a-cidr"));
    }

    #[test]
    fn a_null_registry_config_is_not_a_finding() {
        // Older engines send null lists; that is "nothing insecure".
        let s = registry(json!({"InsecureRegistryCIDRs": null, "IndexConfigs": null}));
        assert_eq!(only(run(&InsecureRegistry, &s)).status, Status::Pass);
    }

    #[test]
    fn rendered() {
        let mut r = default_registry();
        r["InsecureRegistryCIDRs"] = json!(["192.168.0.0/16", "127.0.0.0/8"]);
        r["IndexConfigs"]["registry.internal:5000"] =
            json!({"Name": "registry.internal:5000", "Secure": false});
        let failing = with_flags(
            registry(r),
            "--insecure-registry 192.168.0.0/16 --insecure-registry registry.internal:5000",
        );
        let mut findings = run(&InsecureRegistry, &failing);
        findings.extend(run(&InsecureRegistry, &registry(default_registry())));
        insta::assert_snapshot!(render(&findings));
    }
}
