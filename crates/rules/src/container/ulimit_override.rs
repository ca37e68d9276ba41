//! CTR019 `ulimit-override`.

use bulwark_facts::ContainerFacts;
use serde_json::Value;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container overrides the daemon's default ulimits
    /// (`HostConfig.Ulimits`, set by `--ulimit`). `null` or an empty list
    /// means the daemon defaults apply (see CIS 2.8) and passes. Overrides
    /// are listed for a person to confirm; they are never a failure on
    /// their own. Stopped containers are checked too.
    ///
    /// ## Why it matters
    /// The daemon's default ulimits are the host-wide guard against one
    /// container exhausting file descriptors or processes. A per-container
    /// override can raise those limits (`nofile=1048576`, `nproc=unlimited`)
    /// and let that container starve the host; each exception should be a
    /// deliberate one.
    ///
    /// ## How to fix
    /// Set limits once, in the daemon (`--default-ulimit nofile=1024:4096`,
    /// daemon.json `"default-ulimits"`), and drop `--ulimit` (compose:
    /// `ulimits:`) from containers that do not need an exception.
    ///
    /// ## Examples
    /// Needs a person: `docker run --ulimit nofile=1048576:1048576 app`.
    /// Passes: `docker run app` with the daemon's default ulimits.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.19
    /// - <https://docs.docker.com/reference/cli/docker/container/run/#ulimit>
    pub UlimitOverride {
        id: "CTR019",
        name: "ulimit-override",
        severity: Info,
        target: Container,
        summary: "A container overrides the daemon's default ulimits",
    }
}

impl Check for UlimitOverride {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let ulimits = c.inspect.host_config.ulimits.as_deref().unwrap_or_default();
    if ulimits.is_empty() {
        // Reporting "no ulimits set" as the problem would invert the
        // control: empty is the daemon default, which is what CIS wants.
        let raw = if c.inspect.host_config.ulimits.is_some() {
            Value::Array(vec![])
        } else {
            Value::Null
        };
        return Verdict::pass("No ulimit overrides: the daemon's defaults apply.")
            .with(Evidence::inspect("/HostConfig/Ulimits", raw));
    }
    let shown: Vec<String> = ulimits
        .iter()
        .map(|u| format!("{}={}:{}", u.name, u.soft, u.hard))
        .collect();
    Verdict::manual(format!(
        "Verify: each ulimit override is a needed exception: {}.",
        shown.join(", ")
    ))
    .with(Evidence::inspect("/HostConfig/Ulimits", shown))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    #[test]
    fn no_override_passes_whether_null_or_empty() {
        assert_eq!(status_of(&UlimitOverride, json!({})), Status::Pass);
        assert_eq!(
            status_of(&UlimitOverride, json!({"HostConfig": {"Ulimits": null}})),
            Status::Pass
        );
        assert_eq!(
            status_of(&UlimitOverride, json!({"HostConfig": {"Ulimits": []}})),
            Status::Pass
        );
    }

    #[test]
    fn overrides_are_listed_for_a_person_not_failed() {
        let c = json!({"HostConfig": {"Ulimits": [
            {"Name": "nofile", "Soft": 1048576, "Hard": 1048576},
            {"Name": "nproc", "Soft": -1, "Hard": -1}
        ]}});
        let f = only(run(
            &UlimitOverride,
            &with_containers(host(), vec![container(c)]),
        ));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        assert!(
            f.message.contains("nofile=1048576:1048576, nproc=-1:-1"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let c = json!({"HostConfig": {"Ulimits": [{"Name": "nofile", "Soft": 1, "Hard": 2}]},
                       "State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&UlimitOverride, c), Status::Manual);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&UlimitOverride, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/es", "HostConfig": {"Ulimits": [
                    {"Name": "memlock", "Soft": -1, "Hard": -1}]}})),
                container(json!({"Name": "/web", "HostConfig": {"Ulimits": null}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&UlimitOverride, &s)));
    }
}
