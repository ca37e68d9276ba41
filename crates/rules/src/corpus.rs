//! A generated corpus of realistic Dockerfiles and compose files, for the
//! lint benchmarks (`benches/lint.rs`, `cargo xtask lint-corpus`). Not
//! used at run time.
//!
//! Files vary by index: multi-stage builds, heredocs, long continued RUN
//! lines, ARG substitution, and compose files with anchors, long and short
//! ports and volumes; a share of them carry the problems the rules look
//! for, so the rules do real work.

/// One generated file: its path, kind and text.
pub type File = (String, bulwark_syntax::SourceKind, String);

/// What the benchmark and `lint_profile` measure as parsing: each file
/// parsed (from a copy of its text, as if read) and dropped.
pub fn parse_round<'a>(files: impl IntoIterator<Item = &'a File>) {
    for (path, kind, text) in files {
        std::hint::black_box(bulwark_syntax::Source::parse(
            path.as_str(),
            *kind,
            text.clone(),
        ));
    }
}

/// What they measure as parsing and linting, as `bulwark lint` does it on
/// one thread: each file parsed, linted and dropped, then every finding
/// in report order.
pub fn lint_round<'a>(
    files: impl IntoIterator<Item = &'a File>,
    linter: &crate::linter::Linter<'_>,
) -> Vec<crate::Finding> {
    let mut linted = crate::linter::Linted::default();
    for (path, kind, text) in files {
        linted.add(
            linter,
            &bulwark_syntax::Source::parse(path.as_str(), *kind, text.clone()),
        );
    }
    linted.into_report_order()
}

/// `n` Dockerfiles and `n` compose files, as `(relative path, text)`.
pub fn generate(n: usize) -> Vec<(String, String)> {
    let mut files = Vec::with_capacity(2 * n);
    for i in 0..n {
        files.push((format!("svc{i:04}/Dockerfile"), dockerfile(i)));
        files.push((format!("svc{i:04}/compose.yml"), compose(i)));
    }
    files
}

/// [`generate`] with each file's kind, as `bulwark lint` detects it.
pub fn files(n: usize) -> Vec<File> {
    generate(n)
        .into_iter()
        .filter_map(|(path, text)| {
            let kind = bulwark_syntax::SourceKind::detect(std::path::Path::new(&path))?;
            Some((path, kind, text))
        })
        .collect()
}

fn dockerfile(i: usize) -> String {
    let user = ["1000", "root", "0:0", "app", "${UID}"][i % 5];
    let base = [
        "alpine:3.20",
        "debian:bookworm-slim",
        "ubuntu",
        "node:22",
        "python:3.12-slim",
    ][i % 5];
    let mut s = format!(
        "# syntax=docker/dockerfile:1.7\nARG BASE={base}\nARG UID=1000\nFROM ${{BASE}} AS build{i}\nWORKDIR /src\n"
    );
    s.push_str("RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        ca-certificates curl git build-essential \\\n    && rm -rf /var/lib/apt/lists/*\n");
    if i.is_multiple_of(3) {
        s.push_str("RUN curl -fsSL https://example.invalid/install.sh | sh\n");
    }
    if i.is_multiple_of(4) {
        s.push_str("RUN <<EOF\nset -eux\necho building\nsudo make install\nEOF\n");
    }
    s.push_str("COPY --chown=1000:1000 . .\nRUN make -j4 && make test\n");
    s.push_str(&format!(
        "FROM {base}\nCOPY --from=build{i} /src/out /app\nENV APP_HOME=/app PATH=/app/bin:$PATH\n"
    ));
    if i.is_multiple_of(7) {
        s.push_str("ENV API_TOKEN=ghp_0123456789abcdef0123456789abcdef0123\n");
    }
    s.push_str("EXPOSE 8080\nHEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/health || exit 1\n");
    s.push_str(&format!(
        "USER {user}\nENTRYPOINT [\"/app/bin/server\"]\nCMD [\"--port\", \"8080\"]\n"
    ));
    s
}

fn compose(i: usize) -> String {
    let privileged = if i.is_multiple_of(6) { "true" } else { "false" };
    let mut s = format!(
        "x-common: &common\n  restart: on-failure:3\n  logging:\n    driver: json-file\n  privileged: {privileged}\nservices:\n  web{i}:\n    <<: *common\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n      - target: 443\n        published: 8443\n        host_ip: 127.0.0.1\n    volumes:\n      - ./static:/usr/share/nginx/html:ro\n"
    );
    if i.is_multiple_of(5) {
        s.push_str("      - /var/run/docker.sock:/var/run/docker.sock\n");
    }
    s.push_str(&format!(
        "    read_only: true\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n  db{i}:\n    <<: *common\n    image: postgres:16\n    environment:\n      POSTGRES_DB: app\n      POSTGRES_PASSWORD: example{i}\n    volumes:\n      - data{i}:/var/lib/postgresql/data\n    mem_limit: 512m\n    pids_limit: 200\nvolumes:\n  data{i}: {{}}\n"
    ));
    s
}
