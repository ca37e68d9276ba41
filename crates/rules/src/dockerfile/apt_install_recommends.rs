//! DKF029 `apt-install-recommends`.

use bulwark_syntax::dockerfile::Word;

use super::{
    Program, ProgramSet, Takes, basename, each_command, has_option, squeezed, stage_chain,
    stage_instructions, subcommand, written_to,
};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether `apt-get install` (or `apt install`) runs without
    /// `--no-install-recommends` (or `-o APT::Install-Recommends=false`,
    /// `=0`). It passes when the stage (or a stage it is built on) has
    /// already written `APT::Install-Recommends "false"` (or `"0"`) into
    /// `/etc/apt/` in an earlier instruction. Commands are read in shell
    /// form, heredoc scripts, exec form and `sh -c "…"`, behind wrappers such
    /// as `sudo`; strings and comments do not count. The finding points at
    /// `install`.
    ///
    /// ## Why it matters
    /// Recommended packages are installed by default: often dozens of
    /// packages nobody asked for (documentation tools, X libraries, mail
    /// agents), each one more thing with vulnerabilities to patch and more
    /// tools for an attacker inside the container.
    ///
    /// ## How to fix
    /// `RUN apt-get install -y --no-install-recommends <packages>`, listing
    /// explicitly any recommended package you do need; or set it once:
    /// `RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/00-no-recommends`.
    ///
    /// ## Examples
    /// Fails: `RUN apt-get install -y curl`.
    /// Passes: `RUN apt-get install -y --no-install-recommends curl`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.3
    /// - hadolint DL3015, Trivy DS-0029, KICS "APT-GET Not Avoiding Additional Packages"
    /// - <https://docs.docker.com/build/building/best-practices/#apt-get>
    pub AptInstallRecommends {
        id: "DKF029",
        name: "apt-install-recommends",
        severity: Low,
        target: Dockerfile,
        summary: "apt-get install also installs recommended packages",
    }
}

const APT_TAKES: Takes = Takes::new(&[
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
]);

fn recommends_off(setting: &str) -> bool {
    let Some((key, value)) = setting.split_once('=') else {
        return false;
    };
    key.eq_ignore_ascii_case("APT::Install-Recommends")
        && matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "false" | "0" | "no" | "off"
        )
}

/// Whether the options of an `apt-get install` leave recommends out.
fn avoids_recommends(args: &[Word]) -> bool {
    if has_option(args, &APT_TAKES, "--no-install-recommends") {
        return true;
    }
    args.iter().enumerate().any(|(i, w)| {
        let v = w.value.as_str();
        let value = if v == "-o" || v == "--option" {
            args.get(i + 1).map(|n| n.value.as_str())
        } else if let Some(o) = v.strip_prefix("--option=") {
            Some(o)
        } else if v.starts_with("-o") && !v.starts_with("--") {
            Some(&v[2..])
        } else {
            None
        };
        value.is_some_and(recommends_off)
    })
}

/// Where apt reads its configuration.
pub(super) fn is_apt_config(path: &str) -> bool {
    path.starts_with("/etc/apt/")
}

impl Check for AptInstallRecommends {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            // Where apt is configured not to install recommends: looked
            // for only once an install that does not say would report.
            let mut configured: Option<Vec<usize>> = None;
            let set = ProgramSet::of(&[Program::AptGet, Program::Apt]);
            each_command(ctx, src, set, |run, _, words| {
                let Some(program) = words.first() else {
                    return;
                };
                let name = basename(&program.value);
                let message = match name {
                    "apt-get" => {
                        "`apt-get install` runs without --no-install-recommends and also installs recommended packages."
                    }
                    "apt" => {
                        "`apt install` runs without --no-install-recommends and also installs recommended packages."
                    }
                    _ => return,
                };
                let args = &words[1..];
                let Some(verb) = subcommand(args, &APT_TAKES).filter(|v| v.value == "install")
                else {
                    return;
                };
                if avoids_recommends(args) {
                    return;
                }
                let configured = configured.get_or_insert_with(|| {
                    written_to(ctx, src, &is_apt_config)
                        .into_iter()
                        .filter(|w| {
                            let t = squeezed(&w.text);
                            t.contains("apt::install-recommends\"false\"")
                                || t.contains("apt::install-recommendsfalse")
                                || t.contains("apt::install-recommends0")
                                || t.contains("apt::install-recommends\"0\"")
                        })
                        .filter_map(|w| {
                            df.instructions.iter().position(|i| {
                                i.span.start <= w.span.start && w.span.end <= i.span.end
                            })
                        })
                        .collect()
                });
                let covered = df.stage_of(run.index).is_some_and(|stage| {
                    stage_chain(df, stage).iter().any(|s| {
                        stage_instructions(df, s)
                            .any(|(n, _)| n < run.index && configured.contains(&n))
                    })
                });
                if covered {
                    return;
                }
                out.push(
                    subject(src),
                    Verdict::fail(message).at(location(src, verb.span)),
                );
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&AptInstallRecommends, text)
    }

    #[test]
    fn install_without_the_option_fails_at_install() {
        assert_eq!(
            positions(&lint("FROM a\nRUN apt-get install -y curl\n")),
            [(2, 13)]
        );
        assert_eq!(lint("FROM a\nRUN sudo apt -y install curl\n").len(), 1);
        assert_eq!(
            lint("FROM a\nRUN <<EOF\napt-get install -y curl\nEOF\n").len(),
            1
        );
    }

    #[test]
    fn the_option_in_any_spelling_passes() {
        for c in [
            "apt-get install -y --no-install-recommends curl",
            "apt-get --no-install-recommends install -y curl",
            "apt-get install -y -o APT::Install-Recommends=false curl",
            "apt-get install -y -oAPT::Install-Recommends=0 curl",
            "apt-get update",
            "apt-get remove -y curl",
            "echo apt-get install curl",
        ] {
            assert!(lint(&format!("FROM a\nRUN {c}\n")).is_empty(), "{c}");
        }
    }

    #[test]
    fn an_earlier_apt_configuration_passes() {
        let conf = "RUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/00norec\n";
        assert!(lint(&format!("FROM a\n{conf}RUN apt-get install -y curl\n")).is_empty());
        assert!(
            lint(&format!(
                "FROM a AS b\n{conf}FROM b\nRUN apt-get install -y curl\n"
            ))
            .is_empty()
        );
        // Another stage or a later configuration does not count.
        assert_eq!(
            lint(&format!(
                "FROM a\n{conf}FROM c\nRUN apt-get install -y curl\n"
            ))
            .len(),
            1
        );
        assert_eq!(
            lint(&format!("FROM a\nRUN apt-get install -y curl\n{conf}")).len(),
            1
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN apt-get update && apt-get install -y curl \\\n && apt install --no-install-recommends git\n"
        )));
    }
}
