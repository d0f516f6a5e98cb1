//! Engine behaviour with an injected clock: no sleeps, every case in
//! microseconds.

use pathlight::journey::{StepKind, SESSION_TIMEOUT};
use pathlight::{Action, Config, Engine, Event, Knowledge};

const T0: u64 = 1_700_000_000_000;

fn config() -> Config {
    Config::from_json(
        r#"{
      "version": 1,
      "delivery": { "quietSeconds": 0 },
      "triggers": [
        { "id": "checkout", "when": { "page": "/checkout/**", "dwellSeconds": 10 },
          "message": "Trouble paying?", "answers": ["declined"], "tags": ["payment"], "priority": 5 },
        { "id": "anywhere", "when": { "page": "/**", "dwellSeconds": 10 },
          "message": "Hello", "tags": ["general"] },
        { "id": "products", "when": { "page": "/products/:id", "dwellSeconds": 3 },
          "message": "About this product", "tags": ["product"] }
      ]
    }"#,
    )
    .unwrap()
}

fn answers() -> Knowledge {
    Knowledge::from_json(
        r#"{ "version": 1, "answers": [
      { "id": "declined", "title": "Card declined", "body": "Check the postcode.", "tags": ["payment"] },
      { "id": "methods", "title": "Payment methods", "body": "Visa.", "tags": ["payment"], "pages": ["/checkout/pay"] },
      { "id": "refunds", "title": "Refunds", "body": "5 days.", "tags": ["payment"] },
      { "id": "hours", "title": "Opening hours", "body": "9 to 5.", "tags": ["general"] },
      { "id": "sizes", "title": "Sizes", "body": "S to XL.", "tags": ["product"] }
    ]}"#,
    )
    .unwrap()
}

fn engine() -> Engine {
    Engine::new(config(), answers(), "v1".into())
}

