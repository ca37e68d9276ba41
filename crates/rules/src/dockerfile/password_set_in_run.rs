//! DKF044 `password-set-in-run`.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::Word;

use super::{Program, ProgramSet, basename, each_command, written_to};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a `RUN` sets, changes or removes an account password in the
    /// image: `chpasswd` (any use), `passwd` unless it only locks, expires
    /// or reports (`-l`, `-e`, `-S`, aging options), `useradd`/`usermod`
    /// `-p`/`--password` with a hash (a locked value such as `*` or `!`
    /// passes), and text written to `/etc/shadow` or `/etc/passwd` whose
    /// password field is empty or a hash (`sed -i 's/^root:[^:]*:/root::/'
    /// /etc/shadow`). Commands are read in shell form, heredoc scripts,
    /// exec form and `sh -c "…"`; strings and comments do not count. The
    /// password itself is never printed.
    ///
    /// ## Why it matters
    /// A password set at build time is the same in every container from
    /// the image, is readable by anyone who can pull it (from the layer's
    /// `/etc/shadow`, and often in clear text in the image history when it
    /// came from `echo 'root:pw' | chpasswd`), and opens a login path
    /// (`su`, SSH) that containers do not need. An emptied password is
    /// worse: no password at all.
    ///
    /// ## How to fix
    /// Do not give accounts passwords in images: create users without one
    /// (`useradd --uid 10001 app`, locked by default) and switch with
    /// `USER`. If a service needs a credential, pass it at run time as a
    /// secret.
    ///
    /// ## Examples
    /// Fails: `RUN echo 'root:changeme' | chpasswd`, `RUN passwd -d root`,
    /// `RUN useradd -p "$(openssl passwd -1 pw)" app`.
    /// Passes: `RUN useradd --uid 10001 app`, `RUN passwd -l root`.
    ///
    /// ## References
    /// - Checkov CKV2_DOCKER_17
    /// - <https://man7.org/linux/man-pages/man8/chpasswd.8.html>
    pub PasswordSetInRun {
        id: "DKF044",
        name: "password-set-in-run",
        severity: High,
        target: Dockerfile,
        summary: "A RUN instruction sets or removes an account password",
    }
}

/// A password field that disables password login.
fn locked(value: &str) -> bool {
    value.starts_with('!') || value.starts_with('*') || value == "x"
}

/// The programs [`password_change`] judges.
pub(super) const PROGRAMS: ProgramSet =
    ProgramSet::of(&[Program::Chpasswd, Program::Passwd, Program::Useradd]);

/// What one command does to passwords, and where.
pub(super) fn password_change(words: &[Word]) -> Option<(Span, String)> {
    let program = words.first()?;
    let name = basename(&program.value);
    let args = &words[1..];
    match name {
        "chpasswd" | "chgpasswd" => Some((
            program.span,
            format!("`{name}` sets account passwords in the image."),
        )),
        "passwd" => {
            let harmful = |v: &str| {
                matches!(v, "-d" | "--delete" | "-u" | "--unlock" | "--stdin")
                    || (!v.starts_with("--") && v.len() > 2 && (v.contains('d') || v.contains('u')))
            };
            let options: Vec<&Word> = args.iter().filter(|w| w.value.starts_with('-')).collect();
            if options.iter().any(|w| harmful(&w.value)) {
                Some((
                    program.span,
                    "`passwd` removes or unlocks an account password in the image.".into(),
                ))
            } else if options.is_empty() {
                Some((
                    program.span,
                    "`passwd` sets an account password in the image.".into(),
                ))
            } else {
                // Locking, expiring, aging and status options.
                None
            }
        }
        "useradd" | "usermod" | "adduser" => {
            let mut i = 0;
            while let Some(w) = args.get(i) {
                i += 1;
                let v = w.value.as_str();
                let value = if v == "-p" || v == "--password" {
                    let n = args.get(i).map(|n| n.value.to_string());
                    i += 1;
                    n
                } else if let Some(p) = v.strip_prefix("--password=") {
                    Some(p.to_string())
                } else if !v.starts_with("--") && v.starts_with("-p") && v.len() > 2 {
                    Some(v[2..].to_string())
                } else {
                    None
                };
                if let Some(value) = value
                    && !locked(&value)
                {
                    return Some((
                        w.span,
                        format!("`{name} {v}` gives an account a password in the image."),
                    ));
                }
            }
            None
        }
        _ => None,
    }
}

