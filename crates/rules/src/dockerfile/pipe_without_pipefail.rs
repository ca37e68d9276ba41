//! DKF049 `pipe-without-pipefail`.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Args, CommandLine, Dockerfile, Kind, Word, is_shell};

use smallvec::{SmallVec, smallvec};

use super::{basename, runs, stage_chain, stage_instructions};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::{Check, Severity};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a `RUN` has a pipeline (`a | b`) while the shell does not
    /// fail on a failure inside it (`pipefail`). Pipefail counts as on when
    /// the `SHELL` in effect (in the stage or inherited from a parent stage)
    /// passes `-o pipefail` (`SHELL ["/bin/bash", "-euo", "pipefail", "-c"]`),
    /// when an exec-form RUN or a nested `bash -o pipefail -c "…"` passes
    /// it, or when `set -o pipefail` (or `set -eo pipefail`) runs earlier in
    /// the same script. Pipelines whose only earlier commands cannot fail
    /// in a way that matters (`echo`, `printf`, `yes`, `true`) pass. A RUN
    /// under a non-POSIX `SHELL` (PowerShell, cmd) is not judged. Heredoc
    /// scripts and `sh -c "…"` are read; strings and comments are not.
    /// Downloading into an interpreter (`curl … | sh`, `wget -O- … |
    /// python3`) is reported with medium severity, other pipelines with
    /// low.
    ///
    /// ## Why it matters
    /// A pipeline's status is its last command's: `curl https://x/install.sh
    /// | sh` succeeds when the download fails or is cut short, running a
    /// partial script or nothing, and the build goes on to produce an image
    /// that lacks what it was meant to install, or has half of it.
    ///
    /// ## How to fix
    /// Set a shell with pipefail before the RUN:
    /// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (or `["/bin/ash", "-eo",
    /// "pipefail", "-c"]` on Alpine), or start the script with
    /// `set -o pipefail &&`. Better still for downloads: save the file,
    /// verify its checksum, then run it.
    ///
    /// ## Examples
    /// Fails: `RUN curl -fsSL https://example.com/install.sh | sh`.
    /// Passes: `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` then the same
    /// RUN; `RUN set -o pipefail && curl … | sh`.
    ///
    /// ## References
    /// - hadolint DL4006, KICS "Shell Running A Pipe Without Pipefail Flag"
    /// - <https://www.gnu.org/software/bash/manual/html_node/Pipelines.html>
    pub PipeWithoutPipefail {
        id: "DKF049",
        name: "pipe-without-pipefail",
        severity: Low,
        target: Dockerfile,
        summary: "A RUN pipeline hides failures without pipefail",
    }
}

/// Whether option words (`-o pipefail`, `-euo pipefail`, `-opipefail`)
/// turn pipefail on.
fn sets_pipefail(words: &[Word]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        let v = w.value.as_str();
        let short = v.starts_with('-') && !v.starts_with("--");
        (short && v.ends_with('o') && words.get(i + 1).is_some_and(|n| n.value == "pipefail"))
            || (short && v.ends_with("opipefail"))
            || v == "--pipefail"
    })
}

/// What the `SHELL` in effect at instruction `index` means for pipefail:
/// `None` for a non-POSIX shell, else whether it sets pipefail.
fn shell_pipefail(df: &Dockerfile, index: usize) -> Option<bool> {
    let stage = df.stage_of(index)?;
    for s in stage_chain(df, stage) {
        let shells = stage_instructions(df, s)
            .rev()
            .find(|(n, i)| *n < index && i.kind == Kind::Shell);
        if let Some((_, shell)) = shells {
            let Args::Shell(CommandLine::Exec(exec)) = &shell.args else {
                return Some(false);
            };
            let program = exec.args.first().map_or("", |w| w.value.as_str());
            if !is_shell(program) {
                return None;
            }
            return Some(sets_pipefail(&exec.args));
        }
    }
    Some(false)
}

/// Programs whose failure in a pipeline does not matter.
fn cannot_fail(program: &str) -> bool {
    matches!(program, "echo" | "printf" | "yes" | "true")
}

fn is_download(program: &str) -> bool {
    matches!(program, "curl" | "wget" | "fetch" | "aria2c")
}

