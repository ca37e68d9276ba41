//! Published ports as a container has them: the runtime bindings of a
//! running container, the configured ones of a stopped or never-started
//! one (published again when it starts). Shared by CIS 5.8, 5.9 and 5.14.

use bulwark_facts::{ContainerFacts, PortBinding};
use serde_json::json;

use crate::finding::{Evidence, Verdict, pointer_token};

/// One host binding of a published container port.
pub struct Binding {
    /// `80/tcp`.
    pub container_port: String,
    /// As the API gives it: `0.0.0.0`, `::`, `127.0.0.1`, or empty in a
    /// configured binding (the daemon's default address).
    pub host_ip: String,
    /// As the API gives it: a number, a range, or empty (random).
    pub host_port: String,
    /// JSON pointer of the binding in the inspect document.
    pub pointer: String,
}

impl Binding {
    /// `80/tcp → 0.0.0.0:8080`.
    pub fn describe(&self) -> String {
        format!("{} → {}", self.container_port, self.host_address())
    }

    /// `0.0.0.0:8080`, `[::]:8080`, `(default address):(random port)`.
    pub fn host_address(&self) -> String {
        let ip = match self.host_ip.as_str() {
            "" => "(default address)".to_string(),
            ip if ip.contains(':') && !ip.starts_with('[') => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let port = match self.host_port.as_str() {
            "" | "0" => "(random port)",
            port => port,
        };
        format!("{ip}:{port}")
    }

    /// The binding as evidence, at its own pointer.
    pub fn evidence(&self) -> Evidence {
        Evidence::inspect(
            self.pointer.clone(),
            json!({"HostIp": self.host_ip, "HostPort": self.host_port}),
        )
    }
}

/// A container's published ports.
pub struct Published {
    pub bindings: Vec<Binding>,
    /// True when read from `HostConfig.PortBindings` because the container
    /// is not running and has no runtime bindings.
    pub configured: bool,
    /// True when the container uses the host's network: nothing is
    /// published, its listeners are on the host directly.
    pub host_network: bool,
    /// `State.Status`, for the evidence.
    status: String,
    /// Where the bindings were read, and the field as the API gave it.
    root: &'static str,
    raw: serde_json::Value,
}

impl Published {
    /// The `not-applicable` verdict when the container publishes nothing:
    /// on the host's network (`host_network_note` says what that means for
    /// the rule) or with no bindings. `None` when it publishes ports.
    pub fn nothing_published(&self, host_network_note: &str) -> Option<Verdict> {
        if self.host_network {
            return Some(
                Verdict::not_applicable(
                    "no-published-ports",
                    format!("Uses the host's network: it publishes no ports, {host_network_note}."),
                )
                .with(self.host_network_evidence()),
            );
        }
        self.bindings.is_empty().then(|| {
            Verdict::not_applicable(
                "no-published-ports",
                format!("Publishes no ports{}.", self.when()),
            )
            .with(self.source_evidence())
        })
    }

    /// A phrase for messages about a container that is not running, whose
    /// configured bindings were read; empty for a running one.
    pub fn when(&self) -> &'static str {
        if self.configured {
            " when started (configured in HostConfig.PortBindings; not running)"
        } else {
            ""
        }
    }

    /// Every binding as evidence, after a note of where they were read.
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut evidence = Vec::new();
        if self.configured {
            evidence.push(self.status_evidence());
        }
        evidence.extend(self.bindings.iter().map(Binding::evidence));
        evidence
    }

    /// Where bindings were looked for, when there are none.
    pub fn source_evidence(&self) -> Evidence {
        Evidence::inspect(self.root, self.raw.clone())
    }

    /// The host network mode, for findings about a host-network container.
    pub fn host_network_evidence(&self) -> Evidence {
        Evidence::inspect("/HostConfig/NetworkMode", "host")
    }

    /// Why the configured bindings were read: the container's state. The
    /// bindings' own pointers (`/HostConfig/PortBindings/…`) show where.
    pub fn status_evidence(&self) -> Evidence {
        Evidence::inspect("/State/Status", self.status.as_str())
    }
}

/// The published ports of `c`: the runtime bindings of a running container,
/// the configured ones of a stopped or never-started container (they are
/// published again when it starts).
pub fn published(c: &ContainerFacts) -> Published {
    let inspect = &c.inspect;
    let host_network = inspect.host_config.network_mode == "host";
    let configured = !c.is_running();
    let (map, root) = if configured {
        (
            &inspect.host_config.port_bindings,
            "/HostConfig/PortBindings",
        )
    } else {
        (&inspect.network_settings.ports, "/NetworkSettings/Ports")
    };
    // On the host's network the engine discards port bindings.
    let bindings = if host_network {
        Vec::new()
    } else {
        map.iter()
            .flatten()
            .flat_map(|(port, list)| {
                list.iter()
                    .flatten()
                    .enumerate()
                    .map(move |(i, b): (usize, &PortBinding)| Binding {
                        container_port: port.clone(),
                        host_ip: b.host_ip.clone(),
                        host_port: b.host_port.clone(),
                        pointer: format!("{root}/{}/{i}", pointer_token(port)),
                    })
            })
            .collect()
    };
    Published {
        bindings,
        configured,
        host_network,
        status: inspect.state.status.clone(),
        root,
        raw: serde_json::to_value(map).unwrap_or_default(),
    }
}
