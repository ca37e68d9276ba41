//! The daemon's effective settings: its command line and its daemon.json,
//! merged, with the source that decided each one.
//!
//! Precedence (catalog S3): where `/info` exposes a value, the running
//! daemon's own report wins, so rules read `/info` first and come here for
//! the rest. Between the two configuration sources there is no precedence
//! to decide: dockerd refuses to start when an option is both a flag and a
//! daemon.json key, so whichever source sets it is the truth. (If both do,
//! the file changed after start; the flag is what the process runs with.)

use std::borrow::Cow;

use bulwark_facts::{ConfigFile, Part, Snapshot};
use serde_json::Value;

use crate::finding::{Evidence, Source};
use bulwark_syntax::dockerd::{self as flags, Flag, Kind};

/// The effective value of one daemon option.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// A flag or a daemon.json key sets it. Flags are given as JSON too:
    /// booleans as `true`/`false`, lists as arrays of strings.
    Set { value: Value, evidence: Evidence },
    /// Neither source sets it: dockerd's default applies. `checked` says
    /// where bulwark looked, for the finding's message.
    Unset { checked: String },
    /// A source that could set it was not readable; says why.
    Unknown(String),
}

impl Setting {
    /// The value as a boolean, when it is one (or a string Go would parse
    /// as one).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Setting::Set { value, .. } => match value {
                Value::Bool(b) => Some(*b),
                Value::String(s) => flags::parse_bool(Some(s)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The value as a string, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Setting::Set { value, .. } => value.as_str(),
            _ => None,
        }
    }

    /// The value as a list of strings: a list flag's values or a JSON
    /// array's string items. An object (daemon.json `log-opts`,
    /// `default-ulimits`) yields its keys.
    pub fn as_list(&self) -> Vec<String> {
        match self {
            Setting::Set { value, .. } => match value {
                Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from))
                    .collect(),
                Value::Object(map) => map.keys().cloned().collect(),
                Value::String(s) => vec![s.clone()],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The evidence for a set value.
    pub fn evidence(&self) -> Option<&Evidence> {
        match self {
            Setting::Set { evidence, .. } => Some(evidence),
            _ => None,
        }
    }
}

/// Both configuration sources of the audited daemon.
#[derive(Debug)]
pub struct DaemonSettings<'s> {
    flags: Result<Vec<Flag>, Cow<'static, str>>,
    file: Result<&'s ConfigFile, Cow<'static, str>>,
}

impl<'s> DaemonSettings<'s> {
    /// Reads the sources out of a snapshot.
    pub fn new(snapshot: &'s Snapshot) -> Self {
        let flags = match &snapshot.daemon.process {
            Part::Collected(p) => Ok(flags::parse(p.argv.get(1..).unwrap_or_default())),
            Part::Missing(gap) => {
                Err(format!("daemon command line not read: {}", gap.reason).into())
            }
        };
        let file = match &snapshot.daemon.config_file {
            Part::Collected(f) => Ok(f),
            Part::Missing(gap) => Err(format!("daemon.json not read: {}", gap.reason).into()),
        };
        DaemonSettings { flags, file }
    }

    /// Settings never looked for, and why: linting files reads no daemon
    /// (and, file after file, should not format why each time).
    pub fn unread(why: &'static str) -> Self {
        DaemonSettings {
            flags: Err(Cow::Borrowed(why)),
            file: Err(Cow::Borrowed(why)),
        }
    }

    /// The parsed command line, when the daemon process was found.
    pub fn flags(&self) -> Result<&[Flag], &str> {
        self.flags.as_deref().map_err(|e| &**e)
    }

    /// The daemon.json, when it was read.
    pub fn config_file(&self) -> Result<&'s ConfigFile, &str> {
        self.file.as_ref().copied().map_err(|e| &**e)
    }

    /// The effective value of the option whose daemon.json key is `key`.
    pub fn get(&self, key: &str) -> Setting {
        let known = flags::by_key(key);
        let mut unknown: Option<String> = None;
        let mut checked = Vec::new();

        match (&self.flags, known) {
            (Ok(flags), Some(known)) => {
                let hits: Vec<&Flag> = flags.iter().filter(|f| f.long == known.long).collect();
                if let Some(setting) = from_flags(known.kind, &hits) {
                    return setting;
                }
                checked.push(format!("no --{} flag", known.long));
            }
            (Ok(_), None) => {}
            (Err(reason), _) => unknown = Some(reason.to_string()),
        }

        match &self.file {
            Ok(file) => {
                if let Some(error) = &file.parse_error {
                    return Setting::Unknown(format!("daemon.json does not parse: {error}"));
                }
                if let Some(value) = file.content.as_ref().and_then(|c| c.get(key)) {
                    return Setting::Set {
                        value: value.clone(),
                        evidence: Evidence::new(
                            Source::DaemonJson,
                            format!("{}#/{key}", file.path),
                            value.clone(),
                        ),
                    };
                }
                checked.push(if file.exists {
                    format!("no \"{key}\" in {}", file.path)
                } else {
                    format!("no {} file", file.path)
                });
            }
            Err(reason) => unknown = unknown.or_else(|| Some(reason.to_string())),
        }

        match unknown {
            Some(reason) => Setting::Unknown(reason),
            None => Setting::Unset {
                checked: checked.join(", "),
            },
        }
    }
}

