//! Parse and lint the generated corpus in a loop, for profilers (`perf
//! record`, `valgrind --tool=callgrind`): `cargo run --profile bench -p
//! bulwark-rules --example lint_profile -- [ROUNDS] [dockerfile|compose|all]`
//! (the `bench` profile builds as shipped; `--release` builds faster).
//!
//! Each round does what `bulwark lint` does on one thread: every file
//! parsed, linted and dropped in turn, then all findings put in report
//! order. With `PARSE_ONLY=1` a round parses (and drops) each file and
//! lints nothing.
//!
//! With `DUMP=FILE` in the environment it also writes every finding of the
//! last round to FILE, one per line, so that a speed change can be checked
//! to change no finding (`cmp` against the dump of the code before).

use std::hint::black_box;
use std::time::Instant;

use bulwark_rules::corpus;
use bulwark_rules::linter::Linter;
use bulwark_rules::{Policy, registry};

/// The allocator the `bulwark` binary uses.
#[global_allocator]
static ALLOCATOR: bulwark_alloc::Mimalloc = bulwark_alloc::Mimalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let only = args.next().unwrap_or_else(|| "all".into());
    let files: Vec<_> = corpus::files(1000)
        .into_iter()
        .filter(|(_, kind, _)| only == "all" || only == kind.as_str())
        .collect();
    let bytes: usize = files.iter().map(|(_, _, t)| t.len()).sum();
    let rules: Vec<_> = registry::lint();
    let policy = Policy::default();
    let linter = Linter::new(&policy, &rules);
    let parse_only = std::env::var_os("PARSE_ONLY").is_some();
    let dump = std::env::var_os("DUMP");
    let mut findings = 0;
    let start = Instant::now();
    for round in 0..rounds {
        if parse_only {
            corpus::parse_round(&files);
            continue;
        }
        let found = black_box(corpus::lint_round(&files, &linter));
        findings = found.len();
        if let Some(dump) = dump.as_ref().filter(|_| round + 1 == rounds) {
            write_dump(dump, &found);
        }
    }
    let mb = bytes as f64 * rounds as f64 / 1e6;
    println!(
        "{} files, {bytes} bytes x {rounds}, {findings} findings: {} {:.1} MB/s",
        files.len(),
        if parse_only { "parse" } else { "parse+lint" },
        mb / start.elapsed().as_secs_f64(),
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
