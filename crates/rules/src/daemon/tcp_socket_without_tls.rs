//! DMN007 `tcp-socket-without-tls`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::{Check, Severity};
use crate::settings::Setting;

/// The text dockerd puts in `/info Warnings` for each TCP listener that
/// lacks encryption or client verification (older engines prefix
/// `WARNING: `, newer ones `[DEPRECATION NOTICE]: `).
const WARNING_MARKER: &str = "API is accessible on ";

declare_rule! {
    /// ## What it checks
    /// Whether every TCP socket of the Docker API requires TLS with client
    /// certificate verification.
    ///
    /// TCP listeners are found in two places:
    /// - the `hosts` setting: `-H`/`--host` (repeatable) and daemon.json
    ///   `"hosts"`. `tcp://…` entries and bare `host:port` entries are TCP,
    ///   including `tcp://:2375` (dockerd binds `localhost`),
    ///   `tcp://0.0.0.0:2375` and `tcp://[::]:2376`;
    /// - the daemon's own `/info Warnings` ("API is accessible on http://…
    ///   without encryption" / "…https://… without TLS client
    ///   verification", with or without a `[DEPRECATION NOTICE]` prefix).
    ///   These fail on their own.
    ///
    /// The effective verification follows dockerd: any explicit
    /// `tlsverify` (true or false) turns TLS on; an unset `tlsverify` copies
    /// `tls`, so `--tls` alone verifies clients on 20.10; `--tlsverify=false`
    /// turns client verification off.
    ///
    /// Passes when verification is on, with `tlscacert`, `tlscert` and
    /// `tlskey` shown (or dockerd's default `~/.docker/*.pem` paths when
    /// unset). Fails for plain TCP or TLS without verification. Not
    /// applicable (`no-tcp-listener`) when the daemon listens on unix
    /// sockets only. With `-H fd://` (systemd socket activation) the
    /// socket unit may pass TCP sockets in that neither `hosts` nor `/info`
    /// shows; unless verification is on, a person must check the unit's
    /// `ListenStream=` lines. The daemon's `DOCKER_TLS_VERIFY` environment
    /// variable is not read.
    ///
    /// ## Why it matters
    /// The Docker API is root on the host: whoever can call it can start a
    /// privileged container with the host's disk mounted. On plain TCP, or
    /// on TLS that does not check the client's certificate, anyone who can
    /// reach the port can do that, and exposed port 2375 is scanned for and
    /// exploited within minutes (cryptominers, botnets).
    ///
    /// ## How to fix
    /// Prefer the unix socket, or SSH (`DOCKER_HOST=ssh://user@host`), for
    /// remote access. If a TCP socket is needed, serve it with client
    /// verification: `"tlsverify": true, "tlscacert": "/etc/docker/ca.pem",
    /// "tlscert": "/etc/docker/server-cert.pem", "tlskey":
    /// "/etc/docker/server-key.pem", "hosts": ["unix:///var/run/docker.sock",
    /// "tcp://0.0.0.0:2376"]` in `/etc/docker/daemon.json` (or the matching
    /// `--tlsverify --tlscacert … --tlscert … --tlskey …` flags), and
    /// restart the daemon. Remove `ListenStream=` TCP lines from
    /// `docker.socket` unless they are covered by the same settings.
    ///
    /// ## Examples
    /// Fails: `dockerd -H tcp://0.0.0.0:2375`, or
    /// `dockerd -H tcp://0.0.0.0:2376 --tls --tlsverify=false …`.
    /// Passes: `dockerd -H tcp://0.0.0.0:2376 --tlsverify --tlscacert=ca.pem
    /// --tlscert=server-cert.pem --tlskey=server-key.pem`.
    /// Not applicable: `dockerd -H unix:///var/run/docker.sock`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.7
    /// - <https://docs.docker.com/engine/security/protect-access/>
    pub TcpSocketWithoutTls {
        id: "DMN007",
        name: "tcp-socket-without-tls",
        severity: Critical,
        target: Daemon,
        summary: "The Docker API is reachable over TCP without TLS client verification",
    }
}

