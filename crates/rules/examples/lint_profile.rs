//! Parse and lint the generated corpus in a loop, for profilers (`perf
//! record`, `valgrind --tool=callgrind`): `cargo run --release -p
//! bulwark-rules --example lint_profile -- [ROUNDS] [dockerfile|compose|all]`.
//!
//! With `DUMP=FILE` in the environment it also writes every finding of the
//! last round to FILE, one per line, so that a speed change can be checked
//! to change no finding (`cmp` against the dump of the code before).

use std::hint::black_box;
use std::time::Instant;

use bulwark_rules::{Policy, registry};

/// The allocator the `bulwark` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use bulwark_syntax::Source;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let only = args.next().unwrap_or_else(|| "all".into());
    let files: Vec<_> = bulwark_rules::corpus::files(1000)
        .into_iter()
        .filter(|(_, kind, _)| only == "all" || only == kind.as_str())
        .collect();
    let bytes: usize = files.iter().map(|(_, _, t)| t.len()).sum();
    let rules: Vec<_> = registry::lint();
    let policy = Policy::default();
    let (mut parse, mut lint) = (0.0, 0.0);
    let mut findings = 0;
    let dump = std::env::var_os("DUMP");
    for round in 0..rounds {
        let start = Instant::now();
        let sources: Vec<Source> = files
            .iter()
            .map(|(path, kind, text)| Source::parse(path.as_str(), *kind, text.clone()))
            .collect();
        let parsed = Instant::now();
        let found = black_box(bulwark_rules::evaluate::evaluate_sources(
            &sources, &policy, &rules,
        ));
        findings = found.len();
        parse += (parsed - start).as_secs_f64();
        lint += parsed.elapsed().as_secs_f64();
        if let Some(dump) = dump.as_ref().filter(|_| round + 1 == rounds) {
            write_dump(dump, &found);
        }
    }
    let mb = bytes as f64 * rounds as f64 / 1e6;
    println!(
        "{} files, {bytes} bytes x {rounds}, {findings} findings: parse {:.1} MB/s, lint {:.1} MB/s, parse+lint {:.1} MB/s",
        files.len(),
        mb / parse,
        mb / lint,
        mb / (parse + lint)
    );
}

/// One line per finding: everything a report shows of it.
fn write_dump(path: &std::ffi::OsStr, findings: &[bulwark_rules::Finding]) {
    use std::fmt::Write;
    let mut out = String::new();
    for f in findings {
        let at = f.location.as_ref().map(|l| {
            format!(
                "{}:{}:{}-{}:{}",
                l.path, l.start_line, l.start_column, l.end_line, l.end_column
            )
        });
        let _ = writeln!(
            out,
            "{} {:?} {:?} {} {:?} {:?} {:?} {:?}",
            f.rule.id, f.status, f.severity, f.subject.name, at, f.message, f.reason, f.evidence
        );
    }
    std::fs::write(path, out).expect("write the dump");
}