fn nudges(actions: &[Action]) -> Vec<(&str, Vec<&str>)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::ShowNudge(n) => Some((
                n.trigger_id.as_str(),
                n.answers.iter().map(|a| a.id.as_str()).collect(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn dwell_fires_exactly_at_threshold_and_not_before() {
    let mut e = engine();
    let actions = e.handle(
        Event::page_view("https://shop.example/checkout/pay", "Pay"),
        T0,
    );
    assert!(nudges(&actions).is_empty());
    assert_eq!(e.next_wake(), Some(T0 + 10_000));
    assert!(nudges(&e.tick(T0 + 9_999)).is_empty());
    let fired = e.tick(T0 + 10_000);
    // Priority 5 beats the config-order-earlier-or-later "anywhere" trigger.
    assert_eq!(
        nudges(&fired),
        [("checkout", vec!["declined", "methods", "refunds"])]
    );
}

#[test]
fn listed_answers_come_first_then_tagged_ones_relevant_to_the_page() {
    let mut e = engine();
    e.handle(Event::page_view("/checkout/pay", ""), T0);
    let fired = e.tick(T0 + 10_000);
    // "declined" is listed; "methods" is tagged and relevant to /checkout/pay,
    // so it precedes "refunds", which is only tagged.
    assert_eq!(nudges(&fired)[0].1, ["declined", "methods", "refunds"]);
}

#[test]
fn leaving_the_page_resets_the_dwell() {
    let mut e = engine();
    e.handle(Event::page_view("/products/mug", ""), T0);
    assert_eq!(e.next_wake(), Some(T0 + 3_000));
    e.handle(Event::page_view("/products/cup", ""), T0 + 2_000);
    assert!(nudges(&e.tick(T0 + 3_000)).is_empty());
    assert_eq!(e.next_wake(), Some(T0 + 5_000));
    assert_eq!(nudges(&e.tick(T0 + 5_000)), [("products", vec!["sizes"])]);
}

#[test]
fn a_page_shown_again_from_the_back_forward_cache_is_a_new_visit() {
    let mut e = engine();
    e.handle(Event::page_view("/products/mug", ""), T0);
    // The same address again is the same visit...
    e.handle(Event::page_view("/products/mug", ""), T0 + 1_000);
    // ...unless the visitor left and the browser restored the page.
    e.handle(Event::PageHide, T0 + 2_000);
    e.leave_page(T0 + 60_000);
    e.handle(Event::page_view("/products/mug", ""), T0 + 60_000);
    let views: Vec<&str> = e
        .journey()
        .steps()
        .iter()
        .filter(|s| s.kind == StepKind::PageView)
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(views, ["/products/mug", "/products/mug"]);
    // The dwell counted while it was shown, not while it sat in the cache.
    let dwell = e
        .journey()
        .pages()
        .iter()
        .find(|p| p.path == "/products/mug")
        .map(|p| p.dwell_ms);
    assert_eq!(dwell, Some(2_000));
}

#[test]
fn a_trigger_fires_once_per_session_and_the_engine_sleeps_after() {
    let mut e = engine();
    e.handle(Event::page_view("/products/mug", ""), T0);
    assert_eq!(nudges(&e.tick(T0 + 3_000)).len(), 1);
    e.handle(Event::page_view("/", ""), T0 + 4_000);
    e.handle(Event::page_view("/products/mug", ""), T0 + 5_000);
    // "products" already fired; only "anywhere" is still pending.
    assert_eq!(e.next_wake(), Some(T0 + 15_000));
    assert_eq!(nudges(&e.tick(T0 + 15_000)), [("anywhere", vec!["hours"])]);
    // Nothing left to fire: the only wake-up is the idle check, a minute
    // after the last input.
    assert_eq!(e.next_wake(), Some(T0 + 65_000));
    assert!(nudges(&e.tick(T0 + 100_000)).is_empty());
    assert_eq!(e.next_wake(), None);
}

#[test]
fn one_nudge_per_page_view() {
    let mut e = engine();
    e.handle(Event::page_view("/checkout/pay", ""), T0);
    // Both "checkout" and "anywhere" are due at once: the higher priority wins
    // and the other waits for another page.
    assert_eq!(
        nudges(&e.tick(T0 + 10_000)),
        [("checkout", vec!["declined", "methods", "refunds"])]
    );
    assert_eq!(e.next_wake(), Some(T0 + 60_000), "only the idle check");
    assert!(nudges(&e.handle(Event::AnswerOpened("declined".into()), T0 + 11_000)).is_empty());
    e.handle(Event::page_view("/", ""), T0 + 12_000);
    assert_eq!(e.next_wake(), Some(T0 + 22_000));
    assert_eq!(nudges(&e.tick(T0 + 22_000)), [("anywhere", vec!["hours"])]);
}

#[test]
fn no_matching_page_means_no_wake_up() {
    let cfg = Config::from_json(
        r#"{"version":1,"triggers":[{"id":"c","when":{"page":"/checkout","dwellSeconds":1},"message":"m","tags":["x"]}]}"#,
    )
    .unwrap();
    let mut e = Engine::new(cfg, Knowledge::default(), "v".into());
    e.handle(Event::page_view("/cart", ""), T0);
    assert_eq!(e.next_wake(), Some(T0 + 60_000), "only the idle check");
}

#[test]
fn handoff_carries_pages_in_order_answers_and_trigger() {
    let mut e = engine();
    e.handle(Event::page_view("https://shop.example/", "Home"), T0);
    e.handle(
        Event::page_view("https://shop.example/products/mug", "Mug"),
        T0 + 1_000,
    );
    e.handle(
        Event::page_view("https://shop.example/checkout/pay", "Pay"),
        T0 + 2_000,
    );
    e.tick(T0 + 12_000);
    e.handle(Event::AnswerOpened("declined".into()), T0 + 13_000);
    let actions = e.handle(
        Event::HandoffRequested {
            message: "Card fails".into(),
            contact: Default::default(),
        },
        T0 + 20_000,
    );
    let payload = actions
        .iter()
        .find_map(|a| match a {
            Action::Handoff(p) => Some(p),
            _ => None,
        })
        .expect("a handoff action");
    let views: Vec<_> = payload
        .journey
        .iter()
        .filter(|s| matches!(s.kind, pathlight::journey::StepKind::PageView))
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(views, ["/", "/products/mug", "/checkout/pay"]);
    assert_eq!(
        payload.trigger.as_ref().map(|t| t.id.as_str()),
        Some("checkout")
    );
    let answers: Vec<_> = payload
        .answers
        .iter()
        .map(|a| (a.id.as_str(), a.opened))
        .collect();
    assert_eq!(
        answers,
        [("declined", true), ("methods", false), ("refunds", false)]
    );
    assert_eq!(payload.id, "v1-1");
    assert_eq!(payload.created_at, "2023-11-14T22:13:40.000Z");
    assert_eq!(
        payload.summary,
        "Viewed 3 pages in 20 s, now on /checkout/pay. Read 'Card declined'. \
         Came from trigger 'checkout'. Asks: \"Card fails\""
    );
}

#[test]
fn snapshot_restores_within_a_session_and_a_new_session_resets_triggers() {
    let mut e = engine();
    e.handle(Event::page_view("/products/mug", ""), T0);
    e.tick(T0 + 3_000);
    let snap = e.snapshot().clone();

    let mut same_session = engine();
    same_session.restore(snap.clone(), T0 + 60_000);
    assert_eq!(same_session.journey().steps().len(), 2);
    same_session.handle(Event::page_view("/products/cup", ""), T0 + 60_000);
    // Already fired this session: not again.
    assert!(nudges(&same_session.tick(T0 + 63_000)).is_empty());

    let mut next_session = Engine::new(config(), answers(), "fresh".into());
    let later = T0 + 3_000 + SESSION_TIMEOUT + 1;
    next_session.restore(snap, later);
    assert_eq!(next_session.visitor_id(), "v1");
    assert_eq!(
        next_session.snapshot().visitor.visits,
        2,
        "a returning visitor"
    );
    assert_eq!(
        next_session.journey().steps().len(),
        2,
        "the journey carries over for the agent"
    );
    next_session.handle(Event::page_view("/products/cup", ""), later);
    assert_eq!(
        nudges(&next_session.tick(later + 3_000)),
        [("products", vec!["sizes"])]
    );
}

#[test]
fn every_config_problem_is_reported_with_its_path() {
    let err = Config::from_json(
        r#"{"version": 2, "trigers": [], "triggers": [
            {"id": "a b", "when": {"page": "checkout", "dwellSeconds": -1, "dwel": 3}, "message": 7, "answers": ["x"]},
            {"id": "a", "when": {}, "message": "m", "priority": 1.5},
            {"id": "a", "when": {"page": "/"}, "message": "m", "tags": "payment"}
        ]}"#,
    )
    .unwrap_err();
    let got: Vec<(String, String)> = err
        .problems()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p.path.clone(),
                p.message.clone()
                    + p.hint
                        .as_deref()
                        .map(|h| format!(" ({h})"))
                        .as_deref()
                        .unwrap_or(""),
            )
        })
        .collect();
    let want = [
        ("/trigers", "unknown key `trigers` (did you mean `triggers`?)"),
        ("/version", "unsupported version 2 (this release reads version 1)"),
        ("/triggers/0/id", "must be 1 to 64 letters, digits, `-`, `_` or `.`"),
        ("/triggers/0/when/dwel", "unknown condition `dwel` (did you mean `dwellSeconds`?)"),
        ("/triggers/0/when/dwellSeconds", "must be a whole number between 0 and 86400"),
        ("/triggers/0/when/page", "a page pattern must start with `/`"),
        ("/triggers/0/message", "expected a string, got a number"),
        ("/triggers/1/when", "needs at least one condition (for example {\"page\": \"/checkout\"})"),
        ("/triggers/1/priority", "must be a whole number between -1000 and 1000"),
        ("/triggers/1", "a trigger needs `answers` or `tags` to choose what to show (add \"answers\": [\"an-answer-id\"])"),
        ("/triggers/2/tags", "expected an array of strings, got a string"),
        ("/triggers/2/id", "duplicate trigger id `a`"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn an_answer_link_the_widget_would_refuse_is_refused_when_validated() {
    for url in ["//evil.example/a", "/\\evil.example", "javascript:x"] {
        let doc = format!(
            r#"{{"version": 1, "answers": [{{"id": "a", "title": "T", "body": "B", "url": {url:?}}}]}}"#
        );
        let err = Knowledge::from_json(&doc).unwrap_err();
        assert_eq!(err.problems().unwrap().0[0].path, "/answers/0/url", "{url}");
    }
    let ok = r#"{"version": 1, "answers": [{"id": "a", "title": "T", "body": "B", "url": "/shipping"}]}"#;
    assert!(Knowledge::from_json(ok).is_ok());
}

#[test]
fn answer_problems_are_reported_with_paths() {
    let err = Knowledge::from_json(
        r#"{"version": 1, "answers": [
            {"id": "a", "title": "T", "body": "B", "url": "javascript:alert(1)"},
            {"id": "a", "title": "T", "body": "B", "pages": ["nope"], "tag": ["x"]},
            {"title": 3}
        ]}"#,
    )
    .unwrap_err();
    let got: Vec<(&str, &str)> = err
        .problems()
        .unwrap()
        .iter()
        .map(|p| (p.path.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "/answers/0/url",
                "must be an http(s) address or a path starting with `/`"
            ),
            ("/answers/1/tag", "unknown key `tag`"),
            ("/answers/1/pages/0", "a page pattern must start with `/`"),
            ("/answers/1/id", "duplicate answer id `a`"),
            ("/answers/2/id", "is required"),
            ("/answers/2/title", "expected a string, got a number"),
            ("/answers/2/body", "is required"),
        ]
    );
}

