//! Findings: what a rule concluded about one subject, and why.
//!
//! Passes are findings too: an auditor must show what was checked, not only
//! what failed.

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::rule::{RuleMeta, Severity};

/// The outcome of one rule for one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Evidence shows the requirement is met.
    Pass,
    /// Evidence shows it is not met.
    Fail,
    /// Evidence was collected, but a person must judge: the message says
    /// what to verify.
    Manual,
    /// The requirement cannot apply here; the finding's `reason` says why.
    NotApplicable,
    /// Deliberately not evaluated; the reason says why.
    Skipped,
    /// The check could not run; the reason says what failed.
    Error,
}

impl Status {
    /// All statuses, in report order.
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::Manual,
        Status::NotApplicable,
        Status::Skipped,
        Status::Error,
    ];

    /// The kebab-case name used in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Manual => "manual",
            Status::NotApplicable => "not-applicable",
            Status::Skipped => "skipped",
            Status::Error => "error",
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Subject {
    /// `host`, `daemon`, `container`, `image`, `network`.
    pub kind: SubjectKind,
    /// A name a person recognises: the container name, the daemon's host
    /// name, an image tag. Shared: a file's findings all name it.
    pub name: Arc<str>,
    /// The short id, where the subject has one.
    pub id: Option<Box<str>>,
}

/// See [`Subject::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    Host,
    Daemon,
    Container,
    Image,
    Network,
    File,
}

/// Where a piece of evidence was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A container's inspect document; `at` is a JSON pointer.
    Inspect,
    /// `GET /info`; `at` is a JSON pointer.
    Info,
    /// `GET /version`; `at` is a JSON pointer.
    Version,
    /// The daemon's command line; `at` is the flag as written.
    Flag,
    /// daemon.json; `at` is `path#/key`.
    DaemonJson,
    /// The daemon's built-in default (nothing set it).
    Default,
    /// The host's `/proc`; `at` is the path read.
    Proc,
    /// A host file's metadata; `at` is its path.
    File,
    /// A TLS certificate; `at` is where it came from.
    Certificate,
    /// `GET /images/json`.
    Images,
    /// `GET /networks`.
    Networks,
    /// `GET /plugins`.
    Plugins,
    /// `GET /exec/{id}/json`; `at` is the exec id and pointer.
    Exec,
    /// bulwark's own policy settings.
    Policy,
}

/// One fact that decided a finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Where it was read.
    pub source: Source,
    /// The exact place: a JSON pointer, a flag, a file path.
    pub at: String,
    /// The value found there.
    pub value: Value,
}

impl Evidence {
    /// Evidence from wherever, at `at`, with `value`.
    pub fn new(source: Source, at: impl Into<String>, value: impl Into<Value>) -> Self {
        Evidence {
            source,
            at: at.into(),
            value: value.into(),
        }
    }

    /// A field of a container's inspect document.
    pub fn inspect(pointer: impl Into<String>, value: impl Into<Value>) -> Self {
        Evidence::new(Source::Inspect, pointer, value)
    }

    /// A field of `/info`.
    pub fn info(pointer: impl Into<String>, value: impl Into<Value>) -> Self {
        Evidence::new(Source::Info, pointer, value)
    }
}

/// Where in a file a finding points: 1-based lines, columns in Unicode
/// code points (SARIF `columnKind: unicodeCodePoints`), end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, shared with its [`Source`](bulwark_syntax::Source).
    pub path: Arc<str>,
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Escapes one token of a JSON pointer (RFC 6901): `80/tcp` → `80~1tcp`,
/// so a key holding `/` or `~` still names one step of the path.
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// One rule's conclusion about one subject.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule that concluded it.
    #[serde(skip)]
    pub rule: &'static RuleMeta,
    pub status: Status,
    /// The rule's severity, or the finding's own where the rule grades
    /// (a read-only sensitive mount is less severe than a read-write one).
    pub severity: Severity,
    pub subject: Subject,
    /// One sentence: what was found. For `manual`, what a person must
    /// verify. Boxed, not a `String`, like `subject.id`: a lint of many
    /// files holds every finding until the report, and a smaller finding
    /// is less to write, move and read (docs/performance.md).
    pub message: Box<str>,
    /// A machine-readable reason code for `not-applicable`, `skipped` and
    /// `error` (`swarm-inactive`, `no-containers`, …): one of a fixed set.
    pub reason: Option<&'static str>,
    /// The facts that decided it.
    pub evidence: Vec<Evidence>,
    /// The place in a file, for findings about files (Dockerfiles,
    /// compose files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// What a check decided about one subject, before the rule stamps its
/// metadata on it.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub status: Status,
    pub message: String,
    pub reason: Option<&'static str>,
    pub severity: Option<Severity>,
    pub evidence: Vec<Evidence>,
    pub location: Option<Location>,
}

impl Verdict {
    fn new(status: Status, message: impl Into<String>) -> Self {
        Verdict {
            status,
            message: message.into(),
            reason: None,
            severity: None,
            evidence: Vec::new(),
            location: None,
        }
    }

    /// Points the finding at a place in a file.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// The requirement is met.
    pub fn pass(message: impl Into<String>) -> Self {
        Verdict::new(Status::Pass, message)
    }

    /// The requirement is not met.
    pub fn fail(message: impl Into<String>) -> Self {
        Verdict::new(Status::Fail, message)
    }

    /// A person must judge; `message` says what to verify.
    pub fn manual(message: impl Into<String>) -> Self {
        Verdict::new(Status::Manual, message)
    }

    /// Cannot apply here, for the reason `code` (`swarm-inactive`, …).
    pub fn not_applicable(code: &'static str, message: impl Into<String>) -> Self {
        Verdict::new(Status::NotApplicable, message).reason(code)
    }

    /// Deliberately not evaluated.
    pub fn skipped(code: &'static str, message: impl Into<String>) -> Self {
        Verdict::new(Status::Skipped, message).reason(code)
    }

    /// The check could not run.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Verdict::new(Status::Error, message).reason(code)
    }

    /// Sets the reason code.
    pub fn reason(mut self, code: &'static str) -> Self {
        self.reason = Some(code);
        self
    }

    /// Overrides the rule's severity for this finding.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// Adds one piece of evidence.
    pub fn with(mut self, evidence: Evidence) -> Self {
        self.evidence.push(evidence);
        self
    }

    /// Adds several pieces of evidence.
    pub fn with_all(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Self {
        self.evidence.extend(evidence);
        self
    }
}

/// Where a running rule puts its findings; it stamps the rule's metadata
/// on each.
pub struct Findings<'a> {
    rule: &'static RuleMeta,
    out: &'a mut Vec<Finding>,
}

impl<'a> Findings<'a> {
    /// A sink for `rule` that appends to `out`.
    pub fn new(rule: &'static RuleMeta, out: &'a mut Vec<Finding>) -> Self {
        Findings { rule, out }
    }

    /// Records the verdict about `subject`.
    pub fn push(&mut self, subject: Subject, verdict: Verdict) {
        self.out.push(Finding {
            rule: self.rule,
            status: verdict.status,
            severity: verdict.severity.unwrap_or(self.rule.severity),
            subject,
            // Exact when the message was joined from parts (most are),
            // and then free; a `format!`ted one may shrink in place.
            message: verdict.message.into_boxed_str(),
            reason: verdict.reason,
            evidence: verdict.evidence,
            location: verdict.location,
        });
    }
}
