//! DKF043 `package-signature-check-disabled`.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::Word;

use super::{
    Program, ProgramSet, SettingKind, Takes, basename, each_command, settings, short_takes_next,
    squeezed, written_to,
};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether the build installs packages with their signature or digest
    /// checks turned off:
    /// - options: `apk --allow-untrusted`; `apt-get`/`apt`
    ///   `--allow-unauthenticated`, `--force-yes`,
    ///   `--allow-insecure-repositories`, `-o APT::Get::AllowUnauthenticated=true`,
    ///   `-o Acquire::AllowInsecureRepositories=true`; `yum`, `dnf`,
    ///   `microdnf`, `tdnf` `--nogpgcheck` or `--setopt=…gpgcheck=0`;
    ///   `rpm --nosignature`, `--nodigest`, `--nofiledigest`, `--noverify`;
    ///   `zypper --no-gpg-checks`;
    /// - configuration the build writes (`echo … > f`, `… | tee f`,
    ///   `cat <<EOF > f`, `sed -i` replacements, `COPY <<EOF f`) under
    ///   `/etc/apt/`, `/etc/yum.conf`, `/etc/yum.repos.d/`, `/etc/dnf/` or
    ///   `/etc/zypp/`: `[trusted=yes]`, `allow-insecure=yes`,
    ///   `AllowUnauthenticated "true"`, `gpgcheck=0` (also `repo_gpgcheck`,
    ///   `pkg_gpgcheck`);
    /// - Go's checksum database turned off: `GOSUMDB=off` in `ENV`, `ARG`
    ///   or a RUN assignment, `go env -w GOSUMDB=off`.
    ///
    /// Commands are read in shell form, heredoc scripts, exec form and
    /// `sh -c "…"`; strings that are not written to those files, and
    /// comments, do not count. The finding points at the option or text.
    ///
    /// ## Why it matters
    /// Package signatures are what ties a package to its publisher: with
    /// the check off, a mirror, proxy or network attacker can serve any
    /// package, and it is installed as root into the image.
    ///
    /// ## How to fix
    /// Remove the option or setting and import the repository's signing
    /// key instead (`signed-by=` for apt, `rpm --import` or `gpgkey=` for
    /// rpm repositories, the key in `/etc/apk/keys/` for apk).
    ///
    /// ## Examples
    /// Fails: `RUN apk add --allow-untrusted /tmp/pkg.apk`,
    /// `RUN dnf install -y --nogpgcheck foo`,
    /// `RUN echo "deb [trusted=yes] http://repo.example/ ./" > /etc/apt/sources.list.d/x.list`.
    /// Passes: `RUN dnf install -y foo`, `echo "gpgcheck=1" >> /etc/dnf/dnf.conf`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.11
    /// - Checkov CKV2_DOCKER_7, CKV2_DOCKER_8, CKV2_DOCKER_9, CKV2_DOCKER_10, CKV2_DOCKER_11
    /// - <https://wiki.debian.org/SecureApt>
    pub PackageSignatureCheckDisabled {
        id: "DKF043",
        name: "package-signature-check-disabled",
        severity: High,
        target: Dockerfile,
        summary: "Packages are installed without signature verification",
    }
}

fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

fn falsy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "false" | "0" | "no" | "off"
    )
}

/// An apt configuration assignment (`APT::Get::AllowUnauthenticated=true`)
/// that turns a check off.
fn apt_option_off(option: &str) -> bool {
    let Some((key, value)) = option.split_once('=') else {
        return false;
    };
    let key = key.to_ascii_lowercase();
    (key.ends_with("allowunauthenticated") || key.ends_with("allowinsecurerepositories"))
        && truthy(value)
}

/// A `--setopt` value (`gpgcheck=0`, `*.repo_gpgcheck=False`) that turns
/// a check off.
fn setopt_off(setting: &str) -> bool {
    let Some((key, value)) = setting.split_once('=') else {
        return false;
    };
    key.to_ascii_lowercase().ends_with("gpgcheck") && falsy(value)
}

/// The programs [`disabling_options`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[
    Program::Apk,
    Program::AptGet,
    Program::Apt,
    Program::Aptitude,
    Program::Yum,
    Program::Dnf,
    Program::YumConfigManager,
    Program::Rpm,
    Program::Zypper,
    Program::Go,
]);

/// The package managers [`disabling_options`] reads, by how their
/// options are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Manager {
    Apk,
    Apt,
    Rpm,
    RpmTool,
    Zypper,
    Go,
}

impl Manager {
    fn of(name: &str) -> Option<Manager> {
        Some(match name {
            "apk" => Manager::Apk,
            "apt-get" | "apt" | "aptitude" => Manager::Apt,
            "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "yum-config-manager" => Manager::Rpm,
            "rpm" => Manager::RpmTool,
            "zypper" => Manager::Zypper,
            "go" => Manager::Go,
            _ => return None,
        })
    }
}

