//! Engine properties over random journeys with a random, injected clock
//! (no sleeps): random configs (delivery controls, conditions that wait for
//! time or for events), random events at random intervals, ticks at the
//! engine's own wake-up time and at random times. Whatever happens:
//!
//! - `maxPerSession`, `maxPerVisitor`, `cooldown`, the global quiet period,
//!   one nudge per page view, never while typing, and a dismissal's
//!   `onDismiss` are never exceeded;
//! - the journey keeps at most `maxSteps` steps (and its other bounds), and
//!   its per-kind totals never go down, across reloads from storage too;
//! - nothing fires before the time `next_wake` gave;
//! - the same inputs always give the same actions and the same state.
//!
//! Each case has its own seed, printed on failure; rerun one with
//! `PROPERTY_SEED=0x… cargo test --test properties`, or more cases with
//! `PROPERTY_CASES=5000`; `PROPERTY_TRACE=1` prints each call and nudge.

mod support;

use pathlight::engine::snapshot::MAX_EVENTS;
use pathlight::engine::TYPING_PAUSE;
use pathlight::handoff::{Channel, Contact, STEP_KINDS};
use pathlight::journey::steps::MAX_PAGES;
use pathlight::journey::Click;
use pathlight::{Action, Config, Engine, Event, Knowledge, Snapshot};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use support::rng::Rng;

const T0: u64 = 1_700_000_000_000;
const SEC: u64 = 1_000;
const MIN: u64 = 60 * SEC;
const HOUR: u64 = 60 * MIN;
const DAY: u64 = 24 * HOUR;
/// Cases per run, unless `PROPERTY_CASES` says otherwise.
const CASES: u64 = 300;
/// Calls into the engine per case (events and ticks).
const CALLS: usize = 160;

/// What the test knows of a trigger's delivery controls (it wrote them).
#[derive(Debug, Clone)]
struct Controls {
    id: String,
    max_per_session: u32,
    max_per_visitor: u32,
    cooldown: u64,
    on_dismiss: Dismiss,
}

#[derive(Debug, Clone, Copy)]
enum Dismiss {
    Session,
    Visitor,
    For(u64),
}

struct Case {
    config: Value,
    controls: Vec<Controls>,
    quiet: u64,
    session_timeout: u64,
    max_steps: usize,
    /// The clock may jump back (a corrected system clock): only the
    /// properties that do not depend on time's direction are checked.
    clock_back: bool,
}

