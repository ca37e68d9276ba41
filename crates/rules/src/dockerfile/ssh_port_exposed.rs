//! DKF012 `ssh-port-exposed`.

use bulwark_syntax::dockerfile::{Args, Port};

use super::literal;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether an `EXPOSE` declares TCP port 22, the SSH port: `22`,
    /// `22/tcp`, a range that holds it (`20-25`), or a variable that
    /// resolves to one (`ARG SSH_PORT=22`, `EXPOSE ${SSH_PORT}`). `22/udp`
    /// passes. Every stage is checked, since each can be built as a target.
    /// This is the image-side sign of what CTR007 (`sshd-in-container`)
    /// finds in running containers.
    ///
    /// ## Why it matters
    /// Exposing 22 means the image is meant to run an SSH server: another
    /// daemon to patch, keys or passwords to manage inside the image, and
    /// a way in that bypasses the runtime's access control and audit.
    /// `docker exec` gives shell access without any of that.
    ///
    /// ## How to fix
    /// Remove the SSH server and `EXPOSE 22`; use `docker exec` (or
    /// `kubectl exec`) for interactive access.
    ///
    /// ## Examples
    /// Fails: `EXPOSE 22`, `EXPOSE 80 22/tcp`.
    /// Passes: `EXPOSE 80 443`, `EXPOSE 2222/udp`.
    ///
    /// ## References
    /// - Trivy DS-0004, KICS "Exposing Port 22 (SSH)", Checkov CKV_DOCKER_1
    /// - <https://docs.docker.com/reference/cli/docker/container/exec/>
    pub SshPortExposed {
        id: "DKF012",
        name: "ssh-port-exposed",
        severity: Medium,
        target: Dockerfile,
        summary: "The image exposes the SSH port 22",
    }
}

/// Whether the value of an EXPOSE word, which may expand to several
/// ports (`ARG P="22 80"`), holds TCP port 22.
fn exposes_ssh(value: &str) -> bool {
    value.split_whitespace().any(holds_ssh)
}

/// [`holds_ssh`] of a word written without variables, from the numbers
/// and protocol the parser read from it.
fn read_port_holds_ssh(port: &Port) -> bool {
    port.protocol
        .as_deref()
        .is_none_or(|p| p.eq_ignore_ascii_case("tcp"))
        && matches!((port.start, port.end), (Some(a), Some(b)) if a <= 22 && 22 <= b)
}

/// Whether an EXPOSE value (`22`, `20-25/tcp`) holds TCP port 22.
fn holds_ssh(value: &str) -> bool {
    let (ports, protocol) = value.split_once('/').unwrap_or((value, "tcp"));
    if !protocol.eq_ignore_ascii_case("tcp") {
        return false;
    }
    let number = |s: &str| s.trim().parse::<u32>().ok();
    match ports.split_once('-') {
        Some((a, b)) => matches!((number(a), number(b)), (Some(a), Some(b)) if a <= 22 && 22 <= b),
        None => number(ports) == Some(22),
    }
}

impl Check for SshPortExposed {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            for (index, instruction) in df.instructions.iter().enumerate() {
                let Args::Expose(ports) = &instruction.args else {
                    continue;
                };
                for port in ports {
                    // Most ports are written as numbers, which the
                    // parser has read; only a value with variables is
                    // expanded and read here.
                    let expanded;
                    let (value, exposes) = match literal(df, &port.word.raw) {
                        Some(v) => (v, read_port_holds_ssh(port)),
                        None => {
                            let e = df.expand_at(&port.word.raw, index);
                            if !e.is_complete() {
                                continue;
                            }
                            expanded = e.value;
                            (expanded.as_str(), exposes_ssh(&expanded))
                        }
                    };
                    if exposes {
                        let shown = if value == port.word.raw {
                            format!("`{}`", port.word.raw)
                        } else {
                            format!("`{}` (`{value}`)", port.word.raw)
                        };
                        out.push(
                            subject(src),
                            Verdict::fail(format!("EXPOSE {shown} declares the SSH port 22."))
                                .at(location(src, port.word.span)),
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
        dockerfile(&SshPortExposed, text)
    }

    #[test]
    fn port_22_fails_at_its_word() {
        assert_eq!(positions(&lint("FROM a\nEXPOSE 80 22/tcp\n")), [(2, 11)]);
        assert_eq!(lint("FROM a\nEXPOSE 22\n").len(), 1);
        assert_eq!(lint("FROM a\nEXPOSE 20-25\n").len(), 1);
        assert_eq!(lint("FROM a\nARG P=22\nEXPOSE ${P}\n").len(), 1);
        assert_eq!(lint("FROM a\nEXPOSE 22/TCP\n").len(), 1);
    }

    #[test]
    fn other_ports_pass() {
        assert!(lint("FROM a\nEXPOSE 80 443 2222 222 8022\n").is_empty());
        assert!(lint("FROM a\nEXPOSE 22/udp\n").is_empty());
        assert!(lint("FROM a\nARG P\nEXPOSE ${P}\n").is_empty());
        assert!(lint("FROM a\nRUN echo EXPOSE 22\n# EXPOSE 22\n").is_empty());
    }

    proptest::proptest! {
        /// A word without variables is judged from the parser's reading
        /// as it is from its text.
        #[test]
        fn the_parsers_reading_agrees_with_the_text(word in "(0|2|22|9|x|-|/tcp|/TCP|/udp|/){1,6}") {
            let f = bulwark_syntax::dockerfile::parse(&format!("FROM a\nEXPOSE {word}\n"));
            for i in &f.instructions {
                if let Args::Expose(ports) = &i.args {
                    for port in ports {
                        proptest::prop_assert_eq!(
                            read_port_holds_ssh(port),
                            holds_ssh(&port.word.value),
                            "{}",
                            port.word.value
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint("FROM a\nARG SSH=22\nEXPOSE 80 ${SSH}\n")));
    }
}
