//! A service: the fields security rules read, each with its places.
//!
//! Every field is optional (`None` = not set, or set to a wrong value,
//! which is reported), so that rules can tell "not set" from "set to a
//! safe value". Other keys, `x-` extensions among them, are ignored
//! without a word: compose has many more (`volumes_from`, `group_add`,
//! `oom_kill_disable`, …), and one that a rule comes to need is one line in
//! [`service`] plus a field.

use serde::Serialize;

use super::build::{Build, build};
use super::devices::{Device, device};
use super::environment::{EnvFile, EnvVar, KeyValue, Sensitive, env_files, key_values};
use super::healthcheck::{Healthcheck, healthcheck};
use super::image::ImageRef;
use super::located::{Located, LocatedList, Place};
use super::logging::{Logging, logging};
use super::lower::{Path, Reader};
use super::mounts::{Mount, mount};
use super::ports::{Port, port};
use super::resources::{ByteSize, Cpus, Deploy, byte_size, cpus, deploy};
use super::secrets::{SecretRef, secret_ref};
use super::tree::{Node, Value};

/// One service of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    /// The service's key. Findings about a missing setting ("no `user:`")
    /// point here.
    pub name: Located<String>,
    /// False when a YAML error cut the service short: keys after the error
    /// are unknown, so rules about a missing key should stay silent.
    pub complete: bool,

    /// Another service this one inherits from, whose settings bulwark
    /// does not merge in: rules about a missing key should take it into
    /// account.
    pub extends: Option<Located<Extends>>,

    pub image: Option<Located<String>>,
    pub build: Option<Located<Build>>,
    /// As written: `1000`, `app`, `1000:1000`, `root`.
    pub user: Option<Located<String>>,
    pub privileged: Option<Located<bool>>,
    pub read_only: Option<Located<bool>>,
    pub cap_add: Option<LocatedList<String>>,
    pub cap_drop: Option<LocatedList<String>>,
    /// `no-new-privileges:true`, `seccomp:unconfined`, `apparmor:…`, …
    pub security_opt: Option<LocatedList<String>>,

    // Namespaces and cgroups.
    pub network_mode: Option<Located<String>>,
    pub pid: Option<Located<String>>,
    pub ipc: Option<Located<String>>,
    pub uts: Option<Located<String>>,
    pub userns_mode: Option<Located<String>>,
    pub cgroup_parent: Option<Located<String>>,

    // Host resources.
    pub volumes: Option<LocatedList<Mount>>,
    pub devices: Option<LocatedList<Device>>,
    pub device_cgroup_rules: Option<LocatedList<String>>,
    /// Paths, as written (`/run:size=64m`); a single string is a list of one.
    pub tmpfs: Option<LocatedList<String>>,
    pub ports: Option<LocatedList<Port>>,
    /// `net.ipv4.ip_forward=1` or the mapping form.
    pub sysctls: Option<LocatedList<KeyValue>>,

    // Limits and lifecycle.
    pub deploy: Option<Located<Deploy>>,
    pub mem_limit: Option<Located<ByteSize>>,
    pub cpus: Option<Located<Cpus>>,
    /// The other CPU controls, as written: a relative weight
    /// (`cpu_shares`), a CFS quota and period (`cpu_quota`, `cpu_period`),
    /// a CPU set (`cpuset: "0-1"`), and Windows' `cpu_count` and
    /// `cpu_percent`.
    pub cpu_shares: Option<Located<String>>,
    pub cpu_quota: Option<Located<String>>,
    pub cpu_period: Option<Located<String>>,
    pub cpuset: Option<Located<String>>,
    pub cpu_count: Option<Located<String>>,
    pub cpu_percent: Option<Located<String>>,
    pub pids_limit: Option<Located<i64>>,
    /// `no`, `always`, `on-failure[:N]`, `unless-stopped`.
    pub restart: Option<Located<String>>,
    pub healthcheck: Option<Located<Healthcheck>>,

    // Configuration and secrets.
    pub environment: Option<LocatedList<EnvVar>>,
    pub env_file: Option<LocatedList<EnvFile>>,
    pub secrets: Option<LocatedList<SecretRef>>,
    pub labels: Option<LocatedList<KeyValue>>,
    pub logging: Option<Located<Logging>>,
}

impl Service {
    fn new(name: Located<String>, complete: bool) -> Self {
        Service {
            name,
            complete,
            extends: None,
            image: None,
            build: None,
            user: None,
            privileged: None,
            read_only: None,
            cap_add: None,
            cap_drop: None,
            security_opt: None,
            network_mode: None,
            pid: None,
            ipc: None,
            uts: None,
            userns_mode: None,
            cgroup_parent: None,
            volumes: None,
            devices: None,
            device_cgroup_rules: None,
            tmpfs: None,
            ports: None,
            sysctls: None,
            deploy: None,
            mem_limit: None,
            cpus: None,
            cpu_shares: None,
            cpu_quota: None,
            cpu_period: None,
            cpuset: None,
            cpu_count: None,
            cpu_percent: None,
            pids_limit: None,
            restart: None,
            healthcheck: None,
            environment: None,
            env_file: None,
            secrets: None,
            labels: None,
            logging: None,
        }
    }

    /// The image reference split into name, tag and digest.
    pub fn image_ref(&self) -> Option<ImageRef<'_>> {
        self.image.as_ref().map(|i| ImageRef::parse(&i.value))
    }
}