#[test]
fn invalid_json_is_a_clear_error_not_a_panic() {
    let err = Config::from_json("{\"version\": 1, ").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Pathlight config is invalid: /: is not valid JSON"),
        "{err}"
    );
    let deep = "[".repeat(10_000);
    assert!(Config::from_json(&deep).is_err());
    // Native parsing names deep nesting as the browser and the CLI do.
    let err = Knowledge::from_json(&deep).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("/: is nested too deeply (more than 128 levels)"),
        "{err}"
    );
}

#[test]
fn nudges_rank_by_the_journey_skip_stale_answers_and_speak_the_visitors_language() {
    let config = Config::from_json(
        r#"{"version": 1, "triggers": [
            {"id": "pay", "when": {"page": "/checkout", "formErrors": 1}, "message": "Trouble paying?", "tags": ["payment"]}
        ]}"#,
    )
    .unwrap();
    let answers = Knowledge::from_json(
        r#"{"version": 1, "answers": [
          {"id": "methods", "title": "Which payment methods do you accept?", "body": "Visa.", "tags": ["payment"]},
          {"id": "declined", "title": "Why was my card declined?", "body": "Check the postcode.", "tags": ["payment"],
           "questions": ["my card was declined", "payment refused"],
           "translations": {"he": {"title": "למה הכרטיס שלי נדחה?", "body": "בדקו את המיקוד."}}},
          {"id": "old-promo", "title": "Card declined with the summer promo", "body": "Old.", "tags": ["payment"],
           "reviewedAt": "2020-01-01", "reviewEveryDays": 30},
          {"id": "refunds", "title": "When do refunds arrive?", "body": "5 days.", "tags": ["payment"]}
        ]}"#,
    )
    .unwrap();
    let mut e = Engine::new(config, answers, "v".into());
    e.set_env(pathlight::rules::Env {
        languages: vec!["he-IL".into()],
        ..Default::default()
    });
    e.handle(Event::page_view("/checkout", "Checkout"), T0);
    let actions = e.handle(
        Event::FormError {
            form: "payment".into(),
            field: "Card number".into(),
            message: "Your card was declined".into(),
        },
        T0 + 1_000,
    );
    let nudge = actions
        .iter()
        .find_map(|a| match a {
            Action::ShowNudge(n) => Some(n),
            _ => None,
        })
        .expect("a nudge");
    let ids: Vec<&str> = nudge.answers.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids[0], "declined", "the card-declined answer comes first");
    assert!(
        !ids.contains(&"old-promo"),
        "a stale answer is never proposed"
    );
    assert_eq!(nudge.answers[0].title, "למה הכרטיס שלי נדחה?");
    assert!(!e.panel_answers().iter().any(|a| a.id == "old-promo"));
}

