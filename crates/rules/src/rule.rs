//! What a rule is: static metadata (declared once, with its docs) plus a
//! pure check over the snapshot.
//!
//! A rule file declares its metadata with [`declare_rule!`](crate::declare_rule)
//! and implements [`Check`]; the blanket impl turns that into a [`Rule`]
//! the registry can hold as `&dyn Rule`.

use serde::Serialize;

use crate::context::Context;
use crate::finding::Findings;

/// How bad a failure of this rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// All severities, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lower-case name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a name as written by [`Severity::as_str`].
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }
}

/// What a rule looks at. It decides the folder the rule lives in and the id
/// prefix it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// The daemon's configuration (`DMN`).
    Daemon,
    /// Host files: ownership and modes (`FILE`).
    Files,
    /// Each container (`CTR`).
    Container,
    /// Swarm mode (`SWM`).
    Swarm,
    /// Day-to-day operations: sprawl, hygiene (`OPS`).
    Ops,
    /// Dockerfiles (`DKF`).
    Dockerfile,
    /// Compose files (`CMP`).
    Compose,
    /// Linting itself: files that do not parse, suppressions without a
    /// reason (`LNT`).
    Lint,
}

impl Target {
    /// True for targets `bulwark lint` checks (files), false for those
    /// `bulwark audit` checks (a live host).
    pub fn is_lint(self) -> bool {
        matches!(self, Target::Dockerfile | Target::Compose | Target::Lint)
    }

    /// The id prefix every rule of this target carries.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Target::Daemon => "DMN",
            Target::Files => "FILE",
            Target::Container => "CTR",
            Target::Swarm => "SWM",
            Target::Ops => "OPS",
            Target::Dockerfile => "DKF",
            Target::Compose => "CMP",
            Target::Lint => "LNT",
        }
    }
}

/// A rule's identity and documentation. Written once, in the rule file.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Stable id, never reused: `CTR005`.
    pub id: &'static str,
    /// Readable kebab-case name of the bad pattern: `privileged-container`.
    pub name: &'static str,
    /// Severity of a failure, unless a finding says otherwise.
    pub severity: Severity,
    /// What the rule looks at.
    pub target: Target,
    /// One line for listings.
    pub summary: &'static str,
    /// The full documentation, in Markdown, with the headings in
    /// [`DOC_HEADINGS`].
    #[serde(skip)]
    pub docs: &'static str,
}

/// The headings every rule's documentation has, in this order. A registry
/// test fails a rule that lacks one.
pub const DOC_HEADINGS: [&str; 5] = [
    "## What it checks",
    "## Why it matters",
    "## How to fix",
    "## Examples",
    "## References",
];

impl RuleMeta {
    /// The documentation as Markdown: the doc comment's lines without the
    /// one space `///` leaves in front of each.
    pub fn doc_markdown(&self) -> String {
        let mut text = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
            text.push('\n');
        }
        text
    }

    /// The text under one heading of the docs, trimmed.
    pub fn doc_section(&self, heading: &str) -> Option<String> {
        let docs = self.doc_markdown();
        let start = docs.find(heading)? + heading.len();
        let rest = &docs[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    }
}

/// Implemented by [`declare_rule!`](crate::declare_rule): the rule's metadata.
pub trait Declared {
    /// The metadata.
    const META: RuleMeta;
}

/// Implemented by hand in each rule file: the logic.
pub trait Check {
    /// Evaluates the rule and pushes one finding per subject it judged.
    /// Never does I/O: everything comes from the context's snapshot.
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>);
}

/// A registered rule: metadata plus logic, object-safe.
pub trait Rule: Sync {
    /// The metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// See [`Check::check`].
    fn run(&self, ctx: &Context<'_>, out: &mut Findings<'_>);
}

impl<T: Declared + Check + Sync> Rule for T {
    fn meta(&self) -> &'static RuleMeta {
        // A `const` item promoted to 'static: one copy per rule type.
        const { &T::META }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        self.check(ctx, out);
    }
}