fn random_case(rng: &mut Rng) -> Case {
    let quiet = *rng.pick(&[0, 0, 5, 30, 60, 300]);
    let max_steps = *rng.pick(&[10, 13, 25, 60]);
    let session_minutes = *rng.pick(&[1, 5, 30]);
    let pages = ["/**", "/checkout", "/products/:id", "/help", "/"];
    let mut triggers = Vec::new();
    let mut controls = Vec::new();
    for i in 0..rng.range(1, 5) {
        let mut when = Map::new();
        match rng.below(11) {
            0 => {}
            1 => {
                when.insert("formErrors".into(), json!(rng.range(1, 2)));
            }
            2 => {
                when.insert("exitIntent".into(), json!(true));
            }
            3 => {
                when.insert("idleSeconds".into(), json!(rng.range(5, 90)));
            }
            4 => {
                when.insert("event".into(), json!("cart"));
            }
            5 => {
                when.insert("rageClicks".into(), json!(1));
            }
            6 => {
                when.insert("searches".into(), json!({"noResults": true}));
            }
            7 => {
                when.insert("siteSeconds".into(), json!(rng.range(1, 600)));
            }
            8 => {
                let any =
                    json!([{"page": "/help"}, {"formErrors": 2}, {"not": {"page": "/checkout"}}]);
                when.insert("any".into(), any);
            }
            9 => {
                let logic = json!({">=": [{"var": "journey.pageViews"}, rng.range(1, 4)]});
                when.insert("logic".into(), logic);
            }
            _ => {
                let logic = json!({">=": [{"var": "page.dwellSeconds"}, rng.range(1, 60)]});
                when.insert("logic".into(), logic);
            }
        }
        if rng.below(3) > 0 {
            when.insert("page".into(), json!(*rng.pick(&pages)));
        }
        if rng.one_in(2) {
            when.insert("dwellSeconds".into(), json!(rng.range(0, 120)));
        }
        if when.is_empty() {
            when.insert("page".into(), json!("/**"));
        }
        let id = format!("t{i}");
        let mut t = json!({"id": id, "when": when, "message": format!("Nudge {i}"), "answers": ["declined"]});
        let mut c = Controls {
            id,
            max_per_session: 1,
            max_per_visitor: u32::MAX,
            cooldown: 0,
            on_dismiss: Dismiss::Session,
        };
        if rng.one_in(2) {
            t["priority"] = json!(rng.range(0, 3));
        }
        if rng.one_in(2) {
            c.max_per_session = rng.range(1, 4) as u32;
            t["maxPerSession"] = json!(c.max_per_session);
        }
        if rng.one_in(2) {
            c.max_per_visitor = rng.range(1, 6) as u32;
            t["maxPerVisitor"] = json!(c.max_per_visitor);
        }
        if rng.one_in(2) {
            let (text, ms) = *rng.pick(&[
                ("10s", 10 * SEC),
                ("1m", MIN),
                ("10m", 10 * MIN),
                ("1d", DAY),
            ]);
            c.cooldown = ms;
            t["cooldown"] = json!(text);
        }
        match rng.below(4) {
            0 => {}
            1 => {
                c.on_dismiss = Dismiss::Visitor;
                t["onDismiss"] = json!("visitor");
            }
            2 => {
                t["onDismiss"] = json!("session");
            }
            _ => {
                let (text, ms) = *rng.pick(&[("30s", 30 * SEC), ("5m", 5 * MIN), ("1d", DAY)]);
                c.on_dismiss = Dismiss::For(ms);
                t["onDismiss"] = json!(text);
            }
        }
        triggers.push(t);
        controls.push(c);
    }
    let config = json!({
        "version": 1,
        "delivery": {"quietSeconds": quiet},
        "journey": {"maxSteps": max_steps, "sessionMinutes": session_minutes, "idleSeconds": 30},
        "triggers": triggers,
    });
    Case {
        config,
        controls,
        quiet: quiet * SEC,
        session_timeout: session_minutes * MIN,
        max_steps,
        clock_back: rng.one_in(8),
    }
}

fn answers() -> Knowledge {
    static ANSWERS: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
    ANSWERS.get_or_init(parse_answers).clone()
}

fn parse_answers() -> Knowledge {
    Knowledge::from_json(
        r#"{"version": 1, "answers": [
          {"id": "declined", "title": "Card declined", "body": "Check the postcode.", "pages": ["/checkout"]},
          {"id": "sizes", "title": "Sizes", "body": "S to XL."}]}"#,
    )
    .expect("the answers are valid")
}

const URLS: [&str; 7] = [
    "https://shop.example/",
    "https://shop.example/checkout",
    "https://shop.example/checkout?step=2",
    "https://shop.example/checkout#pay",
    "https://shop.example/products/1",
    "https://shop.example/products/2",
    "https://shop.example/help",
];