/// `extends`: `base`, or `{service: base, file: common.yml}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extends {
    pub service: String,
    /// Another compose file holding it; `None` for this file.
    pub file: Option<String>,
}

fn extends(r: &mut Reader<'_>, path: &Path<'_>, node: &Node) -> Option<Extends> {
    if !matches!(node.value, Value::Map(_)) {
        let service = r.string(path, node)?.value;
        return Some(Extends {
            service,
            file: None,
        });
    }
    let mut service = None;
    let mut file = None;
    for e in r.mapping(path, node)? {
        let p = path.key(&e.key);
        match e.key.as_ref() {
            "service" => service = r.string(&p, e.value).map(|s| s.value),
            "file" => file = r.string(&p, e.value).map(|s| s.value),
            _ => {}
        }
    }
    let Some(service) = service else {
        let message = format!("{path} has no `service`");
        r.report(node, message, Some("a `service` key"));
        return None;
    };
    Some(Extends { service, file })
}

/// Reads the service `name` (located at its key) from `node`, its mapping,
/// into a new entry of `services`, or over `services[replace]` (a service
/// defined twice: the last one wins, in the first one's rank). Filled in
/// place: a `Service` is a few kilobytes, costly to move. False when the
/// value is not a mapping (reported), and nothing is added.
pub(crate) fn service(
    r: &mut Reader<'_>,
    path: &Path<'_>,
    name: Located<String>,
    node: &Node,
    services: &mut Vec<Service>,
    replace: Option<usize>,
) -> bool {
    let Some(entries) = r.mapping(path, node) else {
        // An empty service (`web:`) is an error for compose too; an empty
        // value has no place of its own, so point at the name.
        if matches!(node.value, Value::Null) {
            let message = format!("{path} must be a mapping, not an empty value");
            r.report_at(name.defined, message, Some("a mapping"));
        }
        return false;
    };
    let complete = node.complete();
    let s = match replace.and_then(|i| services.get_mut(i)) {
        Some(slot) => {
            *slot = Service::new(name, complete);
            slot
        }
        None => {
            // `resize_with` makes room before it builds the service, which
            // lets the compiler build it in the vector; `push` builds it on
            // the stack first and copies its kilobytes over.
            services.resize_with(services.len() + 1, || {
                Service::new(Located::direct(String::new(), Place::default()), false)
            });
            let Some(last) = services.last_mut() else {
                return false;
            };
            last.name = name;
            last.complete = complete;
            last
        }
    };
    for e in entries {
        let p = path.key(&e.key);
        let (p, v) = (&p, e.value);
        match e.key.as_ref() {
            "extends" => s.extends = extends(r, p, v).map(|x| r.located(v, x)),
            "image" => s.image = r.string(p, v),
            "build" => s.build = build(r, p, v).map(|b| r.located(v, b)),
            "user" => s.user = r.string(p, v),
            "privileged" => s.privileged = r.boolean(p, v),
            "read_only" => s.read_only = r.boolean(p, v),
            "cap_add" => s.cap_add = r.strings(p, v),
            "cap_drop" => s.cap_drop = r.strings(p, v),
            "security_opt" => s.security_opt = r.strings(p, v),
            "network_mode" => s.network_mode = r.string(p, v),
            "pid" => s.pid = r.string(p, v),
            "ipc" => s.ipc = r.string(p, v),
            "uts" => s.uts = r.string(p, v),
            "userns_mode" => s.userns_mode = r.string(p, v),
            "cgroup_parent" => s.cgroup_parent = r.string(p, v),
            "volumes" => s.volumes = r.list(p, v, mount),
            "devices" => s.devices = r.list(p, v, device),
            "device_cgroup_rules" => s.device_cgroup_rules = r.strings(p, v),
            "tmpfs" => s.tmpfs = r.string_or_list(p, v, |r, p, n| r.string(p, n).map(|s| s.value)),
            "ports" => s.ports = r.list(p, v, port),
            "sysctls" => s.sysctls = key_values(r, p, v, String::from),
            "deploy" => s.deploy = deploy(r, p, v).map(|d| r.located(v, d)),
            "mem_limit" => s.mem_limit = byte_size(r, p, v),
            "cpus" => s.cpus = cpus(r, p, v),
            "cpu_shares" => s.cpu_shares = r.string(p, v),
            "cpu_quota" => s.cpu_quota = r.string(p, v),
            "cpu_period" => s.cpu_period = r.string(p, v),
            "cpuset" => s.cpuset = r.string(p, v),
            "cpu_count" => s.cpu_count = r.string(p, v),
            "cpu_percent" => s.cpu_percent = r.string(p, v),
            "pids_limit" => s.pids_limit = r.integer(p, v),
            "restart" => s.restart = r.string(p, v),
            "healthcheck" => s.healthcheck = healthcheck(r, p, v).map(|h| r.located(v, h)),
            "environment" => s.environment = key_values(r, p, v, Sensitive::new),
            "env_file" => s.env_file = env_files(r, p, v),
            "secrets" => s.secrets = r.list(p, v, secret_ref),
            "labels" => s.labels = key_values(r, p, v, String::from),
            "logging" => s.logging = logging(r, p, v).map(|l| r.located(v, l)),
            _ => {}
        }
    }
    true
}
