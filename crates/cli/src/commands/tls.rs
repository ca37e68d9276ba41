//! `bulwark tls init | issue-client | check`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use bulwark_tls::KeyKind;
use bulwark_tls::authority::{Authority, Issued};
use bulwark_tls::layout::{self, CERT_MODE, KEY_MODE, Planned};
use bulwark_tls::probe::{self, ClientFiles, Level, Protection};

use crate::args::{
    ListFormat as Format, TlsCheckArgs, TlsCommand, TlsInitArgs, TlsIssueClientArgs,
};
use crate::exit::Code;
use crate::output::Output;

pub fn run(command: TlsCommand) -> anyhow::Result<Code> {
    match command {
        TlsCommand::Init(args) => init(args),
        TlsCommand::IssueClient(args) => issue_client(args),
        TlsCommand::Check(args) => check(args),
    }
}

fn key_kind(name: &str) -> anyhow::Result<KeyKind> {
    KeyKind::parse(name).ok_or_else(|| anyhow!("unknown key kind `{name}`"))
}

fn pair(dir: &Path, cert: &str, key: &str, issued: &Issued) -> [Planned; 2] {
    [
        Planned {
            path: dir.join(cert),
            content: issued.cert_pem.clone(),
            mode: CERT_MODE,
        },
        Planned {
            path: dir.join(key),
            content: issued.key_pem.clone(),
            mode: KEY_MODE,
        },
    ]
}

fn absolute(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    dir.canonicalize()
        .with_context(|| format!("cannot resolve {}", dir.display()))
}

fn init(args: TlsInitArgs) -> anyhow::Result<Code> {
    let kind = key_kind(&args.key)?;
    if args.hosts.is_empty() && args.ips.is_empty() {
        return Err(anyhow!(
            "name the daemon as clients will reach it: --host NAME and/or --ip ADDR (the server certificate's SANs)"
        ));
    }
    let dir = absolute(&args.dir)?;
    let ca = Authority::generate("bulwark Docker CA", args.days, kind)?;
    let server = ca.issue_server(&args.hosts, &args.ips, args.days, kind)?;
    let client = ca.issue_client(&args.client, args.days, kind)?;

    let mut files = vec![
        Planned {
            path: dir.join(layout::CA_CERT),
            content: ca.issued.cert_pem.clone(),
            mode: CERT_MODE,
        },
        Planned {
            path: dir.join(layout::CA_KEY),
            content: ca.issued.key_pem.clone(),
            mode: KEY_MODE,
        },
    ];
    files.extend(pair(&dir, layout::SERVER_CERT, layout::SERVER_KEY, &server));
    files.extend(pair(&dir, layout::CLIENT_CERT, layout::CLIENT_KEY, &client));
    layout::check_free(&files, args.force)?;
    layout::write_all(&files)?;

    let mut out = Output::open(None)?;
    let w = out.writer();
    writeln!(
        w,
        "Wrote ({} keys, valid {} days):",
        kind.as_str(),
        args.days
    )?;
    for f in &files {
        writeln!(w, "  {:o}  {}", f.mode, f.path.display())?;
    }
    let listen = args
        .ips
        .first()
        .map(|ip| match ip {
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
            v4 => v4.to_string(),
        })
        .unwrap_or_else(|| "0.0.0.0".to_string());
    let reach = args
        .hosts
        .first()
        .cloned()
        .unwrap_or_else(|| listen.clone());
    let d = dir.display();
    writeln!(
        w,
        r#"
Daemon, in /etc/docker/daemon.json (if the unit already passes -H, put the
hosts there instead: dockerd refuses a setting given both ways):
{{
  "tlsverify": true,
  "tlscacert": "{d}/{ca}",
  "tlscert": "{d}/{sc}",
  "tlskey": "{d}/{sk}",
  "hosts": ["unix:///var/run/docker.sock", "tcp://{listen}:{port}"]
}}

or as flags:
  dockerd --tlsverify --tlscacert={d}/{ca} --tlscert={d}/{sc} --tlskey={d}/{sk} \
    -H unix:///var/run/docker.sock -H tcp://{listen}:{port}

Client ({client}), with the docker CLI:
  export DOCKER_HOST=tcp://{reach}:{port} DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH={d}

The CA key is in {d}/ca/: keep it off the daemon host once clients are
issued (`bulwark tls issue-client NAME --dir {d}` needs it).
Check the result: bulwark tls check tcp://{reach}:{port} --cert-path {d}"#,
        ca = layout::CA_CERT,
        sc = layout::SERVER_CERT,
        sk = layout::SERVER_KEY,
        port = args.port,
        client = args.client,
    )?;
    out.finish()?;
    Ok(Code::Clean)
}