#[test]
fn visitor_searches_rank_answers_flag_stale_ones_and_record_no_results() {
    let answers = Knowledge::from_json(
        r#"{"version": 1, "answers": [
          {"id": "returns", "title": "How do I return a lamp?", "body": "Within 30 days.", "questions": ["send it back", "refund"]},
          {"id": "old-returns", "title": "Return a lamp bought in the 2020 sale", "body": "Old.",
           "expiresAt": "2021-01-01"},
          {"id": "bulbs", "title": "Which bulbs fit?", "body": "E27."}
        ]}"#,
    )
    .unwrap();
    let mut e = Engine::new(Config::default(), answers, "v".into());
    e.handle(Event::page_view("/help", "Help"), T0);
    let (found, _) = e.search("return lamp", T0 + 1_000, 5);
    let ids: Vec<(&str, bool)> = found
        .iter()
        .map(|r| (r.answer.id.as_str(), r.stale))
        .collect();
    assert_eq!(ids[0], ("returns", false));
    assert!(
        ids.contains(&("old-returns", true)),
        "stale answers are found, flagged"
    );
    let (none, _) = e.search("warranty xylophone", T0 + 2_000, 5);
    assert!(none.is_empty());
    let kinds: Vec<(StepKind, &str)> = e
        .journey()
        .steps()
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Search | StepKind::SearchNoResults))
        .map(|s| (s.kind, s.detail.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (StepKind::Search, "return lamp"),
            (StepKind::Search, "warranty xylophone"),
            (StepKind::SearchNoResults, "warranty xylophone"),
        ]
    );
}

