//! The compose texts of the crate's other tests, through the differential
//! check.

#[test]
fn realistic_fixture_is_read_fast() {
    let text = include_str!("../../fixtures/realistic.yml");
    super::accepts(text);
}

/// Debugging aid: the first line of the file `$BISECT` after which the
/// fast loader gives up on a prefix serde-saphyr reads without error.
/// `BISECT=file.yml cargo test -p bulwark-syntax first_line_given_up --
/// --ignored --nocapture`
#[test]
#[ignore = "debugging aid"]
fn first_line_given_up() {
    let text = std::fs::read_to_string(std::env::var("BISECT").unwrap()).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut accepted_once = false;
    for n in 1..=lines.len() {
        let prefix: String = lines[..n].concat();
        let slow_ok =
            crate::compose::load::load_saphyr(&crate::compose::positions::Positions::new(&prefix))
                .1
                .is_empty();
        let fast = super::super::load(&prefix).is_some();
        accepted_once |= fast;
        if slow_ok && !fast && accepted_once {
            println!("gives up at line {n}: {:?}", lines[n - 1]);
            return;
        }
    }
}

/// Timing aid, over the compose files of a corpus written by `cargo xtask
/// lint-corpus /tmp/corpus 1000` (or `$CORPUS`): the fast loader, lowering
/// alone, the whole parse and serde-saphyr, best of `$ROUNDS` rounds (the
/// machine may be shared); `$ONLY` picks one.
/// `cargo test --release -p bulwark-syntax compose::fast::tests::fixtures::timing
/// -- --exact --ignored --nocapture`
#[test]
#[ignore = "timing aid"]
fn timing() {
    use std::time::Instant;
    let dir = std::env::var("CORPUS").unwrap_or_else(|_| "/tmp/corpus".to_owned());
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path().join("compose.yml");
        texts.push(std::fs::read_to_string(path).unwrap());
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let accepted = texts
        .iter()
        .filter(|t| super::super::load(t).is_some())
        .count();
    println!("{} files, {bytes} bytes, {accepted} read fast", texts.len());
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let only = std::env::var("ONLY").unwrap_or_default();
    // Best of the rounds: the machine may be shared.
    let time = |name: &str, f: &dyn Fn(&str)| {
        if !only.is_empty() && only != name {
            return;
        }
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let start = Instant::now();
            for t in &texts {
                f(t);
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!("{name}: {:.1} MB/s", bytes as f64 / 1e6 / best);
    };
    time("fast load", &|t| {
        std::hint::black_box(super::super::load(t));
    });
    time("positions", &|t| {
        std::hint::black_box(crate::compose::positions::Positions::new(t));
    });
    super::super::differential::ENABLED.set(false);
    // Lowering alone, from trees read beforehand.
    let trees: Vec<_> = texts.iter().map(|t| super::super::load(t)).collect();
    if only.is_empty() || only == "lower" {
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let start = Instant::now();
            for (t, tree) in texts.iter().zip(&trees) {
                let Some(tree) = tree else { continue };
                let positions = crate::compose::positions::Positions::new(t);
                let mut reader = crate::compose::lower::Reader::new(positions, tree, Vec::new());
                let root = tree.root.as_ref();
                let file = crate::compose::file::compose_file(&mut reader, root, false);
                std::hint::black_box((file, reader.finish()));
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!("lower: {:.1} MB/s", bytes as f64 / 1e6 / best);
    }
    time("parse", &|t| {
        std::hint::black_box(crate::compose::parse(t));
    });
    time("serde-saphyr", &|t| {
        let positions = crate::compose::positions::Positions::new(t);
        std::hint::black_box(crate::compose::load::load_saphyr(&positions));
    });
}
