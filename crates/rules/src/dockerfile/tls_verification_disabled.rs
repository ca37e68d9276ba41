//! DKF042 `tls-verification-disabled`.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::Word;

use super::{
    Program, ProgramSet, SettingKind, basename, each_command, settings, squeezed, written_to,
};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether the build turns off TLS certificate verification for a
    /// package manager or language tool (downloads with `curl -k` and
    /// `wget` are DKF041's):
    /// - variables, in `ENV`, `ARG` (with a value) or a RUN assignment:
    ///   `PIP_TRUSTED_HOST` (any value), `PYTHONHTTPSVERIFY=0`,
    ///   `NODE_TLS_REJECT_UNAUTHORIZED=0`, `NPM_CONFIG_STRICT_SSL=false`,
    ///   `YARN_STRICT_SSL=false`, `YARN_ENABLE_STRICT_SSL=false`,
    ///   `GIT_SSL_NO_VERIFY` (any value: git only checks that it is set),
    ///   `GOINSECURE` (any value), `GOFLAGS` with `-insecure`,
    ///   `BUNDLE_SSL_VERIFY_MODE=0`, `CONDA_SSL_VERIFY=false`;
    /// - options and commands: `pip --trusted-host`, `pip config set
    ///   global.trusted-host`; `npm`/`yarn`/`pnpm config set strict-ssl
    ///   false` and `--strict-ssl=false`; `git config http.sslVerify false`
    ///   and `git -c http.sslVerify=false`; `yum`/`dnf`
    ///   `--setopt=sslverify=0`; `apt-get -o Acquire::https::Verify-Peer=false`
    ///   (or `Verify-Host`); `conda config --set ssl_verify false`;
    ///   `composer config disable-tls true` or `secure-http false`;
    ///   `bundle config ssl_verify_mode 0`;
    /// - configuration the build writes (`echo … > f`, `… | tee f`,
    ///   `cat <<EOF > f`, `sed -i`, `COPY <<EOF f`) to `.npmrc`, `pip.conf`,
    ///   `.gitconfig`, `.condarc`, or under `/etc/apt/`, `/etc/yum*`,
    ///   `/etc/dnf/`, `/etc/zypp/`: `strict-ssl=false`, `trusted-host`,
    ///   `sslverify=false`, `ssl_verify: false`, `Verify-Peer "false"`.
    ///
    /// Commands are read in shell form, heredoc scripts, exec form and
    /// `sh -c "…"`; strings that are not written to those files, and
    /// comments, do not count. The finding points at the variable, option
    /// or text.
    ///
    /// ## Why it matters
    /// With verification off, anyone on the network path can impersonate
    /// the package index or repository and serve modified packages, which
    /// the build installs and often runs (install scripts, setup.py) as
    /// root. Set through ENV, the setting also stays in the image and
    /// weakens every connection the application makes at run time.
    ///
    /// ## How to fix
    /// Remove the setting and trust the certificate the network needs
    /// instead: add a corporate CA to the system store
    /// (`update-ca-certificates`) or point the tool at it (`PIP_CERT`,
    /// `NODE_EXTRA_CA_CERTS`, `GIT_SSL_CAINFO`, `npm config set cafile`).
    ///
    /// ## Examples
    /// Fails: `ENV NODE_TLS_REJECT_UNAUTHORIZED=0`,
    /// `RUN pip install --trusted-host pypi.org requests==2.31.0`,
    /// `RUN npm config set strict-ssl false`.
    /// Passes: `ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/corp.pem`.
    ///
    /// ## References
    /// - Checkov CKV2_DOCKER_4, CKV2_DOCKER_5, CKV2_DOCKER_6, CKV2_DOCKER_12, CKV2_DOCKER_13, CKV2_DOCKER_14, CKV2_DOCKER_15, CKV2_DOCKER_16
    /// - <https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue>
    /// - <https://git-scm.com/docs/git#Documentation/git.txt-GITSSLNOVERIFY>
    pub TlsVerificationDisabled {
        id: "DKF042",
        name: "tls-verification-disabled",
        severity: High,
        target: Dockerfile,
        summary: "TLS verification is turned off for a package manager or tool",
    }
}

