//! `bulwark rules`: every rule with its controls in the chosen benchmark.

use bulwark_rules::{Benchmark, registry};
use serde_json::json;

use crate::args::{ListFormat as Format, RulesArgs};
use crate::exit::Code;
use crate::output::Output;

pub fn run(args: RulesArgs) -> anyhow::Result<Code> {
    let benchmark = Benchmark::load(&args.benchmark).map_err(anyhow::Error::msg)?;
    let mut out = Output::open(None)?;
    let controls = |id: &str| {
        benchmark
            .controls_of(id)
            .map(|c| c.id.clone())
            .collect::<Vec<_>>()
    };
    match args.format {
        Format::Json => {
            let list: Vec<_> = registry::all()
                .iter()
                .map(|r| {
                    let m = r.meta();
                    json!({
                        "id": m.id, "name": m.name, "severity": m.severity,
                        "target": m.target, "summary": m.summary,
                        "controls": controls(m.id),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(out.writer(), &list)?;
            writeln!(out.writer())?;
        }
        Format::Table => {
            writeln!(
                out.writer(),
                "{:<7} {:<34} {:<9} {:<8} SUMMARY",
                "ID",
                "NAME",
                "SEVERITY",
                "CIS"
            )?;
            for r in registry::all() {
                let m = r.meta();
                writeln!(
                    out.writer(),
                    "{:<7} {:<34} {:<9} {:<8} {}",
                    m.id,
                    m.name,
                    m.severity.as_str(),
                    controls(m.id).join(","),
                    m.summary
                )?;
            }
        }
    }
    out.finish()?;
    Ok(Code::Clean)
}