fn random_event(rng: &mut Rng) -> Event {
    match rng.below(20) {
        0..=3 => {
            let url = URLS[rng.below(URLS.len())];
            Event::page_view(url, "Page")
        }
        4 | 5 => Event::Click(Click {
            x: rng.range(0, 40) as i32,
            y: rng.range(0, 40) as i32,
            label: rng.pick(&["", "Buy", "Pay"]).to_string(),
            selector: "button".into(),
            interactive: rng.one_in(2),
        }),
        6 => Event::FormError {
            form: "pay".into(),
            field: rng.pick(&["card", "zip"]).to_string(),
            message: "Card declined".into(),
        },
        7 => Event::Search {
            query: rng.pick(&["refund", "sizes", "xyzzy"]).to_string(),
            results: *rng.pick(&[None, Some(0), Some(2)]),
        },
        8 => Event::ExitIntent,
        9 => Event::Visibility(rng.one_in(2)),
        10 => Event::Scroll(rng.range(0, 100) as u8),
        11 => Event::Input,
        12 => Event::Typing,
        13 => Event::Custom {
            name: "cart".into(),
            props: Map::new(),
        },
        14 => Event::NudgeDismissed,
        15 => Event::AnswerOpened("declined".into()),
        16 => Event::AnswerRated {
            id: "declined".into(),
            helpful: rng.one_in(2),
        },
        17 => Event::SearchResults(0),
        18 => Event::PageHide,
        _ if rng.one_in(4) => Event::HandoffRequested {
            message: rng.text(40),
            contact: Contact::new(Channel::Chat),
        },
        _ => Event::Typing,
    }
}

/// How far the clock moves before a call: mostly milliseconds to seconds,
/// sometimes past a session's end, rarely days.
fn random_gap(rng: &mut Rng) -> u64 {
    match rng.below(20) {
        0..=7 => rng.range(0, 2 * SEC),
        8..=13 => rng.range(0, 30 * SEC),
        14..=16 => rng.range(0, 10 * MIN),
        17 | 18 => rng.range(0, 2 * HOUR),
        _ => rng.range(0, 3 * DAY),
    }
}

/// One call into the engine, as made (so a second run can replay it).
#[derive(Debug, Clone)]
enum Call {
    Handle(Event, u64),
    Tick(u64),
    /// The page is reloaded: a new engine restores the stored snapshot.
    Reload(u64),
}

/// Make `call` on `engine`; a reload replaces it.
fn make(engine: &mut Engine, config: &Config, call: &Call) -> Vec<Action> {
    match call {
        Call::Handle(event, at) => engine.handle(event.clone(), *at),
        Call::Tick(at) => engine.tick(*at),
        Call::Reload(at) => {
            let stored = Snapshot::decode(&engine.snapshot().encode()).expect("it reads back");
            *engine = Engine::new(config.clone(), answers(), "v1".into());
            engine.restore(stored, *at);
            Vec::new()
        }
    }
}

/// What the test has seen, to judge the next nudge by.
#[derive(Default)]
struct Model {
    /// The session number and what counts in it.
    session: u64,
    last_activity: Option<u64>,
    per_session: HashMap<(u64, String), u32>,
    per_visitor: HashMap<String, u32>,
    last_fired: HashMap<String, u64>,
    last_nudge: Option<u64>,
    last_trigger: Option<String>,
    /// Page views that changed the page, and the one the last nudge was on.
    page_views: u64,
    url: Option<String>,
    nudged_on_view: Option<u64>,
    last_typing: Option<u64>,
    /// Trigger id -> (session it was dismissed in, when).
    dismissed: HashMap<String, (u64, u64)>,
    /// Per step kind, the most the journey ever counted.
    totals: Vec<u64>,
}

