//! DKF006 `unverified-remote-add`.

use bulwark_syntax::dockerfile::{Args, Kind};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether an `ADD` (or `ONBUILD ADD`) fetches a remote source without
    /// verifying it: an `http://` or `https://` URL without
    /// `--checksum=sha256:…`, or a Git repository that is neither pinned
    /// to a full commit hash (`…git#<40 or 64 hex digits>`) nor given a
    /// `--checksum`. `git://` and `http://` sources fail even with a
    /// checksum on a branch, since they are fetched without TLS. The
    /// finding points at the source.
    ///
    /// ## Why it matters
    /// What a URL or a branch serves can change between builds: a
    /// compromised server, a moved tag or a man in the middle puts
    /// arbitrary files into the image, and nothing in the build notices.
    /// A checksum or a commit hash makes the build fail instead.
    ///
    /// ## How to fix
    /// Add `--checksum=sha256:<digest>` to `ADD <url>` (Dockerfile syntax
    /// 1.6 or later), pin Git sources to a commit
    /// (`ADD https://github.com/o/r.git#<sha> /src`), or download with
    /// `curl` and verify the file with `sha256sum -c` in the same RUN.
    ///
    /// ## Examples
    /// Fails: `ADD https://example.com/tool.tar.gz /opt/`,
    /// `ADD https://github.com/o/r.git#main /src`.
    /// Passes: `ADD --checksum=sha256:24454f…c1 https://example.com/tool.tar.gz /opt/`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.9
    /// - KICS "Curl or Wget Instead of Add"
    /// - <https://docs.docker.com/reference/dockerfile/#add---checksum>
    pub RemoteAdd {
        id: "DKF006",
        name: "unverified-remote-add",
        severity: Medium,
        target: Dockerfile,
        summary: "ADD fetches a remote source without verifying it",
    }
}

fn is_commit(reference: &str) -> bool {
    (reference.len() == 40 || reference.len() == 64)
        && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Check for RemoteAdd {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            for (index, instruction) in df.instructions.iter().enumerate() {
                let add = instruction.onbuild_trigger().unwrap_or(instruction);
                let (Kind::Add, Args::Add(args)) = (&add.kind, &add.args) else {
                    continue;
                };
                let checksum = add.flag("checksum").is_some();
                for source in &args.sources {
                    if source.heredoc.is_some() {
                        continue;
                    }
                    let value = df.expand_at(&source.word.raw, index).value;
                    let lower = value.to_ascii_lowercase();
                    let plain_text = lower.starts_with("http://") || lower.starts_with("git://");
                    let git = source.is_git()
                        || lower.starts_with("git@")
                        || lower.starts_with("git://")
                        || lower.split('#').next().is_some_and(|u| u.ends_with(".git"));
                    let url = lower.starts_with("http://") || lower.starts_with("https://");
                    let message = if git {
                        let reference = value
                            .split_once('#')
                            .map(|(_, r)| r.split(':').next().unwrap_or(r))
                            .unwrap_or("");
                        if plain_text {
                            Some(format!(
                                "ADD clones `{}` over an unencrypted protocol.",
                                source.word.raw
                            ))
                        } else if is_commit(reference) || checksum {
                            None
                        } else {
                            Some(format!(
                                "ADD clones `{}` at a movable reference: pin it to a commit hash or add --checksum.",
                                source.word.raw
                            ))
                        }
                    } else if url && !checksum {
                        Some(format!(
                            "ADD downloads `{}`{} without --checksum: its content is not verified.",
                            source.word.raw,
                            if plain_text { " over plain HTTP" } else { "" }
                        ))
                    } else {
                        None
                    };
                    if let Some(message) = message {
                        out.push(
                            subject(src),
                            Verdict::fail(message).at(location(src, source.word.span)),
                        );
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

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&RemoteAdd, text)
    }

    #[test]
    fn urls_without_checksum_fail_at_the_url() {
        assert_eq!(
            positions(&lint("FROM a\nADD https://example.com/t.tgz /opt/\n")),
            [(2, 5)]
        );
        assert_eq!(lint("FROM a\nADD http://example.com/t /t\n").len(), 1);
        assert_eq!(
            lint("FROM a\nARG U=https://x.example/a\nADD ${U} /a\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nONBUILD ADD https://x.example/a /a\n").len(),
            1
        );
    }

    #[test]
    fn checksums_pass() {
        assert!(
            lint("FROM a\nADD --checksum=sha256:abc https://example.com/t.tgz /opt/\n").is_empty()
        );
        assert!(lint("FROM a\nADD --checksum=sha256:abc http://example.com/t /t\n").is_empty());
    }

    #[test]
    fn git_sources_need_a_commit_or_checksum() {
        assert_eq!(
            lint("FROM a\nADD https://github.com/o/r.git#main /src\n").len(),
            1
        );
        assert_eq!(lint("FROM a\nADD git@github.com:o/r.git /src\n").len(), 1);
        assert_eq!(
            lint(
                "FROM a\nADD git://example.com/r.git#0123456789abcdef0123456789abcdef01234567 /s\n"
            )
            .len(),
            1
        );
        assert!(lint("FROM a\nADD https://github.com/o/r.git#0123456789abcdef0123456789abcdef01234567 /src\n").is_empty());
        assert!(lint("FROM a\nADD https://github.com/o/r.git#0123456789abcdef0123456789abcdef01234567:sub /src\n").is_empty());
        assert!(lint("FROM a\nADD --checksum=0123456789abcdef0123456789abcdef01234567 https://github.com/o/r.git#v1 /src\n").is_empty());
    }

    #[test]
    fn local_sources_and_other_instructions_pass() {
        assert!(lint("FROM a\nADD x.tar.gz /\nCOPY http.conf /etc/\n").is_empty());
        assert!(lint("FROM a\nRUN echo ADD https://x /y\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nADD https://example.com/tool.tar.gz /opt/\nADD https://github.com/o/r.git#main /src\n"
        )));
    }
}