fn is_interpreter(program: &str) -> bool {
    is_shell(program)
        || ["python", "perl", "ruby", "node", "php", "pwsh"]
            .iter()
            .any(|p| program.starts_with(p))
}

/// The message of a finding about the pipeline whose commands are shown
/// as `shown`, masking the failures of `masked`: `shown` joined with
/// ` | `, `masked` with `` `, ` ``, built in one string.
fn message(shown: &[&str], masked: &[&str]) -> String {
    let mut text = String::with_capacity(96);
    text.push_str("The pipeline `");
    for (n, program) in shown.iter().enumerate() {
        if n > 0 {
            text.push_str(" | ");
        }
        text.push_str(program);
    }
    text.push_str("` succeeds even when `");
    for (n, program) in masked.iter().enumerate() {
        if n > 0 {
            text.push_str("`, `");
        }
        text.push_str(program);
    }
    text.push_str("` fails: no pipefail is set.");
    text
}

impl Check for PipeWithoutPipefail {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            for run in runs(ctx, src).iter() {
                // Only a pipeline is judged: most RUNs have none.
                if !run.commands().any(|c| c.pipe_to.is_some()) {
                    continue;
                }
                let Some(shell_on) = shell_pipefail(df, run.index) else {
                    continue;
                };
                // Exec form: the program given is the shell.
                let exec_on = match &run.run.args {
                    Args::Run(CommandLine::Exec(e)) => sets_pipefail(&e.args),
                    _ => false,
                };
                // Script words of `bash -o pipefail -c "…"`.
                let mut on_spans: Vec<Span> = Vec::new();
                for (_command, words) in run.programs() {
                    if words.first().is_some_and(|w| is_shell(&w.value)) && sets_pipefail(words) {
                        on_spans.extend(words.iter().skip(1).map(|w| w.span));
                    }
                }
                // The program words of each command, worked out with the
                // RUN, script after script.
                let mut programs = run.programs();
                for (n, script) in run.scripts.iter().enumerate() {
                    let words_of: SmallVec<[&[Word]; 16]> = programs
                        .by_ref()
                        .take(script.len())
                        .map(|(_, words)| words)
                        .collect();
                    let mut on = shell_on || (n == 0 && exec_on);
                    if n > 0
                        && let Some(first) = script.first()
                    {
                        on = on_spans
                            .iter()
                            .any(|s| s.start <= first.span.start && first.span.end <= s.end);
                    }
                    let mut piped_into: SmallVec<[bool; 16]> = smallvec![false; script.len()];
                    for c in script {
                        if let Some(t) = c.pipe_to.filter(|&t| t < script.len()) {
                            piped_into[t] = true;
                        }
                    }
                    for (i, command) in script.iter().enumerate() {
                        let words = words_of[i];
                        if words.first().is_some_and(|w| w.value == "set") && sets_pipefail(words) {
                            on = true;
                        }
                        // A pipeline starts at a command nobody pipes into.
                        if on || piped_into[i] || command.pipe_to.is_none() {
                            continue;
                        }
                        let mut members: SmallVec<[usize; 4]> = smallvec![i];
                        let mut at = i;
                        while let Some(next) = script.get(at).and_then(|c| c.pipe_to) {
                            if next >= script.len() || members.contains(&next) {
                                break;
                            }
                            members.push(next);
                            at = next;
                        }
                        let programs: SmallVec<[&str; 4]> = members
                            .iter()
                            .map(|&m| words_of[m].first().map_or("?", |w| basename(&w.value)))
                            .collect();
                        let shown: SmallVec<[&str; 4]> = members
                            .iter()
                            .map(|&m| script[m].words.first().map_or("?", |w| basename(&w.value)))
                            .collect();
                        let (last, earlier) = programs.split_last().unwrap_or((&"?", &[]));
                        if earlier.iter().all(|p| cannot_fail(p)) {
                            continue;
                        }
                        let span = script[i]
                            .span
                            .to(script[*members.last().unwrap_or(&i)].span);
                        let risky = earlier.iter().any(|p| is_download(p)) && is_interpreter(last);
                        let masked: SmallVec<[&str; 4]> = shown
                            .iter()
                            .zip(earlier)
                            .filter(|(_, p)| !cannot_fail(p))
                            .map(|(s, _)| *s)
                            .collect();
                        let mut verdict =
                            Verdict::fail(message(&shown, &masked)).at(location(src, span));
                        if risky {
                            verdict = verdict.severity(Severity::Medium);
                        }
                        out.push(subject(src), verdict);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    #[test]
    fn messages_are_joined_as_before() {
        let shown = ["curl", "tee", "sh"];
        let masked = ["curl", "tee"];
        assert_eq!(
            message(&shown, &masked),
            format!(
                "The pipeline `{}` succeeds even when `{}` fails: no pipefail is set.",
                shown.join(" | "),
                masked.join("`, `")
            )
        );
    }
    use crate::rule::Severity;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&PipeWithoutPipefail, text)
    }

