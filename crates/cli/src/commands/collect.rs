//! `bulwark collect`: write a snapshot to audit later or elsewhere.

use crate::args::CollectArgs;
use crate::exit::Code;
use crate::output::Output;

pub fn run(args: CollectArgs) -> anyhow::Result<Code> {
    let (snapshot, reached) = super::collect_live(&args.daemon)?;
    let mut out = Output::open(args.output.as_deref())?;
    serde_json::to_writer_pretty(out.writer(), &snapshot)?;
    writeln!(out.writer())?;
    out.finish()?;
    Ok(if reached { Code::Clean } else { Code::Error })
}
