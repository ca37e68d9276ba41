//! Rules about Dockerfiles.
//!
//! The helpers the rules of this folder share (the commands each RUN
//! executes, command wrappers, option parsing, stage chains, settings,
//! writes) are in [`shared`], private to the folder.

mod add_instead_of_copy;
mod apt_install_recommends;
mod base_image_latest;
mod base_image_untagged;
mod base_image_untrusted_registry;
mod content_trust_disabled;
mod copy_whole_stage;
mod credential_setup_in_run;
mod insecure_download;
mod no_user;
mod non_numeric_user;
mod package_signature_check_disabled;
mod password_set_in_run;
mod pipe_without_pipefail;
mod remote_add;
mod root_user;
mod secret_file_in_env;
mod secret_in_arg_env;
mod ssh_port_exposed;
mod sudo_in_run;
mod tls_verification_disabled;
mod unpinned_apk;
mod unpinned_apt;
mod unpinned_dnf;
mod unpinned_gem;
mod unpinned_go_install;
mod unpinned_npm;
mod unpinned_pip;
mod unpinned_yum;
mod unpinned_zypper;
mod update_alone;
mod workdir_in_system_dir;

mod shared;

pub(crate) use shared::*;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &no_user::NoUser,
    &root_user::RootUser,
    &non_numeric_user::NonNumericUser,
    &sudo_in_run::SudoInRun,
    &add_instead_of_copy::AddInsteadOfCopy,
    &remote_add::RemoteAdd,
    &base_image_latest::BaseImageLatest,
    &base_image_untagged::BaseImageUntagged,
    &base_image_untrusted_registry::BaseImageUntrustedRegistry,
    &content_trust_disabled::ContentTrustDisabled,
    &ssh_port_exposed::SshPortExposed,
    &update_alone::UpdateAlone,
    &apt_install_recommends::AptInstallRecommends,
    &unpinned_apt::UnpinnedApt,
    &unpinned_apk::UnpinnedApk,
    &unpinned_pip::UnpinnedPip,
    &unpinned_npm::UnpinnedNpm,
    &unpinned_gem::UnpinnedGem,
    &unpinned_yum::UnpinnedYum,
    &unpinned_dnf::UnpinnedDnf,
    &unpinned_zypper::UnpinnedZypper,
    &unpinned_go_install::UnpinnedGoInstall,
    &insecure_download::InsecureDownload,
    &tls_verification_disabled::TlsVerificationDisabled,
    &package_signature_check_disabled::PackageSignatureCheckDisabled,
    &password_set_in_run::PasswordSetInRun,
    &secret_in_arg_env::SecretInArgEnv,
    &credential_setup_in_run::CredentialSetupInRun,
    &secret_file_in_env::SecretFileInEnv,
    &pipe_without_pipefail::PipeWithoutPipefail,
    &workdir_in_system_dir::WorkdirInSystemDir,
    &copy_whole_stage::CopyWholeStage,
];

#[cfg(test)]
pub(crate) mod test_support {
    use bulwark_syntax::{Source, SourceKind};

    use crate::finding::Finding;
    use crate::rule::Rule;

    /// Lints one Dockerfile with one rule.
    pub fn dockerfile(rule: &dyn Rule, text: &str) -> Vec<Finding> {
        crate::testing::lint(
            rule,
            vec![Source::parse(
                "Dockerfile",
                SourceKind::Dockerfile,
                text.into(),
            )],
        )
    }

    /// `line:column` of each finding.
    pub fn positions(findings: &[Finding]) -> Vec<(u32, u32)> {
        findings
            .iter()
            .map(|f| {
                let l = f.location.clone().unwrap_or_else(|| panic!("no location"));
                (l.start_line, l.start_column)
            })
            .collect()
    }

    /// Like `testing::render`, each line prefixed with the finding's
    /// `line:column-line:column`.
    pub fn render_at(findings: &[Finding]) -> String {
        findings
            .iter()
            .map(|f| {
                let at = f
                    .location
                    .as_ref()
                    .map(|l| {
                        format!(
                            "{}:{}-{}:{} ",
                            l.start_line, l.start_column, l.end_line, l.end_column
                        )
                    })
                    .unwrap_or_default();
                format!("{at}{}", crate::testing::render(std::slice::from_ref(f)))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
