//! DMN003 `log-level-not-info`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;
use crate::settings::Setting;

declare_rule! {
    /// ## What it checks
    /// The daemon's effective log level. Debug mode wins over any level:
    /// `/info Debug` (the running daemon's own report, which also follows a
    /// reload of `"debug"`) is read first, with `--debug`/`-D` and
    /// `"debug"` as evidence. Otherwise the level comes from `--log-level` /
    /// `-l` on dockerd's command line or `"log-level"` in daemon.json (level
    /// names are case-insensitive; unset means `info`). Passes at `info`;
    /// fails at `debug`/`trace` (too verbose, may log request data) and at
    /// `warn`, `error`, `fatal` or `panic` (security-relevant events are
    /// lost). `/info` does not report the level itself, so the rule is
    /// skipped when neither the command line nor daemon.json can tell it.
    ///
    /// ## Why it matters
    /// The daemon log is where API errors, failed pulls, plugin denials and
    /// container lifecycle problems are recorded. Above `info` those events
    /// vanish and an incident cannot be reconstructed; at `debug` the log
    /// fills with request details, can leak data, and drowns the events
    /// that matter.
    ///
    /// ## How to fix
    /// Remove `--debug`/`-D` and `--log-level` from dockerd's command line,
    /// and `"debug"` and `"log-level"` from `/etc/docker/daemon.json` (or
    /// set `"log-level": "info"`), then restart the daemon.
    ///
    /// ## Examples
    /// Fails: `dockerd -l warn`, `dockerd --log-level=debug`, or
    /// `{"debug": true}`.
    /// Passes: `dockerd` with neither flag, or `{"log-level": "info"}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.3
    /// - <https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file>
    pub LogLevelNotInfo {
        id: "DMN003",
        name: "log-level-not-info",
        severity: Low,
        target: Daemon,
        summary: "The daemon's log level is not info",
    }
}

impl Check for LogLevelNotInfo {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let debug = engine.info.debug;
        let mut evidence = vec![Evidence::info("/Debug", debug)];
        evidence.extend(ctx.daemon.get("debug").evidence().cloned());

        // Debug mode overrides whatever level is configured.
        if debug {
            out.push(
                ctx.daemon_subject(),
                Verdict::fail("The daemon runs in debug mode: the log is too verbose and may leak request data.")
                    .with_all(evidence),
            );
            return;
        }
        let Some(setting) = ctx.setting("log-level", out) else {
            return;
        };
        let level = match &setting {
            Setting::Set { .. } => match setting.as_str() {
                Some(level) => level.trim().to_ascii_lowercase(),
                None => {
                    out.push(
                        ctx.daemon_subject(),
                        Verdict::error("daemon-config-invalid", "log-level is not a string.")
                            .with_all(setting.evidence().cloned()),
                    );
                    return;
                }
            },
            Setting::Unset { .. } => {
                evidence.push(Evidence::new(Source::Default, "--log-level", "info"));
                "info".to_string()
            }
            Setting::Unknown(_) => return, // ctx.setting never returns it
        };
        evidence.extend(setting.evidence().cloned());
        let verdict = match level.as_str() {
            // dockerd treats an empty level as its default, info.
            "info" | "" => Verdict::pass("The daemon logs at level info."),
            "debug" | "trace" => Verdict::fail(format!(
                "The daemon logs at level {level}: too verbose, and may leak request data."
            )),
            "warn" | "warning" | "error" | "fatal" | "panic" => Verdict::fail(format!(
                "The daemon logs at level {level}: informational and security-relevant events are lost."
            )),
            other => Verdict::fail(format!(
                "The daemon's log level {other:?} is not a level dockerd knows, so it is not info."
            )),
        };
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part, Snapshot};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn status(s: &Snapshot) -> Status {
        only(run(&LogLevelNotInfo, s)).status
    }

    #[test]
    fn unset_passes_at_the_default_info() {
        let f = only(run(&LogLevelNotInfo, &host()));
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.source == Source::Default && e.value == json!("info"))
        );
    }

    #[test]
    fn explicit_info_passes_in_any_case() {
        assert_eq!(
            status(&with_flags(host(), "--log-level=INFO")),
            Status::Pass
        );
        assert_eq!(
            status(&with_daemon_json(host(), json!({"log-level": "Info"}))),
            Status::Pass
        );
    }

    #[test]
    fn debug_level_from_the_command_line_fails() {
        // The daemon.json-only auditor missed this one.
        let f = only(run(
            &LogLevelNotInfo,
            &with_flags(host(), "--log-level=debug"),
        ));
        assert_eq!(f.status, Status::Fail);
        assert!(f.evidence.iter().any(|e| e.at == "--log-level=debug"));
        assert_eq!(status(&with_flags(host(), "-l DEBUG")), Status::Fail);
    }

    #[test]
    fn quieter_levels_fail() {
        for level in ["warn", "error", "fatal", "panic"] {
            let s = with_flags(host(), &format!("-l {level}"));
            assert_eq!(status(&s), Status::Fail, "{level}");
        }
        assert_eq!(
            status(&with_daemon_json(host(), json!({"log-level": "warn"}))),
            Status::Fail
        );
    }

    #[test]
    fn debug_mode_overrides_an_info_level() {
        let s = with_info(
            with_daemon_json(host(), json!({"debug": true, "log-level": "info"})),
            json!({"Debug": true}),
        );
        let f = only(run(&LogLevelNotInfo, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("debug mode"));
    }

    #[test]
    fn info_debug_fails_even_when_the_command_line_is_unknown() {
        let mut s = with_info(host(), json!({"Debug": true}));
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        assert_eq!(status(&s), Status::Fail);
    }

    #[test]
    fn unknown_command_line_without_debug_is_skipped() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        assert_eq!(status(&s), Status::Skipped);
        // …unless daemon.json sets the level: a flag cannot repeat it.
        let mut s = with_daemon_json(host(), json!({"log-level": "info"}));
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        assert_eq!(status(&s), Status::Pass);
    }

    #[test]
    fn an_empty_level_is_the_default() {
        assert_eq!(
            status(&with_daemon_json(host(), json!({"log-level": ""}))),
            Status::Pass
        );
    }

    #[test]
    fn an_unknown_level_name_fails() {
        assert_eq!(status(&with_flags(host(), "-l verbose")), Status::Fail);
    }

    #[test]
    fn rendered() {
        let mut findings = run(&LogLevelNotInfo, &host());
        findings.extend(run(&LogLevelNotInfo, &with_flags(host(), "-l warn")));
        findings.extend(run(
            &LogLevelNotInfo,
            &with_info(with_flags(host(), "-D"), json!({"Debug": true})),
        ));
        insta::assert_snapshot!(render(&findings));
    }
}
