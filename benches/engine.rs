//! Engine benchmarks (run: `cargo bench --bench engine`). Prints:
//! - the cost of one event with a 2,000-step history (p50, p99),
//! - the same with 10, 100 and 1,000 triggers of mixed conditions, and
//! - the stored snapshot size after 500 steps.
//!
//! Timings are wall-clock on this machine, native release build; the wasm
//! build runs the same code somewhat slower.

use pathlight::engine::Consent;
use pathlight::journey::Click;
use pathlight::{Config, Engine, Event, Knowledge};
use std::time::Instant;

const T0: u64 = 1_700_000_000_000;

fn config(max_steps: usize) -> Config {
    let mut triggers = String::new();
    for i in 0..10 {
        if i > 0 {
            triggers.push(',');
        }
        triggers.push_str(&format!(
            r#"{{"id": "t{i}", "when": {{"page": "/p{i}/**", "dwellSeconds": {}}}, "message": "m", "tags": ["x"]}}"#,
            30 + i
        ));
    }
    Config::from_json(&format!(
        r#"{{"version": 1, "journey": {{"maxSteps": {max_steps}}}, "triggers": [{triggers}]}}"#
    ))
    .expect("valid config")
}

/// `n` triggers mixing the condition kinds a real config uses.
fn many(n: usize) -> Config {
    let whens = [
        r#"{"page": "/p3/**", "dwellSeconds": 45}"#,
        r#"{"page": "/checkout", "formErrors": {"count": 2, "field": "Card number"}}"#,
        r#"{"any": [{"searches": {"noResults": true}}, {"rageClicks": 2}]}"#,
        r#"{"sequence": {"pages": ["/p1/**", "/p2/**"], "withinSeconds": 600}, "returning": true}"#,
        r#"{"event": {"name": "coupon_failed", "count": 2}, "not": {"page": "/"}}"#,
        r#"{"visitor": {"plan": {"in": ["pro", "team"]}}, "scrollPercent": 80}"#,
        r#"{"title": "*product*", "idleSeconds": 40, "pagesViewed": 5}"#,
        r#"{"logic": {"and": [{">=": [{"var": "journey.formErrors"}, 3]}, {"==": [{"var": "page.path"}, "/cart"]}]}}"#,
    ];
    let triggers: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id": "t{i}", "when": {}, "message": "m", "tags": ["x"]}}"#,
                whens[i % whens.len()]
            )
        })
        .collect();
    Config::from_json(&format!(
        r#"{{"version": 1, "journey": {{"maxSteps": 2000}}, "triggers": [{}]}}"#,
        triggers.join(",")
    ))
    .expect("valid config")
}

fn measure(config: Config, label: &str) {
    let mut e = Engine::start(
        config,
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    let mut t = T0;
    for i in 0..2_000 {
        t += 500;
        e.handle(event(i), t);
    }
    let n = 5_000u64;
    let mut times = Vec::with_capacity(n as usize);
    for i in 0..n {
        t += 500;
        let ev = event(i);
        let start = Instant::now();
        let actions = e.handle(ev, t);
        let _ = e.next_wake();
        times.push(start.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(actions);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{label}: p50 {:.1} µs, p99 {:.1} µs per event ({n} events, {}-step history)",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        e.journey().steps().len()
    );
}

fn event(i: u64) -> Event {
    match i % 5 {
        0 => Event::page_view(
            &format!("https://shop.example/p{}/item-{i}?ref=mail", i % 13),
            "A product page",
        ),
        1 => Event::Click(Click {
            x: (i % 400) as i32,
            y: 200,
            label: "Add to cart".into(),
            selector: "button#add".into(),
            interactive: true,
        }),
        2 => Event::Scroll((i % 100) as u8),
        3 => Event::FormError {
            form: "checkout".into(),
            field: "Card number".into(),
            message: "Your card was declined".into(),
        },
        _ => Event::Search {
            query: "return a lamp".into(),
            results: Some(3),
        },
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    // Cost per event with a full 2,000-step history and 10 page triggers.
    measure(
        config(2000),
        "engine.handle + next_wake, 10 page/dwell triggers",
    );
    for n in [10, 100, 1000] {
        measure(
            many(n),
            &format!("engine.handle + next_wake with {n:>4} triggers"),
        );
    }

    // Snapshot size after 500 steps.
    let mut e = Engine::start(
        config(500),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    let mut t = T0;
    let mut i = 0;
    while e.journey().steps().len() < 500 {
        t += 500;
        e.handle(event(i), t);
        i += 1;
    }
    let stored = e.snapshot().encode();
    println!(
        "stored snapshot after {} steps: {} bytes ({:.1} KiB)",
        e.journey().steps().len(),
        stored.len(),
        stored.len() as f64 / 1024.0
    );
}
