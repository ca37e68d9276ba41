//! [`Context`]: what a rule sees. The snapshot, the daemon's merged
//! settings and the operator's policy, plus helpers that keep the rules
//! short and consistent: how a missing part becomes `skipped`/`error`, how
//! an empty container list becomes `not-applicable`, how subjects are named.

use bulwark_facts::{ContainerFacts, Engine, Gap, GapKind, Part, Snapshot};
use bulwark_syntax::Source;
use bulwark_syntax::compose::ComposeFile;
use bulwark_syntax::dockerfile::Dockerfile;

use crate::dockerfile::{Derived, Index};
use crate::finding::{Findings, Subject, SubjectKind, Verdict};
use crate::policy::Policy;
use crate::settings::{DaemonSettings, Setting};

/// Everything a rule may read.
pub struct Context<'s> {
    pub snapshot: &'s Snapshot,
    pub daemon: DaemonSettings<'s>,
    pub policy: &'s Policy,
    /// The files `bulwark lint` checks (empty for an audit).
    pub sources: &'s [Source],
    /// What several rules derive from each source (the commands of every
    /// RUN, say), computed on first use and kept for the others: one slot
    /// per source, by index.
    derived: Vec<Derived<'s>>,
}

impl<'s> Context<'s> {
    /// A context over `snapshot` under `policy`.
    pub fn new(snapshot: &'s Snapshot, policy: &'s Policy) -> Self {
        Context {
            snapshot,
            daemon: DaemonSettings::new(snapshot),
            policy,
            sources: &[],
            derived: Vec::new(),
        }
    }

    /// A context for linting `sources` alone: no host is read, so the
    /// daemon's settings are not looked for.
    pub fn for_lint(snapshot: &'s Snapshot, policy: &'s Policy, sources: &'s [Source]) -> Self {
        Context {
            snapshot,
            daemon: DaemonSettings::unread("no daemon: only files are linted"),
            policy,
            sources,
            derived: sources.iter().map(|_| Derived::default()).collect(),
        }
    }

    /// The derived-results slot of `source`, when it is one of this
    /// context's sources (found by address: the slot of `sources[i]` is
    /// `derived[i]`, checked, never guessed).
    pub(crate) fn derived(&self, source: &Source) -> Option<&Derived<'s>> {
        let size = std::mem::size_of::<Source>().max(1);
        let offset =
            (source as *const Source as usize).checked_sub(self.sources.as_ptr() as usize)?;
        let index = offset / size;
        let candidate = self.sources.get(index)?;
        std::ptr::eq(candidate, source).then(|| &self.derived[index])
    }

    /// The Dockerfile index of `source` (part of what is [`derived`](Self::derived)).
    pub(crate) fn indexed(&self, source: &Source) -> Option<&Index> {
        self.derived(source).map(|d| &d.index)
    }

    /// Every Dockerfile being linted, with its tree.
    pub fn dockerfiles(&self) -> impl Iterator<Item = (&'s Source, &'s Dockerfile)> {
        self.sources
            .iter()
            .filter_map(|s| Some((s, s.dockerfile()?)))
    }

    /// Every compose file being linted, with its tree.
    pub fn compose_files(&self) -> impl Iterator<Item = (&'s Source, &'s ComposeFile)> {
        self.sources.iter().filter_map(|s| Some((s, s.compose()?)))
    }

    /// The daemon as a finding subject: its host name and engine id.
    pub fn daemon_subject(&self) -> Subject {
        let (name, id) = match self.snapshot.engine.get() {
            Some(e) if !e.info.name.is_empty() => (e.info.name.clone(), Some(e.info.id.clone())),
            _ => (self.snapshot.endpoint.address.clone(), None),
        };
        Subject {
            kind: SubjectKind::Daemon,
            name: name.into(),
            id: id.filter(|i| !i.is_empty()).map(String::into_boxed_str),
        }
    }

    /// A container as a finding subject.
    pub fn container_subject(c: &ContainerFacts) -> Subject {
        Subject {
            kind: SubjectKind::Container,
            name: c.name().into(),
            id: Some(c.short_id().into()),
        }
    }

    /// The engine facts, or a `skipped`/`error` finding about the daemon
    /// saying why they are missing.
    pub fn engine(&self, out: &mut Findings<'_>) -> Option<&'s Engine> {
        self.require(&self.snapshot.engine, out)
    }

    /// The data of `part`, or a finding about the daemon saying why it is
    /// missing.
    pub fn require<T>(&self, part: &'s Part<T>, out: &mut Findings<'_>) -> Option<&'s T> {
        match part {
            Part::Collected(v) => Some(v),
            Part::Missing(gap) => {
                out.push(self.daemon_subject(), gap_verdict(gap));
                None
            }
        }
    }

    /// A setting of the daemon, or a `skipped` finding when it cannot be
    /// known.
    pub fn setting(&self, key: &str, out: &mut Findings<'_>) -> Option<Setting> {
        match self.daemon.get(key) {
            Setting::Unknown(reason) => {
                out.push(
                    self.daemon_subject(),
                    Verdict::skipped("daemon-config-unreadable", reason),
                );
                None
            }
            setting => Some(setting),
        }
    }

    /// Judges every container in scope with `judge`, one finding each.
    /// Covers stopped containers too: they can start again with the same
    /// configuration (catalog S7).
    pub fn each_container(
        &self,
        out: &mut Findings<'_>,
        judge: impl FnMut(&ContainerFacts) -> Verdict,
    ) {
        self.judge_containers(out, false, judge);
    }

    /// Judges every running container; for runtime facts (processes, exec
    /// sessions) that only a running container has.
    pub fn each_running_container(
        &self,
        out: &mut Findings<'_>,
        judge: impl FnMut(&ContainerFacts) -> Verdict,
    ) {
        self.judge_containers(out, true, judge);
    }

    fn judge_containers(
        &self,
        out: &mut Findings<'_>,
        running_only: bool,
        mut judge: impl FnMut(&ContainerFacts) -> Verdict,
    ) {
        let Some(containers) = self.require(&self.snapshot.containers, out) else {
            return;
        };
        let mut judged = 0;
        for c in containers
            .items
            .iter()
            .filter(|c| !running_only || c.is_running())
        {
            out.push(Self::container_subject(c), judge(c));
            judged += 1;
        }
        if judged == 0 {
            let what = if running_only {
                "running containers"
            } else {
                "containers"
            };
            out.push(
                self.daemon_subject(),
                Verdict::not_applicable("no-containers", format!("There are no {what} to check.")),
            );
        }
    }
}

/// The finding for a part that was not collected.
pub fn gap_verdict(gap: &Gap) -> Verdict {
    match gap.kind {
        GapKind::Skipped => Verdict::skipped("not-collected", gap.reason.clone()),
        GapKind::Error => Verdict::error("collection-failed", gap.reason.clone()),
    }
}
