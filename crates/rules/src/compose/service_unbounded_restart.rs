//! CMP018 `service-unbounded-restart`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{Located, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::{defined_at, with_defaults};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service's restart policy bounds the number of
    /// restarts. This is the compose form of CTR015
    /// (`unbounded-restart-policy`), with the same bound of 5.
    /// - `restart: always` and `restart: unless-stopped` fail, at the value;
    ///   so do `on-failure` without a count, `on-failure:0` (unlimited) and a
    ///   count above 5. `on-failure:1` to `on-failure:5` and `no` pass.
    /// - `deploy.restart_policy` fails when its `condition` is `any` (the
    ///   default when it is left out) or `on-failure` and `max_attempts` is
    ///   missing, 0 (unlimited) or above 5; `condition: none` passes.
    /// - A service with no restart policy is never restarted, and passes.
    ///
    /// A variable (`${RESTART:-always}`) is read with its default; one without
    /// a default is not judged. A value from an anchor is reported where the
    /// service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// A container that keeps failing and is restarted forever hides the
    /// failure, burns CPU and fills logs, and if the failure is an attack (a
    /// crash-inducing exploit, a brute-forced process) every restart gives the
    /// attacker another try. A small bound makes a persistent failure stop and
    /// get noticed.
    ///
    /// ## How to fix
    /// Use `restart: "on-failure:5"` (or `deploy.restart_policy` with
    /// `condition: on-failure` and `max_attempts: 5`) and alert on services
    /// that exhaust it.
    ///
    /// ## Examples
    /// Fails: `restart: always`, `restart: on-failure`.
    /// Passes: `restart: "on-failure:5"`, no `restart`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.15
    /// - <https://docs.docker.com/reference/compose-file/services/#restart>
    pub ServiceUnboundedRestart {
        id: "CMP018",
        name: "service-unbounded-restart",
        severity: Low,
        target: Compose,
        summary: "A compose service's restart policy restarts it without bound",
    }
}

impl Check for ServiceUnboundedRestart {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                for verdict in judge(src, service) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

/// The most restarts CIS accepts.
const MAX_RETRIES: i64 = 5;

fn judge(src: &Source, service: &Service) -> Vec<Verdict> {
    let name = &service.name.value;
    let mut verdicts = Vec::new();
    if let Some(restart) = &service.restart
        && let Some(policy) = with_defaults(&restart.value)
        && let Some(why) = unbounded(policy.trim())
    {
        verdicts.push(fail_at(
            src,
            restart,
            format!("Service `{name}` has restart: {policy}, {why}."),
            &format!("restart: {}", restart.value),
        ));
    }
    if let Some(policy) = service
        .deploy
        .as_ref()
        .and_then(|d| d.value.restart_policy.as_ref())
    {
        let condition = policy.value.condition.as_ref();
        let condition_text = condition.map_or("any", |c| c.value.as_str());
        let attempts = policy.value.max_attempts.as_ref().map(|m| m.value);
        let bounded = match attempts {
            Some(n) => (1..=MAX_RETRIES).contains(&n),
            None => false,
        };
        if matches!(condition_text, "any" | "on-failure") && !bounded {
            let why = match attempts {
                None | Some(0) => "without a maximum".to_string(),
                Some(n) => format!("up to {n} times (more than {MAX_RETRIES})"),
            };
            let message = format!(
                "Service `{name}` has deploy.restart_policy condition {condition_text}, restarting {why}."
            );
            let verdict = match condition {
                Some(c) => fail_at(src, c, message, &format!("condition: {}", c.value)),
                None => fail_at(src, policy, message, "restart_policy"),
            };
            verdicts.push(verdict);
        }
    }
    verdicts
}

/// Why a `restart` value is unbounded, if it is.
fn unbounded(policy: &str) -> Option<String> {
    let (name, count) = match bulwark_syntax::split_once_ascii(policy, b':') {
        Some((name, count)) => (name, Some(count.trim())),
        None => (policy, None),
    };
    match name {
        "always" | "unless-stopped" => Some("restarting it without a maximum".to_string()),
        "on-failure" => match count.map(str::parse::<i64>) {
            None | Some(Ok(0)) => Some("restarting it without a maximum".to_string()),
            Some(Ok(n)) if n > MAX_RETRIES => Some(format!(
                "restarting it up to {n} times (more than {MAX_RETRIES})"
            )),
            _ => None,
        },
        _ => None,
    }
}

/// A failure at `item`, naming the anchor it comes from.
fn fail_at<T>(src: &Source, item: &Located<T>, message: String, what: &str) -> Verdict {
    let verdict = Verdict::fail(message).at(location(src, item.used.span));
    match defined_at(src, item, what) {
        Some(e) => verdict.with(e),
        None => verdict,
    }
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Finding;
    use crate::testing::at;
    use crate::testing::*;

    fn compose(text: &str) -> Vec<Finding> {
        lint(
            &ServiceUnboundedRestart,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
    }

    fn with_places(findings: &[Finding]) -> String {
        findings
            .iter()
            .map(|f| {
                let (line, column) = at(f);
                format!("{line}:{column} {}", render(std::slice::from_ref(f)))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn unbounded_policies_fail_at_the_value() {
        for v in [
            "always",
            "unless-stopped",
            "on-failure",
            "on-failure:0",
            "on-failure:6",
            "${RESTART:-always}",
        ] {
            let f = compose(&format!("services:\n  web:\n    restart: \"{v}\"\n"));
            assert_eq!(f.len(), 1, "{v}");
            assert_eq!(at(&f[0]), (3, 14), "{v}");
        }
    }

    #[test]
    fn bounded_and_absent_policies_pass() {
        for v in [
            "no",
            "on-failure:5",
            "on-failure:1",
            "${RESTART}",
            "${RESTART:-no}",
        ] {
            let f = compose(&format!("services:\n  web:\n    restart: \"{v}\"\n"));
            assert!(f.is_empty(), "{v}");
        }
        assert!(compose("services:\n  web:\n    image: a\n").is_empty());
    }

    #[test]
    fn deploy_restart_policy_is_read() {
        let f = compose(
            "services:\n  a:\n    deploy:\n      restart_policy:\n        condition: any\n  b:\n    deploy:\n      restart_policy:\n        max_attempts: 10\n  c:\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 3\n  d:\n    deploy:\n      restart_policy: {condition: none}\n",
        );
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(at(&f[0]), (5, 20));
        assert!(f[1].message.contains("up to 10 times"), "{}", f[1].message);
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-r: &r\n  restart: always\nservices:\n  a:\n    <<: *r\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:12");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  web:\n    restart: always\n  worker:\n    restart: on-failure\n  api:\n    restart: \"on-failure:5\"\n  swarm:\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 20\n"
        )));
    }
}