/// The setting that a key's flag occurrences make, if any.
fn from_flags(kind: Kind, hits: &[&Flag]) -> Option<Setting> {
    let last = hits.last()?;
    let raw = hits
        .iter()
        .map(|f| f.raw.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let value = match kind {
        Kind::Bool => flags::parse_bool(last.value.as_deref())
            .map_or_else(|| Value::from(last.value.clone()), Value::Bool),
        Kind::Value => Value::from(last.value.clone()),
        Kind::List => Value::Array(
            hits.iter()
                .filter_map(|f| f.value.clone())
                .map(Value::String)
                .collect(),
        ),
    };
    Some(Setting::Set {
        evidence: Evidence::new(Source::Flag, raw, value.clone()),
        value,
    })
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{DaemonProcess, Gap};
    use serde_json::json;

    use super::*;

    fn snapshot(argv: &str, json: Option<Value>) -> Snapshot {
        let mut s = Snapshot::default();
        s.daemon.process = Part::Collected(DaemonProcess {
            argv: argv.split_whitespace().map(String::from).collect(),
            ..DaemonProcess::default()
        });
        s.daemon.config_file = Part::Collected(ConfigFile {
            path: "/etc/docker/daemon.json".into(),
            exists: json.is_some(),
            content: json.and_then(|v| v.as_object().cloned()),
            ..ConfigFile::default()
        });
        s
    }

    #[test]
    fn a_flag_decides_and_is_named_in_the_evidence() {
        let s = snapshot("dockerd --icc=false", Some(json!({})));
        let setting = DaemonSettings::new(&s).get("icc");
        assert_eq!(setting.as_bool(), Some(false));
        assert_eq!(
            setting.evidence().map(|e| e.at.as_str()),
            Some("--icc=false")
        );
    }

    #[test]
    fn daemon_json_decides_when_no_flag_does() {
        let s = snapshot("dockerd -H fd://", Some(json!({"icc": false})));
        let setting = DaemonSettings::new(&s).get("icc");
        assert_eq!(setting.as_bool(), Some(false));
        assert_eq!(
            setting.evidence().map(|e| e.at.as_str()),
            Some("/etc/docker/daemon.json#/icc")
        );
    }

    #[test]
    fn list_flags_collect_every_occurrence() {
        let s = snapshot("dockerd -H fd:// --host tcp://0.0.0.0:2375", None);
        assert_eq!(
            DaemonSettings::new(&s).get("hosts").as_list(),
            vec!["fd://", "tcp://0.0.0.0:2375"]
        );
    }

    #[test]
    fn unset_says_where_it_looked() {
        let s = snapshot("dockerd", Some(json!({})));
        assert_eq!(
            DaemonSettings::new(&s).get("icc"),
            Setting::Unset {
                checked: "no --icc flag, no \"icc\" in /etc/docker/daemon.json".into()
            }
        );
    }

    #[test]
    fn an_unreadable_command_line_makes_unset_values_unknown() {
        let mut s = snapshot("", Some(json!({"debug": true})));
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        let settings = DaemonSettings::new(&s);
        // What the file sets is still known…
        assert_eq!(settings.get("debug").as_bool(), Some(true));
        // …but what it does not set may be set by a flag we cannot see.
        assert!(matches!(settings.get("icc"), Setting::Unknown(_)));
    }

    #[test]
    fn a_malformed_daemon_json_is_unknown_not_unset() {
        let mut s = snapshot("dockerd", None);
        if let Part::Collected(f) = &mut s.daemon.config_file {
            f.exists = true;
            f.parse_error = Some("daemon.json:2:5: expected value".into());
        }
        assert!(matches!(
            DaemonSettings::new(&s).get("icc"),
            Setting::Unknown(_)
        ));
    }
}