/// apt's short options that take a value, other than `-o` (read apart).
const APT_SHORT_TAKES: Takes = Takes::new(&["-c", "-t"]);

/// Why the options of one command turn a check off.
pub(super) fn disabling_options(words: &[Word]) -> Vec<(&Word, String)> {
    let Some(program) = words.first() else {
        return Vec::new();
    };
    let name = basename(&program.value);
    // The manager is told once, not once per argument.
    let Some(manager) = Manager::of(name) else {
        return Vec::new();
    };
    let args = &words[1..];
    // An apt command turns a check off only through one of these words
    // (most install commands have none): without one, nothing is found,
    // whatever words the option values below would skip.
    if manager == Manager::Apt
        && !args.iter().any(|w| {
            let v = w.value.as_str();
            v.starts_with("-o")
                || v.starts_with("--option")
                || matches!(
                    v,
                    "--allow-unauthenticated" | "--force-yes" | "--allow-insecure-repositories"
                )
        })
    {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let v = w.value.as_str();
        let hit = match manager {
            Manager::Apk => v == "--allow-untrusted",
            // A word without a dash (most: package names) sets nothing.
            Manager::Apt if !v.starts_with('-') => false,
            Manager::Apt => {
                if matches!(
                    v,
                    "--allow-unauthenticated" | "--force-yes" | "--allow-insecure-repositories"
                ) {
                    true
                } else if v == "-o" || v == "--option" {
                    let next = args.get(i);
                    i += 1;
                    if let Some(n) = next.filter(|n| apt_option_off(&n.value)) {
                        found.push((n, format!("`{name} -o {}`", n.value)));
                    }
                    false
                } else if let Some(o) = v
                    .strip_prefix("--option=")
                    .or_else(|| v.strip_prefix("-o").filter(|_| !v.starts_with("--")))
                {
                    apt_option_off(o)
                } else {
                    false
                }
            }
            Manager::Rpm => {
                if v == "--nogpgcheck" || v == "--no-gpgchecks" {
                    true
                } else if v == "--setopt" {
                    let next = args.get(i);
                    i += 1;
                    if let Some(n) = next.filter(|n| setopt_off(&n.value)) {
                        found.push((n, format!("`{name} --setopt {}`", n.value)));
                    }
                    false
                } else if let Some(o) = v.strip_prefix("--setopt=") {
                    setopt_off(o)
                } else {
                    false
                }
            }
            Manager::RpmTool => matches!(
                v,
                "--nosignature" | "--nodigest" | "--nofiledigest" | "--noverify"
            ),
            Manager::Zypper => matches!(v, "--no-gpg-checks" | "--no-gpg-check"),
            Manager::Go => {
                // `go env -w GOSUMDB=off`
                args.first().is_some_and(|a| a.value == "env")
                    && v.split_once('=')
                        .is_some_and(|(k, val)| k == "GOSUMDB" && val.eq_ignore_ascii_case("off"))
            }
        };
        if hit {
            found.push((w, format!("`{name} {v}`")));
        }
        // Skip the value of short options that take one (`-o X` handled).
        if manager == Manager::Apt
            && !v.starts_with("--")
            && v != "-o"
            && short_takes_next(v, &APT_SHORT_TAKES)
        {
            i += 1;
        }
    }
    found
}

/// Whether a line of package-manager configuration turns a check off.
fn config_off(text: &str) -> Option<&'static str> {
    let t = squeezed(text);
    if t.contains("trusted=yes") {
        return Some("[trusted=yes]");
    }
    if t.contains("allow-insecure=yes") {
        return Some("allow-insecure=yes");
    }
    for key in ["allowunauthenticated", "allowinsecurerepositories"] {
        if let Some(at) = t.find(key) {
            let rest = t[at + key.len()..].trim_start_matches('=');
            if ["true", "1", "yes"].iter().any(|v| rest.starts_with(v)) {
                return Some("AllowUnauthenticated/AllowInsecureRepositories true");
            }
        }
    }
    let mut rest = t.as_str();
    while let Some(at) = rest.find("gpgcheck=") {
        let value = &rest[at + "gpgcheck=".len()..];
        if ["0", "false", "no", "off"]
            .iter()
            .any(|v| value.starts_with(v))
        {
            return Some("gpgcheck=0");
        }
        rest = value;
    }
    None
}

pub(super) fn is_package_config(path: &str) -> bool {
    [
        "/etc/apt/",
        "/etc/yum.repos.d/",
        "/etc/dnf/",
        "/etc/zypp/",
        "/etc/yum/",
    ]
    .iter()
    .any(|d| path.starts_with(d))
        || path == "/etc/yum.conf"
}

