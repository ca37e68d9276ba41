//! DKF011 `content-trust-disabled`.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Args, Dockerfile, Word};

use super::{
    Program, ProgramSet, SettingKind, Takes, basename, each_command, settings, short_takes_next,
};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::content_trust::{disables_content_trust, flag_is_true};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether the Dockerfile turns Docker Content Trust off for the docker
    /// CLI it runs or ships:
    /// - `DOCKER_CONTENT_TRUST` set to a value that disables trust, in
    ///   `ENV`, in a stage's `ARG` default, or by a RUN assignment
    ///   (`DOCKER_CONTENT_TRUST=0 docker pull …`, `export …`, `env …`);
    /// - `--disable-content-trust` (bare or `=true`) on `docker pull`,
    ///   `push`, `build`, `run` or `create` (and `docker image pull|push|build`,
    ///   `docker container run|create`, `docker builder build`) in a RUN.
    ///
    /// The docker CLI turns trust on when the variable is non-empty and Go's
    /// `strconv.ParseBool` reads it as true *or cannot read it*; so only the
    /// empty value and `0`, `f`, `F`, `false`, `FALSE`, `False` turn it off
    /// (`no`, `off` or `fAlse` leave it on and pass), and
    /// `DOCKER_CONTENT_TRUST=1` passes. A value with an unknown variable is
    /// not judged, nor is a global `ARG` (before the first `FROM`), which
    /// no RUN sees unless the stage declares it again: a bare
    /// `ARG DOCKER_CONTENT_TRUST` there takes the global default, and is
    /// judged with it. For `docker run` and `create`, words after the image are
    /// the container's command, not docker's options. The finding points at
    /// the variable or the option.
    ///
    /// The variable governs the docker CLI only (CI images, docker-in-docker
    /// builds, tools that shell out to `docker`): BuildKit does not verify
    /// content trust for `FROM`. Set through `ENV`, it stays in the image and
    /// applies to every container started from it.
    ///
    /// ## Why it matters
    /// With content trust on, the docker CLI pulls, runs and builds only
    /// image tags whose publisher signed them, so a tampered or substituted
    /// tag in a registry is refused. Turning it off, explicitly, accepts
    /// whatever the registry serves for the tag.
    ///
    /// ## How to fix
    /// Remove the override (or set `DOCKER_CONTENT_TRUST=1`). For an image
    /// that is not signed, pull it by digest (`image@sha256:…`) instead of
    /// turning verification off: a digest pins the exact content and the CLI
    /// accepts it with trust on.
    ///
    /// ## Examples
    /// Fails: `ENV DOCKER_CONTENT_TRUST=0`,
    /// `RUN docker pull --disable-content-trust alpine:3.20`.
    /// Passes: `ENV DOCKER_CONTENT_TRUST=1`,
    /// `RUN docker pull alpine@sha256:…`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.5
    /// - Dockle CIS-DI-0005 (checks the variable on the host running it)
    /// - <https://docs.docker.com/engine/security/trust/>
    pub ContentTrustDisabled {
        id: "DKF011",
        name: "content-trust-disabled",
        severity: High,
        target: Dockerfile,
        summary: "Docker Content Trust is turned off",
    }
}

const VARIABLE: &str = "DOCKER_CONTENT_TRUST";

impl Check for ContentTrustDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            let mut found: Vec<(Span, String)> = Vec::new();
            for s in settings(ctx, src).iter() {
                if s.name != VARIABLE {
                    continue;
                }
                let (how, value, inherited) = match s.kind {
                    SettingKind::Env | SettingKind::Arg => {
                        let Some((value, inherited)) = declared_value(df, s.span) else {
                            continue;
                        };
                        let how = if s.kind == SettingKind::Env {
                            "ENV"
                        } else {
                            "ARG"
                        };
                        (how, value, inherited)
                    }
                    SettingKind::Shell => match s.value(df) {
                        Some(v) if !v.contains(['$', '`']) => ("RUN", v.to_owned(), false),
                        _ => continue,
                    },
                };
                if !disables_content_trust(&value) {
                    continue;
                }
                let message = if inherited {
                    format!(
                        "ARG `{VARIABLE}` takes the global default `{value}`, which turns Docker Content Trust off."
                    )
                } else {
                    format!(
                        "{how} sets `{VARIABLE}={value}`, which turns Docker Content Trust off."
                    )
                };
                found.push((s.span, message));
            }
            each_command(ctx, src, PROGRAMS, |_, _, words| {
                if let Some((flag, command)) = disabling_flag(words) {
                    found.push((
                        flag.span,
                        format!(
                            "`docker {command} {}` skips Docker Content Trust verification.",
                            flag.value
                        ),
                    ));
                }
            });
            found.sort_by_key(|(span, _)| span.start);
            for (span, message) in found {
                out.push(subject(src), Verdict::fail(message).at(location(src, span)));
            }
        }
    }
}

