//! DMN008 `default-ulimits-unset`.

use serde_json::Value;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;
use crate::settings::Setting;

declare_rule! {
    /// ## What it checks
    /// Whether the daemon sets default ulimits for containers: the
    /// repeatable `--default-ulimit name=soft[:hard]` flag on dockerd's
    /// command line, or the `"default-ulimits"` object in daemon.json
    /// (`{"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}}`).
    /// `/info` does not expose them, so the rule is skipped when the command
    /// line cannot be seen. Fails when none is configured; when some are,
    /// a person must check the values against the workloads (the rule
    /// lists them, with a note for `nproc` and `cpu`, whose semantics
    /// surprise).
    ///
    /// ## Why it matters
    /// Without default ulimits every container inherits the daemon's own
    /// limits, which are usually huge (dockerd raises its open-file limit).
    /// One container can then exhaust file descriptors or processes and
    /// deny service to everything else on the host. Defaults set a ceiling
    /// for every container that does not ask for its own.
    ///
    /// ## How to fix
    /// Add defaults to `/etc/docker/daemon.json`, e.g.
    /// `"default-ulimits": {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 4096}}`
    /// (or `--default-ulimit nofile=1024:4096`), and restart the daemon.
    /// Containers that need more can override with `docker run --ulimit`.
    /// Be careful with `nproc` (counted per host uid across all containers
    /// of that uid) and `cpu` (CPU seconds: long-running processes are
    /// killed when they reach it).
    ///
    /// ## Examples
    /// Fails: `dockerd` with no `--default-ulimit` and no
    /// `"default-ulimits"` key.
    /// Needs review: `dockerd --default-ulimit nofile=1024:4096`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.8
    /// - <https://docs.docker.com/reference/cli/dockerd/#default-ulimit-settings>
    pub DefaultUlimitsUnset {
        id: "DMN008",
        name: "default-ulimits-unset",
        severity: Low,
        target: Daemon,
        summary: "The daemon sets no default ulimits for containers",
    }
}

impl Check for DefaultUlimitsUnset {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(setting) = ctx.setting("default-ulimits", out) else {
            return;
        };
        let limits = match &setting {
            Setting::Set { value, .. } => limits(value),
            _ => Vec::new(),
        };
        let verdict = if limits.is_empty() {
            let checked = match &setting {
                Setting::Unset { checked } => checked.clone(),
                _ => "configured, but empty".to_string(),
            };
            Verdict::fail(format!(
                "No default ulimits are configured ({checked}): containers inherit the daemon's own limits."
            ))
            .with(Evidence::new(
                Source::Default,
                "--default-ulimit",
                Value::Null,
            ))
        } else {
            let names: Vec<&str> = limits.iter().map(|(name, _)| name.as_str()).collect();
            let mut notes = String::new();
            if names.contains(&"nproc") {
                notes.push_str(
                    "; nproc counts processes per host uid across all containers running as that uid",
                );
            }
            if names.contains(&"cpu") {
                notes.push_str("; cpu is in CPU seconds and kills long-running processes");
            }
            let shown: Vec<&str> = limits.iter().map(|(_, shown)| shown.as_str()).collect();
            Verdict::manual(format!(
                "Verify: the default ulimits {} fit the workloads{notes}.",
                shown.join(", ")
            ))
        };
        out.push(
            ctx.daemon_subject(),
            verdict.with_all(setting.evidence().cloned()),
        );
    }
}

/// The configured limits as `(name, "name=soft:hard")`, from either the
/// flag form (a list of `name=soft[:hard]` strings) or daemon.json's object
/// form keyed by name.
fn limits(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| {
                let name = s.split_once('=').map_or(s, |(n, _)| n);
                (name.trim().to_string(), s.trim().to_string())
            })
            .collect(),
        Value::Object(map) => map
            .iter()
            .map(|(key, limit)| {
                let name = limit
                    .get("Name")
                    .and_then(Value::as_str)
                    .unwrap_or(key)
                    .to_string();
                let shown = match (limit.get("Soft"), limit.get("Hard")) {
                    (Some(soft), Some(hard)) => format!("{name}={soft}:{hard}"),
                    (Some(soft), None) => format!("{name}={soft}"),
                    _ => format!("{name}={limit}"),
                };
                (name, shown)
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    #[test]
    fn nothing_configured_fails() {
        let f = only(run(&DefaultUlimitsUnset, &host()));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].source, Source::Default);
    }

    #[test]
    fn flags_need_review_with_every_value_listed() {
        let s = with_flags(
            host(),
            "--default-ulimit nofile=1024:4096 --default-ulimit=nproc=512:1024",
        );
        let f = only(run(&DefaultUlimitsUnset, &s));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        assert!(f.message.contains("nofile=1024:4096"));
        assert!(f.message.contains("nproc=512:1024"));
        assert!(f.message.contains("per host uid"));
        assert_eq!(
            f.evidence[0].value,
            json!(["nofile=1024:4096", "nproc=512:1024"])
        );
    }

    #[test]
    fn the_daemon_json_object_form_is_read() {
        // The object form broke a jq-based parser.
        let s = with_daemon_json(
            host(),
            json!({"default-ulimits": {
                "nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048},
                "cpu": {"Name": "cpu", "Soft": 3600, "Hard": 3600}
            }}),
        );
        let f = only(run(&DefaultUlimitsUnset, &s));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("nofile=1024:2048"));
        assert!(f.message.contains("cpu=3600:3600"));
        assert!(f.message.contains("CPU seconds"));
        assert_eq!(f.evidence[0].at, "/etc/docker/daemon.json#/default-ulimits");
    }

    #[test]
    fn an_empty_object_is_nothing_configured() {
        let s = with_daemon_json(host(), json!({"default-ulimits": {}}));
        assert_eq!(only(run(&DefaultUlimitsUnset, &s)).status, Status::Fail);
    }

    #[test]
    fn unknown_command_line_is_skipped() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        let f = only(run(&DefaultUlimitsUnset, &s));
        assert_eq!(f.status, Status::Skipped);
    }

    #[test]
    fn rendered() {
        let mut findings = run(&DefaultUlimitsUnset, &host());
        findings.extend(run(
            &DefaultUlimitsUnset,
            &with_daemon_json(
                host(),
                json!({"default-ulimits": {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 4096}}}),
            ),
        ));
        insta::assert_snapshot!(render(&findings));
    }
}
