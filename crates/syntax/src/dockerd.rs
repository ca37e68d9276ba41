//! dockerd's command line, parsed the way dockerd (spf13/pflag) parses it.
//!
//! Used by the collector (to find daemon.json and the TLS files) and by the
//! daemon rules (through `bulwark_rules::settings`), so both read a flag
//! the same way.
//!
//! Text matching over the command line is how shell auditors misreport:
//! `--icc=false` read as "icc is set", `-l debug` missed because only
//! `--log-level` was grepped. This parser knows which flags take a value,
//! so `--flag value`, `--flag=value`, `-Xvalue`, `-X value`, bare booleans
//! and `--bool=false` are all read as dockerd reads them.

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `--flag` alone means true; only `--flag=false` sets false.
    Bool,
    /// One value: `--flag value` or `--flag=value`; the last one wins.
    Value,
    /// Repeatable; every occurrence adds a value.
    List,
}

/// A dockerd option known both as a flag and as a daemon.json key.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    /// The daemon.json key, which bulwark also uses as the setting's name.
    pub key: &'static str,
    /// The long flag, without dashes.
    pub long: &'static str,
    /// The one-letter flag, if any.
    pub short: Option<char>,
    pub kind: Kind,
}

const fn known(key: &'static str, long: &'static str, short: Option<char>, kind: Kind) -> Known {
    Known {
        key,
        long,
        short,
        kind,
    }
}

/// The dockerd options bulwark reads, from `dockerd --help` of 20.10 and
/// later. Keys differ from flags where dockerd pluralises list keys.
pub const KNOWN: &[Known] = &[
    known(
        "authorization-plugins",
        "authorization-plugin",
        None,
        Kind::List,
    ),
    known("bridge", "bridge", Some('b'), Kind::Value),
    known("cgroup-parent", "cgroup-parent", None, Kind::Value),
    known("config-file", "config-file", None, Kind::Value),
    known("containerd", "containerd", None, Kind::Value),
    known("data-root", "data-root", None, Kind::Value),
    known("debug", "debug", Some('D'), Kind::Bool),
    known("default-ulimits", "default-ulimit", None, Kind::List),
    known("exec-root", "exec-root", None, Kind::Value),
    known("experimental", "experimental", None, Kind::Bool),
    known("group", "group", Some('G'), Kind::Value),
    known("hosts", "host", Some('H'), Kind::List),
    known("icc", "icc", None, Kind::Bool),
    known("insecure-registries", "insecure-registry", None, Kind::List),
    known("ip", "ip", None, Kind::Value),
    known("ip6tables", "ip6tables", None, Kind::Bool),
    known("iptables", "iptables", None, Kind::Bool),
    known("live-restore", "live-restore", None, Kind::Bool),
    known("log-driver", "log-driver", None, Kind::Value),
    known("log-level", "log-level", Some('l'), Kind::Value),
    known("log-opts", "log-opt", None, Kind::List),
    known("no-new-privileges", "no-new-privileges", None, Kind::Bool),
    known("pidfile", "pidfile", Some('p'), Kind::Value),
    known("registry-mirrors", "registry-mirror", None, Kind::List),
    known("seccomp-profile", "seccomp-profile", None, Kind::Value),
    known("selinux-enabled", "selinux-enabled", None, Kind::Bool),
    known("storage-driver", "storage-driver", Some('s'), Kind::Value),
    known("storage-opts", "storage-opt", None, Kind::List),
    known("tls", "tls", None, Kind::Bool),
    known("tlscacert", "tlscacert", None, Kind::Value),
    known("tlscert", "tlscert", None, Kind::Value),
    known("tlskey", "tlskey", None, Kind::Value),
    known("tlsverify", "tlsverify", None, Kind::Bool),
    known("userland-proxy", "userland-proxy", None, Kind::Bool),
    known("userns-remap", "userns-remap", None, Kind::Value),
];

/// Looks up an option by its daemon.json key.
pub fn by_key(key: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|k| k.key == key)
}

/// One flag occurrence on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The long name without dashes (`-H` is reported as `host`), or the
    /// name as written for flags bulwark does not know.
    pub long: String,
    /// The value; `None` for a bare boolean.
    pub value: Option<String>,
    /// The flag exactly as written, value included (`-H tcp://0.0.0.0:2375`),
    /// for evidence.
    pub raw: String,
}

