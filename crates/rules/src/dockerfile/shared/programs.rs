//! The programs the Dockerfile rules look for, named once: a command's
//! program (`/usr/bin/apt-get` → [`Program::AptGet`]) is classified when
//! a file is indexed (see [`super::index`]), so that a rule visits only
//! the commands of its programs instead of reading the name of every
//! command of every RUN.
//!
//! The classes are a filter in front of each rule, not a replacement for
//! its own reading of the command: a rule still checks the name (and
//! everything else) itself. So a class may group several names (`dnf`,
//! `dnf5`, `microdnf`, `tdnf`); what matters is that every name a rule
//! reacts to falls in one of the classes it asks for (the tests of
//! `index.rs` check this for every rule).

use super::basename;

/// A program some rule reacts to. `Other` is every other program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Program {
    Other,
    AptGet,
    Apt,
    Aptitude,
    Apk,
    Yum,
    /// `dnf`, `dnf5`, `microdnf`, `tdnf`.
    Dnf,
    YumConfigManager,
    Zypper,
    Pacman,
    Rpm,
    /// `pip`, `pip3`, `pip3.12`.
    Pip,
    /// Any name starting with `python` (`python3 -m pip`).
    Python,
    Uv,
    Npm,
    Yarn,
    Pnpm,
    Gem,
    Go,
    Curl,
    Wget,
    Aria2c,
    Docker,
    Podman,
    Buildah,
    Skopeo,
    Git,
    /// `conda`, `mamba`, `micromamba`.
    Conda,
    Composer,
    Bundle,
    Aws,
    Gcloud,
    Az,
    Doctl,
    Helm,
    Gh,
    HuggingfaceCli,
    Kubectl,
    /// `chpasswd`, `chgpasswd`.
    Chpasswd,
    Passwd,
    /// `useradd`, `usermod`, `adduser`.
    Useradd,
    /// `sudo`, `doas`.
    Sudo,
    Env,
    /// `export`, `declare`, `typeset`, `readonly`.
    Export,
}

impl Program {
    /// The class of a command whose first word is `word` (a path or a
    /// name). A `match` compiles to a switch on the length and a few
    /// comparisons: this runs once per command of every RUN.
    pub(crate) fn of(word: &str) -> Program {
        let name = basename(word);
        match name {
            "apt-get" => Program::AptGet,
            "apt" => Program::Apt,
            "aptitude" => Program::Aptitude,
            "apk" => Program::Apk,
            "yum" => Program::Yum,
            "dnf" | "dnf5" | "microdnf" | "tdnf" => Program::Dnf,
            "yum-config-manager" => Program::YumConfigManager,
            "zypper" => Program::Zypper,
            "pacman" => Program::Pacman,
            "rpm" => Program::Rpm,
            "uv" => Program::Uv,
            "npm" => Program::Npm,
            "yarn" => Program::Yarn,
            "pnpm" => Program::Pnpm,
            "gem" => Program::Gem,
            "go" => Program::Go,
            "curl" => Program::Curl,
            "wget" => Program::Wget,
            "aria2c" => Program::Aria2c,
            "docker" => Program::Docker,
            "podman" => Program::Podman,
            "buildah" => Program::Buildah,
            "skopeo" => Program::Skopeo,
            "git" => Program::Git,
            "conda" | "mamba" | "micromamba" => Program::Conda,
            "composer" => Program::Composer,
            "bundle" => Program::Bundle,
            "aws" => Program::Aws,
            "gcloud" => Program::Gcloud,
            "az" => Program::Az,
            "doctl" => Program::Doctl,
            "helm" => Program::Helm,
            "gh" => Program::Gh,
            "huggingface-cli" => Program::HuggingfaceCli,
            "kubectl" => Program::Kubectl,
            "chpasswd" | "chgpasswd" => Program::Chpasswd,
            "passwd" => Program::Passwd,
            "useradd" | "usermod" | "adduser" => Program::Useradd,
            "sudo" | "doas" => Program::Sudo,
            "env" => Program::Env,
            "export" | "declare" | "typeset" | "readonly" => Program::Export,
            _ if is_pip(name) => Program::Pip,
            _ if name.starts_with("python") => Program::Python,
            _ => Program::Other,
        }
    }
}

/// `pip`, or `pip` followed by a version (`pip3`, `pip3.12`).
pub(crate) fn is_pip(name: &str) -> bool {
    name == "pip"
        || name
            .strip_prefix("pip")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// A set of [`Program`]s, plus two properties of a command that do not
/// depend on its program: a wrapper chain before it (`sudo env A=1 x`),
/// and `NAME=value` words before it. One bit each, so that a file's
/// commands can be summed up in one word and a rule can skip a file none
/// of whose commands concern it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ProgramSet(u64);

impl ProgramSet {
    /// Commands run behind a wrapper (`sudo x`, `env A=1 x`).
    pub(crate) const WRAPPED: ProgramSet = ProgramSet(1 << 62);
    /// Commands that may write to a file some rule watches (see
    /// [`may_write`](super::may_write)).
    pub(crate) const WRITES: ProgramSet = ProgramSet(1 << 61);
    /// Commands with `NAME=value` words before the program.
    pub(crate) const ASSIGNS: ProgramSet = ProgramSet(1 << 63);

    /// The set of `programs`.
    pub(crate) const fn of(programs: &[Program]) -> ProgramSet {
        let mut bits = 0;
        let mut i = 0;
        while i < programs.len() {
            bits |= Self::bit(programs[i]);
            i += 1;
        }
        ProgramSet(bits)
    }

    /// `Other` has no bit: no rule asks for it.
    const fn bit(program: Program) -> u64 {
        match program {
            Program::Other => 0,
            p => 1 << (p as u8),
        }
    }

    /// Both sets.
    pub(crate) const fn with(self, other: ProgramSet) -> ProgramSet {
        ProgramSet(self.0 | other.0)
    }

    /// Whether the sets share a program or a property.
    pub(crate) const fn meets(self, other: ProgramSet) -> bool {
        self.0 & other.0 != 0
    }
}
