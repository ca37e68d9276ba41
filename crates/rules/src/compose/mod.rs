//! Rules about compose files: the compose form of the runtime concepts
//! (privileged, capabilities, mounts, namespaces, limits, root user).

mod docker_socket_in_service;
mod privileged_service;
mod sensitive_host_volume;
mod service_cgroup_parent;
mod service_confinement_disabled;
mod service_content_trust_disabled;
mod service_hard_coded_secret;
mod service_host_devices;
mod service_host_ipc;
mod service_host_network;
mod service_host_pid;
mod service_host_userns;
mod service_image_latest;
mod service_image_untrusted_registry;
mod service_new_privileges_allowed;
mod service_no_cpu_limit;
mod service_no_healthcheck;
mod service_no_memory_limit;
mod service_no_pids_limit;
mod service_port_all_interfaces;
mod service_privileged_port;
mod service_runs_as_root;
mod service_seccomp_unconfined;
mod service_unbounded_restart;
mod service_writable_root;
mod shared_volume_propagation;
mod unrestricted_service_capabilities;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &privileged_service::PrivilegedService,
    &unrestricted_service_capabilities::UnrestrictedServiceCapabilities,
    &docker_socket_in_service::DockerSocketInService,
    &sensitive_host_volume::SensitiveHostVolume,
    &shared_volume_propagation::SharedVolumePropagation,
    &service_host_network::ServiceHostNetwork,
    &service_host_pid::ServiceHostPid,
    &service_host_ipc::ServiceHostIpc,
    &service_host_userns::ServiceHostUserns,
    &service_cgroup_parent::ServiceCgroupParent,
    &service_seccomp_unconfined::ServiceSeccompUnconfined,
    &service_confinement_disabled::ServiceConfinementDisabled,
    &service_new_privileges_allowed::ServiceNewPrivilegesAllowed,
    &service_no_memory_limit::ServiceNoMemoryLimit,
    &service_no_cpu_limit::ServiceNoCpuLimit,
    &service_no_pids_limit::ServiceNoPidsLimit,
    &service_unbounded_restart::ServiceUnboundedRestart,
    &service_no_healthcheck::ServiceNoHealthcheck,
    &service_port_all_interfaces::ServicePortAllInterfaces,
    &service_privileged_port::ServicePrivilegedPort,
    &service_hard_coded_secret::ServiceHardCodedSecret,
    &service_writable_root::ServiceWritableRoot,
    &service_host_devices::ServiceHostDevices,
    &service_runs_as_root::ServiceRunsAsRoot,
    &service_image_latest::ServiceImageLatest,
    &service_image_untrusted_registry::ServiceImageUntrustedRegistry,
    &service_content_trust_disabled::ServiceContentTrustDisabled,
];
