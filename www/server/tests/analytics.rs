//! POST /api/analytics and GET /api/analytics/summary.

mod common;

use axum::http::StatusCode;
use common::{iso, Server};
use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .expect("after 1970")
}

/// A `track` event an hour ago.
fn track(n: usize, session: &str, event: &str, properties: Value) -> Value {
    let mut properties = properties;
    properties["sessionId"] = json!(session);
    json!({
        "type": "track",
        "event": event,
        "messageId": format!("m-{n}"),
        "anonymousId": "visitor-1",
        "timestamp": iso(now_ms() - 3_600_000),
        "properties": properties,
        "context": { "page": { "path": "/checkout", "title": "Checkout" }, "locale": "en" }
    })
}

fn batch(events: Vec<Value>) -> Value {
    json!({ "batch": events, "sentAt": iso(now_ms()) })
}

#[tokio::test]
async fn events_are_kept_once_per_message_id() {
    let server = Server::new("analytics-dedupe");
    let events = vec![
        track(
            1,
            "s1",
            "Trigger Fired",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        track(
            2,
            "s1",
            "Nudge Shown",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        track(3, "s1", "Nudge Dismissed", json!({ "triggerId": "t1" })),
    ];
    let first = server
        .post_json("/api/analytics", &batch(events.clone()))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!(first.json(), json!({ "accepted": 3 }));
    assert_eq!(first.header("access-control-allow-origin"), Some("*"));

    // A retried batch, as a beacon, with one new event.
    let mut retried = events;
    retried.push(track(
        4,
        "s1",
        "Trigger Fired",
        json!({ "triggerId": "t1" }),
    ));
    let again = server
        .post(
            "/api/analytics",
            "text/plain;charset=UTF-8",
            &[],
            batch(retried).to_string(),
        )
        .await;
    assert_eq!(again.json(), json!({ "accepted": 1 }));

    let summary = server.get("/api/analytics/summary").await.json();
    assert_eq!(summary["events"], 4);
    assert_eq!(
        summary["funnel"][0],
        json!({ "step": "Trigger fired", "count": 2 })
    );
}

#[tokio::test]
async fn the_summary_counts_a_hand_made_batch() {
    let server = Server::new("analytics-summary");
    let mut n = 0;
    let mut e = |session: &str, event: &str, properties: Value| {
        n += 1;
        track(n, session, event, properties)
    };
    let events = vec![
        // s1: nudged, opened, helpful: served itself.
        e(
            "s1",
            "Trigger Fired",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        e(
            "s1",
            "Nudge Shown",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        e(
            "s1",
            "Answer Opened",
            json!({ "answerId": "a1", "source": "nudge", "triggerId": "t1", "stale": false }),
        ),
        e(
            "s1",
            "Answer Rated",
            json!({ "answerId": "a1", "helpful": true, "triggerId": "t1" }),
        ),
        // s2: nudged, opened, unhelpful, handed off.
        e(
            "s2",
            "Trigger Fired",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        e(
            "s2",
            "Nudge Shown",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        e(
            "s2",
            "Answer Opened",
            json!({ "answerId": "a1", "source": "nudge", "triggerId": "t1", "stale": false }),
        ),
        e(
            "s2",
            "Answer Rated",
            json!({ "answerId": "a1", "helpful": false, "triggerId": "t1" }),
        ),
        e(
            "s2",
            "Handoff Started",
            json!({ "handoffId": "h2", "channel": "chat", "triggerId": "t1" }),
        ),
        e(
            "s2",
            "Handoff Delivered",
            json!({ "handoffId": "h2", "status": "queued" }),
        ),
        // s3: dismissed t2, then opened a stale answer from the panel.
        e(
            "s3",
            "Trigger Fired",
            json!({ "triggerId": "t2", "answerIds": ["a2"] }),
        ),
        e(
            "s3",
            "Nudge Shown",
            json!({ "triggerId": "t2", "answerIds": ["a2"] }),
        ),
        e("s3", "Nudge Dismissed", json!({ "triggerId": "t2" })),
        e(
            "s3",
            "Answer Opened",
            json!({ "answerId": "a2", "source": "panel", "stale": true }),
        ),
        // s4: searched, found nothing (twice, differently typed), asked a person.
        e(
            "s4",
            "Help Searched",
            json!({ "query": "refund", "results": 2, "staleResults": ["a2", "a3"] }),
        ),
        e("s4", "Search No Results", json!({ "query": "  Refund " })),
        e("s4", "Search No Results", json!({ "query": "refund" })),
        e("s4", "Search No Results", json!({ "query": "Shipping" })),
        e(
            "s4",
            "Handoff Started",
            json!({ "handoffId": "h4", "channel": "email", "triggerId": null }),
        ),
        // s5, s6: nudged by t1, did not open.
        e(
            "s5",
            "Trigger Fired",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        e(
            "s5",
            "Nudge Shown",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        e(
            "s6",
            "Trigger Fired",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
        e(
            "s6",
            "Nudge Shown",
            json!({ "triggerId": "t1", "answerIds": ["a1"] }),
        ),
    ];
    let mut old = track(999, "s7", "Trigger Fired", json!({ "triggerId": "t1" }));
    old["timestamp"] = json!("2020-01-01T00:00:00.000Z");
    let mut all = events.clone();
    all.push(old);
    let reply = server.post_json("/api/analytics", &batch(all)).await;
    assert_eq!(reply.json(), json!({ "accepted": events.len() + 1 }));

    let summary = server.get("/api/analytics/summary?days=30").await.json();
    assert_eq!(
        summary["events"],
        events.len(),
        "the 2020 event is outside the window"
    );
    assert_eq!(
        summary["funnel"],
        json!([
            { "step": "Trigger fired", "count": 5 },
            { "step": "Nudge shown", "count": 5 },
            { "step": "Answer opened", "count": 3 },
            { "step": "Rated helpful", "count": 1 },
            { "step": "Handoff", "count": 2 },
        ])
    );
    let resolution = &summary["resolution"];
    assert_eq!(resolution["sessions"], 3);
    assert_eq!(resolution["selfServed"], 2);
    assert_eq!(resolution["handedOff"], 1);
    assert_eq!(resolution["rate"].as_f64(), Some(2.0 / 3.0));
    assert_eq!(
        summary["triggers"],
        json!([
            { "id": "t1", "fired": 4, "shown": 4, "opened": 2, "helpful": 1, "unhelpful": 1,
              "dismissed": 0, "handoffs": 1, "conversion": 0.5 },
            { "id": "t2", "fired": 1, "shown": 1, "opened": 0, "helpful": 0, "unhelpful": 0,
              "dismissed": 1, "handoffs": 0, "conversion": 0.0 },
        ])
    );
    assert_eq!(
        summary["noResults"],
        json!([{ "query": "refund", "count": 2 }, { "query": "shipping", "count": 1 }])
    );
    assert_eq!(
        summary["stale"],
        json!([
            { "answerId": "a2", "opened": 1, "inResults": 1 },
            { "answerId": "a3", "opened": 0, "inResults": 1 },
        ])
    );
    assert_eq!(
        server.get("/api/analytics/summary").await.json(),
        summary,
        "30 days by default"
    );
}

#[tokio::test]
async fn bad_batches_and_windows_are_refused() {
    let server = Server::new("analytics-errors");
    let many: Vec<Value> = (0..101)
        .map(|i| track(i, "s", "Nudge Shown", json!({})))
        .collect();
    let reply = server.post_json("/api/analytics", &batch(many)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error(), "the batch has 101 events; at most 100");

    let reply = server
        .post_json("/api/analytics", &json!({ "batch": {} }))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error(), "batch must be an array");

    let mut bad = track(2, "s", "Nudge Shown", json!({}));
    bad.as_object_mut().expect("object").remove("messageId");
    let reply = server
        .post_json(
            "/api/analytics",
            &batch(vec![track(1, "s", "Nudge Shown", json!({})), bad]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error(), "batch[1].messageId must be a string");

    let mut bad = track(3, "s", "Nudge Shown", json!({}));
    bad["timestamp"] = json!("last tuesday");
    let reply = server.post_json("/api/analytics", &batch(vec![bad])).await;
    assert_eq!(
        reply.error(),
        "batch[0].timestamp must be an ISO-8601 date-time"
    );

    let reply = server
        .post("/api/analytics", "text/plain", &[], "{\"batch\": [")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.error().starts_with("malformed JSON: "),
        "{}",
        reply.error()
    );

    let reply = server
        .post(
            "/api/analytics",
            "application/json",
            &[],
            format!("{{\"batch\": [], \"pad\": \"{}\"}}", " ".repeat(65 * 1024)),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);

    for days in ["0", "366", "-1", "week"] {
        let reply = server
            .get(&format!("/api/analytics/summary?days={days}"))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{days}");
        assert_eq!(reply.error(), "days must be a whole number from 1 to 365");
    }
    assert_eq!(
        server.get("/api/analytics/summary?days=365").await.status,
        StatusCode::OK
    );
    // Nothing was stored by the refused batches.
    assert_eq!(
        server.get("/api/analytics/summary").await.json()["events"],
        0
    );
}
