//! `bulwark lint PATH...`: parse Dockerfiles and compose files, run the
//! lint rules, apply suppressions and config ignores, render, exit.

use bulwark_facts::Snapshot;
use bulwark_report::{Report, TableOptions};
use bulwark_rules::benchmark::DEFAULT_BENCHMARK;
use bulwark_rules::linter::{Linted, Linter};
use bulwark_rules::{Benchmark, Rule, Severity, registry};
use bulwark_syntax::SourceKind;

use crate::args::{Format, LintArgs};
use crate::config::Config;
use crate::exit::Code;
use crate::output::Output;

pub fn run(args: LintArgs) -> anyhow::Result<Code> {
    let config = Config::load(args.config.as_deref())?;
    let benchmark = Benchmark::load(DEFAULT_BENCHMARK).map_err(anyhow::Error::msg)?;
    let lint_rules: Vec<&dyn Rule> = registry::lint();
    let selection = super::selection(&lint_rules, &benchmark, &args.select, &args.ignore, None)?;
    let selected = selection.apply(&lint_rules, &benchmark);
    let fail_on = Severity::parse(&args.fail_on).unwrap_or(Severity::High);
    let kind = args.kind.as_deref().and_then(SourceKind::parse);

    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let linter = Linter::new(&config.policy, &selected);
    // Each file is linted as soon as it is parsed and its tree dropped:
    // what is held is the findings, not every file's tree.
    let lint = |parallel: bool| {
        let (linted, errors) = bulwark_collect::sources::read_into(
            &args.paths,
            kind,
            parallel,
            |linted: &mut Linted, source| linted.add(&linter, &source),
            Linted::append,
        );
        for e in &errors {
            eprintln!("bulwark: {}: {}", e.path, e.message);
        }
        (linted.files(), errors, linted.into_report_order())
    };
    // One pool of `jobs` threads for reading, parsing and linting; one that
    // cannot be had (no threads to spare) means one thread.
    let pool = (jobs > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .ok()
        })
        .flatten();
    let (files, errors, findings) = match pool {
        Some(pool) => pool.install(|| lint(true)),
        None => lint(false),
    };
    let findings = config.lint.apply_ignores(findings);

    let snapshot = Snapshot::default();
    let report = Report::new(&benchmark, &snapshot, &selected, &findings, fail_on);
    let mut out = Output::open(args.output.as_deref())?;
    match args.format {
        Format::Json => bulwark_report::render_json(&report, out.writer())?,
        Format::Sarif => bulwark_report::render_sarif(&report, out.writer())?,
        Format::Table => {
            let options = TableOptions {
                color: out.color,
                show_passes: false,
            };
            bulwark_report::render_lint_table(&report, files, options, out.writer())?;
        }
    }
    out.finish()?;
    Ok(if !errors.is_empty() || report.errors() > 0 {
        Code::Error
    } else if report.blocking_failures() > 0 {
        Code::Findings
    } else {
        Code::Clean
    })
}
