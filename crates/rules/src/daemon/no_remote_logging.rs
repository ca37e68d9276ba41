//! DMN013 `no-remote-logging`.

use std::net::IpAddr;

use serde_json::Value;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;
use crate::settings::Setting;

/// Built-in drivers that ship logs off the host by design.
const REMOTE_DRIVERS: &[&str] = &[
    "gelf",
    "fluentd",
    "awslogs",
    "splunk",
    "gcplogs",
    "logentries",
    "etwlogs",
];

/// Built-in drivers that keep logs on the host (or drop them).
const LOCAL_DRIVERS: &[&str] = &["json-file", "local", "none"];

declare_rule! {
    /// ## What it checks
    /// Where the daemon sends container logs by default: `/info
    /// LoggingDriver` (the running daemon's report), with the
    /// `syslog-address` log option from `--log-opt` / daemon.json
    /// `"log-opts"`. Passes for drivers that ship logs off the host
    /// (`gelf`, `fluentd`, `awslogs`, `splunk`, `gcplogs`, `logentries`,
    /// `etwlogs`), for a logging plugin, and for `syslog` with a non-local
    /// `syslog-address`. Needs a person for `journald` and for `syslog` to
    /// the local socket or a loopback address, to confirm the host forwards
    /// them. Fails for `json-file`, `local` and `none`. Containers that
    /// override the default with `json-file`, `local` or `none`
    /// (`HostConfig.LogConfig.Type`) are listed as evidence. Only the
    /// `syslog-address` option is shown: other log options can hold tokens.
    ///
    /// ## Why it matters
    /// Logs kept only on the host disappear with it: an attacker who gains
    /// root there edits or deletes them, and a lost disk takes the audit
    /// trail along. Central logging keeps a copy out of reach, survives
    /// container and host churn, and lets incidents be correlated across
    /// hosts. `none` keeps nothing at all.
    ///
    /// ## How to fix
    /// Set a remote driver in `/etc/docker/daemon.json`, e.g.
    /// `{"log-driver": "syslog", "log-opts": {"syslog-address": "tcp+tls://logs.example.com:6514"}}`
    /// or `{"log-driver": "fluentd", "log-opts": {"fluentd-address": "logs.example.com:24224"}}`,
    /// and restart the daemon (existing containers keep their driver until
    /// re-created). With `journald` or local syslog, configure the host to
    /// forward the journal or syslog off-host.
    ///
    /// ## Examples
    /// Fails: the default `json-file` driver, or `--log-driver none`.
    /// Needs review: `--log-driver journald`.
    /// Passes: `--log-driver syslog --log-opt syslog-address=udp://10.0.0.5:514`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.13
    /// - <https://docs.docker.com/engine/logging/configure/>
    pub NoRemoteLogging {
        id: "DMN013",
        name: "no-remote-logging",
        severity: Medium,
        target: Daemon,
        summary: "Container logs are not sent to a central, remote log store",
    }
}

impl Check for NoRemoteLogging {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let driver = engine.info.logging_driver.as_str();
        let mut evidence = vec![Evidence::info("/LoggingDriver", driver)];
        evidence.extend(ctx.daemon.get("log-driver").evidence().cloned());

        let verdict = match driver {
            "" => Verdict::error(
                "info-field-missing",
                "/info did not report a logging driver.",
            ),
            d if LOCAL_DRIVERS.contains(&d) => Verdict::fail(format!(
                "The default logging driver {d} keeps container logs on the host only."
            )),
            d if REMOTE_DRIVERS.contains(&d) => Verdict::pass(format!(
                "The default logging driver {d} sends container logs off the host."
            )),
            "journald" => Verdict::manual(
                "Verify: the host forwards the journal off-host; the default logging driver is journald.",
            ),
            "syslog" => {
                let (address, address_evidence) = syslog_address(ctx);
                evidence.extend(address_evidence);
                match address.as_deref() {
                    Some(addr) if is_remote(addr) => Verdict::pass(format!(
                        "Container logs go to the remote syslog server {addr}."
                    )),
                    Some(addr) => Verdict::manual(format!(
                        "Verify: the host forwards syslog off-host; container logs go to the local syslog at {addr}."
                    )),
                    None => Verdict::manual(
                        "Verify: the host forwards syslog off-host; container logs go to the local syslog socket (no syslog-address).",
                    ),
                }
            }
            // Every built-in driver is named above; dockerd refuses to start
            // with an unknown one, so any other name is a logging plugin.
            plugin => Verdict::pass(format!(
                "The default logging driver is the plugin {plugin}, which ships logs to its own backend."
            )),
        };

        // Containers can override the default; they do not change the
        // daemon's verdict but a person should see them.
        let overrides = local_overrides(ctx, driver);
        let mut verdict = verdict.with_all(evidence);
        if !overrides.is_empty() {
            verdict.message = format!(
                "{}; {} container(s) override the default with a driver that keeps logs local.",
                verdict.message.trim_end_matches('.'),
                overrides.len()
            );
        }
        out.push(ctx.daemon_subject(), verdict.with_all(overrides));
    }
}

/// The `syslog-address` log option and its evidence, from `--log-opt` or
/// daemon.json's `"log-opts"`. Only this option is read: others can hold
/// credentials (`splunk-token`) and must not reach the report.
fn syslog_address(ctx: &Context<'_>) -> (Option<String>, Option<Evidence>) {
    const KEY: &str = "syslog-address";
    let Setting::Set { value, evidence } = ctx.daemon.get("log-opts") else {
        return (None, None);
    };
    let found = match &value {
        Value::Object(map) => map
            .get(KEY)
            .and_then(Value::as_str)
            .map(|addr| (addr.to_string(), format!("{}/{KEY}", evidence.at))),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|opt| opt.strip_prefix("syslog-address="))
            .next_back()
            .map(|addr| (addr.to_string(), format!("--log-opt {KEY}={addr}"))),
        _ => None,
    };
    match found {
        Some((addr, at)) => {
            let e = Evidence::new(evidence.source, at, addr.clone());
            (Some(addr), Some(e))
        }
        None => (None, None),
    }
}

