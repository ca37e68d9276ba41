//! CTR013 `writable-root-filesystem`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::mounts;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether each container (stopped ones too) runs with a read-only root
    /// filesystem, from `HostConfig.ReadonlyRootfs`.
    ///
    /// - Passes when it is true. The paths that stay writable are listed as
    ///   evidence, not failed: read-write entries of `Mounts[]` (volumes and
    ///   binds), `HostConfig.Tmpfs` (`--tmpfs`) and writable
    ///   `HostConfig.Mounts` not yet in `Mounts[]` (a container that never
    ///   started). Writable volumes next to a read-only root are the
    ///   intended design.
    /// - Fails when it is false.
    ///
    /// The container's changes to its writable layer (`GET
    /// /containers/{id}/changes`) are not collected.
    ///
    /// ## Why it matters
    /// With a writable root filesystem an attacker who gets code execution
    /// can replace binaries, drop tools and persist backdoors inside the
    /// container, and the container's state drifts away from its image. A
    /// read-only root limits writes to the few paths declared as volumes or
    /// tmpfs, which are easy to review and to keep non-executable.
    ///
    /// ## How to fix
    /// Run with `--read-only` (compose: `read_only: true`) and give the
    /// application explicit writable places: `--tmpfs /tmp` (compose:
    /// `tmpfs: [/tmp]`) for scratch data and a volume
    /// (`-v app-data:/var/lib/app`) for data that must persist.
    ///
    /// ## Examples
    /// Fails: `docker run nginx`.
    /// Passes: `docker run --read-only --tmpfs /var/cache/nginx --tmpfs
    /// /var/run nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.13
    /// - <https://docs.docker.com/reference/cli/docker/container/run/#read-only>
    pub WritableRootFilesystem {
        id: "CTR013",
        name: "writable-root-filesystem",
        severity: Medium,
        target: Container,
        summary: "A container's root filesystem is writable",
    }
}

impl Check for WritableRootFilesystem {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let hc = &c.inspect.host_config;
    let flag = Evidence::inspect("/HostConfig/ReadonlyRootfs", hc.readonly_rootfs);
    if !hc.readonly_rootfs {
        return Verdict::fail("Root filesystem is writable.").with(flag);
    }

    let (paths, evidence) = writable_paths(c);
    let message = if paths.is_empty() {
        "Root filesystem is read-only, with no writable mounts.".to_string()
    } else {
        format!(
            "Root filesystem is read-only; writable mounts: {}.",
            paths.join(", ")
        )
    };
    Verdict::pass(message).with(flag).with_all(evidence)
}

/// The container paths that stay writable under a read-only root, and the
/// evidence for each.
fn writable_paths(c: &ContainerFacts) -> (Vec<String>, Vec<Evidence>) {
    let inspect = &c.inspect;
    let mut paths: Vec<String> = Vec::new();
    let mut evidence = Vec::new();
    let mut add = |path: &str, ev: Evidence| {
        let path = mounts::normalize(path).into_owned();
        if !paths.contains(&path) {
            paths.push(path);
            evidence.push(ev);
        }
    };

    for (i, m) in inspect.mounts.iter().enumerate() {
        if m.rw {
            add(
                &m.destination,
                Evidence::inspect(
                    format!("/Mounts/{i}"),
                    serde_json::json!({"Type": m.kind, "Destination": m.destination, "RW": true}),
                ),
            );
        }
    }
    for (path, options) in inspect.host_config.tmpfs.iter().flatten() {
        // `--tmpfs /run:ro` is a read-only tmpfs.
        if !options.split(',').any(|o| o == "ro") {
            add(
                path,
                Evidence::inspect(
                    format!(
                        "/HostConfig/Tmpfs/{}",
                        path.replace('~', "~0").replace('/', "~1")
                    ),
                    options.as_str(),
                ),
            );
        }
    }
    for (i, m) in inspect.host_config.mounts.iter().flatten().enumerate() {
        if !m.read_only {
            add(
                &m.target,
                Evidence::inspect(
                    format!("/HostConfig/Mounts/{i}"),
                    serde_json::json!({"Type": m.kind, "Target": m.target, "ReadOnly": false}),
                ),
            );
        }
    }
    (paths, evidence)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::{Finding, Status};
    use crate::testing::*;

    fn finding(c: Value) -> Finding {
        only(run(
            &WritableRootFilesystem,
            &with_containers(host(), vec![container(c)]),
        ))
    }

    #[test]
    fn a_writable_root_fails() {
        let f = finding(json!({"HostConfig": {"ReadonlyRootfs": false}}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(
            f.evidence,
            vec![Evidence::inspect("/HostConfig/ReadonlyRootfs", false)]
        );
        assert_eq!(finding(json!({})).status, Status::Fail);
    }

    #[test]
    fn a_read_only_root_passes() {
        let f = finding(json!({"HostConfig": {"ReadonlyRootfs": true}}));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(
            &*f.message,
            "Root filesystem is read-only, with no writable mounts."
        );
    }

    #[test]
    fn writable_volumes_are_listed_not_failed() {
        // The pitfall: --read-only with read-write volumes is still a pass.
        let f = finding(json!({
            "HostConfig": {"ReadonlyRootfs": true,
                           "Tmpfs": {"/tmp": "rw,noexec", "/run/secrets": "ro"}},
            "Mounts": [
                {"Type": "volume", "Name": "data", "Destination": "/var/lib/app", "RW": true},
                {"Type": "bind", "Source": "/srv/cfg", "Destination": "/etc/app", "RW": false}]}));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(
            &*f.message,
            "Root filesystem is read-only; writable mounts: /var/lib/app, /tmp."
        );
        assert!(f.evidence.iter().any(|e| e.at == "/HostConfig/Tmpfs/~1tmp"));
    }

    #[test]
    fn a_never_started_container_lists_its_configured_mounts() {
        let f = finding(json!({
            "State": {"Status": "created", "Running": false},
            "HostConfig": {"ReadonlyRootfs": true,
                           "Mounts": [{"Type": "tmpfs", "Target": "/cache"},
                                      {"Type": "bind", "Source": "/srv", "Target": "/srv",
                                       "ReadOnly": true}]}}));
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.message.ends_with("writable mounts: /cache."),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_stopped_writable_container_still_fails() {
        let f = finding(json!({"State": {"Status": "exited", "Running": false}}));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(
                    json!({"Name": "/web", "HostConfig": {"ReadonlyRootfs": true,
                                 "Tmpfs": {"/var/cache/nginx": ""}}}),
                ),
                container(json!({"Name": "/app", "HostConfig": {"ReadonlyRootfs": false}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&WritableRootFilesystem, &s)));
    }
}