/// The TLS mode of the daemon's TCP listeners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tls {
    /// No TLS at all.
    Off,
    /// TLS, but any client is accepted.
    NoVerify,
    /// TLS with client certificate verification.
    Verify,
}

impl Check for TcpSocketWithoutTls {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let hosts = ctx.daemon.get("hosts");
        let mut evidence: Vec<Evidence> = hosts.evidence().cloned().into_iter().collect();
        let tls = effective_tls(ctx, &mut evidence);

        // The daemon's own warnings are the strongest evidence: it says
        // which listeners are open.
        let warned: Vec<&str> = engine
            .info
            .warnings
            .iter()
            .filter(|w| w.contains(WARNING_MARKER))
            .map(|w| w.lines().next().unwrap_or_default().trim())
            .collect();
        if !warned.is_empty() {
            let urls: Vec<String> = warned.iter().filter_map(|w| warned_url(w)).collect();
            evidence.insert(0, Evidence::info("/Warnings", warned.clone()));
            out.push(
                ctx.daemon_subject(),
                Verdict::fail(format!(
                    "The daemon reports its API reachable without client authentication on {}: anyone who reaches it controls the daemon.",
                    urls.join(", ")
                ))
                .severity(exposure(&urls))
                .with_all(evidence),
            );
            return;
        }

        let entries = match &hosts {
            Setting::Set { .. } => hosts.as_list(),
            Setting::Unset { .. } => {
                evidence.push(Evidence::new(
                    Source::Default,
                    "--host",
                    "unix:///var/run/docker.sock",
                ));
                Vec::new()
            }
            Setting::Unknown(_) => {
                // The configuration is out of reach (a remote daemon), but
                // the endpoint bulwark was pointed at was probed.
                if let Some(verdict) = probed_endpoint(ctx) {
                    out.push(ctx.daemon_subject(), verdict.with_all(evidence));
                } else {
                    let _ = ctx.setting("hosts", out);
                }
                return;
            }
        };
        let tcp: Vec<String> = entries.iter().filter_map(|h| tcp_listener(h)).collect();
        let socket_activated = entries.iter().any(|h| h.starts_with("fd://"));

        let listeners = tcp.join(", ");
        let verdict = if tcp.is_empty() && !socket_activated {
            Verdict::not_applicable(
                "no-tcp-listener",
                "The daemon listens on local sockets only; no TCP listener is configured.",
            )
        } else {
            match tls {
                Ok(Tls::Verify) => {
                    evidence.extend(cert_evidence(ctx));
                    let what = if tcp.is_empty() {
                        "any TCP socket passed in through fd://"
                    } else {
                        &listeners
                    };
                    Verdict::pass(format!(
                        "TLS with client certificate verification protects {what}."
                    ))
                }
                // Only socket activation is left: its TCP sockets, if any,
                // are in a systemd unit the snapshot does not hold.
                _ if tcp.is_empty() => Verdict::manual(
                    "Verify: the docker.socket unit passes in no TCP socket (no ListenStream= with a port); the daemon is socket-activated (-H fd://) and TLS client verification is not known to be on.",
                ),
                Err(Unknown::Unreadable(reason)) => Verdict::skipped(
                    "daemon-config-unreadable",
                    format!(
                        "The API listens on {listeners} but its TLS settings cannot be known: {reason}."
                    ),
                ),
                Err(Unknown::Invalid(key)) => Verdict::error(
                    "daemon-config-invalid",
                    format!(
                        "The API listens on {listeners} but {key} is set to a value that is not a boolean."
                    ),
                ),
                Ok(Tls::NoVerify) => Verdict::fail(format!(
                    "The API listens on {listeners} with TLS but without client certificate verification: anyone who reaches it controls the daemon."
                ))
                .severity(exposure(&tcp)),
                Ok(Tls::Off) => Verdict::fail(format!(
                    "The API listens on {listeners} without TLS: anyone who reaches it controls the daemon."
                ))
                .severity(exposure(&tcp)),
            }
        };
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
    }
}