/// Parses dockerd's argv (without `argv[0]`).
pub fn parse(args: &[String]) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        let (name, inline, known) = if let Some(body) = arg.strip_prefix("--") {
            if body.is_empty() {
                break; // `--` ends the flags; dockerd takes no arguments
            }
            let (name, inline) = split_inline(body);
            let known = KNOWN.iter().find(|k| k.long == name);
            (name.to_string(), inline, known)
        } else if let Some(body) = arg.strip_prefix('-').filter(|b| !b.is_empty()) {
            let mut chars = body.chars();
            let letter = chars.next().unwrap_or('-');
            let rest = chars.as_str();
            let known = KNOWN.iter().find(|k| k.short == Some(letter));
            let inline = match rest.strip_prefix('=') {
                Some(v) => Some(v.to_string()),
                None if !rest.is_empty() => Some(rest.to_string()),
                None => None,
            };
            let name = known.map_or_else(|| letter.to_string(), |k| k.long.to_string());
            (name, inline, known)
        } else {
            continue; // a stray word: dockerd would refuse it; ignore it
        };
        let takes_value = match known {
            Some(k) => k.kind != Kind::Bool,
            // Unknown flags: assume a value when the next word is not a flag.
            None => args.get(i).is_some_and(|next| !next.starts_with('-')),
        };
        let (value, raw) = match inline {
            Some(v) => (Some(v), arg.clone()),
            None if takes_value => match args.get(i) {
                Some(next) => {
                    i += 1;
                    (Some(next.clone()), format!("{arg} {next}"))
                }
                None => (None, arg.clone()),
            },
            None => (None, arg.clone()),
        };
        flags.push(Flag {
            long: name,
            value,
            raw,
        });
    }
    flags
}

fn split_inline(body: &str) -> (&str, Option<String>) {
    match body.split_once('=') {
        Some((name, value)) => (name, Some(value.to_string())),
        None => (body, None),
    }
}

/// Reads a boolean flag's value as pflag does (`strconv.ParseBool`).
pub fn parse_bool(value: Option<&str>) -> Option<bool> {
    match value {
        None => Some(true),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Some(true),
        Some("0" | "f" | "F" | "false" | "FALSE" | "False") => Some(false),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn pairs(s: &str) -> Vec<(String, Option<String>)> {
        parse(&argv(s))
            .into_iter()
            .map(|f| (f.long, f.value))
            .collect()
    }

    fn p(name: &str, value: Option<&str>) -> (String, Option<String>) {
        (name.to_string(), value.map(String::from))
    }

    #[test]
    fn long_flags_with_and_without_equals() {
        assert_eq!(
            pairs("--log-level debug --data-root=/srv/docker"),
            vec![
                p("log-level", Some("debug")),
                p("data-root", Some("/srv/docker"))
            ]
        );
    }

    #[test]
    fn short_flags_in_every_spelling() {
        assert_eq!(
            pairs("-H tcp://0.0.0.0:2375 -Hunix:///run/d.sock -H=fd:// -l warn -D"),
            vec![
                p("host", Some("tcp://0.0.0.0:2375")),
                p("host", Some("unix:///run/d.sock")),
                p("host", Some("fd://")),
                p("log-level", Some("warn")),
                p("debug", None),
            ]
        );
    }

    #[test]
    fn a_bare_boolean_does_not_eat_the_next_word() {
        // pflag never takes a separate word as a boolean's value.
        assert_eq!(
            pairs("--icc --live-restore --iptables=false"),
            vec![
                p("icc", None),
                p("live-restore", None),
                p("iptables", Some("false"))
            ]
        );
    }

    #[test]
    fn unknown_flags_keep_their_value() {
        assert_eq!(
            pairs("--mtu 1400 --no-such-bool --icc=false"),
            vec![
                p("mtu", Some("1400")),
                p("no-such-bool", None),
                p("icc", Some("false"))
            ]
        );
    }

    #[test]
    fn raw_text_is_kept_for_evidence() {
        let flags = parse(&argv("-H tcp://0.0.0.0:2375 --tlsverify"));
        assert_eq!(flags[0].raw, "-H tcp://0.0.0.0:2375");
        assert_eq!(flags[1].raw, "--tlsverify");
    }

    #[test]
    fn bools_parse_like_go() {
        assert_eq!(parse_bool(None), Some(true));
        assert_eq!(parse_bool(Some("false")), Some(false));
        assert_eq!(parse_bool(Some("0")), Some(false));
        assert_eq!(parse_bool(Some("yes")), None);
    }

    #[test]
    fn a_trailing_value_flag_without_value_is_kept() {
        assert_eq!(pairs("--log-level"), vec![p("log-level", None)]);
    }

    proptest::proptest! {
        /// Any argv parses without panicking, and every flag it reports was
        /// written on the command line: its raw text starts with an
        /// argument as given.
        #[test]
        fn any_argv_parses_to_flags_that_were_written(
            args in proptest::collection::vec("(-{0,2})[-a-zA-Z=:/.0-9]{0,10}", 0..12)
        ) {
            for f in parse(&args) {
                proptest::prop_assert!(args.iter().any(|a| !a.is_empty() && f.raw.starts_with(a.as_str())));
            }
        }
    }
}