fn falsy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "false" | "0" | "no" | "off"
    )
}

fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

/// The variables [`variable_off`] judges (in any case).
const WATCHED: [&str; 11] = [
    "GIT_SSL_NO_VERIFY",
    "PIP_TRUSTED_HOST",
    "GOINSECURE",
    "PYTHONHTTPSVERIFY",
    "NODE_TLS_REJECT_UNAUTHORIZED",
    "BUNDLE_SSL_VERIFY_MODE",
    "NPM_CONFIG_STRICT_SSL",
    "YARN_STRICT_SSL",
    "YARN_ENABLE_STRICT_SSL",
    "CONDA_SSL_VERIFY",
    "GOFLAGS",
];

/// The lengths of the [`WATCHED`] names, a bit each: most variables are
/// ruled out by their length before any name is compared.
const WATCHED_LENGTHS: u64 = {
    let mut bits = 0u64;
    let mut n = 0;
    while n < WATCHED.len() {
        bits |= 1 << WATCHED[n].len();
        n += 1;
    }
    bits
};

/// Whether `name` is one of [`WATCHED`], in any case.
fn watched(name: &str) -> bool {
    name.len() < 64
        && WATCHED_LENGTHS >> name.len() & 1 == 1
        && WATCHED.iter().any(|w| w.eq_ignore_ascii_case(name))
}

/// Whether setting variable `name` to `value` turns verification off.
fn variable_off(name: &str, value: Option<&str>) -> bool {
    let upper = name.to_ascii_uppercase();
    match (upper.as_str(), value) {
        ("GIT_SSL_NO_VERIFY", Some(_)) => true,
        ("PIP_TRUSTED_HOST" | "GOINSECURE", Some(v)) => !v.trim().is_empty(),
        (
            "PYTHONHTTPSVERIFY" | "NODE_TLS_REJECT_UNAUTHORIZED" | "BUNDLE_SSL_VERIFY_MODE",
            Some(v),
        ) => v.trim() == "0",
        (
            "NPM_CONFIG_STRICT_SSL"
            | "YARN_STRICT_SSL"
            | "YARN_ENABLE_STRICT_SSL"
            | "CONDA_SSL_VERIFY",
            Some(v),
        ) => falsy(v),
        ("GOFLAGS", Some(v)) => v.split_whitespace().any(|f| f == "-insecure"),
        _ => false,
    }
}

/// `key=value` of a `-c`/`--setopt`/`-o`-style value, key lowercased.
fn key_value(text: &str) -> Option<(String, &str)> {
    let (k, v) = text.split_once('=')?;
    Some((k.trim().to_ascii_lowercase(), v))
}

/// The programs [`disabling`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[
    Program::Pip,
    Program::Python,
    Program::Uv,
    Program::Npm,
    Program::Yarn,
    Program::Pnpm,
    Program::Git,
    Program::Yum,
    Program::Dnf,
    Program::YumConfigManager,
    Program::AptGet,
    Program::Apt,
    Program::Aptitude,
    Program::Conda,
    Program::Composer,
    Program::Bundle,
]);