/// The value the ENV or ARG pair whose name is at `span` gives the
/// variable, expanded as the build would, and whether it is a global
/// ARG's default taken by a bare `ARG NAME` in the stage. `None` when it
/// is not known (an unknown variable, an `ARG` with no default anywhere)
/// and for a global ARG, which only FROM lines see.
fn declared_value(df: &Dockerfile, span: Span) -> Option<(String, bool)> {
    let first_from = df.stages.first()?.from;
    for (index, instruction) in df.instructions.iter().enumerate() {
        let (Args::Env(pairs) | Args::Arg(pairs)) = &instruction.args else {
            continue;
        };
        let Some(pair) = pairs.iter().find(|p| p.key.span == span) else {
            continue;
        };
        if index < first_from {
            return None;
        }
        return match &pair.value {
            Some(v) => {
                let e = df.expand_at(&v.raw, index);
                e.is_complete().then_some((e.value, false))
            }
            None if matches!(instruction.args, Args::Arg(_)) => {
                df.global_args().get(VARIABLE).map(|g| (g.to_owned(), true))
            }
            None => None,
        };
    }
    None
}

/// The options of the docker CLI itself (before the subcommand) that take
/// a value.
const GLOBAL_TAKES: Takes = Takes::new(&[
    "-H",
    "--host",
    "-c",
    "--context",
    "--config",
    "-l",
    "--log-level",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
]);

/// The boolean options of `docker run` and `create`: every other option
/// written without `=` takes the next word.
const RUN_BOOLEANS: &[&str] = &[
    "--detach",
    "--interactive",
    "--tty",
    "--rm",
    "--privileged",
    "--init",
    "--read-only",
    "--publish-all",
    "--sig-proxy",
    "--no-healthcheck",
    "--oom-kill-disable",
    "--disable-content-trust",
    "--help",
    "--quiet",
    "--use-api-socket",
];

/// The short boolean options of `docker run` and `create`.
const RUN_SHORT_BOOLEANS: &str = "ditPq";

/// The programs [`disabling_flag`] judges.
pub(super) const PROGRAMS: ProgramSet = ProgramSet::of(&[Program::Docker]);

