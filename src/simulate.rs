//! Simulate a scripted journey against a config and answers, with a virtual
//! clock, and report what fired and why. The playground page and teams' own
//! tests use it to see a trigger's behaviour before release.
//!
//! A script is a JSON array of steps, each with `at` (seconds from the start)
//! and one action:
//!
//! ```json
//! [ { "at": 0, "page": "/checkout", "title": "Checkout" },
//!   { "at": 5, "formError": { "field": "Card number", "message": "Card declined" } },
//!   { "at": 6, "event": "coupon_failed", "props": { "code": "SPRING" } },
//!   { "at": 7, "search": "refund", "results": 0 },
//!   { "at": 8, "scroll": 60 }, { "at": 9, "click": "Add to cart" },
//!   { "at": 10, "identify": { "plan": "pro" } }, { "at": 11, "typing": true },
//!   { "at": 12, "exitIntent": true }, { "at": 13, "hidden": true }, { "at": 20, "visible": true },
//!   { "at": 30, "dismiss": true }, { "at": 40, "rate": "card-declined", "helpful": false },
//!   { "at": 60, "end": true } ]
//! ```

use crate::config::Config;
use crate::engine::{Action, Consent, Engine, Explanation};
use crate::journey::Event;
use crate::knowledge::Knowledge;
use crate::rules::Env;
use crate::time::Millis;
use crate::validate::{Path, Problems, Reader};
use serde::Serialize;
use serde_json::Value;

/// The virtual start time (2026-01-05 09:00 UTC, a Monday).
pub const START: Millis = 1_767_603_600_000;
/// Longest script accepted, in steps.
pub const MAX_STEPS: usize = 2_000;

/// One line of the simulated timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// Seconds from the start.
    pub at: f64,
    /// `step` (from the script) or `nudge`.
    pub kind: &'static str,
    /// What happened.
    pub detail: String,
    /// For nudges: the trigger that fired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// For nudges: the answers shown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
}

/// The result: the timeline and each trigger's state at the end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// Steps and nudges in time order.
    pub timeline: Vec<Line>,
    /// Every trigger's state at the end, with the reason.
    pub end: Vec<Explanation>,
}

/// Run `script` (a JSON array) against `config` and `knowledge`.
///
/// ```
/// use pathlight::{simulate, Config, Knowledge};
/// let config = Config::from_json(r#"{"version": 1, "triggers": [
///   {"id": "pay", "when": {"page": "/checkout", "dwellSeconds": 10}, "message": "Trouble paying?", "tags": ["x"]}]}"#).unwrap();
/// let script = serde_json::json!([{"at": 0, "page": "/checkout"}, {"at": 30, "end": true}]);
/// let sim = simulate::run(&config, &Knowledge::default(), &script).unwrap();
/// assert_eq!(sim.timeline[1].detail, "nudge \"Trouble paying?\"");
/// assert_eq!(sim.timeline[1].at, 10.0);
/// ```
pub fn run(config: &Config, knowledge: &Knowledge, script: &Value) -> Result<Simulation, Problems> {
    let steps = parse(script)?;
    let mut engine = Engine::start(
        config.clone(),
        knowledge.clone(),
        "simulated".into(),
        Consent::Granted,
        START,
    );
    engine.set_env(Env {
        zone_offsets: config.zones().into_iter().map(|z| (z, 0)).collect(),
        ..Env::default()
    });
    let mut timeline = Vec::new();
    let end = steps.last().map_or(START, |(at, ..)| *at);
    for (at, label, event) in steps {
        // Let time pass up to this step, waking when the engine asks.
        wake_until(&mut engine, at, &mut timeline);
        timeline.push(Line {
            at: secs(at),
            kind: "step",
            detail: label,
            trigger: None,
            answers: Vec::new(),
        });
        if let Some(ev) = event {
            let actions = engine.handle(ev, at);
            record(&actions, at, &mut timeline);
        }
    }
    wake_until(&mut engine, end, &mut timeline);
    Ok(Simulation {
        timeline,
        end: engine.explain(end),
    })
}

fn secs(at: Millis) -> f64 {
    (at - START) as f64 / 1000.0
}

fn wake_until(engine: &mut Engine, until: Millis, timeline: &mut Vec<Line>) {
    // Bounded: every wake-up either fires something or moves time forward.
    for _ in 0..10_000 {
        match engine.next_wake() {
            Some(w) if w <= until => {
                let actions = engine.tick(w);
                record(&actions, w, timeline);
                if engine.next_wake() == Some(w) {
                    break;
                }
            }
            _ => break,
        }
    }
}

fn record(actions: &[Action], at: Millis, timeline: &mut Vec<Line>) {
    for a in actions {
        if let Action::ShowNudge(n) = a {
            timeline.push(Line {
                at: secs(at),
                kind: "nudge",
                detail: format!("nudge \"{}\"", n.message),
                trigger: Some(n.trigger_id.clone()),
                answers: n.answers.iter().map(|a| a.id.clone()).collect(),
            });
        }
    }
}

