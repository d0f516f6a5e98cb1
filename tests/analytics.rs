//! Analytics events and their batching, with an injected clock; and the
//! config sections that turn them (and the built-in chat) on.

use pathlight::analytics::batch::{bodies, Batcher, MAX_BODY, MAX_BUFFERED};
use pathlight::analytics::{envelope, Context, Name, Source, Track};
use pathlight::engine::{NudgeAnswer, SearchResult};
use pathlight::transport::status::Status;
use pathlight::{Config, Nudge};
use serde_json::{json, Value};

fn ctx() -> Context {
    Context {
        visitor_id: "v1".into(),
        session_started: 1_700_000_000_000,
        path: "/checkout".into(),
        title: "Checkout".into(),
        locale: "he".into(),
    }
}

fn result(id: &str, stale: bool) -> SearchResult {
    SearchResult {
        answer: NudgeAnswer {
            id: id.into(),
            title: id.into(),
            body: String::new(),
            url: None,
        },
        stale,
    }
}

#[test]
fn every_event_has_the_segment_shape_and_a_unique_id() {
    let nudge = Nudge {
        trigger_id: "payment-errors".into(),
        message: "m".into(),
        answers: vec![result("card-declined", false).answer],
    };
    let mut tracks = vec![
        Track::trigger_fired(&nudge),
        Track::nudge_shown(&nudge),
        Track::nudge_dismissed("payment-errors"),
        Track::answer_opened(
            "card-declined",
            Source::Nudge,
            Some("payment-errors"),
            false,
        ),
        Track::answer_rated("card-declined", false, Some("payment-errors")),
    ];
    tracks.extend(Track::searched("refund", &[]));
    tracks.push(Track::handoff_started("h1", "chat", Some("payment-errors")));
    tracks.extend(Track::handoff_delivered("h1", &Status::Accepted));
    let names: Vec<Name> = tracks.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        Name::ALL.to_vec(),
        "one builder per documented event"
    );
    let mut ids = std::collections::BTreeSet::new();
    for (seq, t) in tracks.iter().enumerate() {
        let m = envelope(t, &ctx(), 1_700_000_060_000, "load1", seq as u64);
        assert_eq!(m["type"], "track");
        assert_eq!(m["timestamp"], "2023-11-14T22:14:20.000Z");
        assert_eq!(m["properties"]["sessionId"], "v1-1700000000000");
        assert_eq!(m["context"]["locale"], "he");
        assert_eq!(m["context"]["library"]["name"], "pathlight");
        assert!(ids.insert(m["messageId"].as_str().unwrap_or_default().to_string()));
    }
    let opened = envelope(&tracks[3], &ctx(), 0, "l", 0);
    assert_eq!(
        opened["properties"],
        json!({"answerId": "card-declined", "source": "nudge", "triggerId": "payment-errors",
               "stale": false, "sessionId": "v1-1700000000000"})
    );
}

#[test]
fn searches_report_stale_results_and_nothing_found() {
    let found = Track::searched(
        "  holiday shipping ",
        &[result("a", false), result("old", true)],
    );
    assert_eq!(found.len(), 1);
    assert_eq!(
        Value::Object(found[0].properties.clone()),
        json!({"query": "holiday shipping", "results": 2, "staleResults": ["old"]})
    );
    let none = Track::searched("card 4111 1111 1111 1111 refund", &[]);
    let names: Vec<&str> = none.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Help Searched", "Search No Results"]);
    assert_eq!(none[1].properties["query"], "card [card] refund");
}

#[test]
fn only_a_taken_handoff_counts_as_delivered() {
    let kinds = [
        (Status::Sending, None),
        (Status::Retrying { reason: "x".into() }, None),
        (Status::Failed { reason: "x".into() }, None),
        (
            Status::Rejected {
                reason: "closed".into(),
            },
            None,
        ),
        (Status::Accepted, Some("accepted")),
        (
            Status::Queued {
                position: Some(2),
                wait_seconds: None,
            },
            Some("queued"),
        ),
        (Status::Opened, Some("opened")),
    ];
    for (status, want) in kinds {
        let got = Track::handoff_delivered("h", &status);
        assert_eq!(
            got.as_ref().and_then(|t| t.properties["status"].as_str()),
            want,
            "{status:?}"
        );
    }
}