/// `--disable-content-trust` (bare or true) on a docker command that
/// verifies content trust, with that command (`pull`, `image pull`, …).
pub(super) fn disabling_flag(words: &[Word]) -> Option<(&Word, String)> {
    if basename(&words.first()?.value) != "docker" {
        return None;
    }
    let args = &words[1..];
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let v = w.value.as_str();
        if !v.starts_with('-') || v == "-" {
            break;
        }
        i += 1;
        let takes = if v.starts_with("--") {
            !v.contains('=') && GLOBAL_TAKES.contains(v)
        } else {
            short_takes_next(v, &GLOBAL_TAKES)
        };
        if takes {
            i += 1;
        }
    }
    let sub = args.get(i)?.value.as_str();
    let next = args.get(i + 1).map(|w| w.value.as_str());
    let (command, rest, options_end_at_operand) = match (sub, next) {
        ("pull" | "push" | "build", _) => (sub.to_owned(), &args[i + 1..], false),
        ("run" | "create", _) => (sub.to_owned(), &args[i + 1..], true),
        ("image", Some(c @ ("pull" | "push" | "build"))) | ("builder", Some(c @ "build")) => {
            (format!("{sub} {c}"), &args[i + 2..], false)
        }
        ("container", Some(c @ ("run" | "create"))) => (format!("{sub} {c}"), &args[i + 2..], true),
        _ => return None,
    };
    let mut j = 0;
    while let Some(w) = rest.get(j) {
        j += 1;
        let v = w.value.as_str();
        if v == "--" {
            return None;
        }
        if let Some(value) = v.strip_prefix("--disable-content-trust") {
            let value = match value {
                "" => None,
                _ => match value.strip_prefix('=') {
                    Some(b) => Some(b),
                    None => continue,
                },
            };
            if flag_is_true(value) {
                return Some((w, command));
            }
            continue;
        }
        if !options_end_at_operand {
            continue;
        }
        // `docker run`: options stop at the image.
        if !v.starts_with('-') || v == "-" {
            return None;
        }
        let takes = if v.starts_with("--") {
            !v.contains('=') && !RUN_BOOLEANS.contains(&v)
        } else {
            v.chars()
                .skip(1)
                .position(|c| !RUN_SHORT_BOOLEANS.contains(c))
                .is_some_and(|at| at + 2 == v.chars().count())
        };
        if takes {
            j += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;
    use crate::finding::Finding;

    fn lint(text: &str) -> Vec<Finding> {
        dockerfile(&ContentTrustDisabled, text)
    }

    #[test]
    fn false_values_fail_at_the_variable() {
        for value in ["0", "false", "FALSE", "False", "f", "\"\""] {
            let f = lint(&format!("FROM a:1\nENV DOCKER_CONTENT_TRUST={value}\n"));
            assert_eq!(positions(&f), [(2, 5)], "{value}");
        }
        assert_eq!(
            positions(&lint("FROM a:1\nARG DOCKER_CONTENT_TRUST=0\n")),
            [(2, 5)]
        );
        assert_eq!(
            positions(&lint("FROM a:1\nENV DOCKER_CONTENT_TRUST 0\n")),
            [(2, 5)]
        );
        assert_eq!(
            positions(&lint(
                "FROM a:1\nRUN DOCKER_CONTENT_TRUST=0 docker pull alpine:3.20\n"
            )),
            [(2, 5)]
        );
        assert_eq!(
            lint("FROM a:1\nRUN export DOCKER_CONTENT_TRUST=false && docker pull x:1\n").len(),
            1
        );
        // A bare ARG in the stage takes the global default.
        let f = lint("ARG DOCKER_CONTENT_TRUST=0\nFROM a:1\nARG DOCKER_CONTENT_TRUST\n");
        assert_eq!(positions(&f), [(3, 5)]);
        assert!(f[0].message.contains("global default `0`"));
        // Expanded as the build would.
        assert_eq!(
            lint("FROM a:1\nARG OFF=0\nENV DOCKER_CONTENT_TRUST=${OFF}\n").len(),
            1
        );
    }

    #[test]
    fn true_unknown_and_unparsable_values_pass() {
        for text in [
            "FROM a:1\nENV DOCKER_CONTENT_TRUST=1\n",
            "FROM a:1\nENV DOCKER_CONTENT_TRUST=true\n",
            // Go cannot parse these, and the CLI then turns trust on.
            "FROM a:1\nENV DOCKER_CONTENT_TRUST=no\n",
            "FROM a:1\nENV DOCKER_CONTENT_TRUST=fAlse\n",
            // Unknown values are not judged.
            "FROM a:1\nARG DCT\nENV DOCKER_CONTENT_TRUST=$DCT\n",
            "FROM a:1\nARG DOCKER_CONTENT_TRUST\n",
            "FROM a:1\nRUN DOCKER_CONTENT_TRUST=$DCT docker pull x:1\n",
            // A global ARG reaches FROM lines only, unless the stage
            // declares it again.
            "ARG DOCKER_CONTENT_TRUST=0\nFROM a:1\n",
            "ARG DOCKER_CONTENT_TRUST=0\nFROM a:1\nARG DOCKER_CONTENT_TRUST=1\n",
            // Another variable, another case.
            "FROM a:1\nENV docker_content_trust=0 DOCKER_CONTENT_TRUST_SERVER=x\n",
        ] {
            assert!(lint(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_disable_option_fails_on_commands_that_verify() {
        for (run, column) in [
            ("docker pull --disable-content-trust alpine:3.20", 17),
            ("docker pull alpine:3.20 --disable-content-trust", 29),
            (
                "docker --tls -H tcp://d:2376 pull --disable-content-trust=true x:1",
                39,
            ),
            ("docker image pull --disable-content-trust x:1", 23),
            ("docker build --disable-content-trust -t x .", 18),
            ("docker push --disable-content-trust x:1", 17),
            (
                "docker run --rm -it -e A=1 --disable-content-trust x:1 sh",
                32,
            ),
            (
                "docker container create -v /a:/b --disable-content-trust x:1",
                38,
            ),
            ("sudo docker pull --disable-content-trust x:1", 22),
            ("sh -c \"docker pull --disable-content-trust x:1\"", 24),
        ] {
            let f = lint(&format!("FROM a:1\nRUN {run}\n"));
            assert_eq!(positions(&f), [(2, column)], "{run}");
        }
    }

    #[test]
    fn the_option_elsewhere_passes() {
        for run in [
            "docker pull --disable-content-trust=false x:1",
            "docker pull x@sha256:abcd",
            // The container's command, not docker's option.
            "docker run --rm x:1 echo --disable-content-trust",
            "docker run -e A=1 x:1 --disable-content-trust",
            "docker ps --disable-content-trust",
            "echo docker pull --disable-content-trust",
            "podman pull --disable-content-trust x:1",
        ] {
            assert!(lint(&format!("FROM a:1\nRUN {run}\n")).is_empty(), "{run}");
        }
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM docker:27-cli\nENV DOCKER_CONTENT_TRUST=0\nRUN DOCKER_CONTENT_TRUST= docker pull alpine:3.20\nRUN docker pull --disable-content-trust alpine:3.20\nENV DOCKER_CONTENT_TRUST=1\n"
        )));
    }
}
