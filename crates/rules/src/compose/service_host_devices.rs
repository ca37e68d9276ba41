//! CMP024 `service-host-devices`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{Device, Located, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::{Check, Severity};
use crate::shared::compose::defined_at;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Which host devices a compose service can reach. This is the compose form
    /// of CTR018 (`host-devices`).
    /// - Each `devices` entry fails, at the entry: high severity when its
    ///   cgroup permissions include `m` (mknod), which they do when none are
    ///   given (`"/dev/sda"`, `"/dev/sda:/dev/xvda"`: the default is `rwm`);
    ///   medium with explicit permissions without `m`
    ///   (`"/dev/ttyUSB0:/dev/ttyUSB0:rw"`) and for CDI devices
    ///   (`nvidia.com/gpu=all`), which a person must still review.
    /// - Each `device_cgroup_rules` entry fails: high severity for a rule that
    ///   opens all devices (`a *:* rwm`) or every character or block device
    ///   for reading or writing (`c *:* rw`), medium for the others.
    ///
    /// Privileged services, which get every device, are left to CMP001. GPU
    /// reservations under `deploy.resources.reservations.devices` are not read.
    /// An entry from an anchor is reported where the service uses it, with the
    /// anchor's line as evidence.
    ///
    /// ## Why it matters
    /// A device node is a direct line into a kernel driver. Write access to the
    /// host's block device bypasses every file permission and mount option;
    /// `/dev/mem`, `/dev/kmsg` or a GPU driver expose kernel memory and a large
    /// attack surface. With `mknod` permission, the container can create and
    /// open any device the cgroup rules allow.
    ///
    /// ## How to fix
    /// Pass only the devices the workload needs, with explicit permissions and
    /// without `m`: `devices: ["/dev/ttyUSB0:/dev/ttyUSB0:rw"]`. Replace
    /// wildcard `device_cgroup_rules` with exact major:minor numbers.
    ///
    /// ## Examples
    /// Fails: `devices: ["/dev/sda:/dev/xvda"]` (high),
    /// `device_cgroup_rules: ["c *:* rmw"]` (high),
    /// `devices: ["/dev/ttyUSB0:/dev/ttyUSB0:rw"]` (medium).
    /// Passes: a service without `devices`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.18
    /// - <https://docs.docker.com/reference/compose-file/services/#devices>
    pub ServiceHostDevices {
        id: "CMP024",
        name: "service-host-devices",
        severity: High,
        target: Compose,
        summary: "A compose service has direct access to host devices",
    }
}