#[test]
fn the_page_headings_steer_which_answers_the_panel_offers() {
    let answers = Knowledge::from_json(
        r#"{"version": 1, "answers": [
          {"id": "bulbs", "title": "Which bulbs fit?", "body": "E27 bulbs."},
          {"id": "returns", "title": "Returns and refunds", "body": "30 days to send it back."},
          {"id": "delivery", "title": "Delivery times", "body": "2 to 4 days."}
        ]}"#,
    )
    .unwrap();
    let mut e = Engine::new(Config::default(), answers, "v".into());
    e.handle(Event::page_view("/policies", "Our policies"), T0);
    e.handle(
        Event::Headings(vec![
            "Returns & refunds".into(),
            "How to send a lamp back".into(),
        ]),
        T0 + 1,
    );
    assert_eq!(e.panel_answers()[0].id, "returns");
    e.handle(Event::page_view("/shipping", "Shipping"), T0 + 2);
    e.handle(Event::Headings(vec!["Delivery times".into()]), T0 + 3);
    assert_eq!(e.panel_answers()[0].id, "delivery");
}

#[test]
fn a_team_can_keep_stale_answers_out_of_search_too() {
    let doc = |flag: &str| {
        Knowledge::from_json(&format!(
            r#"{{"version": 1, {flag} "answers": [
              {{"id": "old", "title": "Return a lamp", "body": "Old policy.", "expiresAt": "2021-01-01"}}
            ]}}"#
        ))
        .unwrap()
    };
    let mut shown = Engine::new(Config::default(), doc(""), "v".into());
    assert_eq!(shown.search("return lamp", T0, 5).0.len(), 1);
    let mut hidden = Engine::new(
        Config::default(),
        doc(r#""staleInSearch": false,"#),
        "v".into(),
    );
    assert!(hidden.search("return lamp", T0, 5).0.is_empty());
    let err = Knowledge::from_json(r#"{"version": 1, "staleInSearch": "no", "answers": []}"#)
        .unwrap_err();
    assert_eq!(err.problems().unwrap().0[0].path, "/staleInSearch");
}

#[test]
fn one_nudge_per_page_view_even_when_the_clock_is_set_back() {
    // Found by tests/properties.rs: the page view was told apart by time
    // (nudge time >= page start), so a nudge shown after the clock went
    // back looked older than the page, and a second one came on the same
    // page view.
    let config = Config::from_json(
        r#"{"version": 1, "delivery": {"quietSeconds": 0}, "triggers": [
          {"id": "cart", "when": {"page": "/help", "event": "cart"}, "message": "Need help?",
           "answers": ["declined"], "maxPerSession": 5}]}"#,
    )
    .unwrap();
    let mut e = Engine::new(config, answers(), "v1".into());
    let cart = || Event::Custom {
        name: "cart".into(),
        props: Default::default(),
    };
    let min = 60_000;
    e.handle(Event::page_view("/", "Home"), T0);
    e.handle(Event::page_view("/help", "Help"), T0 + 20 * min);
    // The system clock is corrected back by ten minutes, then runs on.
    assert_eq!(nudges(&e.handle(cart(), T0 + 10 * min))[0].0, "cart");
    assert!(nudges(&e.handle(cart(), T0 + 25 * min)).is_empty());
    // A new page view may show it again (the session has had its event).
    let next = e.handle(Event::page_view("/help?again=1", "Help"), T0 + 26 * min);
    assert_eq!(nudges(&next)[0].0, "cart");
}
