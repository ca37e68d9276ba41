//! Generated Dockerfiles: realistic, valid, and many. They are a test (a
//! thousand files mixing every instruction parse without a diagnostic) and
//! a throughput measurement, ignored by default because timing belongs in
//! a release build:
//!
//! ```sh
//! cargo test --release -p bulwark-syntax throughput:: -- --ignored --nocapture
//! ```

use std::time::Instant;

use super::parsed;
use crate::dockerfile::parse;

/// A small deterministic generator (xorshift64*), so the files are the
/// same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const BASES: &[&str] = &[
    "alpine:3.19",
    "debian:bookworm-slim",
    "ubuntu:22.04",
    "golang:1.22-alpine",
    "node:20-alpine",
    "python:3.12-slim",
    "gcr.io/distroless/static-debian12:nonroot",
    "registry.example.com:5000/team/base@sha256:0123456789abcdef",
    "${BASE_IMAGE}",
];
const PACKAGES: &[&str] = &[
    "curl",
    "ca-certificates",
    "git",
    "jq",
    "tini",
    "openssl",
    "make",
];

fn run(rng: &mut Rng, out: &mut String) {
    match rng.below(6) {
        0 => {
            out.push_str("RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n");
            for _ in 0..1 + rng.below(4) {
                out.push_str(&format!("        {} \\\n", rng.pick(PACKAGES)));
            }
            out.push_str("    && rm -rf /var/lib/apt/lists/*\n");
        }
        1 => out.push_str(
            "RUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=secret,id=token,env=TOKEN \\\n    pip install --no-cache-dir -r requirements.txt && echo \"built $(date)\" > /build-info\n",
        ),
        2 => out.push_str(&format!(
            "RUN <<EOF\nset -eux\napk add --no-cache {} {}\n# comment inside the script\naddgroup -S app && adduser -S app -G app\nEOF\n",
            rng.pick(PACKAGES),
            rng.pick(PACKAGES)
        )),
        3 => out.push_str("RUN [\"/bin/sh\", \"-c\", \"echo hello | tee /tmp/x\"]\n"),
        4 => out.push_str("RUN python3 <<'PY'\nimport json, sys\nprint(json.dumps({'ok': True}))\nPY\n"),
        _ => out.push_str("RUN set -o pipefail; curl -fsSL https://example.com/x.tgz | tar -xz -C /opt \\\n && chmod +x /opt/x\n"),
    }
}

/// One valid Dockerfile of one to four stages.
fn dockerfile(rng: &mut Rng) -> String {
    let mut out = String::from(
        "# syntax=docker/dockerfile:1.7\n\nARG BASE_IMAGE=alpine:3.19\nARG VERSION=1.0.0\n\n",
    );
    let stages = 1 + rng.below(4);
    for stage in 0..stages {
        out.push_str(&format!("# stage {stage}\n"));
        let platform = if rng.below(3) == 0 {
            "--platform=$BUILDPLATFORM "
        } else {
            ""
        };
        out.push_str(&format!(
            "FROM {platform}{} AS stage{stage}\n",
            rng.pick(BASES)
        ));
        out.push_str(
            "ARG VERSION\nENV APP_HOME=/app \\\n    PATH=\"/app/bin:$PATH\" LANG=C.UTF-8\n",
        );
        out.push_str("LABEL org.opencontainers.image.version=\"${VERSION}\" maintainer=\"team@example.com\"\n");
        out.push_str("WORKDIR /app\n");
        for _ in 0..2 + rng.below(5) {
            match rng.below(5) {
                0 | 1 => run(rng, &mut out),
                2 => out.push_str(
                    "COPY --chown=app:app --chmod=0644 package.json package-lock.json ./\n",
                ),
                3 if stage > 0 => out.push_str(&format!(
                    "COPY --from=stage{} --link /app/dist /app/dist\n",
                    rng.below(stage)
                )),
                3 => out
                    .push_str("ADD --checksum=sha256:abc https://example.com/tool.tar.gz /tmp/\n"),
                _ => out.push_str("COPY <<EOF /etc/app.conf\nport=8080\nlog=info\nEOF\n"),
            }
        }
        if stage + 1 == stages {
            out.push_str("EXPOSE 8080/tcp 9090\nUSER 10001:10001\n");
            out.push_str(
                "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD [\"/app/bin/health\"]\n",
            );
            out.push_str("ENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD [\"/app/bin/server\", \"--port\", \"8080\"]\n");
        }
        out.push('\n');
    }
    out
}

fn corpus(count: usize) -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..count).map(|_| dockerfile(&mut rng)).collect()
}

#[test]
fn a_thousand_generated_dockerfiles_parse_cleanly() {
    for text in corpus(1_000) {
        let df = parsed(&text);
        assert!(df.diagnostics.is_empty(), "{:?}\n{text}", df.diagnostics);
        assert!(!df.stages.is_empty());
    }
}

#[test]
#[ignore = "timing; run with --release --ignored --nocapture"]
fn throughput() {
    let files = corpus(2_000);
    let bytes: usize = files.iter().map(String::len).sum();
    // Warm up, then take the best of five passes (the machine is shared).
    let mut best = f64::MAX;
    for _ in 0..6 {
        let start = Instant::now();
        let mut instructions = 0;
        for text in &files {
            instructions += std::hint::black_box(parse(text)).instructions.len();
        }
        assert!(instructions > 0);
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{} files, {:.1} MB: best pass {:.3} s = {:.0} MB/s",
        files.len(),
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best
    );
}

#[test]
#[ignore = "timing; run with --release --ignored --nocapture"]
fn ten_mb_timings() {
    for (name, text) in [
        (
            "RUN echo hello && …",
            "FROM a\nRUN ".to_owned() + &"echo hello && ".repeat(750_000),
        ),
        (
            "ENV k=\"v v\" …",
            "FROM a\nENV ".to_owned() + &"k=\"v v\" ".repeat(1_300_000),
        ),
        (
            "RUN cat <<A …",
            "FROM a\nRUN cat ".to_owned() + &"<<A ".repeat(2_600_000),
        ),
    ] {
        let start = Instant::now();
        let df = parse(&text);
        let parse_time = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let commands = df.instructions[1].shell_commands().len();
        println!(
            "10 MB single line ({name}, {:.1} MB): parse {:.3} s, shell_commands {:.3} s ({commands} commands)",
            text.len() as f64 / 1e6,
            parse_time,
            start.elapsed().as_secs_f64()
        );
    }
}
