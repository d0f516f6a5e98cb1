//! The handoff payload v1 (issue 7): building it from a journey, the agent
//! summary in two languages, the contact and its channel, redaction of
//! every field, the size bound, the `handoff` config section and the
//! published schemas. Injected clock, no sleeps.

use pathlight::config::{Adapter, AgentLocale, HandoffConfig};
use pathlight::handoff::{
    build, json_size, Channel, Contact, DeviceClass, HandoffInput, HandoffPayload, TriggerRef,
    STEP_KINDS,
};
use pathlight::journey::{Journey, StepKind, Visitor};
use pathlight::rules::{Device, Env};
use pathlight::{Action, Config, Engine, Error, Event, Knowledge};
use serde_json::{json, Map, Value};

mod support;
use support::rng::Rng;

const T0: u64 = 1_700_000_000_000;
const MIN: u64 = 60_000;

fn config(handoff: &str) -> Config {
    Config::from_json(&format!(
        r#"{{
      "version": 1,
      "delivery": {{ "quietSeconds": 0 }},
      "triggers": [
        {{ "id": "payment-errors", "when": {{ "page": "/checkout", "formErrors": {{ "count": 2 }} }},
           "message": "That card was turned down twice.", "answers": ["card-declined", "payment-methods"] }}
      ],
      "handoff": {handoff}
    }}"#
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn knowledge() -> Knowledge {
    Knowledge::from_json(
        r#"{ "version": 1, "answers": [
      { "id": "card-declined", "title": "Why was my card declined?", "body": "Check the postcode." },
      { "id": "payment-methods", "title": "Which payment methods do you accept?", "body": "Visa." }
    ]}"#,
    )
    .unwrap()
}

fn handoff_of(actions: &[Action]) -> Option<&HandoffPayload> {
    actions.iter().find_map(|a| match a {
        Action::Handoff(p) => Some(&**p),
        _ => None,
    })
}

fn card_error() -> Event {
    Event::FormError {
        form: "payment".into(),
        field: "card".into(),
        message: "Card declined".into(),
    }
}

/// Checkout three times, two card errors, the answer read and rated not
/// helpful, a search that found nothing, identify with an email.
fn realistic(handoff: &str) -> Engine {
    let mut e = Engine::new(config(handoff), knowledge(), "v1".into());
    e.set_env(Env {
        device: Device::Mobile,
        languages: vec!["he-IL".into(), "en".into()],
        time_zone: Some("Asia/Jerusalem".into()),
        ..Env::default()
    });
    let shop = |p: &str| format!("https://shop.example{p}");
    e.handle(Event::page_view(&shop("/"), "Home"), T0);
    e.handle(Event::page_view(&shop("/checkout"), "Checkout"), T0 + MIN);
    e.handle(Event::page_view(&shop("/cart"), "Cart"), T0 + 2 * MIN);
    e.handle(
        Event::page_view(&shop("/checkout"), "Checkout"),
        T0 + 3 * MIN,
    );
    let mut attrs = Map::new();
    attrs.insert("email".into(), json!("dana@shop.example"));
    attrs.insert("name".into(), json!("Dana Levi"));
    attrs.insert("plan".into(), json!("pro"));
    attrs.insert("orders".into(), json!(3));
    attrs.insert("vip".into(), json!(false));
    attrs.insert("tags".into(), json!(["a", "b"]));
    e.handle(Event::Identify(attrs), T0 + 3 * MIN + 1_000);
    e.handle(card_error(), T0 + 4 * MIN);
    let nudged = e.handle(card_error(), T0 + 5 * MIN);
    assert!(
        nudged.iter().any(|a| matches!(a, Action::ShowNudge(_))),
        "{nudged:?}"
    );
    e.handle(
        Event::AnswerOpened("card-declined".into()),
        T0 + 5 * MIN + 10_000,
    );
    e.handle(
        Event::AnswerRated {
            id: "card-declined".into(),
            helpful: false,
        },
        T0 + 5 * MIN + 30_000,
    );
    e.search("refund", T0 + 6 * MIN, 5);
    e.handle(Event::page_view(&shop("/cart"), "Cart"), T0 + 8 * MIN);
    e.handle(
        Event::page_view(&shop("/checkout"), "Checkout"),
        T0 + 9 * MIN,
    );
    e
}

