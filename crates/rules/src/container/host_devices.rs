//! CTR018 `host-devices`.

use bulwark_facts::ContainerFacts;
use serde_json::Value;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Which host devices a container can reach, from every field that can
    /// grant one:
    /// - `HostConfig.Privileged`: every host device; fails.
    /// - `HostConfig.Devices[]` (`--device`): fails when
    ///   `CgroupPermissions` contains `m` (mknod); any other device needs
    ///   a person, and is listed.
    /// - `HostConfig.DeviceCgroupRules` (`--device-cgroup-rule`): fails for
    ///   a rule of type `a` (all devices) and for a wildcard major number
    ///   (`c *:* rwm`, `b *:* rw`) granting read or write, i.e. every
    ///   character or block device; other rules need a person.
    /// - `HostConfig.DeviceRequests` (`--gpus`): needs a person, listed.
    ///
    /// A container with none of these passes. Stopped containers are
    /// checked too.
    ///
    /// ## Why it matters
    /// A device node is a direct line into a kernel driver. Write access to
    /// the host's block device bypasses every file permission and mount
    /// option; `/dev/mem`, `/dev/kmsg` or a GPU driver expose kernel
    /// memory and a large attack surface. A wildcard cgroup rule combines
    /// with Docker's default `mknod` permission to let the container create
    /// and open any device of that type.
    ///
    /// ## How to fix
    /// Pass only the devices the workload needs, without `m`:
    /// `--device=/dev/ttyUSB0:/dev/ttyUSB0:rw` (compose:
    /// `devices: ["/dev/ttyUSB0:/dev/ttyUSB0:rw"]`). Replace wildcard
    /// `--device-cgroup-rule` entries with exact major:minor numbers, and
    /// remove `--privileged`.
    ///
    /// ## Examples
    /// Fails: `docker run --device=/dev/sda:/dev/xvda:rwm app`,
    /// `docker run --device-cgroup-rule='a *:* rwm' app`.
    /// Needs a person: `docker run --device=/dev/ttyUSB0:/dev/ttyUSB0:rw app`,
    /// `docker run --gpus all app`.
    /// Passes: `docker run app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.18
    /// - <https://docs.docker.com/reference/cli/docker/container/run/#device>
    pub HostDevices {
        id: "CTR018",
        name: "host-devices",
        severity: High,
        target: Container,
        summary: "A container has direct access to host devices",
    }
}

impl Check for HostDevices {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let hc = &c.inspect.host_config;
    let devices = hc.devices.as_deref().unwrap_or_default();
    let rules = hc.device_cgroup_rules.as_deref().unwrap_or_default();
    let requests = hc.device_requests.as_deref().unwrap_or_default();

    let mut bad = Vec::new(); // why it fails
    let mut listed = Vec::new(); // what a person must look at
    let mut evidence = Vec::new();

    if hc.privileged {
        bad.push("privileged (every host device)".to_string());
        evidence.push(Evidence::inspect("/HostConfig/Privileged", true));
    }
    for (i, d) in devices.iter().enumerate() {
        let perms = d.cgroup_permissions.as_str();
        let shown = format!("{}:{}:{}", d.path_on_host, d.path_in_container, perms);
        evidence.push(Evidence::inspect(
            format!("/HostConfig/Devices/{i}"),
            shown.clone(),
        ));
        if perms.contains('m') {
            bad.push(format!("device {shown} with mknod"));
        } else if perms.is_empty() {
            // The CLI always records permissions (default rwm); an API
            // client may not, and then the rights are not known here.
            listed.push(format!("device {shown} (permissions not recorded)"));
        } else {
            listed.push(format!("device {shown}"));
        }
    }
    for (i, rule) in rules.iter().enumerate() {
        evidence.push(Evidence::inspect(
            format!("/HostConfig/DeviceCgroupRules/{i}"),
            rule.as_str(),
        ));
        if grants_every_device(rule) {
            bad.push(format!("cgroup rule '{rule}'"));
        } else {
            listed.push(format!("cgroup rule '{rule}'"));
        }
    }
    for (i, request) in requests.iter().enumerate() {
        evidence.push(Evidence::inspect(
            format!("/HostConfig/DeviceRequests/{i}"),
            request.clone(),
        ));
        listed.push(format!("device request {}", describe_request(request)));
    }

    if !bad.is_empty() {
        Verdict::fail(format!(
            "Has direct host device access: {}.",
            bad.join("; ")
        ))
        .with_all(evidence)
    } else if !listed.is_empty() {
        Verdict::manual(format!(
            "Verify: each host device is needed and trusted: {}.",
            listed.join("; ")
        ))
        .with_all(evidence)
    } else {
        Verdict::pass("No host devices are exposed.")
            .with(Evidence::inspect(
                "/HostConfig/Devices",
                Value::Array(vec![]),
            ))
            .with(Evidence::inspect(
                "/HostConfig/DeviceCgroupRules",
                Value::Array(vec![]),
            ))
            .with(Evidence::inspect(
                "/HostConfig/DeviceRequests",
                Value::Array(vec![]),
            ))
            .with(Evidence::inspect("/HostConfig/Privileged", false))
    }
}