#[test]
fn a_batch_goes_when_full_or_when_its_time_comes() {
    let mut b = Batcher::new(3, 5_000);
    assert_eq!(b.next_wake(), None);
    assert!(b.push(json!(1), 10_000).is_none());
    assert!(b.push(json!(2), 12_000).is_none());
    assert_eq!(b.next_wake(), Some(15_000), "timed from the first event");
    assert!(b.due(14_999).is_none());
    assert_eq!(b.due(15_000), Some(vec![json!(1), json!(2)]));
    assert_eq!(b.next_wake(), None);
    b.push(json!(3), 20_000);
    b.push(json!(4), 20_001);
    assert_eq!(
        b.push(json!(5), 20_002),
        Some(vec![json!(3), json!(4), json!(5)])
    );
    assert!(b.due(u64::MAX).is_none());
}

#[test]
fn a_failed_batch_is_retried_first_and_the_queue_stays_bounded() {
    let mut b = Batcher::new(1_000, 1_000);
    b.push(json!("new"), 0);
    b.requeue(vec![json!("old1"), json!("old2")], 5);
    assert_eq!(b.drain(), vec![json!("old1"), json!("old2"), json!("new")]);
    for i in 0..(MAX_BUFFERED + 40) {
        b.push(json!(i), 0);
    }
    assert_eq!(b.dropped(), 40);
    let kept = b.drain();
    assert_eq!((kept.len(), kept[0].clone()), (MAX_BUFFERED, json!(40)));
}

#[test]
fn bodies_fit_a_beacon_and_keep_every_event_that_fits() {
    let events: Vec<Value> = (0..300)
        .map(|i| json!({"messageId": i, "pad": "x".repeat(i * 7 % 900)}))
        .collect();
    let out = bodies(&events, 0);
    assert!(out.len() > 1);
    let mut seen = Vec::new();
    for body in &out {
        assert!(body.len() <= MAX_BODY);
        let v: Value = serde_json::from_str(body).unwrap_or_default();
        assert_eq!(v["sentAt"], "1970-01-01T00:00:00.000Z");
        for e in v["batch"].as_array().cloned().unwrap_or_default() {
            seen.push(e["messageId"].as_u64().unwrap_or(u64::MAX));
        }
    }
    assert_eq!(seen, (0..300).collect::<Vec<u64>>(), "all, in order, once");
}

fn problems(json: &str) -> Vec<(String, String)> {
    match Config::from_json(json) {
        Ok(_) => Vec::new(),
        Err(pathlight::Error::Config(p)) => p
            .iter()
            .map(|p| (p.path.clone(), p.message.clone()))
            .collect(),
        Err(e) => vec![(String::new(), e.to_string())],
    }
}

#[test]
fn analytics_and_chat_config_are_checked_with_their_paths() {
    let ok = r#"{"version": 1, "triggers": [],
      "handoff": {"webhook": {"url": "/api/handoffs"}, "chat": {"url": "/api/chat/"}},
      "analytics": {"url": "https://collect.example/batch", "segment": true, "flushSeconds": 30}}"#;
    let c = Config::from_json(ok).unwrap_or_default();
    assert_eq!(c.handoff.chat.as_deref(), Some("/api/chat"));
    assert_eq!((c.analytics.flush, c.analytics.batch_size), (30_000, 20));

    let bad = r#"{"version": 1, "triggers": [],
      "handoff": {"chat": {"url": "http://evil.example/chat", "token": 1}},
      "analytics": {"url": "javascript:alert(1)", "segment": "yes", "batchSize": 0}}"#;
    let got = problems(bad);
    let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    for want in [
        "/handoff/chat/token",
        "/handoff/chat/url",
        "/analytics/url",
        "/analytics/segment",
        "/analytics/batchSize",
    ] {
        assert!(paths.contains(&want), "{want} missing from {got:?}");
    }
    let alone =
        problems(r#"{"version": 1, "triggers": [], "handoff": {"chat": {"url": "/api/chat"}}}"#);
    assert_eq!(
        alone,
        [(
            "/handoff/chat".to_string(),
            "needs `handoff.webhook`: the chat continues the conversation the webhook opened"
                .to_string()
        )]
    );
}
