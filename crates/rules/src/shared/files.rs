//! Ownership and mode checks of host files (catalog S5), shared by the
//! section 3 rules.
//!
//! A mode fails when it has any bit outside the allowed mask, setuid,
//! setgid and sticky included: `(mode & 0o7777) & !allowed != 0`. Never a
//! comparison of octal strings as numbers, which passes 0622 as "below
//! 0644" although it is group-writable.

use bulwark_facts::{CertificateFacts, DaemonTls, FileFacts, Part, TlsFile};
use serde_json::json;

use crate::context::{Context, gap_verdict};
use crate::finding::{Evidence, Findings, Source, Subject, SubjectKind, Verdict};

/// The file as a finding subject.
pub fn subject(f: &FileFacts) -> Subject {
    Subject {
        kind: SubjectKind::File,
        name: f.path.as_str().into(),
        id: None,
    }
}

fn stat_evidence(f: &FileFacts) -> Evidence {
    Evidence::new(
        Source::File,
        f.path.clone(),
        serde_json::json!({"uid": f.uid, "gid": f.gid, "mode": f.mode_octal(), "resolved": f.resolved}),
    )
}

/// Owned by root:root (uid 0, gid 0).
pub fn owner_verdict(f: &FileFacts, what: &str) -> Verdict {
    let evidence = stat_evidence(f);
    if f.uid == 0 && f.gid == 0 {
        Verdict::pass(format!("{what} is owned by root:root.")).with(evidence)
    } else {
        Verdict::fail(format!(
            "{what} is owned by {}:{} (numeric), not root:root: its owner can replace it.",
            f.uid, f.gid
        ))
        .with(evidence)
    }
}

/// No permission bit outside `allowed`.
pub fn mode_verdict(f: &FileFacts, what: &str, allowed: u32) -> Verdict {
    let evidence = stat_evidence(f);
    let extra = f.mode & !allowed;
    if extra == 0 {
        Verdict::pass(format!(
            "{what} has mode {}, within {allowed:04o}.",
            f.mode_octal()
        ))
        .with(evidence)
    } else {
        Verdict::fail(format!(
            "{what} has mode {}: bits {extra:04o} are beyond {allowed:04o}.",
            f.mode_octal()
        ))
        .with(evidence)
    }
}

/// Runs `judge` on the daemon's TLS file of `role`, or says why it cannot:
/// TLS facts not collected (skipped/error), TLS not configured or the
/// daemon rootless (not applicable), the file absent (not applicable).
pub fn each_tls_file(
    ctx: &Context<'_>,
    out: &mut Findings<'_>,
    role: &str,
    judge: impl Fn(&TlsFile) -> Verdict,
) {
    let tls: &DaemonTls = match &ctx.snapshot.daemon.tls {
        Part::Collected(t) => t,
        Part::Missing(gap) => {
            out.push(ctx.daemon_subject(), gap_verdict(gap));
            return;
        }
    };
    let rootless = ctx
        .snapshot
        .engine
        .get()
        .is_some_and(|e| e.info.security_option("rootless").is_some());
    match tls.file(role) {
        _ if !tls.configured => out.push(
            ctx.daemon_subject(),
            Verdict::not_applicable(
                "tls-not-configured",
                "The daemon serves no TLS (no tls, tlsverify or certificate option is set).",
            ),
        ),
        None => out.push(
            ctx.daemon_subject(),
            Verdict::not_applicable(
                "tls-not-configured",
                format!("No {role} file is configured."),
            ),
        ),
        Some(f) if !f.file.exists => out.push(
            subject(&f.file),
            Verdict::not_applicable("file-absent", format!("{} does not exist.", f.file.path))
                .with(Evidence::new(
                    Source::File,
                    f.file.path.clone(),
                    serde_json::Value::Null,
                )),
        ),
        Some(f) if rootless => out.push(
            subject(&f.file),
            Verdict::not_applicable(
                "rootless",
                "The daemon is rootless: its files belong to its own user, not root.",
            )
            .with(stat_evidence(&f.file)),
        ),
        // The certificate's expiry and key ride along: an owner and mode
        // check is also where people look at the file itself.
        Some(f) => out.push(
            subject(&f.file),
            judge(f).with(named_by(f)).with_all(
                f.certificates
                    .iter()
                    .map(|c| certificate_evidence(&f.role, c)),
            ),
        ),
    }
}

/// Evidence of what named the file's path.
fn named_by(f: &TlsFile) -> Evidence {
    let source = match f.source.as_str() {
        "daemon.json" => Source::DaemonJson,
        s if s.starts_with("--") => Source::Flag,
        _ => Source::Default,
    };
    Evidence::new(
        source,
        format!("{} ({})", f.role, f.source),
        f.file.path.clone(),
    )
}

/// A certificate as evidence: who, until when, what key and signature,
/// which names.
pub fn certificate_evidence(role: &str, c: &CertificateFacts) -> Evidence {
    Evidence::new(
        Source::Certificate,
        format!("{role}: {}", c.subject),
        json!({
            "issuer": c.issuer,
            "not_after": bulwark_facts::time::rfc3339(c.not_after),
            "key": format!("{} {}", c.key_type, c.key_bits),
            "signature": c.signature_algorithm,
            "dns": c.dns_names,
            "ip": c.ip_addresses,
            "eku": c.extended_key_usage,
        }),
    )
}
