//! JSON Logic benchmark (run: `cargo bench --bench jsonlogic`): every case of
//! the vendored conformance suites (`tests/data/jsonlogic/suites/`) that
//! expects a result (cases expecting an error are left out), evaluated with
//! `pathlight::rules::logic::apply` on its data.
//!
//! Method, shared with `benches/jsonlogic/run.mjs`, which times the
//! JavaScript engines the same way and prints them side by side:
//! - one warm-up pass over all cases;
//! - per case: the batch size `n` is doubled until `n` evaluations take at
//!   least 100 µs, then 9 batches of `n` are timed; the case's time per
//!   evaluation is the median batch time divided by `n`;
//! - p50, p99 (nearest rank) and mean are taken over those per-case times;
//! - ops/s: 5 rounds of passes over the whole set, in suite order, each
//!   round at least 200 ms; evaluations divided by elapsed time of the median
//!   round.
//!
//! Prints `key: value` lines:
//!
//! ```text
//! cases: 976
//! correct: 976
//! p50_ns: 202.6
//! p99_ns: 3821.0
//! mean_ns: 444.2
//! ops_per_s: 1899783
//! ```
//!
//! With `--cases` (`cargo bench --bench jsonlogic -- --cases`) also one line
//! per case before those, in suite order: `case: 17 ns=123.4 correct=true`.
//!
//! `node benches/jsonlogic/run.mjs` runs this and sets
//! `CARGO_PROFILE_RELEASE_PANIC=unwind`: `cargo bench` also builds the crate's
//! binaries, and with the release profile's `panic = "abort"` it builds the
//! library twice under colliding file names, which can fail the link.
//!
//! Timings are wall-clock on this machine, native, with the release profile
//! the wasm package is built with (`opt-level = "z"`, LTO); in a browser the
//! same code runs as wasm, somewhat slower.

use pathlight::rules::logic::apply;
use serde_json::Value;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// A batch is timed once it takes at least this long.
const MIN_BATCH: Duration = Duration::from_micros(100);
/// Timed batches per case; the median counts.
const SAMPLES: usize = 9;
/// Rounds of whole-set passes; the median counts.
const ROUNDS: usize = 5;
/// Each round passes over the whole set until it took at least this long.
const ROUND_TIME: Duration = Duration::from_millis(200);

/// One suite case that expects a result.
struct Case {
    rule: Value,
    data: Value,
    result: Value,
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// Every case with a `result`, in `index.json` order. Strings in a suite are
/// comments; cases with an `error` instead are skipped.
fn load_cases() -> Vec<Case> {
    let suites = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jsonlogic/suites");
    let index = read(&suites.join("index.json"));
    let mut cases = Vec::new();
    for name in index.as_array().expect("index.json is a list") {
        let name = name.as_str().expect("index.json lists file names");
        let suite = read(&suites.join(name));
        for case in suite.as_array().expect("a suite is a list") {
            let (Some(rule), Some(result)) = (case.get("rule"), case.get("result")) else {
                continue;
            };
            cases.push(Case {
                rule: rule.clone(),
                data: case.get("data").cloned().unwrap_or(Value::Null),
                result: result.clone(),
            });
        }
    }
    cases
}

/// JSON equality where numbers compare by value (`3` equals `3.0`), as in
/// `tests/jsonlogic.rs`.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| same(p, q)))
        }
        _ => a == b,
    }
}

fn evaluate(case: &Case) {
    // The outcome is dropped inside the timing: freeing it is part of the
    // cost, as garbage collection is for the JavaScript engines.
    let _ = black_box(apply(black_box(&case.rule), black_box(&case.data)));
}

fn time_batch(case: &Case, n: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        evaluate(case);
    }
    start.elapsed()
}

/// Nanoseconds per evaluation of one case (see the module docs).
fn time_case(case: &Case) -> f64 {
    let mut n = 1u64;
    while time_batch(case, n) < MIN_BATCH {
        n *= 2;
    }
    let mut samples: Vec<f64> = (0..SAMPLES)
        .map(|_| time_batch(case, n).as_nanos() as f64 / n as f64)
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[SAMPLES / 2]
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    let per_case = std::env::args().any(|a| a == "--cases");
    let cases = load_cases();
    assert!(!cases.is_empty(), "no suite cases found");

    let correct: Vec<bool> = cases
        .iter()
        .map(|c| apply(&c.rule, &c.data).is_ok_and(|got| same(&got, &c.result)))
        .collect();
    cases.iter().for_each(evaluate);

    let times: Vec<f64> = cases.iter().map(time_case).collect();
    if per_case {
        for (i, (ns, ok)) in times.iter().zip(&correct).enumerate() {
            println!("case: {i} ns={ns:.1} correct={ok}");
        }
    }

    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let mut evaluations = 0;
            let start = Instant::now();
            loop {
                cases.iter().for_each(evaluate);
                evaluations += cases.len();
                if start.elapsed() >= ROUND_TIME {
                    break evaluations as f64 / start.elapsed().as_secs_f64();
                }
            }
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    let ops_per_s = rounds[ROUNDS / 2];

    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!("cases: {}", cases.len());
    println!("correct: {}", correct.iter().filter(|&&ok| ok).count());
    println!("p50_ns: {:.1}", percentile(&sorted, 0.50));
    println!("p99_ns: {:.1}", percentile(&sorted, 0.99));
    println!("mean_ns: {mean:.1}");
    println!("ops_per_s: {ops_per_s:.0}");
}
