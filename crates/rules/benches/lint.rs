//! Lint throughput over 1,000 generated Dockerfiles and 1,000 compose
//! files (see `bulwark_rules::corpus`): parsing alone, and parsing plus
//! every lint rule with suppressions, for all 2,000 files and for each
//! kind alone. Files are handled as `bulwark lint` handles them on one
//! thread: each parsed, linted and dropped in turn, then every finding put
//! in report order. Criterion reports MiB/s (100 MB/s is 95.4 MiB/s);
//! the target is above 100 MB/s on one core (docs/performance.md).

use std::hint::black_box;

use bulwark_rules::corpus::{self, File};
use bulwark_rules::linter::Linter;
use bulwark_rules::{Policy, Rule, registry};
use bulwark_syntax::SourceKind;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The allocator the `bulwark` binary uses, so the numbers are the binary's.
#[global_allocator]
static ALLOCATOR: bulwark_alloc::Mimalloc = bulwark_alloc::Mimalloc;

fn bench(c: &mut Criterion) {
    let all = corpus::files(1000);
    let rules: Vec<&dyn Rule> = registry::lint();
    let policy = Policy::default();
    let linter = Linter::new(&policy, &rules);
    let sets: [(&str, Option<SourceKind>); 3] = [
        ("all-2000-files", None),
        ("dockerfile-1000-files", Some(SourceKind::Dockerfile)),
        ("compose-1000-files", Some(SourceKind::Compose)),
    ];
    for (name, kind) in sets {
        let files: Vec<&File> = all
            .iter()
            .filter(|(_, k, _)| kind.is_none_or(|kind| *k == kind))
            .collect();
        let bytes: usize = files.iter().map(|(_, _, t)| t.len()).sum();
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(20);
        group.bench_function("parse", |b| {
            b.iter(|| corpus::parse_round(files.iter().copied()))
        });
        group.bench_function("parse+lint", |b| {
            b.iter(|| black_box(corpus::lint_round(files.iter().copied(), &linter)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
