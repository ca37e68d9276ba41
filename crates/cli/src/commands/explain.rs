//! `bulwark explain ID`: a rule's documentation, as written in its source.

use anyhow::anyhow;
use bulwark_rules::{Benchmark, registry};

use crate::args::ExplainArgs;
use crate::exit::Code;
use crate::output::Output;

pub fn run(args: ExplainArgs) -> anyhow::Result<Code> {
    let benchmark = Benchmark::load(&args.benchmark).map_err(anyhow::Error::msg)?;
    let rule = registry::find(&args.rule)
        .ok_or_else(|| anyhow!("no rule `{}`; `bulwark rules` lists them", args.rule))?;
    let m = rule.meta();
    let controls: Vec<String> = benchmark
        .controls_of(m.id)
        .map(|c| format!("{} {} (level {})", c.id, c.title, c.level))
        .collect();
    let mut out = Output::open(None)?;
    let w = out.writer();
    writeln!(w, "# {} {}\n", m.id, m.name)?;
    writeln!(w, "{}\n", m.summary)?;
    writeln!(w, "- Severity: {}", m.severity.as_str())?;
    writeln!(w, "- Target: {}", format!("{:?}", m.target).to_lowercase())?;
    if controls.is_empty() {
        writeln!(w, "- {}: no control", benchmark.id)?;
    } else {
        writeln!(w, "- {}: {}", benchmark.id, controls.join("; "))?;
    }
    writeln!(w, "\n{}", m.doc_markdown().trim_end())?;
    out.finish()?;
    Ok(Code::Clean)
}
