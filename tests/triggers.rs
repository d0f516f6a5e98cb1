//! The trigger language (issue 4), table-driven with an injected clock:
//! every condition, every delivery control, explanations, and validation
//! of broken configs.

use pathlight::engine::Consent;
use pathlight::journey::Click;
use pathlight::rules::{Device, Env};
use pathlight::{Action, Config, Engine, Event, Knowledge};
use serde_json::json;

const T0: u64 = 1_700_000_000_000; // Tue 2023-11-14 22:13:20 UTC

fn config(when: &str, extra: &str) -> Config {
    let text = format!(
        r#"{{"version": 1, "delivery": {{"quietSeconds": 0}}, "triggers": [
            {{"id": "t", "when": {when}, "message": "m", "tags": ["x"] {extra}}}
        ]}}"#
    );
    Config::from_json(&text).unwrap_or_else(|e| panic!("{when}: {e}"))
}

fn engine(when: &str) -> Engine {
    Engine::start(
        config(when, ""),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    )
}

fn fired(actions: &[Action]) -> bool {
    actions.iter().any(|a| matches!(a, Action::ShowNudge(_)))
}

/// Feed `events` (offset ms, event) and tick at `at`: did the trigger fire?
fn fires(when: &str, events: Vec<(u64, Event)>, at: u64) -> bool {
    let mut e = engine(when);
    run(&mut e, events, at)
}

fn run(e: &mut Engine, events: Vec<(u64, Event)>, at: u64) -> bool {
    let mut any = false;
    for (t, ev) in events {
        any |= fired(&e.handle(ev, T0 + t));
    }
    any | fired(&e.tick(T0 + at))
}

fn view(url: &str) -> Event {
    Event::page_view(url, "")
}