fn run_case(seed: u64) -> Vec<Vec<Action>> {
    let mut rng = Rng::new(seed);
    let case = random_case(&mut rng);
    let config = Config::from_value(&case.config).expect("generated configs are valid");
    let mut engine = Engine::new(config.clone(), answers(), "v1".into());
    let mut model = Model {
        totals: vec![0; STEP_KINDS.len()],
        ..Model::default()
    };
    let mut calls = Vec::new();
    let mut outputs = Vec::new();
    let mut now = T0;
    let trace = std::env::var_os("PROPERTY_TRACE").is_some();
    // Every journey starts on a page, as a page load does.
    let mut first = Some(Event::page_view(URLS[0], "Home"));
    for _ in 0..CALLS {
        let wake = engine.next_wake();
        let call = if let Some(event) = first.take() {
            Call::Handle(event, now)
        } else if rng.below(10) < 3 {
            // Tick when the engine asked (or a bit after, as timers are late).
            let at = wake.unwrap_or(now + random_gap(&mut rng));
            now = now.max(at) + rng.range(0, 20);
            Call::Tick(now)
        } else if rng.below(10) < 2 {
            now += random_gap(&mut rng);
            Call::Tick(now)
        } else if rng.one_in(40) {
            now += random_gap(&mut rng);
            first = Some(Event::page_view(URLS[rng.below(URLS.len())], "Again"));
            Call::Reload(now)
        } else {
            if case.clock_back && rng.one_in(10) {
                now = now.saturating_sub(rng.range(0, HOUR));
            } else {
                now += random_gap(&mut rng);
            }
            Call::Handle(random_event(&mut rng), now)
        };
        let before_wake = match &call {
            Call::Tick(at) => !case.clock_back && wake.is_none_or(|w| *at < w),
            _ => false,
        };
        let actions = make(&mut engine, &config, &call);
        if trace {
            let shown: Vec<_> = actions
                .iter()
                .filter_map(|a| match a {
                    Action::ShowNudge(n) => Some(n.trigger_id.as_str()),
                    _ => None,
                })
                .collect();
            eprintln!("{call:?} -> {shown:?}, next wake {:?}", engine.next_wake());
        }
        check(&case, &mut model, &engine, &call, &actions, before_wake);
        calls.push(call);
        outputs.push(actions);
    }

    // The same inputs give the same actions and the same state.
    let mut again = Engine::new(config.clone(), answers(), "v1".into());
    for (i, call) in calls.iter().enumerate() {
        let actions = make(&mut again, &config, call);
        assert_eq!(
            actions, outputs[i],
            "call {i} ({call:?}) gave other actions on a rerun"
        );
    }
    assert_eq!(
        again.snapshot(),
        engine.snapshot(),
        "a rerun ends in another state"
    );
    assert_eq!(again.next_wake(), engine.next_wake());
    assert_eq!(again.explain(now), engine.explain(now));
    outputs
}