/// The words of one command that turn verification off, with the tool.
pub(super) fn disabling(words: &[Word]) -> Vec<(&Word, &'static str)> {
    let Some(program) = words.first() else {
        return Vec::new();
    };
    let name = basename(&program.value);
    let args = &words[1..];
    // The arguments are searched in place: most commands judged here are
    // package installs, and a list of their values would be built for
    // nothing.
    let position = |value: &str| args.iter().position(|w| w.value == value);
    let has = |value: &str| position(value).is_some();
    let first = args.first().map(|w| w.value.as_str());
    let mut found: Vec<(&Word, &'static str)> = Vec::new();
    // `config set KEY VALUE` (or `KEY=VALUE`), as npm, yarn, pnpm and pip write it.
    let config_set = |key_ok: &dyn Fn(&str) -> bool, value_ok: &dyn Fn(&str) -> bool| {
        let at = position("set")?;
        let key = args.get(at + 1)?;
        let (k, v) = match key.value.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (
                key.value.to_string(),
                args.get(at + 2).map(|w| w.value.to_string()),
            ),
        };
        (key_ok(&k.to_ascii_lowercase()) && v.as_deref().is_some_and(value_ok)).then_some(key)
    };
    let is_pip = name == "pip"
        || name
            .strip_prefix("pip")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        || (name.starts_with("python")
            && args
                .windows(2)
                .any(|w| w[0].value == "-m" && w[1].value == "pip"))
        || (name == "uv" && first == Some("pip"));
    if is_pip {
        for w in args {
            if w.value == "--trusted-host" || w.value.starts_with("--trusted-host=") {
                found.push((w, "pip"));
            }
        }
        if has("config")
            && let Some(k) = config_set(&|k| k.ends_with("trusted-host"), &|v| !v.is_empty())
        {
            found.push((k, "pip"));
        }
        return found;
    }
    match name {
        "npm" | "yarn" | "pnpm" => {
            for w in args {
                if let Some(v) = w.value.strip_prefix("--strict-ssl=")
                    && falsy(v)
                {
                    found.push((w, "npm"));
                }
            }
            if (has("config") || first == Some("set"))
                && let Some(k) = config_set(
                    &|k| k == "strict-ssl" || k == "strictssl" || k == "enablestrictssl",
                    &falsy,
                )
            {
                found.push((k, "npm"));
            }
        }
        "git" => {
            let ssl_key = |k: &str| {
                k.starts_with("http.") && k.ends_with(".sslverify") || k == "http.sslverify"
            };
            let mut i = 0;
            while let Some(w) = args.get(i) {
                i += 1;
                if w.value == "-c"
                    && let Some(next) = args.get(i)
                {
                    if key_value(&next.value).is_some_and(|(k, v)| ssl_key(&k) && falsy(v)) {
                        found.push((next, "git"));
                    }
                    i += 1;
                }
            }
            if first == Some("config") {
                let operands: Vec<&Word> = args[1..]
                    .iter()
                    .filter(|w| !w.value.starts_with('-'))
                    .collect();
                if let [key, value, ..] = operands.as_slice()
                    && ssl_key(&key.value.to_ascii_lowercase())
                    && falsy(&value.value)
                {
                    found.push((key, "git"));
                }
            }
        }
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "yum-config-manager" => {
            let mut i = 0;
            while let Some(w) = args.get(i) {
                i += 1;
                let setting = if w.value == "--setopt" {
                    i += 1;
                    args.get(i - 1).map(|n| (n, n.value.as_str()))
                } else {
                    w.value.strip_prefix("--setopt=").map(|s| (w, s))
                };
                if let Some((word, s)) = setting
                    && key_value(s).is_some_and(|(k, v)| k.ends_with("sslverify") && falsy(v))
                {
                    found.push((word, "yum/dnf"));
                }
            }
        }
        "apt-get" | "apt" | "aptitude" => {
            let mut i = 0;
            while let Some(w) = args.get(i) {
                i += 1;
                // Only `-o…` and `--option…` set anything (most words are
                // package names).
                if !w.value.starts_with("-o") && !w.value.starts_with("--option") {
                    continue;
                }
                let option = if w.value == "-o" || w.value == "--option" {
                    i += 1;
                    args.get(i - 1).map(|n| (n, n.value.as_str()))
                } else if let Some(o) = w.value.strip_prefix("--option=") {
                    Some((w, o))
                } else if w.value.starts_with("-o") && !w.value.starts_with("--") {
                    Some((w, &w.value[2..]))
                } else {
                    None
                };
                if let Some((word, o)) = option
                    && key_value(o).is_some_and(|(k, v)| {
                        (k.ends_with("verify-peer") || k.ends_with("verify-host")) && falsy(v)
                    })
                {
                    found.push((word, "apt"));
                }
            }
        }
        "conda" | "mamba" | "micromamba" => {
            if let Some(at) = position("--set")
                && args.get(at + 1).is_some_and(|k| k.value == "ssl_verify")
                && args.get(at + 2).is_some_and(|v| falsy(&v.value))
            {
                found.push((&args[at + 1], "conda"));
            }
        }
        "composer" if has("config") => {
            let operands: Vec<&Word> = args.iter().filter(|w| !w.value.starts_with('-')).collect();
            for pair in operands.windows(2) {
                let (k, v) = (pair[0].value.as_str(), pair[1].value.as_str());
                if (k == "disable-tls" && truthy(v)) || (k == "secure-http" && falsy(v)) {
                    found.push((pair[0], "composer"));
                }
            }
        }
        "bundle" if first == Some("config") => {
            let operands: Vec<&Word> = args[1..]
                .iter()
                .filter(|w| !w.value.starts_with('-'))
                .collect();
            let operands: Vec<&Word> = operands.into_iter().filter(|w| w.value != "set").collect();
            if let [key, value, ..] = operands.as_slice()
                && key.value.eq_ignore_ascii_case("ssl_verify_mode")
                && value.value.trim() == "0"
            {
                found.push((key, "bundler"));
            }
        }
        _ => {}
    }
    found
}

