//! `rank`: rank answers for a batch of queries, for external evaluation.
//!
//! ```text
//! rank --answers FILE --queries FILE --k N [--timing]
//! ```
//!
//! * `--answers`: an answer document (`schema/answers.v1.schema.json`).
//! * `--queries`: JSON lines, one query per line:
//!   `{"id": "q1", "text": "my card has not arrived", "locale": "en"}`
//!   (`locale` is optional and defaults to the document's locale).
//! * `--k`: how many answer ids to print per query (at least 1).
//! * `--timing`: also print the index build time and the query latency
//!   percentiles to stderr, as one line:
//!   `timing: build_ms=… p50_us=… p99_us=… mean_us=… queries=… index_bytes=… answers_bytes=…`.
//!
//! Prints one JSON line per query, in input order:
//! `{"id":"q1","results":["card_arrival","card_delivery_estimate"]}`.
//! Exit status 2 on bad arguments or input, with the reason on stderr.
//!
//! This interface is stable: change it only with a note in
//! `docs/knowledge.md`.

use pathlight::Knowledge;
use serde_json::Value;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

const USAGE: &str = "usage: rank --answers FILE --queries FILE --k N [--timing]";

struct Args {
    answers: String,
    queries: String,
    k: usize,
    timing: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut answers = None;
    let mut queries = None;
    let mut k = None;
    let mut timing = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--answers" => answers = it.next(),
            "--queries" => queries = it.next(),
            "--k" => {
                let v = it.next().ok_or("--k needs a number")?;
                let n: usize = v
                    .parse()
                    .map_err(|_| format!("--k must be a whole number, got `{v}`"))?;
                if n == 0 {
                    return Err("--k must be at least 1".into());
                }
                k = Some(n);
            }
            "--timing" => timing = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        answers: answers.ok_or("--answers FILE is required")?,
        queries: queries.ok_or("--queries FILE is required")?,
        k: k.ok_or("--k N is required")?,
        timing,
    })
}

struct Query {
    id: String,
    text: String,
    locale: Option<String>,
}

fn read_queries(path: &str) -> Result<Vec<Query>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{path}:{}", n + 1);
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("{}: not JSON: {e}", at()))?;
        let id = match v.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(format!("{}: `id` must be a string", at())),
        };
        let Some(Value::String(text)) = v.get("text") else {
            return Err(format!("{}: `text` must be a string", at()));
        };
        let locale = match v.get("locale") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(format!("{}: `locale` must be a string", at())),
        };
        out.push(Query {
            id,
            text: text.clone(),
            locale,
        });
    }
    Ok(out)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn run(args: &Args) -> Result<(), String> {
    let doc =
        std::fs::read_to_string(&args.answers).map_err(|e| format!("{}: {e}", args.answers))?;
    let queries = read_queries(&args.queries)?;
    let started = Instant::now();
    let knowledge = Knowledge::from_json(&doc).map_err(|e| format!("{}: {e}", args.answers))?;
    let build = started.elapsed();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let mut latencies = Vec::with_capacity(queries.len());
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for q in &queries {
        let locale = q.locale.as_deref().unwrap_or(knowledge.locale());
        let t = Instant::now();
        let hits = knowledge.search(&q.text, locale, now, args.k);
        latencies.push(t.elapsed().as_secs_f64() * 1e6);
        let line = serde_json::json!({
            "id": q.id,
            "results": hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        });
        writeln!(out, "{line}").map_err(|e| format!("stdout: {e}"))?;
    }
    out.flush().map_err(|e| format!("stdout: {e}"))?;
    if args.timing {
        let mean = latencies.iter().sum::<f64>() / latencies.len().max(1) as f64;
        latencies.sort_by(f64::total_cmp);
        let answers_bytes: usize = knowledge
            .answers()
            .iter()
            .map(|a| {
                a.id.len()
                    + a.title.len()
                    + a.body.len()
                    + a.questions.iter().map(String::len).sum::<usize>()
                    + std::mem::size_of_val(a)
            })
            .sum();
        eprintln!(
            "timing: build_ms={:.3} p50_us={:.2} p99_us={:.2} mean_us={:.2} queries={} index_bytes={} answers_bytes={}",
            build.as_secs_f64() * 1e3,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            mean,
            latencies.len(),
            knowledge.index().heap_bytes(),
            answers_bytes,
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("rank: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("rank: {msg}");
            ExitCode::from(2)
        }
    }
}