impl Check for PackageSignatureCheckDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            let mut found: Vec<(Span, String)> = Vec::new();
            each_command(ctx, src, PROGRAMS, |_, _, words| {
                for (word, what) in disabling_options(words) {
                    found.push((
                        word.span,
                        format!("{what} turns off package signature checks."),
                    ));
                }
            });
            for w in written_to(ctx, src, &is_package_config) {
                if let Some(what) = config_off(&w.text) {
                    found.push((
                        w.span,
                        format!("The build writes `{what}` to `{}`, turning off package signature checks.", w.path),
                    ));
                }
            }
            for s in settings(ctx, src).iter() {
                let off = s.name == "GOSUMDB"
                    && s.value(df).is_some_and(|v| v.eq_ignore_ascii_case("off"));
                if off {
                    let how = match s.kind {
                        SettingKind::Env => "ENV",
                        SettingKind::Arg => "ARG",
                        SettingKind::Shell => "RUN",
                    };
                    found.push((
                        s.span,
                        format!("{how} sets GOSUMDB=off: Go module checksums are not verified."),
                    ));
                }
            }
            found.sort_by_key(|(span, _)| *span);
            found.dedup_by_key(|(span, _)| *span);
            for (span, message) in found {
                out.push(subject(src), Verdict::fail(message).at(location(src, span)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&PackageSignatureCheckDisabled, text)
    }

    #[test]
    fn options_fail_at_the_option() {
        assert_eq!(
            positions(&lint("FROM a\nRUN apk add --allow-untrusted /tmp/x.apk\n")),
            [(2, 13)]
        );
        for c in [
            "apt-get install -y --allow-unauthenticated x",
            "apt-get install --force-yes x",
            "apt-get -o APT::Get::AllowUnauthenticated=true install x",
            "apt-get -oAcquire::AllowInsecureRepositories=1 update",
            "apt update --allow-insecure-repositories",
            "dnf install -y --nogpgcheck x",
            "yum --setopt=gpgcheck=0 install x",
            "microdnf --setopt=*.repo_gpgcheck=False install x",
            "tdnf install --nogpgcheck x",
            "rpm -i --nosignature x.rpm",
            "rpm -Uvh --nodigest x.rpm",
            "zypper --no-gpg-checks install x",
            "sudo dnf install --nogpgcheck x",
            "go env -w GOSUMDB=off",
        ] {
            assert_eq!(lint(&format!("FROM a\nRUN {c}\n")).len(), 1, "{c}");
        }
    }

    #[test]
    fn safe_options_pass() {
        for c in [
            "apt-get install -y x",
            "apt-get -o APT::Get::AllowUnauthenticated=false install x",
            "dnf --setopt=gpgcheck=1 install x",
            "apk add --no-cache x",
            "echo --nogpgcheck",
            "rpm --import key.asc",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn configuration_written_to_package_files_fails() {
        let f = lint(
            "FROM a\nRUN echo \"deb [trusted=yes] http://r.example/ ./\" > /etc/apt/sources.list.d/r.list\n",
        );
        assert_eq!(positions(&f), [(2, 10)]);
        assert_eq!(
            lint("FROM a\nRUN printf 'gpgcheck = 0\\n' | tee -a /etc/yum.conf\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/x.repo\n").len(),
            1
        );
        assert_eq!(
            positions(&lint(
                "FROM a\nRUN cat <<EOF > /etc/apt/apt.conf.d/99x\nAPT::Get::AllowUnauthenticated \"true\";\nEOF\n"
            )),
            [(3, 1)]
        );
        assert_eq!(
            lint("FROM a\nCOPY <<EOF /etc/yum.repos.d/x.repo\n[x]\ngpgcheck=0\nEOF\n").len(),
            1
        );
    }

    #[test]
    fn the_same_text_elsewhere_passes() {
        assert!(lint("FROM a\nRUN echo \"deb [trusted=yes] x\"\n").is_empty());
        assert!(lint("FROM a\nRUN echo gpgcheck=0 > /tmp/notes\n").is_empty());
        assert!(lint("FROM a\nRUN sed -i 's/gpgcheck=0/gpgcheck=1/' /etc/yum.conf\n").is_empty());
        assert!(lint("FROM a\n# apk add --allow-untrusted\nRUN true\n").is_empty());
    }

    #[test]
    fn gosumdb_off_in_env_arg_or_run() {
        assert_eq!(positions(&lint("FROM a\nENV GOSUMDB=off\n")), [(2, 5)]);
        assert_eq!(lint("FROM a\nARG GOSUMDB=off\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN GOSUMDB=off go mod download\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN export GOSUMDB=off\n").len(), 1);
        assert!(lint("FROM a\nENV GOSUMDB=sum.golang.org\n").is_empty());
    }

    #[test]
    fn heredoc_scripts_and_nested_shells() {
        assert_eq!(
            lint("FROM a\nRUN <<EOF\napk add --allow-untrusted x\nEOF\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN [\"sh\", \"-c\", \"dnf install --nogpgcheck x\"]\n").len(),
            1
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nENV GOSUMDB=off\nRUN apk add --allow-untrusted x \\\n && echo 'deb [trusted=yes] http://r/ ./' >> /etc/apt/sources.list\n"
        )));
    }
}
