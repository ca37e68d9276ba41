//! Exit codes: a contract scripts and CI rely on.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | no failed finding at or above `--fail-on` |
//! | 1 | at least one failed finding at or above `--fail-on` |
//! | 2 | usage error, unreadable input, unreachable daemon, or a check that could not run (`error` status) |
//!
//! 2 wins over 1: a run that could not see everything must not look like
//! a clean "only these failures" run.

use std::process::ExitCode;

/// See the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Clean = 0,
    Findings = 1,
    Error = 2,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code as u8)
    }
}
