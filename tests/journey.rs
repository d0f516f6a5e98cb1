//! The journey model (issue 3) with an injected clock: visible-only dwell,
//! rage clicks, idle, searches, form errors, folding, sessions, consent,
//! tabs, stored-state migration and corruption.

use pathlight::engine::snapshot::{Snapshot, SnapshotError};
use pathlight::engine::Consent;
use pathlight::journey::{Click, StepKind};
use pathlight::{Action, Config, Engine, Event, Knowledge};

const T0: u64 = 1_700_000_000_000;

fn config(extra: &str) -> Config {
    Config::from_json(&format!(
        r#"{{"version": 1, {extra} "triggers": [
            {{"id": "read", "when": {{"page": "/article", "dwellSeconds": 30}}, "message": "m", "tags": ["t"]}}
        ]}}"#
    ))
    .unwrap()
}

fn engine() -> Engine {
    Engine::start(
        config(""),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    )
}

fn details(e: &Engine, kind: StepKind) -> Vec<String> {
    e.journey()
        .steps()
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.detail.clone())
        .collect()
}

fn fired(actions: &[Action]) -> bool {
    actions.iter().any(|a| matches!(a, Action::ShowNudge(_)))
}

#[test]
fn dwell_counts_only_while_the_page_is_visible() {
    let mut e = engine();
    e.handle(Event::page_view("/article", "A"), T0);
    assert_eq!(e.next_wake(), Some(T0 + 30_000));
    e.handle(Event::Visibility(false), T0 + 10_000);
    // Hidden: time passing cannot fire the trigger, so no wake-up for it
    // (only the idle check remains).
    assert_eq!(e.next_wake(), Some(T0 + 60_000));
    assert!(!fired(&e.tick(T0 + 40_000)));
    e.handle(Event::Visibility(true), T0 + 70_000);
    assert_eq!(e.page().unwrap().dwell(T0 + 70_000), 10_000);
    assert_eq!(e.next_wake(), Some(T0 + 90_000));
    assert!(fired(&e.tick(T0 + 90_000)));
    assert_eq!(details(&e, StepKind::Returned), ["1 min"]);
}

#[test]
fn leaving_a_page_adds_its_visible_time_to_the_page_stats() {
    let mut e = engine();
    e.handle(Event::page_view("/a", ""), T0);
    e.handle(Event::Visibility(false), T0 + 5_000);
    e.handle(Event::Visibility(true), T0 + 65_000);
    e.handle(Event::Scroll(40), T0 + 66_000);
    e.handle(Event::Scroll(20), T0 + 67_000);
    e.handle(Event::page_view("/b", ""), T0 + 70_000);
    e.handle(Event::page_view("/a", ""), T0 + 71_000);
    let a = e.journey().pages().iter().find(|p| p.path == "/a").unwrap();
    assert_eq!((a.views, a.dwell_ms, a.max_scroll), (2, 10_000, 40));
}

#[test]
fn three_quick_clicks_in_one_spot_are_a_rage_click() {
    let mut e = engine();
    e.handle(Event::page_view("/cart", ""), T0);
    let dead = |x, y| {
        Event::Click(Click {
            x,
            y,
            label: String::new(),
            selector: "div.total".into(),
            interactive: false,
        })
    };
    e.handle(dead(100, 100), T0 + 1_000);
    e.handle(dead(110, 95), T0 + 1_300);
    e.handle(dead(105, 120), T0 + 1_600);
    // Too slow: more than a second after the first of the three.
    e.handle(dead(100, 100), T0 + 5_000);
    e.handle(dead(100, 100), T0 + 5_600);
    e.handle(dead(100, 100), T0 + 6_700);
    // Too far apart.
    e.handle(dead(100, 100), T0 + 9_000);
    e.handle(dead(200, 100), T0 + 9_100);
    e.handle(dead(300, 100), T0 + 9_200);
    assert_eq!(details(&e, StepKind::RageClick), ["div.total"]);
    e.handle(Event::click(5, 5, "Checkout"), T0 + 20_000);
    assert_eq!(details(&e, StepKind::Click), ["Checkout"]);
}