pub(super) fn is_tool_config(path: &str) -> bool {
    let file = basename(path);
    matches!(
        file,
        ".npmrc"
            | "npmrc"
            | "pip.conf"
            | "pip.ini"
            | ".gitconfig"
            | "gitconfig"
            | ".condarc"
            | ".yarnrc"
            | ".yarnrc.yml"
    ) || [
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

/// Whether a line of configuration turns verification off.
fn config_off(text: &str) -> bool {
    let t = squeezed(text);
    let value_after = |key: &str, sep: &[char]| {
        let mut rest = t.as_str();
        while let Some(at) = rest.find(key) {
            let v = rest[at + key.len()..].trim_start_matches(sep);
            if ["false", "0", "no", "off"].iter().any(|f| v.starts_with(f)) {
                return true;
            }
            rest = &rest[at + key.len()..];
        }
        false
    };
    t.contains("trusted-host=")
        || t.starts_with("trusted-host")
        || value_after("strict-ssl", &['=', ':'])
        || value_after("strictssl", &['=', ':'])
        || value_after("sslverify", &['=', ':'])
        || value_after("ssl_verify", &['=', ':'])
        || value_after("verify-peer", &['=', ':'])
        || value_after("verify-host", &['=', ':'])
}

impl Check for TlsVerificationDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            let mut found: Vec<(Span, String)> = Vec::new();
            for s in settings(ctx, src).iter() {
                // The value is worked out for these names only.
                if !watched(&s.name) || !variable_off(&s.name, s.value(df)) {
                    continue;
                }
                let how = match s.kind {
                    SettingKind::Env => "ENV",
                    SettingKind::Arg => "ARG",
                    SettingKind::Shell => "RUN",
                };
                let shown = match (s.kind, s.value(df)) {
                    (SettingKind::Shell, _) | (_, None) => s.name.to_string(),
                    (_, Some(v)) => format!("{}={v}", s.name),
                };
                found.push((
                    s.span,
                    format!("{how} sets `{shown}`, which turns off TLS certificate verification."),
                ));
            }
            each_command(ctx, src, PROGRAMS, |_, _, words| {
                for (word, tool) in disabling(words) {
                    found.push((
                        word.span,
                        format!(
                            "`{}` turns off TLS certificate verification for {tool}.",
                            word.value
                        ),
                    ));
                }
            });
            for w in written_to(ctx, src, &is_tool_config) {
                if config_off(&w.text) {
                    found.push((
                        w.span,
                        format!("The build writes a setting to `{}` that turns off TLS certificate verification.", w.path),
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
        dockerfile(&TlsVerificationDisabled, text)
    }

    #[test]
    fn variables_fail_at_their_name() {
        assert_eq!(
            positions(&lint("FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n")),
            [(2, 5)]
        );
        for v in [
            "ENV PYTHONHTTPSVERIFY=0",
            "ENV PIP_TRUSTED_HOST=pypi.org",
            "ENV npm_config_strict_ssl=false",
            "ENV GIT_SSL_NO_VERIFY=1",
            "ENV GIT_SSL_NO_VERIFY=false",
            "ARG GIT_SSL_NO_VERIFY=true",
            "ENV GOINSECURE=*",
            "ENV GOFLAGS=\"-mod=mod -insecure\"",
            "ENV BUNDLE_SSL_VERIFY_MODE=0",
            "ENV YARN_ENABLE_STRICT_SSL=false",
            "RUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci",
            "RUN export GIT_SSL_NO_VERIFY=1 && git clone x",
        ] {
            assert_eq!(lint(&format!("FROM a\n{v}\n")).len(), 1, "{v}");
        }
    }

    #[test]
    fn safe_values_pass() {
        for v in [
            "ENV NODE_TLS_REJECT_UNAUTHORIZED=1",
            "ENV PYTHONHTTPSVERIFY=1",
            "ARG GIT_SSL_NO_VERIFY",
            "ENV NPM_CONFIG_STRICT_SSL=true",
            "ENV PIP_TRUSTED_HOST=\"\"",
            "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/corp.pem",
            "RUN echo NODE_TLS_REJECT_UNAUTHORIZED=0",
        ] {
            assert!(lint(&format!("FROM a\n{v}\n")).is_empty(), "{v}");
        }
    }

    #[test]
    fn commands_fail_at_the_option() {
        assert_eq!(
            positions(&lint(
                "FROM a\nRUN pip install --trusted-host pypi.org x==1\n"
            )),
            [(2, 17)]
        );
        for c in [
            "pip3 install --trusted-host=files.pythonhosted.org x",
            "python3 -m pip install --trusted-host h x",
            "pip config set global.trusted-host pypi.org",
            "npm config set strict-ssl false",
            "npm set strict-ssl=false",
            "yarn config set strict-ssl false",
            "npm install --strict-ssl=false",
            "git config --global http.sslVerify false",
            "git config --global http.https://x.example/.sslverify 0",
            "git -c http.sslVerify=false clone https://x",
            "dnf --setopt=sslverify=0 install -y x",
            "yum-config-manager --setopt=*.sslverify=false --save",
            "apt-get -o Acquire::https::Verify-Peer=false update",
            "conda config --set ssl_verify false",
            "composer config -g disable-tls true",
            "composer config -g secure-http false",
            "bundle config set ssl_verify_mode 0",
        ] {
            assert_eq!(lint(&format!("FROM a\nRUN {c}\n")).len(), 1, "{c}");
        }
    }

    #[test]
    fn safe_commands_strings_and_comments_pass() {
        for c in [
            "npm config set strict-ssl true",
            "git config --global http.sslVerify true",
            "git config --global user.name x",
            "pip install --index-url https://x/simple x",
            "echo --trusted-host x # npm config set strict-ssl false",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn configuration_files() {
        assert_eq!(
            lint("FROM a\nRUN echo 'strict-ssl=false' >> /root/.npmrc\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN printf '[global]\\ntrusted-host = pypi.org\\n' > /etc/pip.conf\n")
                .len(),
            1
        );
        assert_eq!(
            lint("FROM a\nCOPY <<EOF /root/.gitconfig\n[http]\n    sslVerify = false\nEOF\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN echo 'sslverify=0' >> /etc/dnf/dnf.conf\n").len(),
            1
        );
        assert!(lint("FROM a\nRUN echo 'strict-ssl=false' >> /tmp/notes\n").is_empty());
        assert!(lint("FROM a\nRUN echo 'sslverify=1' >> /etc/dnf/dnf.conf\n").is_empty());
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(
            lint("FROM a\nRUN <<EOF\nnpm config set strict-ssl false\nEOF\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN sh -c 'git -c http.sslVerify=false clone x'\n").len(),
            1
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nRUN pip install --trusted-host pypi.org x==1 \\\n && git config --global http.sslVerify false\n"
        )));
    }

    use proptest::prelude::*;

    proptest! {
        /// The settings rule asks for the value of the watched names only.
        #[test]
        fn only_watched_variables_turn_verification_off(
            name in prop_oneof![
                proptest::sample::select(&WATCHED[..]).prop_map(str::to_string),
                proptest::sample::select(&WATCHED[..]).prop_map(|w| w.to_ascii_lowercase()),
                "[A-Za-z_]{0,30}",
            ],
            value in proptest::option::of(proptest::sample::select(
                &["", "0", "1", "false", "off", "no", "-insecure", "host", " 0 "][..],
            )),
        ) {
            prop_assert!(
                !variable_off(&name, value) || WATCHED.iter().any(|w| w.eq_ignore_ascii_case(&name))
            );
        }
    }
}