fn check(
    case: &Case,
    m: &mut Model,
    engine: &Engine,
    call: &Call,
    actions: &[Action],
    before_wake: bool,
) {
    let now = match call {
        Call::Handle(_, at) | Call::Tick(at) | Call::Reload(at) => *at,
    };
    // A session ends after `sessionMinutes` without activity (the model's
    // sessions are never longer than the engine's).
    if m.last_activity
        .is_some_and(|last| now.saturating_sub(last) > case.session_timeout)
    {
        m.session += 1;
    }
    if let Call::Reload(_) = call {
        // A new tab's page view is a new page view; typing was in the old one.
        m.url = None;
        m.last_typing = None;
    }
    if let Call::Handle(event, _) = call {
        match event {
            Event::PageView { url, .. } if m.url.as_deref() != Some(url) => {
                m.url = Some(url.clone());
                m.page_views += 1;
            }
            Event::Typing => m.last_typing = Some(now),
            Event::NudgeDismissed => {
                if let Some(t) = &m.last_trigger {
                    m.dismissed.insert(t.clone(), (m.session, now));
                }
            }
            _ => {}
        }
    }
    let nudges: Vec<_> = actions
        .iter()
        .filter_map(|a| match a {
            Action::ShowNudge(n) => Some(n),
            _ => None,
        })
        .collect();
    assert!(nudges.len() <= 1, "{} nudges from one call", nudges.len());
    if before_wake {
        assert!(
            nudges.is_empty(),
            "a nudge at {now} before the wake-up time"
        );
    }
    for n in nudges {
        let c = case
            .controls
            .iter()
            .find(|c| c.id == n.trigger_id)
            .expect("nudges come from configured triggers");
        let id = &c.id;
        let session = m.per_session.entry((m.session, id.clone())).or_insert(0);
        *session += 1;
        assert!(
            *session <= c.max_per_session,
            "{id}: maxPerSession {} exceeded",
            c.max_per_session
        );
        let visitor = m.per_visitor.entry(id.clone()).or_insert(0);
        *visitor += 1;
        assert!(
            *visitor <= c.max_per_visitor,
            "{id}: maxPerVisitor {} exceeded",
            c.max_per_visitor
        );
        assert_ne!(
            m.nudged_on_view,
            Some(m.page_views),
            "{id}: two nudges on one page view"
        );
        if let Some((session, at)) = m.dismissed.get(id) {
            match c.on_dismiss {
                Dismiss::Visitor => panic!("{id}: shown again after a dismissal for good"),
                Dismiss::Session => assert_ne!(
                    *session, m.session,
                    "{id}: shown again this session after a dismissal"
                ),
                Dismiss::For(ms) if !case.clock_back => {
                    assert!(
                        now >= at + ms,
                        "{id}: shown again {} ms after a dismissal for {ms}",
                        now - at
                    )
                }
                Dismiss::For(_) => {}
            }
        }
        if !case.clock_back {
            if let Some(last) = m.last_fired.get(id) {
                assert!(
                    now - last >= c.cooldown,
                    "{id}: cooldown {} broken: {} ms",
                    c.cooldown,
                    now - last
                );
            }
            if let Some(last) = m.last_nudge {
                assert!(
                    now - last >= case.quiet,
                    "quiet period {} broken: {} ms",
                    case.quiet,
                    now - last
                );
            }
            if let Some(typed) = m.last_typing {
                assert!(
                    now >= typed + TYPING_PAUSE,
                    "{id}: shown {} ms after typing",
                    now - typed
                );
            }
        }
        m.last_fired.insert(id.clone(), now);
        m.last_nudge = Some(now);
        m.last_trigger = Some(id.clone());
        m.nudged_on_view = Some(m.page_views);
    }
    if actions.iter().any(|a| matches!(a, Action::Persist)) {
        m.last_activity = Some(now);
    }
    // The journey's bounds, and its totals only ever grow.
    let s = engine.snapshot();
    let j = &s.journey;
    assert!(
        j.steps().len() <= case.max_steps,
        "{} steps kept, maxSteps {}",
        j.steps().len(),
        case.max_steps
    );
    assert!(j.pages().len() <= MAX_PAGES);
    assert!(s.events.len() <= MAX_EVENTS);
    for (i, kind) in STEP_KINDS.iter().enumerate() {
        let n = j.count(*kind);
        assert!(
            n >= m.totals[i],
            "{kind:?} count went down from {} to {n}",
            m.totals[i]
        );
        m.totals[i] = n;
    }
}

fn seeds() -> Vec<u64> {
    if let Ok(s) = std::env::var("PROPERTY_SEED") {
        let s = s.trim_start_matches("0x");
        return vec![u64::from_str_radix(s, 16).expect("PROPERTY_SEED is hex")];
    }
    let cases = std::env::var("PROPERTY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let mut rng = Rng::new(0x00DD_BA11_5EED);
    (0..cases).map(|_| rng.next()).collect()
}

#[test]
fn random_journeys_keep_every_delivery_control_and_bound() {
    let started = std::time::Instant::now();
    let seeds = seeds();
    let (mut nudges, mut calls) = (0, 0);
    for &seed in &seeds {
        let outcome = std::panic::catch_unwind(|| run_case(seed));
        match outcome {
            Ok(outputs) => {
                calls += outputs.len();
                nudges += outputs
                    .iter()
                    .flatten()
                    .filter(|a| matches!(a, Action::ShowNudge(_)))
                    .count();
            }
            Err(e) => {
                let config = random_case(&mut Rng::new(seed)).config;
                eprintln!("config of the failing case:\n{config:#}");
                eprintln!("rerun it with PROPERTY_SEED={seed:#x} cargo test --test properties");
                std::panic::resume_unwind(e);
            }
        }
    }
    eprintln!(
        "{} cases, {calls} engine calls, {nudges} nudges in {:.2?}",
        seeds.len(),
        started.elapsed()
    );
    // The generator makes nudges happen, or the properties prove nothing.
    assert!(
        seeds.len() < 50 || nudges >= seeds.len(),
        "only {nudges} nudges"
    );
}
