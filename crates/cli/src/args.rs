//! The command line, as typed: clap derive structs and nothing resolved.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Keeps Docker hosts safe: audits a live host against the CIS Docker
/// Benchmark, lints Dockerfiles and compose files, and sets up and checks
/// TLS for the daemon's remote API.
///
/// Exit codes: 0 no failure at or above --fail-on; 1 failures at or above
/// it; 2 usage error, unreachable daemon or a check that could not run.
#[derive(Debug, Parser)]
#[command(name = "bulwark", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More log output on stderr (-v info, -vv debug); BULWARK_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit a Docker host (live, or a saved snapshot) against a benchmark.
    Audit(AuditArgs),
    /// Collect a snapshot of the host into a file, to audit later or elsewhere.
    Collect(CollectArgs),
    /// Lint Dockerfiles and compose files (files or directories; `-` reads
    /// stdin with --kind).
    Lint(LintArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print the documentation of one rule.
    Explain(ExplainArgs),
    /// Protect the remote API: generate its certificates, check an endpoint.
    #[command(subcommand)]
    Tls(TlsCommand),
}

#[derive(Debug, Subcommand)]
pub enum TlsCommand {
    /// Create a CA, a server certificate and a client certificate for a
    /// daemon's TCP listener, and print how to use them.
    Init(TlsInitArgs),
    /// Issue another client certificate from the CA made by `tls init`.
    IssueClient(TlsIssueClientArgs),
    /// Tell whether an endpoint is protected: plaintext (critical), TLS
    /// without client verification (critical) or mutual TLS (pass).
    Check(TlsCheckArgs),
}

#[derive(Debug, Args)]
pub struct TlsInitArgs {
    /// Directory to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// A DNS name clients use to reach the daemon (repeatable).
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
    /// An IP address clients use to reach the daemon (repeatable).
    #[arg(long = "ip", value_name = "ADDR")]
    pub ips: Vec<std::net::IpAddr>,
    /// Validity of every certificate, in days.
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Key algorithm.
    #[arg(long, default_value = "ecdsa-p256", value_parser = ["ecdsa-p256", "rsa-3072", "rsa-4096"])]
    pub key: String,
    /// The first client certificate's name (what an authorization plugin sees).
    #[arg(long, default_value = "docker-client", value_name = "NAME")]
    pub client: String,
    /// The TCP port the daemon will listen on, for the printed configuration.
    #[arg(long, default_value_t = 2376)]
    pub port: u16,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TlsIssueClientArgs {
    /// The client's name (the certificate's common name).
    pub name: String,
    /// The directory `tls init` wrote.
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// Validity in days.
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Key algorithm.
    #[arg(long, default_value = "ecdsa-p256", value_parser = ["ecdsa-p256", "rsa-3072", "rsa-4096"])]
    pub key: String,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TlsCheckArgs {
    /// The endpoint: tcp://HOST:PORT.
    pub endpoint: String,
    /// A client directory (ca.pem, cert.pem, key.pem) to also verify the
    /// server and confirm a legitimate client gets in.
    #[arg(long, value_name = "DIR")]
    pub cert_path: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Seconds to wait for each connection.
    #[arg(long, default_value_t = 5)]
    pub timeout: u64,
}

/// How to reach the daemon; the docker CLI's flags and variables.
#[derive(Debug, Clone, Args)]
pub struct DaemonArgs {
    /// Daemon address: unix:///path or tcp://HOST:PORT [env: DOCKER_HOST;
    /// default unix:///var/run/docker.sock].
    #[arg(short = 'H', long)]
    pub host: Option<String>,
    /// Use TLS and verify the daemon [env: DOCKER_TLS_VERIFY].
    #[arg(long)]
    pub tlsverify: bool,
    /// CA certificate [default: $DOCKER_CERT_PATH/ca.pem or ~/.docker/ca.pem].
    #[arg(long, value_name = "FILE")]
    pub tlscacert: Option<PathBuf>,
    /// Client certificate [default: $DOCKER_CERT_PATH/cert.pem].
    #[arg(long, value_name = "FILE")]
    pub tlscert: Option<PathBuf>,
    /// Client key [default: $DOCKER_CERT_PATH/key.pem].
    #[arg(long, value_name = "FILE")]
    pub tlskey: Option<PathBuf>,
    /// Seconds to wait for each daemon call.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// Only running containers (by default created and stopped ones are
    /// audited too: they can start again).
    #[arg(long)]
    pub running_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grouped by section, coloured on a terminal.
    Table,
    /// Every finding with evidence; versioned schema.
    Json,
    /// SARIF 2.1.0, for code-scanning tools (failures and manual reviews).
    Sarif,
}

/// Output of commands that list or describe rather than report findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// For people.
    Table,
    /// For programs.
    Json,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub daemon: DaemonArgs,
    /// Audit this snapshot (from `bulwark collect`) instead of the live host.
    #[arg(long, value_name = "FILE", conflicts_with = "host")]
    pub snapshot: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The benchmark whose control ids findings carry.
    #[arg(long, default_value = bulwark_rules::benchmark::DEFAULT_BENCHMARK)]
    pub benchmark: String,
    /// Only these: rule ids (CTR005), id prefixes (CTR), rule names,
    /// control ids (5.5) or sections (5). Comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    pub select: Vec<String>,
    /// Leave these out (same forms as --select).
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    pub ignore: Vec<String>,
    /// Only controls of this CIS level or below (2 includes 1).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub level: Option<u8>,
    /// Exit 1 when a failure of at least this severity is found.
    #[arg(long, default_value = "high", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub fail_on: String,
    /// Table: one line per passing finding instead of one per control.
    #[arg(long)]
    pub show_passes: bool,
    /// Operator policy (thresholds, allow-lists); see docs/configuration.md.
    #[arg(long, value_name = "FILE", env = "BULWARK_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories. Directories are searched for Dockerfile,
    /// *.Dockerfile, Dockerfile.*, Containerfile, compose.y(a)ml and
    /// docker-compose*.y(a)ml.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// What a file named on the command line (or stdin, `-`) is, when its
    /// name does not say.
    #[arg(long, value_parser = ["dockerfile", "compose"])]
    pub kind: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these: rule ids (DKF002), id prefixes (DKF, CMP), rule names.
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    pub select: Vec<String>,
    /// Leave these out (same forms as --select).
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding of at least this severity is found.
    #[arg(long, default_value = "high", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub fail_on: String,
    /// Path-glob ignores and policy; see docs/configuration.md.
    #[arg(long, value_name = "FILE", env = "BULWARK_CONFIG")]
    pub config: Option<PathBuf>,
    /// Threads to read, parse and lint files on [default: one per CPU].
    /// The report is the same whatever the number.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    #[command(flatten)]
    pub daemon: DaemonArgs,
    /// Write the snapshot to FILE (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// The benchmark whose control ids are shown.
    #[arg(long, default_value = bulwark_rules::benchmark::DEFAULT_BENCHMARK)]
    pub benchmark: String,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (CTR005) or name (privileged-container).
    pub rule: String,
    /// The benchmark whose control ids are shown.
    #[arg(long, default_value = bulwark_rules::benchmark::DEFAULT_BENCHMARK)]
    pub benchmark: String,
}
