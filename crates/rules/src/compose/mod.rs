//! Rules about compose files: the compose form of the runtime concepts
//! (privileged, capabilities, mounts, namespaces, limits, root user).

mod docker_socket_in_service;
mod privileged_service;
mod sensitive_host_volume;
mod service_host_ipc;
mod service_host_network;
mod service_host_pid;
mod service_host_userns;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &privileged_service::PrivilegedService,
    &docker_socket_in_service::DockerSocketInService,
    &sensitive_host_volume::SensitiveHostVolume,
    &service_host_network::ServiceHostNetwork,
    &service_host_pid::ServiceHostPid,
    &service_host_ipc::ServiceHostIpc,
    &service_host_userns::ServiceHostUserns,
];
