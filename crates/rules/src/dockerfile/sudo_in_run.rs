//! DKF004 `sudo-in-run`.

use super::{Program, ProgramSet, basename, each_command, program_positions};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a `RUN` executes `sudo` (or `doas`): as the command, behind
    /// another wrapper (`env A=1 sudo …`), in a heredoc script
    /// (`RUN <<EOF`), in exec form, or inside `sh -c "…"`. Only commands
    /// count: `apt-get install sudo`, `echo "sudo is bad"` and comments
    /// do not; `command -v sudo` only looks it up.
    ///
    /// ## Why it matters
    /// A build step that needs `sudo` means the image has a user allowed to
    /// become root, usually without a password: whoever gets code execution
    /// as that user in the container is root. sudo also behaves
    /// unpredictably without a TTY and changes the environment of the
    /// command it runs.
    ///
    /// ## How to fix
    /// Switch users with `USER root` for the steps that need root and
    /// `USER 10001` afterwards; to drop privileges at run time use `gosu`
    /// or `setpriv` in the entrypoint. Do not install or configure sudo in
    /// the image.
    ///
    /// ## Examples
    /// Fails: `RUN sudo apt-get install -y curl`.
    /// Passes: `USER root`, `RUN apt-get install -y curl`, `USER 10001`.
    ///
    /// ## References
    /// - hadolint DL3004, Trivy DS-0010, KICS "Run Using Sudo", Checkov CKV2_DOCKER_1
    /// - <https://docs.docker.com/build/building/best-practices/#user>
    pub SudoInRun {
        id: "DKF004",
        name: "sudo-in-run",
        severity: High,
        target: Dockerfile,
        summary: "A RUN instruction uses sudo",
    }
}

impl Check for SudoInRun {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            // A command runs sudo only if sudo is its program or a wrapper
            // before it: without a wrapper, its first word is its program.
            let set = ProgramSet::of(&[Program::Sudo]).with(ProgramSet::WRAPPED);
            each_command(ctx, src, set, |_, command, _| {
                for i in program_positions(&command.words) {
                    let word = &command.words[i];
                    let name = basename(&word.value);
                    let message = match name {
                        "sudo" => "RUN uses `sudo`: the image lets a user become root.",
                        "doas" => "RUN uses `doas`: the image lets a user become root.",
                        _ => continue,
                    };
                    out.push(
                        subject(src),
                        Verdict::fail(message).at(location(src, word.span)),
                    );
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&SudoInRun, text)
    }

    #[test]
    fn sudo_as_a_command_fails_at_the_word() {
        assert_eq!(
            positions(&lint(
                "FROM a\nRUN apt-get update && sudo apt-get install x\n"
            )),
            [(2, 23)]
        );
        assert_eq!(
            lint("FROM a\nRUN env A=1 /usr/bin/sudo -u root ls\n").len(),
            1
        );
        assert_eq!(lint("FROM a\nRUN if true; then sudo ls; fi\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN doas ls\n").len(), 1);
    }

    #[test]
    fn strings_comments_and_arguments_pass() {
        assert!(lint("FROM a\nRUN echo \"sudo is bad\"\n").is_empty());
        assert!(lint("FROM a\n# sudo ls\nRUN ls # sudo\n").is_empty());
        assert!(lint("FROM a\nRUN apt-get install -y sudo\n").is_empty());
        assert!(lint("FROM a\nRUN command -v sudo\n").is_empty());
        assert!(lint("FROM a\nRUN pseudo-tool x\n").is_empty());
        assert!(lint("FROM a\nCMD sudo ls\n").is_empty());
    }

    #[test]
    fn heredocs_exec_form_and_nested_scripts_are_checked() {
        assert_eq!(
            positions(&lint("FROM a\nRUN <<EOF\nset -e\nsudo ls\nEOF\n")),
            [(4, 1)]
        );
        assert_eq!(lint("FROM a\nRUN [\"sudo\", \"ls\"]\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN [\"sh\", \"-c\", \"sudo ls\"]\n").len(), 1);
        // JSON escapes: found, pointed at the whole script string.
        assert_eq!(
            positions(&lint(
                "FROM a\nRUN [\"sh\", \"-c\", \"echo \\\"x\\\" && sudo ls\"]\n"
            )),
            [(2, 18)]
        );
        assert_eq!(
            positions(&lint("FROM a\nRUN bash -c 'sudo ls'\n")),
            [(2, 14)]
        );
        assert_eq!(lint("FROM a\nONBUILD RUN sudo ls\n").len(), 1);
        // A heredoc that is data, not a script.
        assert!(lint("FROM a\nRUN cat <<EOF > /x\nsudo ls\nEOF\n").is_empty());
        assert!(lint("FROM a\nRUN python3 <<EOF\nsudo = 1\nEOF\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN sudo apt-get update \\\n && sudo -E apt-get install -y x\n"
        )));
    }
}