/// The files that hold account passwords.
pub(super) fn is_account_file(path: &str) -> bool {
    path == "/etc/shadow" || path == "/etc/passwd"
}

impl Check for PasswordSetInRun {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            let mut found: Vec<(Span, String)> = Vec::new();
            each_command(ctx, src, PROGRAMS, |_, _, words| {
                found.extend(password_change(words));
            });
            for w in written_to(ctx, src, &is_account_file) {
                let fields: Vec<&str> = w.text.trim().split(':').collect();
                if fields.len() >= 2 && !fields[0].is_empty() && !fields[0].contains(['/', ' ']) {
                    let password = fields[1];
                    let empty = password.is_empty();
                    if empty || password.starts_with('$') {
                        let what = if empty {
                            "an empty password"
                        } else {
                            "a password hash"
                        };
                        found.push((
                            w.span,
                            format!(
                                "The build writes {what} for `{}` to `{}`.",
                                fields[0].trim_start_matches('^'),
                                w.path
                            ),
                        ));
                    }
                }
            }
            found.sort_by_key(|(span, _)| *span);
            found.dedup_by_key(|(span, _)| *span);
            for (span, message) in found {
                out.push(subject(src), Verdict::fail(message).at(location(src, span)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&PasswordSetInRun, text)
    }

    #[test]
    fn chpasswd_fails_at_the_program() {
        let f = lint("FROM a\nRUN echo 'root:s3cr3tpw' | chpasswd\n");
        assert_eq!(positions(&f), [(2, 28)]);
        assert!(!f[0].message.contains("s3cr3t"));
        assert_eq!(
            lint("FROM a\nRUN chpasswd -e <<EOF\nroot:$6$x\nEOF\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN <<EOF\necho u:p | /usr/sbin/chpasswd\nEOF\n").len(),
            1
        );
    }

    #[test]
    fn passwd_removing_or_setting_fails_locking_passes() {
        assert_eq!(lint("FROM a\nRUN passwd -d root\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN echo pw | passwd --stdin app\n").len(), 1);
        assert_eq!(lint("FROM a\nRUN passwd app\n").len(), 1);
        assert!(lint("FROM a\nRUN passwd -l root\n").is_empty());
        assert!(lint("FROM a\nRUN passwd --expire app\n").is_empty());
    }

    #[test]
    fn useradd_with_a_password() {
        let f = lint("FROM a\nRUN useradd -m -p \"$(openssl passwd -1 pw)\" app\n");
        assert_eq!(positions(&f), [(2, 16)]);
        assert_eq!(lint("FROM a\nRUN usermod --password=$6$abc app\n").len(), 1);
        assert!(lint("FROM a\nRUN useradd -p '*' app\n").is_empty());
        assert!(lint("FROM a\nRUN useradd -m -u 10001 app\n").is_empty());
    }

    #[test]
    fn account_files_with_empty_or_hashed_passwords() {
        assert_eq!(
            lint("FROM a\nRUN sed -i 's/^root:[^:]*:/root::/' /etc/shadow\n").len(),
            1
        );
        assert_eq!(
            lint("FROM a\nRUN echo 'app::1000:1000::/home/app:/bin/sh' >> /etc/passwd\n").len(),
            1
        );
        assert!(
            lint("FROM a\nRUN echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd\n")
                .is_empty()
        );
        assert!(lint("FROM a\nRUN echo 'app:!:19000::::::' >> /etc/shadow\n").is_empty());
    }

    #[test]
    fn strings_and_comments_pass() {
        assert!(lint("FROM a\nRUN echo 'use chpasswd' # passwd -d root\n").is_empty());
        assert!(lint("FROM a\nRUN openssl passwd -1 x > /tmp/h\n").is_empty());
        assert!(lint("FROM a\nRUN apt-get install -y passwd\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a\nRUN echo 'root:hunter2' | chpasswd && passwd -d app\n"
        )));
    }
}