impl Check for ServiceHostDevices {
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

fn judge(src: &Source, service: &Service) -> Vec<Verdict> {
    if service.privileged.as_ref().is_some_and(|p| p.value) {
        return Vec::new();
    }
    let name = &service.name.value;
    let mut verdicts = Vec::new();
    for d in service.devices.iter().flat_map(|l| &l.value) {
        let (message, severity) = device(name, &d.value);
        verdicts.push(at_entry(src, d, "devices entry", message, severity));
    }
    for rule in service.device_cgroup_rules.iter().flat_map(|l| &l.value) {
        let (message, severity) = if grants_every_device(&rule.value) {
            (
                format!(
                    "Service `{name}` has device cgroup rule '{}', which opens every device of its type.",
                    rule.value
                ),
                Severity::High,
            )
        } else {
            (
                format!(
                    "Service `{name}` has device cgroup rule '{}': verify the device is needed.",
                    rule.value
                ),
                Severity::Medium,
            )
        };
        verdicts.push(at_entry(
            src,
            rule,
            "device_cgroup_rules entry",
            message,
            severity,
        ));
    }
    verdicts
}

/// The message and severity for one `devices` entry.
fn device(service: &str, d: &Device) -> (String, Severity) {
    let target = d.target.as_deref().unwrap_or(&d.source);
    // A CDI name (`vendor.com/class=name`) is not a path.
    if !d.source.starts_with('/') && d.source.contains('=') {
        return (
            format!(
                "Service `{service}` is given CDI device {}: verify it is needed and trusted.",
                d.source
            ),
            Severity::Medium,
        );
    }
    match d.permissions.as_deref() {
        None => (
            format!(
                "Service `{service}` is given host device {} at {target} with the default permissions rwm, mknod included.",
                d.source
            ),
            Severity::High,
        ),
        Some(p) if p.contains('m') => (
            format!(
                "Service `{service}` is given host device {} at {target} with permissions {p}, mknod included.",
                d.source
            ),
            Severity::High,
        ),
        Some(p) => (
            format!(
                "Service `{service}` is given host device {} at {target} ({p}): verify it is needed.",
                d.source
            ),
            Severity::Medium,
        ),
    }
}

/// True for a device cgroup rule (`type major:minor access`) that opens
/// all devices (`a`), or every character or block device (a `*` major)
/// for reading or writing (as in CTR018).
fn grants_every_device(rule: &str) -> bool {
    let mut words = rule.split_whitespace();
    let (Some(kind), Some(numbers)) = (words.next(), words.next()) else {
        return false;
    };
    let access = words.next().unwrap_or_default();
    let major = numbers.split(':').next().unwrap_or_default();
    kind == "a" || (major == "*" && access.contains(['r', 'w']))
}

/// A failure at `item`, naming the anchor it comes from.
fn at_entry<T>(
    src: &Source,
    item: &Located<T>,
    what: &str,
    message: String,
    severity: Severity,
) -> Verdict {
    let verdict = Verdict::fail(message)
        .severity(severity)
        .at(location(src, item.used.span));
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
            &ServiceHostDevices,
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

    fn one_device(spec: &str) -> Vec<Finding> {
        compose(&format!(
            "services:\n  app:\n    devices:\n      - \"{spec}\"\n"
        ))
    }

    #[test]
    fn devices_with_mknod_fail_high_at_the_entry() {
        for spec in [
            "/dev/sda",
            "/dev/sda:/dev/xvda",
            "/dev/sda:/dev/xvda:rwm",
            "/dev/mem:/dev/mem:m",
        ] {
            let f = one_device(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(f[0].severity, Severity::High, "{spec}");
            assert_eq!(at(&f[0]), (4, 9), "{spec}");
        }
    }

    #[test]
    fn devices_without_mknod_and_cdi_devices_fail_medium() {
        for spec in [
            "/dev/ttyUSB0:/dev/ttyUSB0:rw",
            "/dev/snd:/dev/snd:r",
            "nvidia.com/gpu=all",
        ] {
            let f = one_device(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(f[0].severity, Severity::Medium, "{spec}");
        }
    }

    #[test]
    fn long_syntax_devices_are_read() {
        let f = compose(
            "services:\n  app:\n    devices:\n      - source: /dev/sda\n        target: /dev/xvda\n        permissions: rw\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Medium);
    }

    #[test]
    fn wildcard_cgroup_rules_fail_high() {
        let f = compose(
            "services:\n  app:\n    device_cgroup_rules:\n      - 'a *:* rwm'\n      - 'c *:* rw'\n      - 'c 188:* rmw'\n      - 'b *:* m'\n",
        );
        let sev: Vec<Severity> = f.iter().map(|f| f.severity).collect();
        assert_eq!(
            sev,
            [
                Severity::High,
                Severity::High,
                Severity::Medium,
                Severity::Medium
            ]
        );
    }

    #[test]
    fn no_devices_and_privileged_services_pass() {
        assert!(compose("services:\n  app:\n    image: a\n").is_empty());
        assert!(
            compose("services:\n  app:\n    privileged: true\n    devices: [/dev/sda]\n")
                .is_empty()
        );
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-d: &d\n  devices: [/dev/kvm]\nservices:\n  a:\n    <<: *d\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:13");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  backup:\n    devices:\n      - /dev/sda:/dev/xvda\n      - /dev/ttyUSB0:/dev/ttyUSB0:rw\n    device_cgroup_rules: ['c *:* rmw']\n  ml:\n    devices: [nvidia.com/gpu=all]\n"
        )));
    }
}
