//! The judgement the three compose limit rules share (CMP016 CPU, CMP017
//! memory, CMP018 pids): a limit a service may set in two places (its own
//! key and `deploy.resources.limits`), where a zero means unlimited and
//! no limit anywhere in the `extends` chain fails at the service's name.
//! Each rule describes its limit with a [`Limit`]; the logic lives here
//! once.

use std::borrow::Cow;

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Located, Service};

use crate::finding::{Findings, Verdict};
use crate::shared::compose::{decided_by, defined_at};
use crate::sources::{location, subject};

/// How one limit rule reads and words its limit.
pub struct Limit<T: 'static> {
    /// The limits the service itself sets: its own key, then the one under
    /// `deploy.resources.limits`.
    pub set: fn(&Service) -> [Option<&Located<T>>; 2],
    /// Whether a set value means no limit at all.
    pub unlimited: fn(&T) -> bool,
    /// The value as written, for messages.
    pub text: fn(&T) -> Cow<'_, str>,
    /// What the limit is called in a message: `memory limit`.
    pub noun: &'static str,
    /// How the evidence for a value from an anchor starts: `cpus: `.
    pub evidence: &'static str,
    /// The end of the message for a service without one: `has no pids
    /// limit (…).`
    pub missing: &'static str,
    /// Other settings that also count as a limit (CPU weights and sets).
    pub also: fn(&Service) -> bool,
}

impl<T> Limit<T> {
    /// Reports `service`'s problem with this limit, if any, to `out`: each
    /// set value that means unlimited, at the value; else, when neither
    /// the service nor a base it extends sets one, the service's name.
    pub fn judge(
        &self,
        src: &Source,
        file: &ComposeFile,
        service: &Service,
        out: &mut Findings<'_>,
    ) {
        let name = &service.name.value;
        let own = (self.set)(service);
        if own.iter().any(Option::is_some) {
            for l in own.into_iter().flatten() {
                if !(self.unlimited)(&l.value) {
                    continue;
                }
                let text = (self.text)(&l.value);
                let message = [
                    "Service `",
                    name,
                    "` sets a ",
                    self.noun,
                    " of ",
                    &text,
                    ", which means unlimited.",
                ]
                .concat();
                let verdict = Verdict::fail(message).at(location(src, l.used.span));
                let verdict = match defined_at(src, l, format_args!("{}{text}", self.evidence)) {
                    Some(e) => verdict.with(e),
                    None => verdict,
                };
                out.push(subject(src), verdict);
            }
            return;
        }
        let has = |s: &Service| (self.set)(s).iter().any(Option::is_some) || (self.also)(s);
        if decided_by(file, service, has) != Some(None) {
            return;
        }
        let message = ["Service `", name, "` ", self.missing].concat();
        out.push(
            subject(src),
            Verdict::fail(message).at(location(src, service.name.used.span)),
        );
    }
}

/// `deploy.resources.limits` of a service, if written.
pub fn deploy_limits(s: &Service) -> Option<&bulwark_syntax::compose::Limits> {
    let deploy = s.deploy.as_ref()?;
    let resources = deploy.value.resources.as_ref()?;
    resources.value.limits.as_ref().map(|l| &l.value)
}
