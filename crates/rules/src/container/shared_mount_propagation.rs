//! CTR020 `shared-mount-propagation`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// The propagation mode of every mount of a container, from all three
    /// places it can be read:
    /// - `Mounts[].Propagation`, the daemon's resolved view of every mount;
    /// - `HostConfig.Mounts[].BindOptions.Propagation` (`--mount`);
    /// - the option suffix of `HostConfig.Binds` entries
    ///   (`-v /src:/dst:ro,rshared`).
    ///
    /// `shared` or `rshared` anywhere fails. `private`, `rprivate`,
    /// `slave`, `rslave` and no mode pass. Stopped containers are checked
    /// too.
    ///
    /// ## Why it matters
    /// With shared propagation, a mount made inside the container
    /// propagates back to the host's mount namespace (and to every other
    /// container sharing that mount). A compromised container can then
    /// mount over host paths or expose devices to other workloads.
    ///
    /// ## How to fix
    /// Drop `shared`/`rshared` from `-v` options and from
    /// `--mount ...,bind-propagation=rshared` (compose:
    /// `bind: {propagation: rshared}`); the default `rprivate`, or
    /// `rslave` where the container must see host mounts appear, is
    /// enough for almost every workload.
    ///
    /// ## Examples
    /// Fails: `docker run -v /mnt:/mnt:rshared app`,
    /// `docker run --mount type=bind,src=/mnt,dst=/mnt,bind-propagation=shared app`.
    /// Passes: `docker run -v /mnt:/mnt:ro,rslave app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.20
    /// - <https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation>
    pub SharedMountPropagation {
        id: "CTR020",
        name: "shared-mount-propagation",
        severity: Medium,
        target: Container,
        summary: "A mount uses shared propagation",
    }
}

impl Check for SharedMountPropagation {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn is_shared(mode: &str) -> bool {
    matches!(mode, "shared" | "rshared")
}

fn judge(c: &ContainerFacts) -> Verdict {
    // (pointer, value, "destination (mode)") of each shared mount.
    let mut shared: Vec<(String, String, String)> = Vec::new();

    for (i, m) in c.inspect.mounts.iter().enumerate() {
        if is_shared(&m.propagation) {
            shared.push((
                format!("/Mounts/{i}/Propagation"),
                m.propagation.clone(),
                format!("{} ({})", m.destination, m.propagation),
            ));
        }
    }
    let hc = &c.inspect.host_config;
    for (i, m) in hc.mounts.iter().flatten().enumerate() {
        if let Some(p) = m.bind_options.as_ref().map(|b| b.propagation.as_str())
            && is_shared(p)
        {
            shared.push((
                format!("/HostConfig/Mounts/{i}/BindOptions/Propagation"),
                p.to_string(),
                format!("{} ({p})", m.target),
            ));
        }
    }
    for (i, bind) in hc.binds.iter().flatten().enumerate() {
        // `src:dst[:opts]`; the options are the third field, comma separated.
        let fields: Vec<&str> = bind.split(':').collect();
        if fields.len() >= 3
            && let Some(mode) = fields[2].split(',').find(|o| is_shared(o))
        {
            shared.push((
                format!("/HostConfig/Binds/{i}"),
                bind.clone(),
                format!("{} ({mode})", fields[1]),
            ));
        }
    }

    if shared.is_empty() {
        let modes: Vec<String> = c
            .inspect
            .mounts
            .iter()
            .map(|m| format!("{}={}", m.destination, m.propagation))
            .collect();
        return Verdict::pass("No mount uses shared propagation.")
            .with(Evidence::inspect("/Mounts", modes));
    }

    // The same mount is often seen twice (in Mounts and in Binds/Mounts);
    // the message names each destination once.
    let mut targets: Vec<&str> = shared.iter().map(|(_, _, d)| d.as_str()).collect();
    targets.sort_unstable();
    targets.dedup();
    Verdict::fail(format!(
        "Mounts use shared propagation, so mounts made beneath them reach the host: {}.",
        targets.join(", ")
    ))
    .with_all(
        shared
            .into_iter()
            .map(|(at, value, _)| Evidence::inspect(at, value)),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    #[test]
    fn shared_in_the_runtime_view_fails() {
        for mode in ["shared", "rshared"] {
            let c = json!({"Mounts": [{"Type": "bind", "Source": "/mnt", "Destination": "/mnt",
                                       "Propagation": mode}]});
            assert_eq!(
                status_of(&SharedMountPropagation, c),
                Status::Fail,
                "{mode}"
            );
        }
    }

    #[test]
    fn other_modes_pass() {
        for mode in ["private", "rprivate", "slave", "rslave", ""] {
            let c = json!({"Mounts": [{"Type": "bind", "Source": "/mnt", "Destination": "/mnt",
                                       "Propagation": mode}],
                           "HostConfig": {"Binds": [format!("/mnt:/mnt:ro,{mode}")]}});
            assert_eq!(
                status_of(&SharedMountPropagation, c),
                Status::Pass,
                "{mode}"
            );
        }
        assert_eq!(status_of(&SharedMountPropagation, json!({})), Status::Pass);
    }

    #[test]
    fn bind_option_suffixes_are_read_not_only_mounts() {
        let c = json!({"HostConfig": {"Binds": ["/mnt:/data:ro,rshared", "/srv:/srv"]}});
        let f = only(run(
            &SharedMountPropagation,
            &with_containers(host(), vec![container(c)]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].at, "/HostConfig/Binds/0");
        assert!(f.message.contains("/data (rshared)"), "{}", f.message);
    }

    #[test]
    fn mount_flag_bind_options_are_read() {
        let c = json!({"HostConfig": {"Mounts": [
            {"Type": "bind", "Source": "/mnt", "Target": "/mnt",
             "BindOptions": {"Propagation": "shared"}},
            {"Type": "volume", "Source": "data", "Target": "/data"}
        ]}});
        let f = only(run(
            &SharedMountPropagation,
            &with_containers(host(), vec![container(c)]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(
            f.evidence[0].at,
            "/HostConfig/Mounts/0/BindOptions/Propagation"
        );
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let c = json!({"HostConfig": {"Binds": ["/mnt:/mnt:shared"]},
                       "State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&SharedMountPropagation, c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&SharedMountPropagation, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/csi",
                    "Mounts": [{"Type": "bind", "Source": "/var/lib/kubelet", "Destination": "/var/lib/kubelet",
                                "Propagation": "rshared"}],
                    "HostConfig": {"Binds": ["/var/lib/kubelet:/var/lib/kubelet:rshared"]}})),
                container(json!({"Name": "/web",
                    "Mounts": [{"Type": "bind", "Source": "/srv", "Destination": "/srv",
                                "Propagation": "rprivate"}]})),
            ],
        );
        insta::assert_snapshot!(render(&run(&SharedMountPropagation, &s)));
    }
}