fn ask(e: &mut Engine, contact: Contact) -> HandoffPayload {
    let actions = e
        .request_handoff("My card keeps failing", contact, T0 + 12 * MIN)
        .unwrap_or_else(|err| panic!("{err}"));
    handoff_of(&actions).expect("a handoff").clone()
}

#[test]
fn a_realistic_journey_makes_a_complete_payload_and_summary() {
    let mut e = realistic("{}");
    let p = ask(&mut e, Contact::new(Channel::Email));

    assert_eq!(p.version, 1);
    assert_eq!(p.id, "v1-1");
    assert_eq!(p.created_at, "2023-11-14T22:25:20.000Z");
    assert_eq!(
        p.summary,
        "Viewed 6 pages in 12 min, /checkout 3 times. 2 form errors: 'Card declined'. \
         Read 'Why was my card declined?' and rated it not helpful. \
         Searched 'refund' with no results. Came from trigger 'payment-errors'. \
         Asks: \"My card keeps failing\""
    );
    assert_eq!(p.summary_locale, AgentLocale::En);

    // The visitor: attributes scrubbed, scalars only; locale, zone, device.
    let v = &p.visitor;
    assert_eq!(v.id, "v1");
    assert_eq!(
        Value::Object(v.attributes.clone()),
        json!({"email": "[email]", "name": "Dana Levi", "plan": "pro", "orders": 3, "vip": false})
    );
    assert_eq!(v.locale, "he-IL");
    assert_eq!(v.time_zone.as_deref(), Some("Asia/Jerusalem"));
    assert_eq!(v.device, DeviceClass::Mobile);

    // The contact: channel honoured, details from identify.
    assert_eq!(p.contact.channel, Channel::Email);
    assert_eq!(p.contact.email.as_deref(), Some("dana@shop.example"));
    assert_eq!(p.contact.name.as_deref(), Some("Dana Levi"));
    assert_eq!(p.contact.phone, None);

    // The journey, with page dwell times.
    let views: Vec<(&str, Option<u64>)> = p
        .journey
        .iter()
        .filter(|s| s.kind == StepKind::PageView)
        .map(|s| (s.path.as_str(), s.dwell_seconds))
        .collect();
    assert_eq!(
        views,
        [
            ("/", Some(60)),
            ("/checkout", Some(60)),
            ("/cart", Some(60)),
            ("/checkout", Some(300)),
            ("/cart", Some(60)),
            ("/checkout", Some(180)),
        ]
    );
    assert_eq!(p.journey.last().map(|s| s.kind), Some(StepKind::Handoff));
    assert_eq!((p.folded_steps, p.folded.len()), (0, 0));

    let trigger = p.trigger.as_ref().expect("the trigger");
    assert_eq!(trigger.id, "payment-errors");
    assert_eq!(trigger.message, "That card was turned down twice.");
    let answers: Vec<_> = p
        .answers
        .iter()
        .map(|a| (a.id.as_str(), a.opened, a.helpful))
        .collect();
    assert_eq!(
        answers,
        [
            ("card-declined", true, Some(false)),
            ("payment-methods", false, None)
        ]
    );
    let searches = serde_json::to_value(&p.searches).unwrap();
    assert_eq!(
        searches,
        json!([{"query": "refund", "at": "2023-11-14T22:19:20.000Z", "results": 0}])
    );
    let errors = serde_json::to_value(&p.form_errors).unwrap();
    assert_eq!(
        errors,
        json!([
            {"at": "2023-11-14T22:17:20.000Z", "path": "/checkout", "field": "payment card", "message": "Card declined"},
            {"at": "2023-11-14T22:18:20.000Z", "path": "/checkout", "field": "payment card", "message": "Card declined"}
        ])
    );
    assert_eq!(p.message, "My card keeps failing");
    assert_eq!(serde_json::to_value(p.consent).unwrap(), json!("granted"));
}