/// The verdict from the probe of the audited TCP endpoint (the same
/// probe as `bulwark tls check`), when there is one.
fn probed_endpoint(ctx: &Context<'_>) -> Option<Verdict> {
    let probe = ctx.snapshot.endpoint.tls.as_ref()?;
    let address = &ctx.snapshot.endpoint.address;
    let evidence = Evidence::new(
        Source::Default,
        format!("probe of {address}"),
        probe.steps.clone(),
    );
    let listener = [address.clone()];
    let verdict = match probe.protection.as_str() {
        "mutual-tls" => Verdict::pass(format!(
            "The audited endpoint {address} requires a client certificate (mutual TLS; probed without one, it refused)."
        )),
        "plaintext" => Verdict::fail(format!(
            "The audited endpoint {address} answers plain HTTP (no TLS): anyone who reaches it controls the daemon."
        ))
        .severity(exposure(&listener)),
        "tls-without-client-verification" => Verdict::fail(format!(
            "The audited endpoint {address} uses TLS but answers without a client certificate: anyone who reaches it controls the daemon."
        ))
        .severity(exposure(&listener)),
        _ => return None,
    };
    Some(verdict.with(evidence))
}

/// How far an open listener reaches, as a severity (seed baseline
/// `api.tcp-unauthenticated`): every interface, a public address or a
/// name that cannot be judged is critical; a private (RFC 1918, ULA)
/// address high; loopback medium (every local user and every
/// host-network container still gets root). The worst listener decides.
fn exposure(listeners: &[String]) -> Severity {
    listeners
        .iter()
        .map(|l| {
            let rest = l.split_once("://").map_or(l.as_str(), |(_, r)| r);
            let authority = rest.split([' ', '/']).next().unwrap_or_default();
            let host = match authority.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or_default(),
                None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
            };
            match host.parse::<std::net::IpAddr>() {
                Ok(ip) if ip.is_loopback() => Severity::Medium,
                Ok(std::net::IpAddr::V4(v4)) if v4.is_private() || v4.is_link_local() => {
                    Severity::High
                }
                Ok(std::net::IpAddr::V6(v6)) if (v6.segments()[0] & 0xfe00) == 0xfc00 => {
                    Severity::High
                }
                // dockerd reads an empty host as localhost.
                _ if host.is_empty() || host.eq_ignore_ascii_case("localhost") => Severity::Medium,
                _ => Severity::Critical,
            }
        })
        .max()
        .unwrap_or(Severity::Critical)
}

