//! DKF052 `workdir-in-system-dir`.

use bulwark_syntax::dockerfile::{Args, Dockerfile};

use super::literal;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a `WORKDIR` lies in a kernel or boot directory: `/proc`,
    /// `/sys`, `/dev`, `/boot`, `/initrd`, `/lost+found`, or below one.
    /// The path is resolved as the build resolves it: variables
    /// substituted, relative paths joined to the previous WORKDIR of the
    /// stage, `.`, `..` and repeated slashes folded
    /// (`WORKDIR /` then `WORKDIR proc`, `WORKDIR /opt/../dev`). A path
    /// whose variables have no known value is not judged.
    ///
    /// ## Why it matters
    /// These directories belong to the kernel and the runtime: at run time
    /// `/proc`, `/sys` and `/dev` are mounts the runtime provides, so files
    /// put there at build time vanish or shadow kernel interfaces, and a
    /// process working in them acts on the host's view of the kernel.
    ///
    /// ## How to fix
    /// Use an application directory: `WORKDIR /app` (or `/srv/app`,
    /// `/opt/app`).
    ///
    /// ## Examples
    /// Fails: `WORKDIR /proc/self`, `WORKDIR /dev`.
    /// Passes: `WORKDIR /app`, `WORKDIR /devtools`.
    ///
    /// ## References
    /// - Trivy DS-0030
    /// - <https://docs.docker.com/reference/dockerfile/#workdir>
    pub WorkdirInSystemDir {
        id: "DKF052",
        name: "workdir-in-system-dir",
        severity: Medium,
        target: Dockerfile,
        summary: "WORKDIR is in a kernel or boot directory",
    }
}

const SYSTEM: [&str; 6] = ["proc", "sys", "dev", "boot", "initrd", "lost+found"];

/// `path` joined to `base` when relative, with `.`, `..` and empty parts
/// folded: the parts of the absolute path.
fn resolve(base: &[String], path: &str) -> Vec<String> {
    let mut parts: Vec<String> = if path.starts_with('/') {
        Vec::new()
    } else {
        base.to_vec()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p.to_string()),
        }
    }
    parts
}

/// Whether some WORKDIR of `df` may lead into a system directory: one
/// that has a variable, quote or escape, or a literal one with a system
/// directory among its parts. The directories the rule resolves are made
/// of the parts of WORKDIR values: a file none of whose values has one
/// of [`SYSTEM`] as a part (most files) is passed without expanding or
/// resolving anything.
fn may_find(df: &Dockerfile) -> bool {
    df.instructions.iter().any(|i| match &i.args {
        Args::Workdir(Some(word)) => {
            literal(df, &word.raw).is_none_or(|v| v.split('/').any(|part| SYSTEM.contains(&part)))
        }
        _ => false,
    })
}

impl Check for WorkdirInSystemDir {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            if !may_find(df) {
                continue;
            }
            for stage in &df.stages {
                // The WORKDIR of a parent stage is inherited; of an image,
                // unknown (relative paths then start from `/`).
                let mut cwd: Vec<String> = Vec::new();
                let mut known = true;
                for s in super::stage_chain(df, stage).into_iter().rev() {
                    let own = s.index == stage.index;
                    for (index, instruction) in super::stage_instructions(df, s) {
                        let Args::Workdir(Some(word)) = &instruction.args else {
                            continue;
                        };
                        let e = df.expand_at(&word.raw, index);
                        if !e.is_complete() {
                            known = false;
                            continue;
                        }
                        if e.value.starts_with('/') {
                            known = true;
                        }
                        cwd = resolve(&cwd, &e.value);
                        if !own || !known {
                            continue;
                        }
                        if let Some(first) = cwd.first().filter(|f| SYSTEM.contains(&f.as_str())) {
                            let path = format!("/{}", cwd.join("/"));
                            let shown = if path == word.raw {
                                format!("`{path}`")
                            } else {
                                format!("`{}` (`{path}`)", word.raw)
                            };
                            out.push(
                                subject(src),
                                Verdict::fail(format!(
                                    "WORKDIR {shown} is inside /{first}, a kernel or boot directory."
                                ))
                                .at(location(src, word.span)),
                            );
                        }
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
        dockerfile(&WorkdirInSystemDir, text)
    }

    const PATHS: &[&str] = &[
        "/app",
        "/proc",
        "proc",
        "pr\\oc",
        "\"/dev\"",
        "'/sys'",
        "..",
        ".",
        "/",
        "//",
        "$D",
        "${D}",
        "/opt/../boot",
        "lost+found",
        "/srv",
        "initrd/x",
        "/procx",
    ];

    proptest::proptest! {
        /// A file the pre-check passes has nothing to find.
        #[test]
        fn files_passed_unread_have_no_finding(
            paths in proptest::collection::vec(proptest::sample::select(PATHS), 1..4),
            arg in proptest::sample::select(&["/proc", "/app", "proc"][..]),
            second in proptest::bool::ANY,
        ) {
            let mut text = format!("ARG D={arg}\nFROM a AS one\nARG D\n");
            for (n, p) in paths.iter().enumerate() {
                if second && n == 1 {
                    text.push_str("FROM one\n");
                }
                text.push_str(&format!("WORKDIR {p}\n"));
            }
            let df = bulwark_syntax::dockerfile::parse(&text);
            if !may_find(&df) {
                proptest::prop_assert!(lint(&text).is_empty(), "{}", text);
            }
        }
    }

    #[test]
    fn system_dirs_fail_at_the_path() {
        assert_eq!(positions(&lint("FROM a\nWORKDIR /proc/self\n")), [(2, 9)]);
        for p in [
            "/dev",
            "/sys/",
            "/boot/efi",
            "/initrd",
            "/lost+found",
            "//proc",
            "/opt/../dev",
        ] {
            assert_eq!(lint(&format!("FROM a\nWORKDIR {p}\n")).len(), 1, "{p}");
        }
        assert_eq!(lint("FROM a\nARG D=/proc\nWORKDIR ${D}\n").len(), 1);
    }

    #[test]
    fn relative_paths_join_the_previous_workdir() {
        assert_eq!(lint("FROM a\nWORKDIR /\nWORKDIR proc\n").len(), 1);
        assert!(lint("FROM a\nWORKDIR /app\nWORKDIR proc\n").is_empty());
        // Inherited from a parent stage, reported once, at its own line.
        let f = lint("FROM a AS b\nWORKDIR /\nFROM b\nWORKDIR dev\n");
        assert_eq!(positions(&f), [(4, 9)]);
    }

    #[test]
    fn other_dirs_pass() {
        assert!(lint("FROM a\nWORKDIR /app\nWORKDIR /devtools\nWORKDIR /srv/proc\n").is_empty());
        assert!(lint("FROM a\nARG D\nWORKDIR ${D}\n").is_empty());
        assert!(lint("FROM a\nRUN cd /proc\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint("FROM a\nWORKDIR /\nWORKDIR dev/../proc\n")));
    }
}