/// True for a device cgroup rule (`type major:minor access`) that opens
/// all devices (`a`), or every character or block device (a `*` major)
/// for reading or writing. Docker's default rules already allow `mknod`
/// of any device, so read/write on a wildcard is enough to reach them all.
fn grants_every_device(rule: &str) -> bool {
    let mut words = rule.split_whitespace();
    let (Some(kind), Some(numbers)) = (words.next(), words.next()) else {
        return false;
    };
    let access = words.next().unwrap_or_default();
    let major = numbers.split(':').next().unwrap_or_default();
    kind == "a" || (major == "*" && access.contains(['r', 'w']))
}

/// `nvidia count=all [gpu]`, from a `DeviceRequests[]` entry.
fn describe_request(request: &Value) -> String {
    let driver = request
        .get("Driver")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
        .unwrap_or("default driver");
    let which = match request.get("DeviceIDs").and_then(Value::as_array) {
        Some(ids) if !ids.is_empty() => format!(
            "ids={}",
            ids.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(",")
        ),
        _ => match request.get("Count").and_then(Value::as_i64) {
            Some(-1) => "count=all".to_string(),
            Some(n) => format!("count={n}"),
            None => "count=?".to_string(),
        },
    };
    let caps = request
        .get("Capabilities")
        .map(|c| c.to_string())
        .unwrap_or_default();
    format!("{driver} {which} {caps}").trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn device(perms: &str) -> Value {
        json!({"HostConfig": {"Devices": [
            {"PathOnHost": "/dev/sda", "PathInContainer": "/dev/xvda", "CgroupPermissions": perms}
        ]}})
    }

    #[test]
    fn no_devices_passes() {
        assert_eq!(status_of(&HostDevices, json!({})), Status::Pass);
        assert_eq!(
            status_of(
                &HostDevices,
                json!({"HostConfig": {"Devices": [], "DeviceCgroupRules": null, "DeviceRequests": null}})
            ),
            Status::Pass
        );
    }

    #[test]
    fn a_device_with_mknod_fails() {
        assert_eq!(status_of(&HostDevices, device("rwm")), Status::Fail);
        assert_eq!(status_of(&HostDevices, device("m")), Status::Fail);
    }

    #[test]
    fn a_device_without_mknod_is_listed_for_a_person() {
        let f = only(run(
            &HostDevices,
            &with_containers(host(), vec![container(device("rw"))]),
        ));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        assert!(f.message.contains("/dev/sda:/dev/xvda:rw"), "{}", f.message);
        assert_eq!(f.evidence[0].at, "/HostConfig/Devices/0");
    }

    #[test]
    fn a_device_with_unrecorded_permissions_never_passes() {
        assert_eq!(status_of(&HostDevices, device("")), Status::Manual);
    }

    #[test]
    fn privileged_means_every_device() {
        assert_eq!(
            status_of(&HostDevices, json!({"HostConfig": {"Privileged": true}})),
            Status::Fail
        );
    }

    #[test]
    fn wildcard_cgroup_rules_fail_and_scoped_ones_are_listed() {
        let rule = |r: &str| json!({"HostConfig": {"DeviceCgroupRules": [r]}});
        for r in ["a *:* rwm", "c *:* rwm", "b *:* rw", "a 1:3 r", "c *:* w"] {
            assert_eq!(status_of(&HostDevices, rule(r)), Status::Fail, "{r}");
        }
        for r in ["c 42:* rmw", "c 1:3 mr", "c *:* m"] {
            assert_eq!(status_of(&HostDevices, rule(r)), Status::Manual, "{r}");
        }
    }

    #[test]
    fn device_requests_are_listed_for_a_person() {
        let gpus = json!({"HostConfig": {"DeviceRequests": [
            {"Driver": "", "Count": -1, "DeviceIDs": null, "Capabilities": [["gpu"]]}
        ]}});
        let f = only(run(
            &HostDevices,
            &with_containers(host(), vec![container(gpus)]),
        ));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("count=all"), "{}", f.message);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let mut c = device("rwm");
        c["State"] = json!({"Status": "exited", "Running": false});
        assert_eq!(status_of(&HostDevices, c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&HostDevices, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/disk", "HostConfig": {
                    "Devices": [{"PathOnHost": "/dev/sda", "PathInContainer": "/dev/sda", "CgroupPermissions": "rwm"}],
                    "DeviceCgroupRules": ["c 42:* rmw"]}})),
                container(json!({"Name": "/serial", "HostConfig": {
                    "Devices": [{"PathOnHost": "/dev/ttyUSB0", "PathInContainer": "/dev/ttyUSB0", "CgroupPermissions": "rw"}]}})),
                container(json!({"Name": "/ml", "HostConfig": {"DeviceRequests": [
                    {"Driver": "nvidia", "Count": 0, "DeviceIDs": ["0", "1"], "Capabilities": [["gpu"]]}]}})),
                container(json!({"Name": "/web"})),
            ],
        );
        insta::assert_snapshot!(render(&run(&HostDevices, &s)));
    }
}