#[test]
fn no_input_for_the_idle_threshold_records_idle_once() {
    let mut e = Engine::start(
        config(r#""journey": {"idleSeconds": 20},"#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    e.handle(Event::page_view("/a", ""), T0);
    e.handle(Event::Input, T0 + 5_000);
    assert_eq!(e.next_wake(), Some(T0 + 25_000));
    e.tick(T0 + 24_999);
    assert!(!e.is_idle());
    e.tick(T0 + 25_000);
    assert!(e.is_idle());
    e.tick(T0 + 90_000);
    assert_eq!(e.journey().count(StepKind::Idle), 1);
    e.handle(Event::Input, T0 + 91_000);
    assert!(!e.is_idle());
}

#[test]
fn searches_from_forms_query_parameters_and_host_counts() {
    let mut e = engine();
    e.handle(
        Event::page_view(
            "https://shop.example/search?q=blue+lamp%20shade&page=2",
            "Search",
        ),
        T0,
    );
    e.handle(Event::SearchResults(0), T0 + 100);
    e.handle(
        Event::Search {
            query: "refund".into(),
            results: Some(3),
        },
        T0 + 1_000,
    );
    e.handle(
        Event::Search {
            query: "warranty".into(),
            results: Some(0),
        },
        T0 + 2_000,
    );
    assert_eq!(
        details(&e, StepKind::Search),
        ["blue lamp shade", "refund", "warranty"]
    );
    assert_eq!(
        details(&e, StepKind::SearchNoResults),
        ["blue lamp shade", "warranty"]
    );
    assert_eq!(e.snapshot().last_search.as_deref(), Some("warranty"));

    let mut custom = Engine::start(
        config(r#""journey": {"searchParams": ["term"]},"#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    custom.handle(Event::page_view("/find?q=x&term=lamp", ""), T0);
    assert_eq!(details(&custom, StepKind::Search), ["lamp"]);
}

#[test]
fn form_errors_are_recorded_with_field_and_message_and_counted_per_page() {
    let mut e = engine();
    e.handle(Event::page_view("/checkout", ""), T0);
    let error = |message: &str| Event::FormError {
        form: "payment".into(),
        field: "Card number".into(),
        message: message.into(),
    };
    // The `invalid` event and the page's `aria-invalid` report one failure
    // a few ms apart: one error. The same failure a second later is another.
    e.handle(error("Card declined"), T0);
    e.handle(error("Card declined"), T0 + 9);
    e.handle(error("Card declined"), T0 + 1_500);
    e.handle(error("Check the number"), T0 + 1_501);
    e.handle(
        Event::FormSubmit {
            form: "payment".into(),
        },
        T0 + 1_600,
    );
    assert_eq!(
        details(&e, StepKind::FormError),
        [
            "payment Card number: Card declined",
            "payment Card number: Card declined",
            "payment Card number: Check the number"
        ]
    );
    assert_eq!(e.page().unwrap().errors, 3);
    assert_eq!(e.journey().pages()[0].errors, 3);
    assert_eq!(details(&e, StepKind::FormSubmit), ["payment"]);
}

#[test]
fn one_failure_or_search_reported_by_two_sources_is_recorded_once() {
    let mut e = engine();
    e.handle(Event::page_view("/checkout", ""), T0);
    // A submit with two invalid fields: `invalid` for each, then the page
    // marks each `aria-invalid`.
    for (dt, field) in [(0, "Card"), (1, "Postcode"), (5, "Card"), (6, "Postcode")] {
        e.handle(
            Event::FormError {
                form: "payment".into(),
                field: field.into(),
                message: "Required".into(),
            },
            T0 + dt,
        );
    }
    assert_eq!(details(&e, StepKind::FormError).len(), 2);
    // The help page's search box is captured, and the page also calls
    // search(), which knows there were no results.
    let search = |results| Event::Search {
        query: "warp drive".into(),
        results,
    };
    e.handle(search(None), T0 + 100);
    e.handle(search(Some(0)), T0 + 110);
    assert_eq!(details(&e, StepKind::Search), ["warp drive"]);
    assert_eq!(details(&e, StepKind::SearchNoResults), ["warp drive"]);
    e.handle(search(Some(0)), T0 + 5_000);
    assert_eq!(
        details(&e, StepKind::Search).len(),
        2,
        "a later search counts"
    );
}

#[test]
fn exit_intent_counts_once_per_page_view() {
    let mut e = engine();
    e.handle(Event::page_view("/a", ""), T0);
    e.handle(Event::ExitIntent, T0 + 1);
    e.handle(Event::ExitIntent, T0 + 2);
    e.handle(Event::page_view("/b", ""), T0 + 3);
    e.handle(Event::ExitIntent, T0 + 4);
    assert_eq!(e.journey().count(StepKind::ExitIntent), 2);
}

#[test]
fn the_bound_folds_old_steps_and_totals_stay_right() {
    let mut e = Engine::start(
        config(r#""journey": {"maxSteps": 10},"#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    for i in 0..30 {
        e.handle(Event::page_view(&format!("/p{i}"), ""), T0 + i * 1000);
    }
    assert_eq!(e.journey().steps().len(), 10);
    assert_eq!(e.journey().count(StepKind::PageView), 30);
    assert_eq!(e.journey().folded(), 20);
    let last = e.journey().steps().last().unwrap();
    assert_eq!(last.path, "/p29");
}

#[test]
fn the_same_page_is_not_counted_twice_for_one_navigation() {
    let mut e = engine();
    e.handle(Event::page_view("/a?x=1", "A"), T0);
    e.handle(Event::page_view("/a?x=1", "A (updated)"), T0 + 1);
    e.handle(Event::Title("A again".into()), T0 + 2);
    assert_eq!(e.journey().count(StepKind::PageView), 1);
    assert_eq!(e.page().unwrap().title, "A again");
}

#[test]
fn sessions_end_after_inactivity_and_count_visits() {
    let mut e = Engine::start(
        config(r#""journey": {"sessionMinutes": 1},"#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    e.handle(Event::page_view("/a", ""), T0);
    assert!(!e.snapshot().visitor.is_returning());
    e.handle(Event::page_view("/b", ""), T0 + 59_000);
    assert_eq!(e.snapshot().visitor.visits, 1);
    e.handle(Event::page_view("/c", ""), T0 + 59_000 + 60_001);
    assert_eq!(e.snapshot().visitor.visits, 2);
    assert!(e.snapshot().visitor.is_returning());
    assert_eq!(e.snapshot().session.started_at, T0 + 119_001);
    assert_eq!(e.snapshot().visitor.first_seen, T0);
}

#[test]
fn pending_consent_keeps_memory_only_until_granted_and_denied_records_nothing() {
    let mut e = Engine::start(
        config(""),
        Knowledge::default(),
        "v".into(),
        Consent::Pending,
        T0,
    );
    let actions = e.handle(Event::page_view("/a", ""), T0);
    assert!(
        !actions.contains(&Action::Persist),
        "nothing is persisted while pending"
    );
    assert_eq!(e.journey().steps().len(), 1, "but it is kept in memory");
    assert_eq!(e.set_consent(Consent::Granted, T0 + 1), [Action::Persist]);
    assert!(e
        .handle(Event::page_view("/b", ""), T0 + 2)
        .contains(&Action::Persist));

    let mut d = Engine::start(
        config(""),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    d.handle(Event::page_view("/a", ""), T0);
    assert!(d.set_consent(Consent::Denied, T0 + 1).is_empty());
    assert!(
        d.journey().steps().is_empty(),
        "denying drops what was recorded"
    );
    let actions = d.handle(Event::page_view("/b", ""), T0 + 2);
    assert!(d.journey().steps().is_empty());
    assert!(!actions.contains(&Action::Persist));
    // The page is still known, so page triggers keep working.
    assert_eq!(d.page().unwrap().path, "/b");
}

#[test]
fn forget_wipes_the_journey_and_the_identity() {
    let mut e = engine();
    e.handle(Event::page_view("/a", ""), T0);
    let mut attrs = serde_json::Map::new();
    attrs.insert("plan".into(), "pro".into());
    e.handle(Event::Identify(attrs), T0 + 1);
    e.forget("new".into(), T0 + 2);
    assert_eq!(e.visitor_id(), "new");
    assert!(e.journey().steps().is_empty());
    assert!(e.snapshot().visitor.attributes.is_empty());
}

#[test]
fn tabs_share_the_journey_but_keep_their_own_page() {
    let mut a = engine();
    // Tab B started before A saved anything: it has an identity of its own.
    let mut b = Engine::start(
        config(""),
        Knowledge::default(),
        "w".into(),
        Consent::Granted,
        T0 + 500,
    );
    a.handle(Event::page_view("/a", ""), T0);
    b.handle(Event::page_view("/b", ""), T0 + 1_000);
    // A's save reaches B; B had more, so B saves; that reaches A; A had
    // nothing B lacked, so the exchange stops.
    assert!(b.merge(a.snapshot().clone()), "B holds /b, which A lacked");
    assert!(!a.merge(b.snapshot().clone()), "A now holds all B has");
    for tab in [&a, &b] {
        let paths: Vec<_> = tab
            .journey()
            .steps()
            .iter()
            .map(|s| s.path.as_str())
            .collect();
        assert_eq!(paths, ["/a", "/b"]);
        assert_eq!(tab.visitor_id(), "v", "the older identity wins");
    }
    assert_eq!(a.page().unwrap().path, "/a", "tab A still shows /a");
    assert_eq!(b.page().unwrap().path, "/b");
    // Merging the same state again changes nothing.
    let snap = a.snapshot().journey.clone();
    assert!(!a.merge(b.snapshot().clone()));
    assert_eq!(a.snapshot().journey.steps(), snap.steps());
}

#[test]
fn stored_state_round_trips_migrates_v1_and_refuses_corruption() {
    let mut e = engine();
    e.handle(Event::page_view("/a", ""), T0);
    e.handle(
        Event::FormError {
            form: "f".into(),
            field: "x".into(),
            message: "bad".into(),
        },
        T0 + 1,
    );
    let text = e.snapshot().encode();
    assert_eq!(Snapshot::decode(&text).unwrap(), *e.snapshot());

    let v1 = r#"{"version":1,"visitorId":"old","journey":{"steps":[
        {"kind":"pageView","at":10,"path":"/","detail":"Home"},
        {"kind":"nudgeShown","at":20,"path":"/","detail":"welcome"}],"folded":0,"page":null},
        "fired":["welcome"],"shown":[{"id":"a","title":"A","triggerId":"welcome","opened":true}],
        "lastTrigger":"welcome","lastNudgeAt":20,"handoffs":2}"#;
    let s = Snapshot::decode(v1).unwrap();
    assert_eq!(s.version, 2);
    assert_eq!(s.visitor.id, "old");
    assert_eq!(s.journey.steps().len(), 2);
    assert_eq!(s.journey.pages()[0].views, 1);
    assert_eq!(s.triggers.fired, ["welcome"]);
    assert_eq!(s.handoffs, 2);
    assert_eq!((s.session.started_at, s.session.last_activity), (10, 20));

    for bad in [
        "",
        "null",
        "[]",
        "{}",
        "{\"version\":2}",
        "{\"version\":\"2\"}",
        "{\"version\":1,\"visitorId\":3}",
        "not json",
        "{\"version\":2,\"rev\":-1}",
    ] {
        assert!(
            matches!(Snapshot::decode(bad), Err(SnapshotError::Corrupt(_))),
            "{bad}"
        );
    }
    assert_eq!(
        Snapshot::decode("{\"version\":3}"),
        Err(SnapshotError::TooNew(3))
    );
}

#[test]
fn identify_keeps_at_most_fifty_attributes() {
    let mut e = engine();
    let mut attrs = serde_json::Map::new();
    for i in 0..80 {
        attrs.insert(format!("k{i:02}"), i.into());
    }
    e.handle(Event::Identify(attrs), T0);
    assert_eq!(e.snapshot().visitor.attributes.len(), 50);
}

#[test]
fn personal_data_is_scrubbed_before_anything_is_stored_or_handed_off() {
    let mut e = Engine::start(
        config(r#""journey": {"queryDeny": ["order"]},"#),
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    e.handle(
        Event::PageView {
            url: "https://shop.example/users/jane.doe@example.com/orders?order=A-991&reset=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlX3ZhbHVl&page=2".into(),
            title: "Orders for jane.doe@example.com".into(),
            referrer: "https://mail.example/?to=jane.doe@example.com".into(),
        },
        T0,
    );
    e.handle(
        Event::FormError {
            form: String::new(),
            field: "Phone".into(),
            message: "+44 20 7946 0958 is not a mobile number".into(),
        },
        T0 + 1,
    );
    e.handle(
        Event::Search {
            query: "refund 4111 1111 1111 1111".into(),
            results: None,
        },
        T0 + 2,
    );
    let actions = e.handle(
        Event::HandoffRequested {
            message: "Call me on 415-555-0132 please".into(),
            contact: Default::default(),
        },
        T0 + 3,
    );

    let page = e.page().unwrap();
    assert_eq!(page.path, "/users/[email]/orders");
    assert_eq!(page.query, "order=[redacted]&reset=[jwt]&page=2");
    assert_eq!(page.title, "Orders for [email]");
    assert_eq!(page.referrer, "https://mail.example/?to=[email]");
    assert_eq!(
        details(&e, StepKind::FormError),
        ["Phone: [phone] is not a mobile number"]
    );
    assert_eq!(details(&e, StepKind::Search), ["refund [card]"]);
    let stored = e.snapshot().encode();
    let payload = actions
        .iter()
        .find_map(|a| match a {
            Action::Handoff(p) => Some(serde_json::to_string(p).unwrap()),
            _ => None,
        })
        .unwrap();
    for secret in ["jane.doe", "A-991", "eyJhbGci", "7946", "4111", "555-0132"] {
        assert!(!stored.contains(secret), "{secret} in stored state");
        assert!(!payload.contains(secret), "{secret} in handoff payload");
    }
    assert!(payload.contains("Call me on [phone] please"));

    let allow = Config::from_json(
        r#"{"version": 1, "triggers": [], "journey": {"queryAllow": ["q", "utm_source"]}}"#,
    )
    .unwrap();
    let mut a = Engine::start(
        allow,
        Knowledge::default(),
        "v".into(),
        Consent::Granted,
        T0,
    );
    a.handle(Event::page_view("/s?q=lamp&utm_source=news&uid=77", ""), T0);
    assert_eq!(
        a.page().unwrap().query,
        "q=lamp&utm_source=news&uid=[redacted]"
    );
}

#[test]
fn visitor_state_older_than_the_retention_is_forgotten() {
    let mut e = engine();
    e.handle(Event::page_view("/a", ""), T0);
    let snap = e.snapshot().clone();
    let day = 86_400_000;
    let mut within = engine();
    within.restore(snap.clone(), T0 + 29 * day);
    assert_eq!(within.journey().steps().len(), 1);
    let mut after = Engine::start(
        config(""),
        Knowledge::default(),
        "new".into(),
        Consent::Granted,
        T0,
    );
    after.restore(snap.clone(), T0 + 31 * day);
    assert!(after.journey().steps().is_empty());
    assert_eq!(after.visitor_id(), "new");
    let short =
        Config::from_json(r#"{"version": 1, "triggers": [], "journey": {"visitorDays": 1}}"#)
            .unwrap();
    let mut one_day = Engine::start(
        short,
        Knowledge::default(),
        "new".into(),
        Consent::Granted,
        T0,
    );
    one_day.restore(snap, T0 + 2 * day);
    assert_eq!(one_day.visitor_id(), "new");
}

#[test]
fn stored_state_over_the_bounds_is_cut_when_read() {
    // Found by the snapshot fuzz target's bounds check (on a hand-made
    // input: 200 pages do not fit in its 4 KB inputs): restoring stored
    // state kept every page stat and custom event it held, past MAX_PAGES
    // and MAX_EVENTS, and every later page view searched them all.
    use pathlight::engine::snapshot::MAX_EVENTS;
    use pathlight::journey::steps::MAX_PAGES;
    let mut stored = serde_json::to_value(Snapshot::new("v1".into(), T0)).unwrap();
    let pages: Vec<_> = (0..MAX_PAGES + 50)
        .map(|i| serde_json::json!({"path": format!("/p{i}"), "views": 1, "dwellMs": 0, "maxScroll": 0, "errors": 0}))
        .collect();
    stored["journey"]["pages"] = pages.into();
    let events: Vec<_> = (0..MAX_EVENTS + 20)
        .map(|i| serde_json::json!({"name": format!("e{i}"), "at": T0 + i as u64}))
        .collect();
    stored["events"] = events.into();
    let s = Snapshot::decode(&stored.to_string()).unwrap();
    assert_eq!(s.journey.pages().len(), MAX_PAGES);
    assert_eq!(
        s.journey.pages()[0].path,
        "/p50",
        "the least recently viewed go"
    );
    assert_eq!(s.events.len(), MAX_EVENTS);
    assert_eq!(s.events[0].name, "e20", "the oldest events go");
    let mut e = engine();
    e.restore(s, T0 + 1_000);
    e.handle(Event::page_view("/new", ""), T0 + 2_000);
    assert_eq!(e.snapshot().journey.pages().len(), MAX_PAGES);
    assert_eq!(e.snapshot().journey.pages().last().unwrap().path, "/new");
}