/// Why the TLS mode cannot be decided.
#[derive(Debug)]
enum Unknown {
    /// A source that could set it was not readable.
    Unreadable(String),
    /// The setting has a value that is not a boolean.
    Invalid(&'static str),
}

/// The effective TLS mode, following dockerd: an explicit `tlsverify`
/// (either value) turns TLS on; an unset one copies `tls`. Pushes the
/// settings that decided it onto `evidence`.
fn effective_tls(ctx: &Context<'_>, evidence: &mut Vec<Evidence>) -> Result<Tls, Unknown> {
    let verify = ctx.daemon.get("tlsverify");
    let tls = ctx.daemon.get("tls");
    evidence.extend(tls.evidence().cloned());
    evidence.extend(verify.evidence().cloned());
    let bool_of = |s: &Setting, key: &'static str| s.as_bool().ok_or(Unknown::Invalid(key));
    match &verify {
        Setting::Set { .. } => Ok(if bool_of(&verify, "tlsverify")? {
            Tls::Verify
        } else {
            Tls::NoVerify
        }),
        Setting::Unknown(reason) => Err(Unknown::Unreadable(reason.clone())),
        Setting::Unset { .. } => match &tls {
            Setting::Set { .. } => Ok(if bool_of(&tls, "tls")? {
                Tls::Verify
            } else {
                Tls::Off
            }),
            Setting::Unset { .. } => {
                evidence.push(Evidence::new(Source::Default, "--tls", false));
                Ok(Tls::Off)
            }
            Setting::Unknown(reason) => Err(Unknown::Unreadable(reason.clone())),
        },
    }
}

/// The CA, certificate and key the daemon serves TLS with: the configured
/// paths, or dockerd's defaults under `~/.docker` (`DOCKER_CERT_PATH`).
fn cert_evidence(ctx: &Context<'_>) -> Vec<Evidence> {
    [
        ("tlscacert", "ca.pem"),
        ("tlscert", "cert.pem"),
        ("tlskey", "key.pem"),
    ]
    .into_iter()
    .map(|(key, default)| match ctx.daemon.get(key) {
        Setting::Set { evidence, .. } => evidence,
        _ => Evidence::new(
            Source::Default,
            format!("--{key}"),
            format!("~/.docker/{default}"),
        ),
    })
    .collect()
}

/// A `hosts` entry that is a TCP listener, described for a person:
/// `tcp://0.0.0.0:2375 (all interfaces)`. dockerd reads an entry without a
/// scheme as TCP.
fn tcp_listener(entry: &str) -> Option<String> {
    let entry = entry.trim();
    let address = match entry.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("tcp") => rest,
        Some(_) => return None, // unix, fd, npipe, ssh
        None if entry.is_empty() => return None,
        None => entry,
    };
    let authority = address.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    };
    let note = match host {
        // dockerd fills an empty host with its default, localhost.
        "" => " (localhost)",
        "0.0.0.0" | "::" => " (all interfaces)",
        _ => "",
    };
    Some(format!("{entry}{note}"))
}

