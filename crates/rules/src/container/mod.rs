//! Rules about each container's configuration and runtime state (CIS
//! section 5).

mod added_capabilities;
mod apparmor_unconfined;
mod custom_cgroup_parent;
mod default_bridge_network;
mod docker_socket_mounted;
mod host_devices;
mod host_ipc_namespace;
mod host_network_namespace;
mod host_pid_namespace;
mod host_user_namespace;
mod host_uts_namespace;
mod new_privileges_allowed;
mod no_cpu_limit;
mod no_healthcheck;
mod no_memory_limit;
mod no_pids_limit;
mod port_bound_to_all_interfaces;
mod privileged_container;
mod privileged_exec;
mod privileged_host_port;
mod published_ports;
mod root_exec;
mod seccomp_disabled;
mod selinux_label_missing;
mod sensitive_host_mount;
mod shared_mount_propagation;
mod sshd_in_container;
mod stale_image;
mod ulimit_override;
mod unbounded_restart_policy;
mod writable_root_filesystem;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &apparmor_unconfined::ApparmorUnconfined,
    &selinux_label_missing::SelinuxLabelMissing,
    &added_capabilities::AddedCapabilities,
    &privileged_container::PrivilegedContainer,
    &sensitive_host_mount::SensitiveHostMount,
    &sshd_in_container::SshdInContainer,
    &privileged_host_port::PrivilegedHostPort,
    &published_ports::PublishedPorts,
    &host_network_namespace::HostNetworkNamespace,
    &no_memory_limit::NoMemoryLimit,
    &no_cpu_limit::NoCpuLimit,
    &writable_root_filesystem::WritableRootFilesystem,
    &port_bound_to_all_interfaces::PortBoundToAllInterfaces,
    &unbounded_restart_policy::UnboundedRestartPolicy,
    &host_pid_namespace::HostPidNamespace,
    &host_ipc_namespace::HostIpcNamespace,
    &host_devices::HostDevices,
    &ulimit_override::UlimitOverride,
    &shared_mount_propagation::SharedMountPropagation,
    &host_uts_namespace::HostUtsNamespace,
    &seccomp_disabled::SeccompDisabled,
    &privileged_exec::PrivilegedExec,
    &root_exec::RootExec,
    &custom_cgroup_parent::CustomCgroupParent,
    &new_privileges_allowed::NewPrivilegesAllowed,
    &no_healthcheck::NoHealthcheck,
    &stale_image::StaleImage,
    &no_pids_limit::NoPidsLimit,
    &default_bridge_network::DefaultBridgeNetwork,
    &host_user_namespace::HostUserNamespace,
    &docker_socket_mounted::DockerSocketMounted,
];