#[test]
fn the_summary_is_written_in_the_agents_language() {
    let mut e = realistic(r#"{"agentLocale": "he"}"#);
    let p = ask(&mut e, Contact::new(Channel::Chat));
    assert_eq!(p.summary_locale, AgentLocale::He);
    assert_eq!(
        p.summary,
        "נצפו 6 עמודים תוך 12 דק׳, /checkout 3 פעמים. 2 שגיאות טופס: 'Card declined'. \
         נקראה התשובה 'Why was my card declined?' ודורגה כלא מועילה. \
         חיפושים ללא תוצאות: 'refund'. מקור: הטריגר 'payment-errors'. \
         הבקשה: \"My card keeps failing\""
    );
    let mut e = realistic(r#"{"agentLocale": "be"}"#);
    let p = ask(&mut e, Contact::new(Channel::Chat));
    assert!(
        p.summary
            .starts_with("Прагляд: 6 старонак за 12 хв, /checkout — 3 разы."),
        "{}",
        p.summary
    );
}

#[test]
fn an_explicit_channel_is_honoured_and_typed_details_win() {
    let mut e = realistic(r#"{"channels": ["chat", "callback"]}"#);
    let mut attrs = Map::new();
    attrs.insert("phone".into(), json!("+1 555 0100"));
    e.handle(Event::Identify(attrs), T0 + 10 * MIN);
    let p = ask(
        &mut e,
        Contact {
            phone: Some(" +44 20 7946 0958\n".into()),
            preferred_time: Some("after 6pm, call 415-555-0132 if busy".into()),
            ..Contact::new(Channel::Callback)
        },
    );
    assert_eq!(p.contact.channel, Channel::Callback);
    assert_eq!(p.contact.phone.as_deref(), Some("+44 20 7946 0958"));
    assert_eq!(p.contact.email.as_deref(), Some("dana@shop.example"));
    assert_eq!(
        p.contact.preferred_time.as_deref(),
        Some("after 6pm, call [phone] if busy")
    );
    assert_eq!(
        serde_json::to_value(&p.contact).unwrap(),
        json!({"channel": "callback", "name": "Dana Levi", "email": "dana@shop.example",
               "phone": "+44 20 7946 0958", "preferredTime": "after 6pm, call [phone] if busy"})
    );
}

#[test]
fn a_channel_the_config_does_not_enable_is_refused_with_a_clear_message() {
    let mut e = realistic("{}");
    let steps = e.journey().steps().len();
    let err = e
        .request_handoff("help", Contact::new(Channel::Sms), T0 + 12 * MIN)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "channel 'sms' is not enabled in handoff.channels; enabled: chat, email"
    );
    assert!(matches!(
        err,
        Error::ChannelDisabled {
            channel: Channel::Sms,
            ..
        }
    ));
    // Through `handle` the event is ignored: no payload, nothing recorded.
    let actions = e.handle(
        Event::HandoffRequested {
            message: "help".into(),
            contact: Contact::new(Channel::Callback),
        },
        T0 + 12 * MIN,
    );
    assert!(handoff_of(&actions).is_none());
    assert_eq!(e.journey().steps().len(), steps);
    assert!(e.check_contact(&Contact::new(Channel::Email)).is_ok());
}

#[test]
fn consent_is_reported_and_denied_consent_leaves_attributes_out() {
    let mut e = Engine::new(config("{}"), knowledge(), "v1".into());
    e.set_consent(pathlight::engine::Consent::Denied, T0);
    let mut attrs = Map::new();
    attrs.insert("email".into(), json!("dana@shop.example"));
    e.handle(Event::Identify(attrs), T0);
    let p = ask(&mut e, Contact::new(Channel::Email));
    assert_eq!(serde_json::to_value(p.consent).unwrap(), json!("denied"));
    assert!(p.visitor.attributes.is_empty());
    assert!(p.journey.is_empty());
    assert_eq!(p.contact.email.as_deref(), Some("dana@shop.example"));
}

const CARD: &str = "4111 1111 1111 1111";
const EMAIL: &str = "leak@evil.example";
const TOKEN: &str = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

fn secret() -> String {
    format!("card {CARD} mail {EMAIL} key {TOKEN}")
}

#[test]
fn every_field_is_scrubbed_except_the_contact_details() {
    let s = secret();
    let mut visitor = Visitor::new("v1".into(), 0);
    visitor.attributes.insert("note".into(), json!(s));
    let mut j = Journey::default();
    j.push(StepKind::PageView, T0, &format!("/{s}"), &s);
    j.push(StepKind::FormError, T0 + 1, "/pay", &format!("{s}: {s}"));
    j.push(StepKind::Search, T0 + 2, "/pay", &s);
    let answers = [pathlight::handoff::AnswerSeen {
        id: "a".into(),
        title: s.clone(),
        trigger_id: "t".into(),
        opened: true,
        helpful: Some(false),
    }];
    let zone = format!("Zone/{EMAIL}");
    let p = build(HandoffInput {
        locale: &s,
        time_zone: Some(&zone),
        answers: &answers,
        trigger: Some(TriggerRef {
            id: "t".into(),
            message: s.clone(),
        }),
        last_search: Some(&s),
        message: &s,
        contact: Contact {
            name: Some(format!("Dana {CARD}")),
            email: Some(EMAIL.into()),
            phone: Some("+44 20 7946 0958".into()),
            preferred_time: Some(s.clone()),
            ..Contact::new(Channel::Callback)
        },
        ..HandoffInput::new("v1-1".into(), &visitor, &j, T0 + 60_000)
    });
    let mut v = serde_json::to_value(&p).unwrap();
    // Each field: scrubbed, not dropped.
    let table = [
        (
            "/visitor/attributes/note",
            &["[card]", "[email]", "[token]"][..],
        ),
        ("/visitor/locale", &["[card]", "[email]"]),
        ("/visitor/timeZone", &["[email]"]),
        ("/trigger/message", &["[card]", "[email]", "[token]"]),
        ("/journey/0/path", &["[card]", "[email]", "[token]"]),
        ("/journey/0/detail", &["[card]", "[email]", "[token]"]),
        ("/journey/1/detail", &["[card]", "[email]", "[token]"]),
        ("/formErrors/0/field", &["[card]", "[email]", "[token]"]),
        ("/formErrors/0/message", &["[card]", "[email]", "[token]"]),
        ("/searches/0/query", &["[card]", "[email]", "[token]"]),
        ("/answers/0/title", &["[card]", "[email]", "[token]"]),
        ("/message", &["[card]", "[email]", "[token]"]),
        ("/contact/preferredTime", &["[card]", "[email]", "[token]"]),
        ("/summary", &["[card]", "[email]"]),
    ];
    for (pointer, marks) in table {
        let text = v.pointer(pointer).and_then(Value::as_str).unwrap_or("");
        for mark in marks {
            assert!(text.contains(mark), "{pointer} lacks {mark}: {text:?}");
        }
    }
    // The contact details survive as the visitor gave them...
    assert_eq!(p.contact.email.as_deref(), Some(EMAIL));
    assert_eq!(p.contact.phone.as_deref(), Some("+44 20 7946 0958"));
    assert_eq!(p.contact.name, Some(format!("Dana {CARD}")));
    // ... and nothing else holds a secret.
    let contact = v.get_mut("contact").and_then(Value::as_object_mut).unwrap();
    for k in ["name", "email", "phone"] {
        contact.remove(k);
    }
    let rest = v.to_string();
    for leak in [
        "4111",
        "leak@",
        "evil.example",
        "4eC39HqLyjWDarjtT1zdp7dc",
        "7946",
    ] {
        assert!(!rest.contains(leak), "{leak} in {rest}");
    }
}

#[test]
fn any_journey_fits_max_bytes_and_keeps_its_newest_step() {
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    for round in 0..80 {
        let limit = *rng.pick(&[50, 500, 1000]);
        let mut j = Journey::new(limit);
        let n = rng.below(700) as u64;
        for i in 0..n {
            let kind = *rng.pick(&STEP_KINDS);
            let path = format!("/p{}/{}", rng.below(30), rng.text(20));
            j.push(kind, T0 + i * 1_000, &path, &rng.text(60));
        }
        let answers: Vec<_> = (0..rng.below(80))
            .map(|i| pathlight::handoff::AnswerSeen {
                id: format!("a{i}"),
                title: rng.text(100),
                trigger_id: "t".into(),
                opened: i % 2 == 0,
                helpful: None,
            })
            .collect();
        let mut visitor = Visitor::new("v1".into(), 0);
        for i in 0..rng.below(50) {
            visitor
                .attributes
                .insert(format!("k{i}"), json!(rng.text(300)));
        }
        let message = rng.text(3_000);
        let max = 4096 + rng.below(60_000 - 4096 + 1);
        let p = build(HandoffInput {
            answers: &answers,
            message: &message,
            max_bytes: max,
            contact: Contact {
                name: Some(rng.text(200)),
                preferred_time: Some(rng.text(200)),
                ..Contact::new(Channel::Chat)
            },
            ..HandoffInput::new("v1-1".into(), &visitor, &j, T0 + n * 1_000)
        });
        let text = serde_json::to_string(&p).unwrap();
        assert!(text.len() <= max, "round {round}: {} > {max}", text.len());
        assert_eq!(json_size(&p), text.len());
        if let Some(last) = j.steps().last() {
            let kept = p.journey.last().expect("the newest step is kept");
            assert_eq!(kept.kind, last.kind, "round {round}");
            assert_eq!(kept.at, pathlight::time::iso8601(last.at), "round {round}");
        }
        // Totals stay right: kept + folded = everything, per kind.
        assert_eq!(p.folded_steps, p.folded.values().sum::<u64>());
        for k in STEP_KINDS {
            let kept = p.journey.iter().filter(|s| s.kind == k).count() as u64;
            let folded = p.folded.get(&k).copied().unwrap_or(0);
            assert_eq!(kept + folded, j.count(k), "round {round}: {k:?}");
        }
    }
}

fn long_journey(n: u64) -> Journey {
    let mut j = Journey::new(n as usize);
    for i in 0..n {
        let kind = if i % 3 == 0 {
            StepKind::PageView
        } else {
            StepKind::Click
        };
        j.push(
            kind,
            T0 + i * 1_000,
            &format!("/products/{i}"),
            &"x".repeat(200),
        );
    }
    j
}

#[test]
fn a_long_journey_is_bounded_oldest_steps_first() {
    let j = long_journey(500);
    let visitor = Visitor::new("v1".into(), 0);
    let p = build(HandoffInput {
        max_bytes: 8192,
        message: "Where is my order?",
        ..HandoffInput::new("v1-1".into(), &visitor, &j, T0 + 600_000)
    });
    assert!(json_size(&p) <= 8192);
    // The newest steps are kept, in order, and the message is whole.
    assert_eq!(
        p.journey.last().map(|s| s.path.as_str()),
        Some("/products/499")
    );
    let first = 500 - p.journey.len();
    assert_eq!(p.journey[0].path, format!("/products/{first}"));
    assert_eq!(p.folded_steps as usize, first);
    assert_eq!(p.message, "Where is my order?");
    let pages = p.folded.get(&StepKind::PageView).copied().unwrap_or(0);
    let clicks = p.folded.get(&StepKind::Click).copied().unwrap_or(0);
    assert_eq!(pages + clicks, first as u64);
}

#[test]
fn bounding_is_linear_not_one_reserialisation_per_step() {
    // Folding step by step with a full re-serialisation each time would
    // serialise ~3000 payloads of up to 1 MB here: seconds even in release.
    let j = long_journey(3_000);
    let visitor = Visitor::new("v1".into(), 0);
    let started = std::time::Instant::now();
    let p = build(HandoffInput {
        max_bytes: 4096,
        ..HandoffInput::new("v1-1".into(), &visitor, &j, T0 + 3_000_000)
    });
    let took = started.elapsed();
    assert!(json_size(&p) <= 4096);
    assert!(took.as_millis() < 2_000, "{took:?}");
}

#[test]
fn lists_then_the_message_are_cut_last_newest_kept() {
    let visitor = Visitor::new("v1".into(), 0);
    let mut j = Journey::default();
    for i in 0..40u64 {
        j.push(
            StepKind::FormError,
            T0 + i,
            "/pay",
            &format!("card: error number {i} {}", "y".repeat(150)),
        );
    }
    let bounded = |message: &str| {
        build(HandoffInput {
            max_bytes: 4096,
            message,
            ..HandoffInput::new("v1-1".into(), &visitor, &j, T0 + 100)
        })
    };
    // A short message: steps fold, then the oldest form errors go.
    let p = bounded("Why does my card fail?");
    assert!(json_size(&p) <= 4096);
    assert_eq!(p.journey.len(), 1, "every step but the newest folded");
    assert_eq!(p.folded_steps, 39);
    assert!(!p.form_errors.is_empty() && p.form_errors.len() < 40);
    let last = p.form_errors.last().map(|e| e.message.as_str());
    assert!(last.is_some_and(|m| m.starts_with("error number 39 ")));
    assert_eq!(p.message, "Why does my card fail?");
    // A message too long to fit: the lists go first, then it is cut.
    let long = "ü".repeat(3_000);
    let p = bounded(&long);
    assert!(json_size(&p) <= 4096);
    assert!(p.form_errors.is_empty());
    assert!(p.message.ends_with('…') && p.message.len() > 1_000);
    assert!(long.starts_with(p.message.trim_end_matches('…')));
}

#[test]
fn the_handoff_section_is_validated_with_paths() {
    let err = Config::from_json(
        r#"{"version": 1, "triggers": [], "handoff": {
            "channels": ["chat", "fax", "chat"],
            "agentLocale": "fr",
            "maxBytes": 100,
            "webhook": {"url": "http://shop.example/hook", "timeoutSeconds": 0, "retries": 3},
            "adapter": "intercomm",
            "adapterTimeoutSeconds": 31,
            "fallback": {"email": "nope", "url": "javascript:alert(1)", "phone": "call us"},
            "chanels": []
        }}"#,
    )
    .unwrap_err();
    let got: Vec<(String, String)> = err
        .problems()
        .unwrap()
        .iter()
        .map(|p| {
            let hint = p
                .hint
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            (p.path.clone(), format!("{}{hint}", p.message))
        })
        .collect();
    let want = [
        ("/handoff/chanels", "unknown key `chanels` (did you mean `channels`?)"),
        ("/handoff/channels/1", "unknown value `fax` (use one of: chat, email, sms, callback)"),
        ("/handoff/channels/2", "duplicate channel `chat`"),
        ("/handoff/agentLocale", "unknown value `fr` (did you mean `tr`?)"),
        ("/handoff/maxBytes", "must be between 4096 and 60000"),
        ("/handoff/webhook/retries", "unknown key `retries` (allowed keys: url, timeoutSeconds, maxAttempts, maxAgeHours)"),
        ("/handoff/webhook/url", "is not a webhook address (use https://…, http://localhost… while developing, or a /path on this site)"),
        ("/handoff/adapter", "unknown value `intercomm` (did you mean `intercom`?)"),
        ("/handoff/adapterTimeoutSeconds", "must be between 1 and 30"),
        ("/handoff/fallback/email", "is not an email address"),
        ("/handoff/fallback/phone", "is not a phone number (use digits with optional +, spaces, dashes, dots and parentheses)"),
        ("/handoff/fallback/url", "is not a safe link (use https://…, mailto:, tel: or a /path on this site)"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(p, m)| (p.to_string(), m.to_string()))
        .collect();
    assert_eq!(got, want);

    for (section, path, message) in [
        (
            r#"{"channels": []}"#,
            "/handoff/channels",
            "must enable at least one channel",
        ),
        (
            r#"{"fallback": {}}"#,
            "/handoff/fallback",
            "needs at least one of `email`, `phone` or `url`",
        ),
        (
            r#"{"webhook": {"timeoutSeconds": 5}}"#,
            "/handoff/webhook/url",
            "is required",
        ),
        (
            r#"{"channels": "chat"}"#,
            "/handoff/channels",
            "expected an array of channels, got a string",
        ),
        (r#"[]"#, "/handoff", "expected an object, got an array"),
    ] {
        let err = Config::from_json(&format!(
            r#"{{"version": 1, "triggers": [], "handoff": {section}}}"#
        ))
        .unwrap_err();
        let p = &err.problems().unwrap().0;
        assert_eq!(
            (p[0].path.as_str(), p[0].message.as_str()),
            (path, message),
            "{section}"
        );
    }
}

#[test]
fn a_full_handoff_section_reads_into_typed_fields() {
    let c = config(
        r#"{
        "channels": ["chat", "email", "sms", "callback"],
        "agentLocale": "tr",
        "maxBytes": 60000,
        "webhook": {"url": "https://hooks.shop.example/pathlight", "timeoutSeconds": 3, "maxAttempts": 2, "maxAgeHours": 168},
        "adapter": "helpscout",
        "adapterTimeoutSeconds": 30,
        "fallback": {"email": "help@shop.example", "phone": "+1 555 0100", "url": "https://shop.example/contact"}
    }"#,
    );
    let h = &c.handoff;
    assert_eq!(h.channels, Channel::ALL);
    assert_eq!(h.agent_locale, AgentLocale::Tr);
    assert_eq!(h.max_bytes, 60_000);
    let w = h.webhook.as_ref().unwrap();
    assert_eq!(
        (w.url.as_str(), w.timeout, w.max_attempts, w.max_age),
        (
            "https://hooks.shop.example/pathlight",
            3_000,
            2,
            168 * 3_600_000
        )
    );
    assert_eq!(h.adapter, Some(Adapter::HelpScout));
    assert_eq!(h.adapter_timeout, 30_000);
    let f = h.fallback.as_ref().unwrap();
    assert_eq!(f.email.as_deref(), Some("help@shop.example"));
    assert_eq!(f.phone.as_deref(), Some("+1 555 0100"));
    assert_eq!(f.url.as_deref(), Some("https://shop.example/contact"));
    assert_eq!(config("{}").handoff, HandoffConfig::default());
    for l in [
        "/relative/hook",
        "http://localhost:8787/h",
        "http://127.0.0.1/h",
    ] {
        config(&format!(r#"{{"webhook": {{"url": "{l}"}}}}"#));
    }
}

fn schema(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("schema/{name}.v1.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_schema_step_kinds_are_every_step_kind() {
    let s = schema("handoff");
    let names: Vec<String> = STEP_KINDS
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(strings(&s["$defs"]["stepKind"]["enum"]), names);
    // Every kind round-trips through its serialised name.
    for (k, name) in STEP_KINDS.iter().zip(&names) {
        let back: StepKind = serde_json::from_value(json!(name)).unwrap();
        assert_eq!(back, *k);
    }
    let names: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        strings(&s["properties"]["contact"]["properties"]["channel"]["enum"]),
        names
    );
    let names: Vec<&str> = AgentLocale::ALL.iter().map(|l| l.as_str()).collect();
    assert_eq!(strings(&s["properties"]["summaryLocale"]["enum"]), names);
}

#[test]
fn the_config_schema_lists_every_handoff_key_and_value() {
    use pathlight::config::handoff::{FALLBACK_KEYS, HANDOFF_KEYS, WEBHOOK_KEYS};
    let s = schema("config");
    let h = &s["$defs"]["handoff"];
    let keys = |v: &Value| -> Vec<String> {
        v["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let sorted = |k: &[&str]| {
        let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    };
    let mut got = keys(h);
    got.sort();
    assert_eq!(got, sorted(HANDOFF_KEYS));
    let mut got = keys(&h["properties"]["webhook"]);
    got.sort();
    assert_eq!(got, sorted(WEBHOOK_KEYS));
    let mut got = keys(&h["properties"]["fallback"]);
    got.sort();
    assert_eq!(got, sorted(FALLBACK_KEYS));
    let names: Vec<&str> = Adapter::ALL.iter().map(|a| a.as_str()).collect();
    assert_eq!(strings(&h["properties"]["adapter"]["enum"]), names);
    let names: Vec<&str> = AgentLocale::ALL.iter().map(|l| l.as_str()).collect();
    assert_eq!(strings(&h["properties"]["agentLocale"]["enum"]), names);
    let names: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        strings(&h["properties"]["channels"]["items"]["enum"]),
        names
    );
    assert_eq!(s["properties"]["handoff"]["$ref"], "#/$defs/handoff");
}

/// A structural check of `value` against the schema node `node`: types,
/// enums, constants, required and unknown keys, `$ref`, `oneOf`,
/// `propertyNames`, `additionalProperties` and array items.
fn check(root: &Value, node: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = node["$ref"].as_str() {
        let target = root
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("bad $ref {r}"));
        return check(root, target, value, at, errors);
    }
    if let Some(options) = node["oneOf"].as_array() {
        let fits = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                check(root, o, value, at, &mut e);
                e.is_empty()
            })
            .count();
        if fits != 1 {
            errors.push(format!("{at}: fits {fits} of oneOf"));
        }
    }
    if let Some(c) = node.get("const") {
        if c != value {
            errors.push(format!("{at}: not {c}"));
        }
    }
    if let Some(options) = node["enum"].as_array() {
        if !options.contains(value) {
            errors.push(format!("{at}: {value} not in enum"));
        }
    }
    let type_ok = |t: &str| match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    };
    match &node["type"] {
        Value::String(t) if !type_ok(t) => errors.push(format!("{at}: not {t}")),
        Value::Array(ts) if !ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""))) => {
            errors.push(format!("{at}: not any of {node}"))
        }
        _ => {}
    }
    if let Some(obj) = value.as_object() {
        for r in node["required"].as_array().into_iter().flatten() {
            let r = r.as_str().unwrap();
            if !obj.contains_key(r) {
                errors.push(format!("{at}: missing {r}"));
            }
        }
        for (k, v) in obj {
            let here = format!("{at}/{k}");
            if !node["propertyNames"].is_null() {
                check(root, &node["propertyNames"], &json!(k), &here, errors);
            }
            match node["properties"].get(k) {
                Some(p) => check(root, p, v, &here, errors),
                None => match &node["additionalProperties"] {
                    Value::Bool(false) => errors.push(format!("{here}: not allowed")),
                    Value::Object(_) => {
                        check(root, &node["additionalProperties"], v, &here, errors)
                    }
                    _ => {}
                },
            }
        }
    }
    if let Some(items) = value.as_array() {
        for (i, item) in items.iter().enumerate() {
            if !node["items"].is_null() {
                check(root, &node["items"], item, &format!("{at}/{i}"), errors);
            }
        }
    }
}

