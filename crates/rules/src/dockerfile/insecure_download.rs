//! DKF041 `insecure-download`.

use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, Takes, basename, cluster_has, each_command, short_takes_next};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a `RUN` downloads with TLS certificate verification turned
    /// off: `curl -k`, `--insecure` (also in a cluster such as `-fsSLk`,
    /// but not `-ok`, where `k` is the output file), `--proxy-insecure`,
    /// `--doh-insecure`; `wget --no-check-certificate` or
    /// `-e check_certificate=off`; `aria2c --check-certificate=false`.
    /// Commands are read in shell form, heredoc scripts, exec form and
    /// `sh -c "…"`, behind wrappers such as `sudo` or `env`; strings and
    /// comments do not count. The finding points at the option.
    ///
    /// ## Why it matters
    /// Without certificate checks anyone on the network path (a proxy, a
    /// compromised resolver, a hostile Wi-Fi) can serve any file in place
    /// of the one requested, and what the build downloads usually ends up
    /// executed or installed in the image.
    ///
    /// ## How to fix
    /// Remove the option and install the CA certificates the download needs
    /// (`ca-certificates`, or `COPY` a corporate CA into
    /// `/usr/local/share/ca-certificates/` and run `update-ca-certificates`).
    /// Verify what you download with a checksum or signature.
    ///
    /// ## Examples
    /// Fails: `RUN curl -fsSLk https://example.com/install.sh -o i.sh`.
    /// Passes: `RUN curl -fsSL https://example.com/install.sh -o i.sh`.
    ///
    /// ## References
    /// - Checkov CKV2_DOCKER_2 (curl), CKV2_DOCKER_3 (wget)
    /// - <https://curl.se/docs/manpage.html#-k>
    pub InsecureDownload {
        id: "DKF041",
        name: "insecure-download",
        severity: High,
        target: Dockerfile,
        summary: "A download in RUN skips TLS certificate verification",
    }
}

/// curl's short options that take a value.
const CURL_TAKES: Takes = Takes::new(&[
    "-A", "-b", "-c", "-C", "-d", "-D", "-e", "-E", "-F", "-H", "-K", "-m", "-o", "-P", "-Q", "-r",
    "-t", "-T", "-u", "-U", "-w", "-x", "-X", "-y", "-Y", "-z",
]);
/// wget's short options that take a value.
const WGET_TAKES: Takes = Takes::new(&[
    "-O", "-o", "-a", "-e", "-i", "-B", "-t", "-T", "-w", "-P", "-U", "-Q", "-l", "-A", "-R", "-D",
    "-I", "-X",
]);

fn is_off(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "off" | "0" | "no" | "false"
    )
}

/// The programs [`insecure_options`] judges.
pub(super) const PROGRAMS: ProgramSet =
    ProgramSet::of(&[Program::Curl, Program::Wget, Program::Aria2c]);

/// The option words of one download command that turn verification off.
pub(super) fn insecure_options(words: &[Word]) -> Vec<&Word> {
    let Some(program) = words.first() else {
        return Vec::new();
    };
    let args = &words[1..];
    let mut found = Vec::new();
    match basename(&program.value) {
        "curl" => {
            let mut skip = false;
            for w in args {
                if std::mem::take(&mut skip) {
                    continue;
                }
                let v = w.value.as_str();
                if matches!(v, "--insecure" | "--proxy-insecure" | "--doh-insecure")
                    || cluster_has(v, 'k', &CURL_TAKES)
                {
                    found.push(w);
                }
                skip = !v.starts_with("--") && short_takes_next(v, &CURL_TAKES);
            }
        }
        "wget" => {
            let mut i = 0;
            while let Some(w) = args.get(i) {
                i += 1;
                let v = w.value.as_str();
                if v == "--no-check-certificate" {
                    found.push(w);
                } else if let Some(setting) = v.strip_prefix("--execute=") {
                    if setting_is_off(setting) {
                        found.push(w);
                    }
                } else if v == "-e" || v == "--execute" {
                    if let Some(next) = args.get(i).filter(|n| setting_is_off(&n.value)) {
                        found.push(next);
                    }
                    i += 1;
                } else if let Some(rest) = v.strip_prefix("-e").filter(|_| !v.starts_with("--")) {
                    if setting_is_off(rest) {
                        found.push(w);
                    }
                } else if v.starts_with('-') && !v.starts_with("--") && WGET_TAKES.contains(v) {
                    i += 1;
                }
            }
        }
        "aria2c" => {
            for w in args {
                if let Some(value) = w.value.strip_prefix("--check-certificate=")
                    && is_off(value)
                {
                    found.push(w);
                }
            }
        }
        _ => {}
    }
    found
}