/// True when a syslog address points at another machine: a network
/// scheme with a host that is not loopback.
fn is_remote(address: &str) -> bool {
    let Some((scheme, rest)) = address.split_once("://") else {
        return false;
    };
    if !matches!(
        scheme.to_ascii_lowercase().as_str(),
        "tcp" | "udp" | "tcp+tls"
    ) {
        return false; // unix, unixgram: a local socket
    }
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    if host.is_empty() || host.eq_ignore_ascii_case("localhost") {
        return false;
    }
    !host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Containers whose own log driver keeps logs local, overriding a
/// daemon default that does not.
fn local_overrides(ctx: &Context<'_>, default: &str) -> Vec<Evidence> {
    let Some(containers) = ctx.snapshot.containers.get() else {
        return Vec::new();
    };
    containers
        .items
        .iter()
        .filter(|c| {
            let kind = c.inspect.host_config.log_config.kind.as_str();
            kind != default && LOCAL_DRIVERS.contains(&kind)
        })
        .map(|c| {
            Evidence::inspect(
                format!("{}/HostConfig/LogConfig/Type", c.name()),
                c.inspect.host_config.log_config.kind.clone(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use bulwark_facts::Snapshot;
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn driver(name: &str) -> Snapshot {
        with_info(host(), json!({"LoggingDriver": name}))
    }

    fn status(s: &Snapshot) -> Status {
        only(run(&NoRemoteLogging, s)).status
    }

    #[test]
    fn local_drivers_fail() {
        // "Anything but json-file passes" let none and local pass.
        for d in ["json-file", "local", "none"] {
            assert_eq!(status(&driver(d)), Status::Fail, "{d}");
        }
    }

    #[test]
    fn remote_drivers_pass() {
        for d in REMOTE_DRIVERS {
            assert_eq!(status(&driver(d)), Status::Pass, "{d}");
        }
    }

    #[test]
    fn a_logging_plugin_passes() {
        let f = only(run(
            &NoRemoteLogging,
            &driver("grafana/loki-docker-driver:latest"),
        ));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("plugin"));
    }

    #[test]
    fn journald_needs_a_person() {
        let f = only(run(&NoRemoteLogging, &driver("journald")));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
    }

    #[test]
    fn syslog_to_a_remote_address_passes() {
        let s = with_flags(
            driver("syslog"),
            "--log-driver syslog --log-opt syslog-address=udp://10.0.0.5:514",
        );
        let f = only(run(&NoRemoteLogging, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "--log-opt syslog-address=udp://10.0.0.5:514")
        );
        let s = with_daemon_json(
            driver("syslog"),
            json!({"log-opts": {"syslog-address": "tcp+tls://[2001:db8::5]:6514"}}),
        );
        let f = only(run(&NoRemoteLogging, &s));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(
            f.evidence[1].at,
            "/etc/docker/daemon.json#/log-opts/syslog-address"
        );
    }

    #[test]
    fn syslog_to_the_local_host_needs_a_person() {
        assert_eq!(status(&driver("syslog")), Status::Manual);
        for addr in [
            "unix:///dev/log",
            "unixgram:///dev/log",
            "udp://127.0.0.1:514",
            "tcp://localhost:514",
            "tcp://[::1]:514",
        ] {
            let s = with_daemon_json(
                driver("syslog"),
                json!({"log-opts": {"syslog-address": addr}}),
            );
            assert_eq!(status(&s), Status::Manual, "{addr}");
        }
    }

    #[test]
    fn other_log_options_never_reach_the_report() {
        let s = with_flags(
            driver("splunk"),
            "--log-driver splunk --log-opt splunk-token=s3cr3t --log-opt splunk-url=https://splunk.example",
        );
        let f = only(run(&NoRemoteLogging, &s));
        assert_eq!(f.status, Status::Pass);
        let all = format!("{} {:?}", f.message, f.evidence);
        assert!(!all.contains("s3cr3t"), "{all}");
    }

    #[test]
    fn container_overrides_are_listed() {
        let s = with_containers(
            driver("gelf"),
            vec![
                container(json!({"Name": "/quiet", "HostConfig": {"LogConfig": {"Type": "none"}}})),
                container(json!({"Name": "/app", "HostConfig": {"LogConfig": {"Type": "gelf"}}})),
            ],
        );
        let f = only(run(&NoRemoteLogging, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("1 container(s) override"));
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "quiet/HostConfig/LogConfig/Type" && e.value == json!("none"))
        );
        assert!(!f.evidence.iter().any(|e| e.at.starts_with("app/")));
    }

    #[test]
    fn a_missing_driver_is_an_error() {
        assert_eq!(status(&driver("")), Status::Error);
    }

    #[test]
    fn rendered() {
        let mut findings = run(&NoRemoteLogging, &host());
        findings.extend(run(&NoRemoteLogging, &driver("journald")));
        findings.extend(run(
            &NoRemoteLogging,
            &with_containers(
                with_daemon_json(
                    driver("syslog"),
                    json!({"log-driver": "syslog",
                           "log-opts": {"syslog-address": "udp://logs.example.com:514"}}),
                ),
                vec![container(
                    json!({"Name": "/debugbox", "HostConfig": {"LogConfig": {"Type": "json-file"}}}),
                )],
            ),
        ));
        insta::assert_snapshot!(render(&findings));
    }
}