#[test]
fn the_payload_matches_its_schema_and_round_trips() {
    let s = schema("handoff");
    let mut e = realistic(r#"{"channels": ["callback"]}"#);
    let p = ask(
        &mut e,
        Contact {
            preferred_time: Some("mornings".into()),
            phone: Some("+1 555 0100".into()),
            ..Contact::new(Channel::Callback)
        },
    );
    let v = serde_json::to_value(&p).unwrap();
    let mut errors = Vec::new();
    check(&s, &s, &v, "", &mut errors);
    assert_eq!(errors, Vec::<String>::new());

    // A bounded payload with folded steps validates too.
    let text = serde_json::to_string(&p).unwrap();
    let back: HandoffPayload = serde_json::from_str(&text).unwrap();
    assert_eq!(back, p);

    let mut j = Journey::new(5);
    for i in 0..20 {
        j.push(StepKind::Click, T0 + i, "/", "Buy");
    }
    let visitor = Visitor::new("v1".into(), 0);
    let p = build(HandoffInput::new("v1-1".into(), &visitor, &j, T0 + 20));
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["foldedSteps"], 15);
    assert_eq!(v["folded"], json!({"click": 15}));
    let mut errors = Vec::new();
    check(&s, &s, &v, "", &mut errors);
    assert_eq!(errors, Vec::<String>::new());
    let back: HandoffPayload = serde_json::from_value(v).unwrap();
    assert_eq!(back, p);

    // The checker does catch what the schema forbids.
    let mut bad = serde_json::to_value(&p).unwrap();
    bad["journey"][0]["kind"] = json!("teleport");
    bad["visitor"]["extra"] = json!(1);
    bad["contact"] = json!({});
    let mut errors = Vec::new();
    check(&s, &s, &bad, "", &mut errors);
    assert_eq!(
        errors,
        [
            "/contact: missing channel",
            "/journey/0/kind: \"teleport\" not in enum",
            "/visitor/extra: not allowed"
        ]
    );
}