#[test]
fn page_patterns_query_hash_referrer_utm_and_title() {
    let cases: Vec<(&str, Event, bool)> = vec![
        (r#"{"page": "/checkout"}"#, view("/checkout"), true),
        (r#"{"page": "/checkout"}"#, view("/checkout/pay"), false),
        (
            r#"{"page": "/checkout/**"}"#,
            view("/checkout/pay/card"),
            true,
        ),
        (r#"{"page": "/products/:id"}"#, view("/products/mug"), true),
        (r#"{"page": ["/cart", "/checkout"]}"#, view("/cart"), true),
        (
            r#"{"query": {"coupon": true}}"#,
            view("/cart?coupon=X1"),
            true,
        ),
        (
            r#"{"query": {"coupon": "X1"}}"#,
            view("/cart?coupon=X2"),
            false,
        ),
        (r#"{"hash": "faq-*"}"#, view("/help#faq-returns"), true),
        (r#"{"hash": "faq-*"}"#, view("/help#contact"), false),
        (
            r#"{"utm": {"source": "newsletter"}}"#,
            view("/?utm_source=Newsletter&utm_medium=email"),
            true,
        ),
        (
            r#"{"utm": {"campaign": "spring"}}"#,
            view("/?utm_source=newsletter"),
            false,
        ),
        (
            r#"{"title": "*checkout*"}"#,
            Event::page_view("/c", "Secure Checkout - Lumen"),
            true,
        ),
        (
            r#"{"title": "*checkout*"}"#,
            Event::page_view("/c", "Cart"),
            false,
        ),
    ];
    for (when, event, want) in cases {
        assert_eq!(
            fires(when, vec![(0, event.clone())], 0),
            want,
            "{when} with {event:?}"
        );
    }
    let from_google = Event::PageView {
        url: "/".into(),
        title: String::new(),
        referrer: "https://www.google.com/search".into(),
    };
    assert!(fires(
        r#"{"referrer": "google."}"#,
        vec![(0, from_google.clone())],
        0
    ));
    assert!(!fires(
        r#"{"referrer": "bing."}"#,
        vec![(0, from_google)],
        0
    ));
}

#[test]
fn time_on_page_and_site_scroll_exit_and_idle() {
    // Time on site counts from the session start, across pages.
    let mut e = engine(r#"{"siteSeconds": 90}"#);
    e.handle(view("/a"), T0);
    e.handle(view("/b"), T0 + 60_000);
    assert_eq!(e.next_wake(), Some(T0 + 90_000));
    assert!(!fired(&e.tick(T0 + 89_999)));
    assert!(fired(&e.tick(T0 + 90_000)));

    assert!(fires(
        r#"{"scrollPercent": 50}"#,
        vec![(0, view("/a")), (1, Event::Scroll(60))],
        1
    ));
    assert!(!fires(
        r#"{"scrollPercent": 50}"#,
        vec![(0, view("/a")), (1, Event::Scroll(40))],
        1
    ));
    assert!(fires(
        r#"{"exitIntent": true}"#,
        vec![(0, view("/a")), (5, Event::ExitIntent)],
        5
    ));
    // Exit intent belongs to the page view it happened on.
    assert!(!fires(
        r#"{"exitIntent": true, "page": "/b"}"#,
        vec![(0, view("/a")), (5, Event::ExitIntent), (6, view("/b"))],
        6
    ));

    let mut idle = engine(r#"{"idleSeconds": 20}"#);
    idle.handle(view("/a"), T0);
    idle.handle(Event::Input, T0 + 10_000);
    assert_eq!(idle.next_wake(), Some(T0 + 30_000));
    assert!(!fired(&idle.tick(T0 + 29_000)));
    assert!(fired(&idle.tick(T0 + 30_000)));
}

#[test]
fn visits_returning_pages_viewed_and_sequences() {
    let session = 31 * 60_000;
    let back = vec![(0, view("/a")), (session, view("/a"))];
    assert!(fires(
        r#"{"returning": true, "page": "/a"}"#,
        back.clone(),
        session
    ));
    assert!(fires(r#"{"visits": 2}"#, back.clone(), session));
    assert!(!fires(r#"{"visits": 3}"#, back, session));
    assert!(!fires(r#"{"returning": true}"#, vec![(0, view("/a"))], 0));
    assert!(fires(r#"{"returning": false}"#, vec![(0, view("/a"))], 0));

    let three = vec![(0, view("/a")), (1, view("/b")), (2, view("/c"))];
    assert!(fires(r#"{"pagesViewed": 3}"#, three.clone(), 2));
    assert!(!fires(r#"{"pagesViewed": 4}"#, three, 2));

    let funnel = r#"{"sequence": {"pages": ["/cart", "/checkout/**"], "withinSeconds": 600}}"#;
    assert!(fires(
        funnel,
        vec![
            (0, view("/cart")),
            (1, view("/")),
            (60_000, view("/checkout/pay"))
        ],
        60_000
    ));
    assert!(
        !fires(
            funnel,
            vec![(0, view("/checkout/pay")), (1, view("/cart"))],
            1
        ),
        "wrong order"
    );
    assert!(
        !fires(
            funnel,
            vec![(0, view("/cart")), (700_000, view("/checkout"))],
            700_000
        ),
        "too slow"
    );
}

#[test]
fn custom_events_with_filters_and_counts_and_visitor_attributes() {
    let failed = |code: &str| Event::Custom {
        name: "coupon_failed".into(),
        props: json!({"code": code, "total": 80})
            .as_object()
            .unwrap()
            .clone(),
    };
    let when =
        r#"{"event": {"name": "coupon_failed", "count": 2, "where": {"total": {"gte": 50}}}}"#;
    assert!(fires(
        when,
        vec![(0, view("/cart")), (1, failed("A")), (2, failed("B"))],
        2
    ));
    assert!(!fires(when, vec![(0, view("/cart")), (1, failed("A"))], 1));
    assert!(fires(
        r#"{"event": "coupon_failed"}"#,
        vec![(0, view("/")), (1, failed("A"))],
        1
    ));
    let code_b = r#"{"event": {"name": "coupon_failed", "where": {"code": {"in": ["B", "C"]}}}}"#;
    assert!(!fires(code_b, vec![(0, view("/")), (1, failed("A"))], 1));

    let who = |attrs: serde_json::Value| {
        vec![
            (0, view("/")),
            (1, Event::Identify(attrs.as_object().unwrap().clone())),
        ]
    };
    let cases = [
        (
            r#"{"visitor": {"plan": "pro"}}"#,
            json!({"plan": "pro"}),
            true,
        ),
        (
            r#"{"visitor": {"plan": {"in": ["pro", "team"]}}}"#,
            json!({"plan": "free"}),
            false,
        ),
        (
            r#"{"visitor": {"orders": {"gt": 3}}}"#,
            json!({"orders": 4}),
            true,
        ),
        (
            r#"{"visitor": {"orders": {"lte": 3}}}"#,
            json!({"orders": 4}),
            false,
        ),
        (
            r#"{"visitor": {"email": {"exists": true}}}"#,
            json!({"email": "a@b.example"}),
            true,
        ),
        (
            r#"{"visitor": {"email": {"exists": false}}}"#,
            json!({"plan": "pro"}),
            true,
        ),
    ];
    for (when, attrs, want) in cases {
        assert_eq!(
            fires(when, who(attrs.clone()), 1),
            want,
            "{when} with {attrs}"
        );
    }
}

#[test]
fn device_language_and_business_hours_in_a_named_zone() {
    let with_env = |when: &str, env: Env, at: u64| {
        let mut e = engine(when);
        e.set_env(env);
        run(&mut e, vec![(0, view("/"))], at)
    };
    let mobile_he = Env {
        device: Device::Mobile,
        languages: vec!["he-IL".into(), "en".into()],
        zone_offsets: vec![],
        time_zone: None,
    };
    assert!(with_env(r#"{"device": "mobile"}"#, mobile_he.clone(), 0));
    assert!(!with_env(
        r#"{"device": ["desktop", "tablet"]}"#,
        mobile_he.clone(),
        0
    ));
    assert!(with_env(r#"{"language": "he"}"#, mobile_he.clone(), 0));
    assert!(
        !with_env(r#"{"language": "en"}"#, mobile_he, 0),
        "only the most preferred language counts"
    );

    // T0 is Tuesday 22:13 UTC, 23:13 in Paris (UTC+1 in November).
    let paris = Env {
        zone_offsets: vec![("Europe/Paris".into(), 60)],
        ..Env::default()
    };
    let hours = r#"{"schedule": {"timeZone": "Europe/Paris", "days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "18:00"}}"#;
    let mut e = engine(hours);
    e.set_env(paris.clone());
    assert!(!fired(&e.handle(view("/"), T0)));
    // Next opening: Wednesday 09:00 Paris = 08:00 UTC, 9 h 46 min 40 s later.
    let opens = T0 + (9 * 3600 + 46 * 60 + 40) * 1000;
    let row = e.explain(T0).remove(0);
    assert_eq!(
        (row.status, row.path.as_str(), row.at),
        ("waiting", "/triggers/0/when/schedule", Some(opens))
    );
    assert!(!fired(&e.tick(opens - 1)));
    assert!(fired(&e.tick(opens)));
    // An unknown zone is closed, never guessed.
    let mut unknown = engine(&hours.replace("Europe/Paris", "Mars/Olympus"));
    unknown.set_env(paris);
    assert!(!run(&mut unknown, vec![(0, view("/"))], 86_400_000));
}

#[test]
fn form_errors_rage_clicks_searches_and_answers() {
    let err = |field: &str| Event::FormError {
        form: "payment".into(),
        field: field.into(),
        message: "Card declined".into(),
    };
    let two = r#"{"formErrors": {"count": 2, "field": "Card number"}}"#;
    assert!(fires(
        two,
        vec![
            (0, view("/c")),
            (1, err("Card number")),
            (2_000, err("Card number"))
        ],
        2_000
    ));
    // The same failure reported twice at once (`invalid`, then
    // `aria-invalid`) is one error.
    assert!(!fires(
        two,
        vec![
            (0, view("/c")),
            (1, err("Card number")),
            (10, err("Card number"))
        ],
        2_000
    ));
    assert!(!fires(
        two,
        vec![
            (0, view("/c")),
            (1, err("Card number")),
            (2, err("Postcode"))
        ],
        2
    ));
    assert!(fires(
        r#"{"formErrors": 1}"#,
        vec![(0, view("/c")), (1, err("Postcode"))],
        1
    ));

    let click = |t: u64| {
        (
            t,
            Event::Click(Click {
                x: 10,
                y: 10,
                ..Click::default()
            }),
        )
    };
    assert!(fires(
        r#"{"rageClicks": 1}"#,
        vec![(0, view("/")), click(100), click(200), click(300)],
        300
    ));
    assert!(!fires(
        r#"{"rageClicks": 1}"#,
        vec![(0, view("/")), click(100), click(2000), click(4000)],
        4000
    ));

    let search = |q: &str, n: u32| Event::Search {
        query: q.into(),
        results: Some(n),
    };
    let empty = r#"{"searches": {"noResults": true}}"#;
    assert!(fires(
        empty,
        vec![(0, view("/")), (1, search("lamp warranty", 0))],
        1
    ));
    assert!(!fires(
        empty,
        vec![(0, view("/")), (1, search("lamp", 4))],
        1
    ));
    assert!(fires(
        r#"{"searches": {"count": 2}}"#,
        vec![(0, view("/")), (1, search("a", 1)), (2, search("b", 1))],
        2
    ));

    // Answers seen, opened, rated unhelpful, via a first trigger that shows them.
    let cfg = Config::from_json(
        r#"{"version": 1, "delivery": {"quietSeconds": 0}, "triggers": [
            {"id": "first", "when": {"page": "/a"}, "message": "m", "answers": ["refunds"]},
            {"id": "seen", "when": {"page": "/b", "answer": {"seen": "refunds"}}, "message": "m", "tags": ["x"]},
            {"id": "unhelpful", "when": {"page": "/c", "answer": {"unhelpful": "refunds"}}, "message": "m", "tags": ["x"]}
        ]}"#,
    )
    .unwrap();
    let k = Knowledge::from_json(
        r#"{"version": 1, "answers": [{"id": "refunds", "title": "Refunds", "body": "5 days"}]}"#,
    )
    .unwrap();
    let mut e = Engine::start(cfg, k, "v".into(), Consent::Granted, T0);
    assert!(fired(&e.handle(view("/a"), T0)));
    assert!(fired(&e.handle(view("/b"), T0 + 1)), "the answer was seen");
    assert!(!fired(&e.handle(view("/c"), T0 + 2)), "not rated yet");
    e.handle(view("/"), T0 + 3);
    e.handle(
        Event::AnswerRated {
            id: "refunds".into(),
            helpful: false,
        },
        T0 + 4,
    );
    assert!(fired(&e.handle(view("/c"), T0 + 5)));
}

#[test]
fn json_logic_over_the_clock_is_woken_when_its_values_change() {
    // Found by tests/properties.rs: a rule on `page.dwellSeconds` said
    // "never" until the next event, so nothing woke the engine for it.
    let mut e = engine(r#"{"logic": {">=": [{"var": "page.dwellSeconds"}, 20]}}"#);
    e.handle(view("/cart"), T0);
    e.handle(Event::Visibility(false), T0 + 5_500);
    // A hidden page's dwell stands still: only the idle threshold wakes it.
    assert_eq!(e.next_wake(), Some(T0 + 60_000));
    e.handle(Event::Visibility(true), T0 + 60_000);
    // Each dwell second is looked at; the rule holds at 20 visible seconds.
    let mut at = T0 + 60_000;
    while let Some(w) = e.next_wake() {
        assert!(w > at && w - at <= 1_000, "woken at {w}, {} ms on", w - at);
        at = w;
        if fired(&e.tick(at)) {
            break;
        }
    }
    assert_eq!(at, T0 + 60_000 + 14_500);
    // Values that do not change with time never wake it (past the idle
    // threshold), the hour once an hour.
    let idle = T0 + 60_000;
    let mut e = engine(r#"{"logic": {"==": [{"var": "page.path"}, "/checkout"]}}"#);
    e.handle(view("/cart"), T0);
    e.tick(idle);
    assert_eq!(e.next_wake(), None);
    let mut e = engine(r#"{"logic": {"==": [{"var": "time.hourUtc"}, 23]}}"#);
    e.handle(view("/cart"), T0);
    e.tick(idle);
    let eleven = T0 - T0 % 3_600_000 + 3_600_000;
    assert_eq!(e.next_wake(), Some(eleven));
    assert!(fired(&e.tick(eleven)));
}

#[test]
fn all_any_not_and_json_logic() {
    let both = r#"{"all": [{"page": "/cart"}, {"query": {"coupon": true}}]}"#;
    assert!(fires(both, vec![(0, view("/cart?coupon=1"))], 0));
    assert!(!fires(both, vec![(0, view("/cart"))], 0));
    let either = r#"{"any": [{"page": "/cart"}, {"page": "/checkout"}]}"#;
    assert!(fires(either, vec![(0, view("/checkout"))], 0));
    assert!(!fires(either, vec![(0, view("/"))], 0));
    let not_home = r#"{"not": {"page": "/"}, "dwellSeconds": 5}"#;
    assert!(fires(not_home, vec![(0, view("/cart"))], 5_000));
    assert!(!fires(not_home, vec![(0, view("/"))], 5_000));
    // `any` of two dwells wakes at the earlier one.
    let mut e = engine(
        r#"{"any": [{"dwellSeconds": 30}, {"all": [{"page": "/cart"}, {"dwellSeconds": 10}]}]}"#,
    );
    e.handle(view("/cart"), T0);
    assert_eq!(e.next_wake(), Some(T0 + 10_000));

    let logic = r#"{"logic": {"and": [
        {"==": [{"var": "page.path"}, "/cart"]},
        {">=": [{"var": "journey.formErrors"}, 1]},
        {"in": ["pro", {"var": "visitor.attributes.plan"}]}
    ]}}"#;
    let err = Event::FormError {
        form: String::new(),
        field: "f".into(),
        message: "bad".into(),
    };
    let pro = Event::Identify(json!({"plan": "pro-annual"}).as_object().unwrap().clone());
    assert!(fires(
        logic,
        vec![(0, view("/cart")), (1, err.clone()), (2, pro.clone())],
        2
    ));
    assert!(!fires(logic, vec![(0, view("/cart")), (2, pro)], 2));
}

#[test]
fn priority_cooldown_caps_quiet_period_and_typing() {
    let cfg = |extra: &str, quiet: u32| {
        Config::from_json(&format!(
            r#"{{"version": 1, "delivery": {{"quietSeconds": {quiet}}}, "triggers": [
                {{"id": "low", "when": {{"page": "/**"}}, "message": "m", "tags": ["x"]}},
                {{"id": "high", "when": {{"page": "/**"}}, "message": "m", "tags": ["x"], "priority": 5 {extra}}},
                {{"id": "tie", "when": {{"page": "/**"}}, "message": "m", "tags": ["x"], "priority": 5}}
            ]}}"#
        ))
        .unwrap()
    };
    let shown = |actions: Vec<Action>| -> Vec<String> {
        actions
            .into_iter()
            .filter_map(|a| match a {
                Action::ShowNudge(n) => Some(n.trigger_id),
                _ => None,
            })
            .collect()
    };
    // Highest priority wins; ties go to config order ("high" before "tie").
    let mut e = Engine::start(
        cfg(r#", "maxPerSession": 3, "cooldown": "1m""#, 0),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    assert_eq!(shown(e.handle(view("/1"), T0)), ["high"]);
    // Cooling down: "tie" takes the next page.
    assert_eq!(shown(e.handle(view("/2"), T0 + 1_000)), ["tie"]);
    assert_eq!(shown(e.handle(view("/3"), T0 + 2_000)), ["low"]);
    e.handle(view("/4"), T0 + 3_000);
    assert_eq!(
        e.next_wake(),
        Some(T0 + 60_000),
        "wakes when the cooldown ends"
    );
    assert_eq!(shown(e.tick(T0 + 60_000)), ["high"]);
    for (i, t) in [(5, 200_000), (6, 400_000), (7, 600_000)] {
        e.handle(view(&format!("/{i}")), T0 + t);
    }
    let log = &e.snapshot().triggers;
    assert_eq!(
        log.fired.iter().filter(|id| *id == "high").count(),
        3,
        "maxPerSession caps it at 3"
    );

    // The quiet period holds every trigger after a nudge.
    let mut q = Engine::start(
        cfg("", 30),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    assert_eq!(shown(q.handle(view("/1"), T0)), ["high"]);
    assert!(shown(q.handle(view("/2"), T0 + 10_000)).is_empty());
    assert_eq!(q.next_wake(), Some(T0 + 30_000));
    assert_eq!(shown(q.tick(T0 + 30_000)), ["tie"]);

    // Never while typing: it waits for a 2 s pause.
    let mut ty = Engine::start(
        cfg("", 0),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    ty.handle(Event::Typing, T0);
    assert!(shown(ty.handle(view("/1"), T0 + 500)).is_empty());
    assert_eq!(ty.next_wake(), Some(T0 + 2_000));
    assert_eq!(shown(ty.tick(T0 + 2_000)), ["high"]);
}

#[test]
fn max_per_visitor_and_dismissals_outlive_sessions_and_tabs() {
    let cfg = |extra: &str| {
        Config::from_json(&format!(
            r#"{{"version": 1, "delivery": {{"quietSeconds": 0}}, "triggers": [
                {{"id": "t", "when": {{"page": "/**"}}, "message": "m", "tags": ["x"] {extra}}}
            ]}}"#
        ))
        .unwrap()
    };
    let session = 31 * 60_000;
    let mut e = Engine::start(
        cfg(r#", "maxPerVisitor": 2"#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    let mut count = 0;
    for s in 0..4 {
        count += usize::from(fired(&e.handle(view(&format!("/{s}")), T0 + s * session)));
    }
    assert_eq!(count, 2, "two sessions, then never again");

    // Dismissed for a week: not in the next session, back after the week;
    // a new tab (restoring the stored state) honours it too.
    let mut d = Engine::start(
        cfg(r#", "maxPerSession": 5, "onDismiss": "7d""#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    assert!(fired(&d.handle(view("/a"), T0)));
    d.handle(Event::NudgeDismissed, T0 + 1_000);
    let mut tab = Engine::start(
        cfg(r#", "maxPerSession": 5, "onDismiss": "7d""#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    tab.restore(d.snapshot().clone(), T0 + 2_000);
    assert!(!fired(&tab.handle(view("/b"), T0 + 2_000)));
    assert!(!fired(&d.handle(view("/b"), T0 + session)));
    assert!(fired(&d.handle(view("/c"), T0 + 8 * 86_400_000)));

    let mut forever = Engine::start(
        cfg(r#", "onDismiss": "visitor""#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    assert!(fired(&forever.handle(view("/a"), T0)));
    forever.handle(Event::NudgeDismissed, T0 + 1);
    assert!(!fired(
        &forever.handle(view("/b"), T0 + 400 * 86_400_000 / 100)
    ));
}

#[test]
fn explain_says_which_condition_or_control_decides() {
    let cfg = Config::from_json(
        r#"{"version": 1, "triggers": [
            {"id": "wait", "when": {"page": "/cart", "dwellSeconds": 30}, "message": "m", "tags": ["x"]},
            {"id": "wrong-page", "when": {"all": [{"dwellSeconds": 1}, {"page": "/checkout"}]}, "message": "m", "tags": ["x"]},
            {"id": "now", "when": {"page": "/cart"}, "message": "m", "tags": ["x"], "priority": 9}
        ]}"#,
    )
    .unwrap();
    let mut e = Engine::start(cfg, Knowledge::default(), "v".into(), Consent::Granted, T0);
    let before = e.explain(T0);
    assert_eq!(before[0].status, "blocked");
    assert_eq!(before[0].path, "/triggers/0/when/page");
    // The page, not the dwell that cannot start without it, is the blocker.
    assert_eq!(
        (before[1].status, before[1].path.as_str()),
        ("blocked", "/triggers/1/when/all/1/page")
    );
    e.handle(view("/cart"), T0);
    let after = e.explain(T0 + 5_000);
    let row = |id: &str| after.iter().find(|x| x.trigger == id).unwrap().clone();
    assert_eq!(
        (row("now").status, row("now").path.as_str()),
        ("fired", "/triggers/2/maxPerSession")
    );
    assert_eq!(row("wait").status, "blocked");
    assert_eq!(
        row("wait").reason,
        "a nudge was already shown on this page view"
    );
    // A condition that cannot hold is the answer, before any control.
    assert_eq!(
        (row("wrong-page").status, row("wrong-page").path.as_str()),
        ("blocked", "/triggers/1/when/all/1/page")
    );
    // On a new page, within the quiet period: waiting, with the time.
    e.handle(view("/cart?x=1"), T0 + 10_000);
    let w = e
        .explain(T0 + 10_000)
        .into_iter()
        .find(|x| x.trigger == "wait")
        .unwrap();
    assert_eq!(
        (w.status, w.path.as_str(), w.at),
        ("waiting", "/delivery/quietSeconds", Some(T0 + 60_000))
    );
}

#[test]
fn broken_configs_report_every_problem_at_its_path() {
    let t = |when: &str, extra: &str| {
        format!(
            r#"{{"version": 1, "triggers": [{{"id": "a", "when": {when}, "message": "m", "tags": ["x"]{extra}}}]}}"#
        )
    };
    let cases: Vec<(String, &str, &str)> = vec![
        ("[]".into(), "", "expected an object, got an array"),
        (r#"{"triggers": []}"#.into(), "/version", "is required"),
        (
            r#"{"version": 1}"#.into(),
            "/triggers",
            "is required (use [] for none)",
        ),
        (
            r#"{"version": 1, "triggers": {}}"#.into(),
            "/triggers",
            "expected an array of triggers, got an object",
        ),
        (
            t("{}", ""),
            "/triggers/0/when",
            "needs at least one condition",
        ),
        (
            t(r#"{"pge": "/"}"#, ""),
            "/triggers/0/when/pge",
            "unknown condition `pge`",
        ),
        (
            t(r#"{"page": 3}"#, ""),
            "/triggers/0/when/page",
            "expected a string or an array of strings, got a number",
        ),
        (
            t(r#"{"page": ["/a", "b"]}"#, ""),
            "/triggers/0/when/page/1",
            "a page pattern must start with `/`",
        ),
        (
            t(r#"{"dwellSeconds": "10"}"#, ""),
            "/triggers/0/when/dwellSeconds",
            "expected a number, got a string",
        ),
        (
            t(r#"{"scrollPercent": 120}"#, ""),
            "/triggers/0/when/scrollPercent",
            "must be between 0 and 100",
        ),
        (
            t(r#"{"exitIntent": "yes"}"#, ""),
            "/triggers/0/when/exitIntent",
            "expected true or false, got a string",
        ),
        (
            t(r#"{"all": {}}"#, ""),
            "/triggers/0/when/all",
            "expected an array of conditions, got an object",
        ),
        (
            t(r#"{"any": []}"#, ""),
            "/triggers/0/when/any",
            "needs at least one condition",
        ),
        (
            t(r#"{"not": {"page": "x"}}"#, ""),
            "/triggers/0/when/not/page",
            "a page pattern must start with `/`",
        ),
        (
            t(r#"{"all": [{"page": "/"}, {"dwelSeconds": 3}]}"#, ""),
            "/triggers/0/when/all/1/dwelSeconds",
            "unknown condition `dwelSeconds`",
        ),
        (
            t(r#"{"sequence": {"pages": ["/a"]}}"#, ""),
            "/triggers/0/when/sequence/pages",
            "needs at least two page patterns, in order",
        ),
        (
            t(r#"{"event": {"count": 2}}"#, ""),
            "/triggers/0/when/event/name",
            "is required",
        ),
        (
            t(r#"{"visitor": {"age": {"gt": "x"}}}"#, ""),
            "/triggers/0/when/visitor/age/gt",
            "expected a number, got a string",
        ),
        (
            t(r#"{"visitor": {"age": {"bigger": 3}}}"#, ""),
            "/triggers/0/when/visitor/age/bigger",
            "unknown key `bigger`",
        ),
        (
            t(r#"{"device": "phone"}"#, ""),
            "/triggers/0/when/device",
            "unknown device `phone`: expected mobile, tablet or desktop",
        ),
        (
            t(r#"{"schedule": {"days": ["mon"]}}"#, ""),
            "/triggers/0/when/schedule/timeZone",
            "is required",
        ),
        (
            t(r#"{"schedule": {"timeZone": "UTC", "from": "9am"}}"#, ""),
            "/triggers/0/when/schedule/from",
            "expected a time such as \"09:00\" or \"17:30\"",
        ),
        (
            t(
                r#"{"schedule": {"timeZone": "UTC", "from": "18:00", "to": "09:00"}}"#,
                "",
            ),
            "/triggers/0/when/schedule/to",
            "must be later than `from`",
        ),
        (
            t(
                r#"{"schedule": {"timeZone": "UTC", "days": ["monday"]}}"#,
                "",
            ),
            "/triggers/0/when/schedule/days/0",
            "unknown day `monday`: use mon, tue, wed, thu, fri, sat, sun",
        ),
        (
            t(r#"{"answer": {}}"#, ""),
            "/triggers/0/when/answer",
            "needs one of `seen`, `opened`, `unhelpful`",
        ),
        (
            t(r#"{"logic": {"equals": [1, 1]}}"#, ""),
            "/triggers/0/when/logic",
            "`equals` is not a JSON Logic operator",
        ),
        (
            t(r#"{"page": "/"}"#, r#", "cooldown": "soon""#),
            "/triggers/0/cooldown",
            "expected a duration such as",
        ),
        (
            t(r#"{"page": "/"}"#, r#", "maxPerSesion": 2"#),
            "/triggers/0/maxPerSesion",
            "unknown key `maxPerSesion`",
        ),
        (
            t(r#"{"page": "/"}"#, r#", "maxPerSession": 0"#),
            "/triggers/0/maxPerSession",
            "must be between 1 and 1000",
        ),
        (
            t(r#"{"page": "/"}"#, r#", "onDismiss": "later""#),
            "/triggers/0/onDismiss",
            "unknown value `later`",
        ),
        (
            r#"{"version": 1, "triggers": [], "delivery": {"quiet": 5}}"#.into(),
            "/delivery/quiet",
            "unknown key `quiet`",
        ),
        (
            r#"{"version": 1, "triggers": [], "journey": {"maxSteps": 1}}"#.into(),
            "/journey/maxSteps",
            "must be between 10 and 5000",
        ),
    ];
    assert!(cases.len() >= 30);
    for (text, path, message) in &cases {
        let err = Config::from_json(text).expect_err(text);
        let problems = err.problems().unwrap();
        assert!(
            problems.iter().any(|p| p.path == *path
                && (p.message.contains(message)
                    || p.hint.as_deref().is_some_and(|h| h.contains(message)))),
            "{text}\n  wanted {path}: {message}\n  got {problems}"
        );
    }
    // A typo in a key gets a hint.
    let err = Config::from_json(&t(r#"{"page": "/"}"#, r#", "maxPerSesion": 2"#)).unwrap_err();
    let p = err
        .problems()
        .unwrap()
        .iter()
        .find(|p| p.path.ends_with("maxPerSesion"))
        .unwrap()
        .clone();
    assert_eq!(p.hint.as_deref(), Some("did you mean `maxPerSession`?"));
}

#[test]
fn size_and_depth_limits_are_refused_cleanly() {
    // 10,000 levels deep: refused by the parser, no stack overflow.
    let deep = format!("{}{}", "{\"all\": [".repeat(10_000), "]}".repeat(10_000));
    assert!(Config::from_json(&deep).is_err());
    // Nesting within the parser's limit but past ours.
    let mut when = String::from(r#"{"page": "/"}"#);
    for _ in 0..20 {
        when = format!(r#"{{"not": {when}}}"#);
    }
    let err = Config::from_json(&format!(r#"{{"version": 1, "triggers": [{{"id": "a", "when": {when}, "message": "m", "tags": ["x"]}}]}}"#)).unwrap_err();
    assert!(
        err.to_string().contains("nested more than 16 levels deep"),
        "{err}"
    );
    // Too many triggers.
    let many: Vec<String> = (0..1001)
        .map(|i| {
            format!(r#"{{"id": "t{i}", "when": {{"page": "/"}}, "message": "m", "tags": ["x"]}}"#)
        })
        .collect();
    let err = Config::from_json(&format!(
        r#"{{"version": 1, "triggers": [{}]}}"#,
        many.join(",")
    ))
    .unwrap_err();
    assert!(err
        .to_string()
        .contains("has 1001 triggers: at most 1000 allowed"));
    // A 10 MB document parses or fails in bounded time; either way no panic.
    let big = format!(
        r#"{{"version": 1, "triggers": [], "x": "{}"}}"#,
        "a".repeat(10_000_000)
    );
    assert!(Config::from_json(&big).is_err());
    // A long message is refused.
    let long = format!(
        r#"{{"version": 1, "triggers": [{{"id": "a", "when": {{"page": "/"}}, "message": "{}", "tags": ["x"]}}]}}"#,
        "m".repeat(300)
    );
    assert!(Config::from_json(&long)
        .unwrap_err()
        .to_string()
        .contains("too long"));
}

#[test]
fn the_simulator_shows_what_fired_when_and_why_the_rest_did_not() {
    use pathlight::simulate;
    let config = Config::from_json(
        r#"{"version": 1, "delivery": {"quietSeconds": 30}, "triggers": [
            {"id": "pay", "when": {"page": "/checkout", "formErrors": 2}, "message": "Card trouble?", "answers": ["declined"], "priority": 5},
            {"id": "linger", "when": {"page": "/checkout", "dwellSeconds": 20}, "message": "Still there?", "tags": ["x"]},
            {"id": "never", "when": {"page": "/nowhere"}, "message": "m", "tags": ["x"]}
        ]}"#,
    )
    .unwrap();
    let k = Knowledge::from_json(
        r#"{"version": 1, "answers": [{"id": "declined", "title": "Declined", "body": "b"}]}"#,
    )
    .unwrap();
    let script = json!([
        {"at": 0, "page": "/checkout"},
        {"at": 5, "formError": {"field": "Card", "message": "Declined"}},
        {"at": 8, "formError": {"field": "Card", "message": "Declined"}},
        {"at": 9, "typing": true},
        {"at": 12, "page": "/checkout?step=2"},
        {"at": 60, "end": true}
    ]);
    let sim = simulate::run(&config, &k, &script).unwrap();
    let nudges: Vec<(f64, &str)> = sim
        .timeline
        .iter()
        .filter(|l| l.kind == "nudge")
        .map(|l| (l.at, l.trigger.as_deref().unwrap_or("")))
        .collect();
    // "pay" at the second error; "linger" must wait out the quiet period
    // (30 s after 8 s) after its own 20 s of dwell on the new page view.
    assert_eq!(nudges, [(8.0, "pay"), (38.0, "linger")]);
    let never = sim.end.iter().find(|e| e.trigger == "never").unwrap();
    assert_eq!(
        (never.status, never.path.as_str()),
        ("blocked", "/triggers/2/when/page")
    );
    let bad = simulate::run(
        &config,
        &k,
        &json!([{"at": 5, "page": "/"}, {"at": 1, "page": "/"}, {"at": 9}]),
    )
    .unwrap_err();
    let paths: Vec<&str> = bad.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["/1/at", "/2"]);
}

#[test]
fn a_config_using_every_condition_and_control_is_valid() {
    let text = std::fs::read_to_string("tests/data/every-condition.config.json").unwrap();
    let config = Config::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.zones(), ["Europe/London"]);
    assert_eq!(config.triggers[0].delivery.max_per_visitor, 5);
}

#[test]
fn theme_and_strings_sections_are_validated_with_paths() {
    let err = Config::from_json(
        r#"{"version": 1, "triggers": [], "theme": {"accent": "bluish", "position": "top", "zIndx": 3},
            "strings": {"he": {"lancher": "x"}}}"#,
    )
    .unwrap_err();
    let got: Vec<(&str, &str)> = err
        .problems()
        .unwrap()
        .iter()
        .map(|p| (p.path.as_str(), p.message.as_str()))
        .collect();
    assert!(got.iter().any(|(p, _)| *p == "/theme/accent"), "{got:?}");
    assert!(
        got.contains(&("/theme/position", "expected \"left\" or \"right\"")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(p, m)| *p == "/theme/zIndx" && m.contains("unknown key")),
        "{got:?}"
    );
    assert!(
        got.iter().any(|(p, _)| *p == "/strings/he/lancher"),
        "{got:?}"
    );
    let ok = Config::from_json(
        r##"{"version": 1, "triggers": [], "theme": {"accent": "#1f5eff", "position": "left"}}"##,
    )
    .unwrap();
    assert!(ok.theme.left);
}
