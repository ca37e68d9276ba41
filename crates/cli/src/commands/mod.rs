//! One file per subcommand.

mod audit;
mod collect;
mod explain;
mod lint;
mod rules;
mod tls;

use crate::args::{Cli, Command, DaemonArgs};
use crate::exit::Code;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Code> {
    match cli.command {
        Command::Audit(args) => audit::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Tls(command) => tls::run(command),
    }
}

/// The `--select`/`--ignore`/`--level` selection over `rules`; an entry
/// that names nothing is a usage error.
fn selection(
    rules: &[&dyn bulwark_rules::Rule],
    benchmark: &bulwark_rules::Benchmark,
    select: &[String],
    ignore: &[String],
    level: Option<u8>,
) -> anyhow::Result<bulwark_rules::select::Selection> {
    let parse = |items: &[String]| -> anyhow::Result<Vec<bulwark_rules::select::Selector>> {
        items
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                bulwark_rules::select::Selector::parse(s, rules, benchmark)
                    .map_err(anyhow::Error::msg)
            })
            .collect()
    };
    Ok(bulwark_rules::select::Selection {
        select: parse(select)?,
        ignore: parse(ignore)?,
        level,
    })
}

/// Collects a live snapshot, printing the one-line connection error (if
/// any) on stderr. Returns whether the daemon was reached.
fn collect_live(daemon: &DaemonArgs) -> anyhow::Result<(bulwark_facts::Snapshot, bool)> {
    let options = bulwark_collect::CollectOptions {
        endpoint: bulwark_collect::EndpointConfig {
            host: daemon.host.clone(),
            tls_verify: daemon.tlsverify,
            ca: daemon.tlscacert.clone(),
            cert: daemon.tlscert.clone(),
            key: daemon.tlskey.clone(),
        },
        running_only: daemon.running_only,
        timeout: std::time::Duration::from_secs(daemon.timeout.max(1)),
        ..bulwark_collect::CollectOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (snapshot, error) = runtime.block_on(bulwark_collect::collect(&options));
    // The runtime may hold connections a hung daemon never closes: do not
    // wait for them.
    runtime.shutdown_background();
    if let Some(err) = &error {
        eprintln!("bulwark: {err}");
    }
    Ok((snapshot, error.is_none()))
}