type Step = (Millis, String, Option<Event>);

const KEYS: &[&str] = &[
    "at",
    "page",
    "title",
    "referrer",
    "formError",
    "event",
    "props",
    "search",
    "results",
    "scroll",
    "click",
    "identify",
    "typing",
    "exitIntent",
    "hidden",
    "visible",
    "dismiss",
    "rate",
    "helpful",
    "open",
    "end",
];

fn parse(script: &Value) -> Result<Vec<Step>, Problems> {
    let mut r = Reader::new();
    let root = Path::Root;
    let mut out: Vec<Step> = Vec::new();
    let Value::Array(items) = script else {
        r.expected(&root, "an array of steps", script);
        return r.finish(out);
    };
    if items.len() > MAX_STEPS {
        r.problem(
            &root,
            format!("has {} steps: at most {MAX_STEPS} allowed", items.len()),
        );
        return r.finish(out);
    }
    let mut last = 0.0;
    for (i, item) in items.iter().enumerate() {
        let at = Path::Index(&root, i);
        let Some(map) = r.object(&at, item) else {
            continue;
        };
        r.unknown_keys(&at, map, KEYS);
        let t = match map.get("at").and_then(Value::as_f64) {
            Some(t) if t >= last && t <= 30.0 * 86_400.0 => t,
            Some(_) => {
                r.problem(
                    &Path::Key(&at, "at"),
                    "must not go back in time (and at most 30 days)",
                );
                continue;
            }
            None => {
                r.problem(&Path::Key(&at, "at"), "is required: seconds from the start");
                continue;
            }
        };
        last = t;
        let when = START + (t * 1000.0) as Millis;
        let s = |k: &str| {
            map.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let step = if let Some(Value::String(url)) = map.get("page") {
            let event = Event::PageView {
                url: url.clone(),
                title: s("title"),
                referrer: s("referrer"),
            };
            Some((format!("page {url}"), Some(event)))
        } else if let Some(fe) = map.get("formError") {
            let g = |k: &str| {
                fe.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let event = Event::FormError {
                form: g("form"),
                field: g("field"),
                message: g("message"),
            };
            Some((
                format!("form error {}: {}", g("field"), g("message")),
                Some(event),
            ))
        } else if let Some(Value::String(name)) = map.get("event") {
            let props = map
                .get("props")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            Some((
                format!("event {name}"),
                Some(Event::Custom {
                    name: name.clone(),
                    props,
                }),
            ))
        } else if let Some(Value::String(q)) = map.get("search") {
            let results = map
                .get("results")
                .and_then(Value::as_u64)
                .map(|n| n.min(u64::from(u32::MAX)) as u32);
            Some((
                format!("search \"{q}\""),
                Some(Event::Search {
                    query: q.clone(),
                    results,
                }),
            ))
        } else if let Some(n) = map.get("scroll").and_then(Value::as_u64) {
            Some((
                format!("scroll {n}%"),
                Some(Event::Scroll(n.min(100) as u8)),
            ))
        } else if let Some(Value::String(label)) = map.get("click") {
            Some((format!("click {label}"), Some(Event::click(0, 0, label))))
        } else if let Some(Value::Object(attrs)) = map.get("identify") {
            Some(("identify".into(), Some(Event::Identify(attrs.clone()))))
        } else if map.contains_key("typing") {
            Some(("typing".into(), Some(Event::Typing)))
        } else if map.contains_key("exitIntent") {
            Some(("exit intent".into(), Some(Event::ExitIntent)))
        } else if map.contains_key("hidden") {
            Some(("tab hidden".into(), Some(Event::Visibility(false))))
        } else if map.contains_key("visible") {
            Some(("tab visible".into(), Some(Event::Visibility(true))))
        } else if map.contains_key("dismiss") {
            Some(("dismissed the nudge".into(), Some(Event::NudgeDismissed)))
        } else if let Some(Value::String(id)) = map.get("open") {
            Some((
                format!("opened answer {id}"),
                Some(Event::AnswerOpened(id.clone())),
            ))
        } else if let Some(Value::String(id)) = map.get("rate") {
            let helpful = map.get("helpful").and_then(Value::as_bool).unwrap_or(true);
            let label = format!(
                "rated {id} {}",
                if helpful { "helpful" } else { "unhelpful" }
            );
            Some((
                label,
                Some(Event::AnswerRated {
                    id: id.clone(),
                    helpful,
                }),
            ))
        } else if map.contains_key("end") {
            Some(("end".into(), None))
        } else {
            r.problem_hint(&at, "has no action", "add one of page, formError, event, search, scroll, click, identify, typing, exitIntent, hidden, visible, dismiss, open, rate, end".into());
            None
        };
        if let Some((label, event)) = step {
            out.push((when, label, event));
        }
    }
    r.finish(out)
}