    #[test]
    fn a_download_into_a_shell_fails_with_medium_severity() {
        let f = lint("FROM a\nRUN curl -fsSL https://x.example/i.sh | sh\n");
        assert_eq!(positions(&f), [(2, 5)]);
        assert_eq!(f[0].severity, Severity::Medium);
        let f = lint("FROM a\nRUN cat list | xargs rm\n");
        assert_eq!(f[0].severity, Severity::Low);
    }

    #[test]
    fn pipefail_from_shell_set_or_exec_passes() {
        assert!(
            lint("FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | sh\n")
                .is_empty()
        );
        assert!(
            lint("FROM a\nSHELL [\"/bin/ash\", \"-euo\", \"pipefail\", \"-c\"]\nRUN curl x | sh\n")
                .is_empty()
        );
        assert!(lint("FROM a\nRUN set -o pipefail && curl x | sh\n").is_empty());
        assert!(lint("FROM a\nRUN set -euxo pipefail; curl x | sh\n").is_empty());
        assert!(
            lint("FROM a\nRUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"curl x | sh\"]\n")
                .is_empty()
        );
        assert!(lint("FROM a\nRUN bash -o pipefail -c 'curl x | sh'\n").is_empty());
        assert!(lint("FROM a\nRUN <<EOF\nset -eo pipefail\ncurl x | sh\nEOF\n").is_empty());
    }

    #[test]
    fn set_after_the_pipe_or_in_another_stage_does_not_count() {
        assert_eq!(lint("FROM a\nRUN curl x | sh; set -o pipefail\n").len(), 1);
        assert_eq!(
            lint("FROM a AS b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM c\nRUN curl x | sh\n").len(),
            1
        );
        // Inherited from the parent stage.
        assert!(lint("FROM a AS b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM b\nRUN curl x | sh\n").is_empty());
        // A later SHELL without pipefail replaces it.
        assert_eq!(
            lint("FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nSHELL [\"/bin/sh\", \"-c\"]\nRUN curl x | sh\n").len(),
            1
        );
    }

    #[test]
    fn harmless_producers_strings_and_comments_pass() {
        assert!(lint("FROM a\nRUN echo 'root:x' | chpasswd\n").is_empty());
        assert!(lint("FROM a\nRUN yes | apt-get install x\n").is_empty());
        assert!(lint("FROM a\nRUN echo 'curl x | sh' # curl x | sh\n").is_empty());
        assert!(lint("FROM a\nRUN a || b\n").is_empty());
        assert!(lint("FROM a\nSHELL [\"pwsh\", \"-Command\"]\nRUN iwr x | iex\n").is_empty());
    }

    #[test]
    fn heredocs_and_nested_scripts() {
        assert_eq!(
            positions(&lint("FROM a\nRUN <<EOF\nwget -qO- x | bash\nEOF\n")),
            [(3, 1)]
        );
        assert_eq!(lint("FROM a\nRUN sh -c 'curl x | sh'\n").len(), 1);
        // One pipeline of three, one finding.
        let f = lint("FROM a\nRUN curl x | tar -xz | tee log\n");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("curl | tar | tee"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN curl -fsSL https://x.example/i.sh | bash \\\n && find / -name x | xargs rm\n"
        )));
    }
}
