//! Rules about the daemon's own configuration (CIS section 2).

mod aufs_storage_driver;
mod cgroup_parent_changed;
mod daemon_runs_as_root;
mod default_ulimits_unset;
mod dm_basesize_changed;
mod experimental_features_enabled;
mod icc_enabled;
mod insecure_registry;
mod iptables_disabled;
mod live_restore_disabled;
mod log_level_not_info;
mod new_privileges_allowed_by_default;
mod no_authorization_plugin;
mod no_custom_seccomp_profile;
mod no_remote_logging;
mod tcp_socket_without_tls;
mod userland_proxy_enabled;
mod userns_remap_disabled;
mod weak_api_certificate;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &daemon_runs_as_root::DaemonRunsAsRoot,
    &icc_enabled::IccEnabled,
    &log_level_not_info::LogLevelNotInfo,
    &iptables_disabled::IptablesDisabled,
    &insecure_registry::InsecureRegistry,
    &aufs_storage_driver::AufsStorageDriver,
    &tcp_socket_without_tls::TcpSocketWithoutTls,
    &default_ulimits_unset::DefaultUlimitsUnset,
    &userns_remap_disabled::UsernsRemapDisabled,
    &weak_api_certificate::WeakApiCertificate,
    &cgroup_parent_changed::CgroupParentChanged,
    &dm_basesize_changed::DmBasesizeChanged,
    &no_authorization_plugin::NoAuthorizationPlugin,
    &no_remote_logging::NoRemoteLogging,
    &new_privileges_allowed_by_default::NewPrivilegesAllowedByDefault,
    &live_restore_disabled::LiveRestoreDisabled,
    &userland_proxy_enabled::UserlandProxyEnabled,
    &no_custom_seccomp_profile::NoCustomSeccompProfile,
    &experimental_features_enabled::ExperimentalFeaturesEnabled,
];