/// The URL named in one of dockerd's API warnings.
fn warned_url(warning: &str) -> Option<String> {
    let (_, rest) = warning.split_once(WARNING_MARKER)?;
    let url = rest.split_whitespace().next()?;
    let problem = if url.starts_with("http://") {
        "no encryption"
    } else {
        "no client verification"
    };
    Some(format!("{url} ({problem})"))
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part, Snapshot};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn status(s: &Snapshot) -> Status {
        only(run(&TcpSocketWithoutTls, s)).status
    }

    const CERTS: &str = "--tlscacert=/etc/docker/ca.pem --tlscert=/etc/docker/cert.pem --tlskey=/etc/docker/key.pem";

    #[test]
    fn plain_tcp_fails_in_every_spelling() {
        for listener in [
            "-H tcp://0.0.0.0:2375",
            "-H tcp://:2375",
            "--host=tcp://[::]:2375",
            "-H 0.0.0.0:2375",
            "-Htcp://10.0.0.5:2375",
        ] {
            let s = with_flags(
                host(),
                &format!("-H unix:///var/run/docker.sock {listener}"),
            );
            let f = only(run(&TcpSocketWithoutTls, &s));
            assert_eq!(f.status, Status::Fail, "{listener}");
            assert!(f.message.contains("without TLS"), "{listener}");
        }
    }

    #[test]
    fn listener_descriptions_name_the_interface() {
        assert_eq!(
            tcp_listener("tcp://0.0.0.0:2375").as_deref(),
            Some("tcp://0.0.0.0:2375 (all interfaces)")
        );
        assert_eq!(
            tcp_listener("tcp://[::]:2376").as_deref(),
            Some("tcp://[::]:2376 (all interfaces)")
        );
        assert_eq!(
            tcp_listener("tcp://:2375").as_deref(),
            Some("tcp://:2375 (localhost)")
        );
        assert_eq!(
            tcp_listener("10.0.0.5:2375").as_deref(),
            Some("10.0.0.5:2375")
        );
        assert_eq!(tcp_listener("unix:///var/run/docker.sock"), None);
        assert_eq!(tcp_listener("fd://"), None);
        assert_eq!(tcp_listener("ssh://me@host"), None);
    }

    #[test]
    fn tlsverify_with_certificates_passes() {
        let s = with_flags(
            host(),
            &format!("-H tcp://0.0.0.0:2376 --tlsverify {CERTS}"),
        );
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "--tlscacert=/etc/docker/ca.pem")
        );
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "--tlskey=/etc/docker/key.pem")
        );
    }

    #[test]
    fn tls_alone_verifies_clients() {
        // An unset tlsverify copies tls (measured on 20.10).
        let s = with_flags(host(), &format!("-H tcp://0.0.0.0:2376 --tls {CERTS}"));
        assert_eq!(status(&s), Status::Pass);
    }

    #[test]
    fn tlsverify_false_fails_without_client_verification() {
        let s = with_flags(
            host(),
            &format!("-H tcp://0.0.0.0:2376 --tls --tlsverify=false {CERTS}"),
        );
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .contains("without client certificate verification")
        );
        // An explicit tlsverify=false turns TLS on even without --tls.
        let s = with_flags(host(), "-H tcp://0.0.0.0:2376 --tlsverify=false");
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert!(
            f.message
                .contains("without client certificate verification")
        );
    }

    #[test]
    fn tls_false_fails_as_plaintext() {
        let s = with_daemon_json(
            host(),
            json!({"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"], "tls": false}),
        );
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "/etc/docker/daemon.json#/hosts")
        );
    }

    #[test]
    fn default_certificate_paths_are_noted() {
        let s = with_daemon_json(
            host(),
            json!({"hosts": ["tcp://0.0.0.0:2376"], "tlsverify": true}),
        );
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.evidence.iter().any(|e| e.source == Source::Default
            && e.at == "--tlscacert"
            && e.value == json!("~/.docker/ca.pem")));
    }

    #[test]
    fn unix_only_is_not_applicable_not_pass() {
        let f = only(run(&TcpSocketWithoutTls, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-tcp-listener"));
        let s = with_flags(host(), "-H unix:///var/run/docker.sock");
        assert_eq!(status(&s), Status::NotApplicable);
    }

    #[test]
    fn socket_activation_needs_a_person_unless_verification_is_on() {
        let s = with_flags(
            host(),
            "-H fd:// --containerd=/run/containerd/containerd.sock",
        );
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        let s = with_flags(host(), &format!("-H fd:// --tlsverify {CERTS}"));
        assert_eq!(status(&s), Status::Pass);
    }

    #[test]
    fn info_warnings_fail_on_their_own() {
        // A listener only the daemon knows about (e.g. hosts read from a
        // source bulwark did not see) still fails.
        let s = with_info(
            host(),
            json!({"Warnings": [
                "WARNING: API is accessible on http://0.0.0.0:2375 without encryption.\n         Access to the remote API is equivalent to root access on the host.",
                "WARNING: No swap limit support"
            ]}),
        );
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("http://0.0.0.0:2375 (no encryption)"));
        assert_eq!(
            f.evidence[0].value,
            json!(["WARNING: API is accessible on http://0.0.0.0:2375 without encryption."])
        );
    }

    #[test]
    fn deprecation_notice_warnings_are_recognised() {
        let mut s = with_info(
            host(),
            json!({"Warnings": [
                "[DEPRECATION NOTICE]: API is accessible on https://[::]:2376 without TLS client verification. In future versions this will be a hard failure."
            ]}),
        );
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .contains("https://[::]:2376 (no client verification)")
        );
    }

    #[test]
    fn unknown_command_line_is_skipped() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Skipped);
        assert_eq!(f.reason, Some("daemon-config-unreadable"));
    }

    #[test]
    fn known_hosts_with_unknown_tls_is_skipped() {
        let mut s = with_daemon_json(host(), json!({"hosts": ["tcp://0.0.0.0:2376"]}));
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Skipped);
        assert!(f.message.contains("tcp://0.0.0.0:2376"));
        // …but the same host with verification in daemon.json passes.
        let mut s = with_daemon_json(
            host(),
            json!({"hosts": ["tcp://0.0.0.0:2376"], "tlsverify": true}),
        );
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        assert_eq!(status(&s), Status::Pass);
    }

    #[test]
    fn a_non_boolean_tls_value_is_an_error_not_a_guess() {
        let s = with_daemon_json(
            host(),
            json!({"hosts": ["tcp://0.0.0.0:2376"], "tlsverify": "sure"}),
        );
        let f = only(run(&TcpSocketWithoutTls, &s));
        assert_eq!(f.status, Status::Error);
        assert_eq!(f.reason, Some("daemon-config-invalid"));
    }

    #[test]
    fn tls_settings_without_a_tcp_listener_are_still_not_applicable() {
        let s = with_flags(
            host(),
            &format!("-H unix:///var/run/docker.sock --tlsverify {CERTS}"),
        );
        assert_eq!(status(&s), Status::NotApplicable);
    }

    #[test]
    fn rendered() {
        let mut findings = run(
            &TcpSocketWithoutTls,
            &with_flags(host(), "-H fd:// -H tcp://0.0.0.0:2375"),
        );
        findings.extend(run(
            &TcpSocketWithoutTls,
            &with_flags(
                host(),
                &format!("-H unix:///var/run/docker.sock -H tcp://[::]:2376 --tlsverify {CERTS}"),
            ),
        ));
        findings.extend(run(&TcpSocketWithoutTls, &host()));
        findings.extend(run(&TcpSocketWithoutTls, &with_flags(host(), "-H fd://")));
        insta::assert_snapshot!(render(&findings));
    }

    #[test]
    fn severity_follows_the_bind_address() {
        let sev =
            |flags: &str| only(run(&TcpSocketWithoutTls, &with_flags(host(), flags))).severity;
        assert_eq!(sev("-H tcp://0.0.0.0:2375"), Severity::Critical);
        assert_eq!(sev("-H tcp://[::]:2375"), Severity::Critical);
        assert_eq!(sev("-H tcp://203.0.113.7:2375"), Severity::Critical);
        assert_eq!(sev("-H tcp://10.1.2.3:2375"), Severity::High);
        assert_eq!(
            sev("-H tcp://192.168.1.9:2375 -H tcp://127.0.0.1:2375"),
            Severity::High
        );
        assert_eq!(sev("-H tcp://127.0.0.1:2375"), Severity::Medium);
        assert_eq!(
            sev("-H tcp://10.1.2.3:2375 -H tcp://0.0.0.0:2376"),
            Severity::Critical
        );
    }

    fn remote(protection: &str) -> Snapshot {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        s.daemon.config_file = Part::Missing(Gap::skipped("remote daemon"));
        s.endpoint.address = "tcp://10.0.0.9:2376".into();
        s.endpoint.tls = Some(bulwark_facts::EndpointTls {
            protection: protection.into(),
            chain: Vec::new(),
            steps: vec!["step".into()],
        });
        s
    }

    #[test]
    fn a_remote_audit_is_decided_by_probing_the_endpoint() {
        let f = only(run(&TcpSocketWithoutTls, &remote("mutual-tls")));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("tcp://10.0.0.9:2376"), "{}", f.message);
        let f = only(run(&TcpSocketWithoutTls, &remote("plaintext")));
        assert_eq!((f.status, f.severity), (Status::Fail, Severity::High));
        let f = only(run(
            &TcpSocketWithoutTls,
            &remote("tls-without-client-verification"),
        ));
        assert_eq!(f.status, Status::Fail);
        // No probe result: the configuration is unknown, so skipped.
        let f = only(run(&TcpSocketWithoutTls, &remote("unknown")));
        assert_eq!(f.status, Status::Skipped);
    }
}