/// `check_certificate=off` (wgetrc syntax, any case, `_` optional).
fn setting_is_off(setting: &str) -> bool {
    let Some((key, value)) = setting.split_once('=') else {
        return false;
    };
    key.trim()
        .replace(['_', '-'], "")
        .eq_ignore_ascii_case("checkcertificate")
        && is_off(value)
}

impl Check for InsecureDownload {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            each_command(ctx, src, PROGRAMS, |_, _, words| {
                for option in insecure_options(words) {
                    let program = basename(&words[0].value);
                    out.push(
                        subject(src),
                        Verdict::fail(format!(
                            "`{program} {}` downloads without verifying the server's TLS certificate.",
                            option.value
                        ))
                        .at(location(src, option.span)),
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
        dockerfile(&InsecureDownload, text)
    }

    #[test]
    fn curl_insecure_fails_at_the_option() {
        assert_eq!(
            positions(&lint("FROM a\nRUN curl -fsSLk https://x.example/i.sh\n")),
            [(2, 10)]
        );
        for o in ["-k", "--insecure", "-kfsSL", "--proxy-insecure", "-sk"] {
            assert_eq!(
                lint(&format!("FROM a\nRUN curl {o} https://x\n")).len(),
                1,
                "{o}"
            );
        }
        assert_eq!(
            lint("FROM a\nRUN sudo /usr/bin/curl -k https://x | sh\n").len(),
            1
        );
    }

    #[test]
    fn curl_option_values_are_not_options() {
        assert!(lint("FROM a\nRUN curl -o -k https://x\n").is_empty());
        assert!(lint("FROM a\nRUN curl -ok https://x\n").is_empty());
        assert!(lint("FROM a\nRUN curl -H '-k' https://x\n").is_empty());
        assert!(lint("FROM a\nRUN curl -fsSL https://x/-k\n").is_empty());
    }

    #[test]
    fn wget_and_aria2c() {
        assert_eq!(
            lint("FROM a\nRUN wget --no-check-certificate https://x\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN wget -e check_certificate=off https://x\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN wget --execute=check-certificate=no https://x\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN busybox wget --no-check-certificate https://x\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN aria2c --check-certificate=false https://x\n").len(),
            1
        );
        assert!(lint("FROM a\nRUN wget -e robots=off https://x\n").is_empty());
        assert!(lint("FROM a\nRUN aria2c --check-certificate=true https://x\n").is_empty());
    }

    #[test]
    fn strings_comments_and_other_programs_pass() {
        assert!(lint("FROM a\nRUN echo 'curl -k is bad' # curl -k\n").is_empty());
        assert!(lint("FROM a\nRUN grep -k x\n").is_empty());
    }

    #[test]
    fn heredocs_exec_form_and_nested_scripts() {
        assert_eq!(
            positions(&lint("FROM a\nRUN <<EOF\ncurl -k https://x\nEOF\n")),
            [(3, 6)]
        );
        assert_eq!(
            lint("FROM a\nRUN [\"curl\", \"-k\", \"https://x\"]\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN sh -c \"curl --insecure https://x\"\n").len(),
            1
        );
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN curl -fsSLk https://x.example/a -o a \\\n && wget --no-check-certificate https://x.example/b\n"
        )));
    }
}
