//! Lint throughput over 1,000 generated Dockerfiles and 1,000 compose
//! files (see `bulwark_rules::corpus`): parsing alone, and parsing plus
//! every lint rule with suppressions. Criterion reports MB/s; the target
//! is above 100 MB/s on one core (docs/performance.md).

use std::hint::black_box;

use bulwark_rules::{Policy, registry};
use bulwark_syntax::{Source, SourceKind};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The allocator the `bulwark` binary uses, so the numbers are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let files = bulwark_rules::corpus::files(1000);
    let bytes: usize = files.iter().map(|(_, _, t)| t.len()).sum();
    let rules: Vec<_> = registry::lint();
    let policy = Policy::default();
    let mut group = c.benchmark_group("lint-2000-files");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("parse", |b| {
        b.iter(|| {
            for (path, kind, text) in &files {
                black_box(Source::parse(path.as_str(), *kind, text.clone()));
            }
        })
    });
    group.finish();

    // Each parser alone, with its own byte count.
    for kind in [SourceKind::Dockerfile, SourceKind::Compose] {
        let some: Vec<_> = files.iter().filter(|(_, k, _)| *k == kind).collect();
        let bytes: usize = some.iter().map(|(_, _, t)| t.len()).sum();
        let mut group = c.benchmark_group(format!("parse-1000-{}", kind.as_str()));
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(20);
        group.bench_function("parse", |b| {
            b.iter(|| {
                for (path, kind, text) in &some {
                    black_box(Source::parse(path.as_str(), *kind, text.clone()));
                }
            })
        });
        group.finish();
    }

    let mut group = c.benchmark_group("lint-2000-files");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("parse+lint", |b| {
        b.iter(|| {
            let sources: Vec<Source> = files
                .iter()
                .map(|(path, kind, text)| Source::parse(path.as_str(), *kind, text.clone()))
                .collect();
            black_box(bulwark_rules::evaluate::evaluate_sources(
                &sources, &policy, &rules,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