fn issue_client(args: TlsIssueClientArgs) -> anyhow::Result<Code> {
    let kind = key_kind(&args.key)?;
    let dir = absolute(&args.dir)?;
    let ca_cert = layout::read(&dir.join(layout::CA_CERT))?;
    let ca_key = layout::read(&dir.join(layout::CA_KEY))
        .map_err(|e| anyhow!("{e} (issuing clients needs the CA key `tls init` kept in ca/)"))?;
    let ca = Authority::load(&ca_cert, &ca_key)?;
    let client = ca.issue_client(&args.name, args.days, kind)?;
    let safe: String = args
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let client_dir = dir.join("clients").join(safe);
    let mut files = vec![Planned {
        path: client_dir.join(layout::CA_CERT),
        content: ca_cert,
        mode: CERT_MODE,
    }];
    files.extend(pair(
        &client_dir,
        layout::CLIENT_CERT,
        layout::CLIENT_KEY,
        &client,
    ));
    layout::check_free(&files, args.force)?;
    layout::write_all(&files)?;
    let mut out = Output::open(None)?;
    let w = out.writer();
    writeln!(
        w,
        "Wrote client `{}` ({} key, valid {} days):",
        args.name,
        kind.as_str(),
        args.days
    )?;
    for f in &files {
        writeln!(w, "  {:o}  {}", f.mode, f.path.display())?;
    }
    writeln!(
        w,
        "\nUse it with: export DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH={}",
        client_dir.display()
    )?;
    out.finish()?;
    Ok(Code::Clean)
}

fn check(args: TlsCheckArgs) -> anyhow::Result<Code> {
    let files = args.cert_path.as_deref().map(ClientFiles::in_dir);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let timeout = std::time::Duration::from_secs(args.timeout.max(1));
    let report =
        probe::probe(&args.endpoint, files.as_ref(), timeout, now).map_err(anyhow::Error::msg)?;
    let mut out = Output::open(None)?;
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(out.writer(), &report)?;
            writeln!(out.writer())?;
        }
        Format::Table => {
            let w = out.writer();
            let verdict = match report.protection {
                Protection::Plaintext => "CRITICAL  plaintext: the API answers anyone, without TLS",
                Protection::TlsWithoutClientVerification => {
                    "CRITICAL  TLS without client verification: anyone can call the API"
                }
                Protection::MutualTls => "PASS      mutual TLS: a client certificate is required",
                Protection::Unknown => {
                    "UNKNOWN   not a Docker API endpoint, or nothing could be decided"
                }
            };
            writeln!(w, "{}  {verdict}", report.endpoint)?;
            if let Some(v) = &report.api_version {
                writeln!(w, "  API version {v}")?;
            }
            for (i, c) in report.chain.iter().enumerate() {
                let role = if i == 0 { "server" } else { "chain " };
                writeln!(
                    w,
                    "  {role} {}  issuer {}  {} {} bits, {}  expires in {} days{}",
                    c.subject,
                    c.issuer,
                    c.key_type,
                    c.key_bits,
                    c.signature_algorithm,
                    c.days_left(now),
                    if c.self_signed { ", self-signed" } else { "" }
                )?;
                if i == 0 {
                    writeln!(
                        w,
                        "         names: DNS {:?} IP {:?}",
                        c.dns_names, c.ip_addresses
                    )?;
                }
            }
            if let Some(ok) = report.verified_with_client_cert {
                writeln!(
                    w,
                    "  with --cert-path: {}",
                    if ok {
                        "verified, client accepted"
                    } else {
                        "FAILED"
                    }
                )?;
            }
            for p in &report.problems {
                let level = match p.level {
                    Level::Critical => "critical",
                    Level::Warn => "warn",
                    Level::Info => "info",
                };
                writeln!(w, "  {level:<8} {}", p.message)?;
            }
            for s in &report.steps {
                writeln!(w, "  · {s}")?;
            }
        }
    }
    out.finish()?;
    Ok(match report.worst() {
        Some(Level::Critical) => Code::Findings,
        _ if report.protection == Protection::Unknown => Code::Error,
        _ => Code::Clean,
    })
}
