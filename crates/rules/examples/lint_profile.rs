//! Parse and lint the generated corpus in a loop, for profilers (`perf
//! record`, `valgrind --tool=callgrind`): `cargo run --release -p
//! bulwark-rules --example lint_profile -- [ROUNDS] [dockerfile|compose|all]`.

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
    for _ in 0..rounds {
        let start = Instant::now();
        let sources: Vec<Source> = files
            .iter()
            .map(|(path, kind, text)| Source::parse(path.as_str(), *kind, text.clone()))
            .collect();
        let parsed = Instant::now();
        findings = black_box(bulwark_rules::evaluate::evaluate_sources(
            &sources, &policy, &rules,
        ))
        .len();
        parse += (parsed - start).as_secs_f64();
        lint += parsed.elapsed().as_secs_f64();
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
