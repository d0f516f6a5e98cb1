//! The built-in chat: visitor messages, event streams with replay, the
//! agent's inbox.

mod common;

use axum::http::StatusCode;
use common::Server;
use serde_json::{json, Value};
use std::time::Duration;

const ID: &str = "fedcba9876543210fedcba9876543210-3";

fn messages_url(id: &str) -> String {
    format!("/api/chat/{id}/messages")
}

fn events_url(id: &str) -> String {
    format!("/api/chat/{id}/events")
}

async fn visitor_says(server: &Server, text: &str) -> i64 {
    let reply = server
        .post_json(&messages_url(ID), &json!({ "text": text }))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["id"].as_i64().expect("an id")
}

#[tokio::test]
async fn visitor_messages_are_stored_once_per_client_id() {
    let server = Server::new("chat-post");
    server.handoff(ID).await;
    let message = json!({ "text": "  Hello?  ", "clientId": "c-1" });
    let first = server.post_json(&messages_url(ID), &message).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.header("access-control-allow-origin"), Some("*"));
    let body = first.json();
    assert!(
        body["id"].as_i64().is_some_and(|id| id > 0) && body["at"].as_i64().is_some(),
        "{body}"
    );

    let again = server.post_json(&messages_url(ID), &message).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json(), body, "the first message");

    let detail = server.get(&format!("/api/conversations/{ID}")).await.json();
    assert_eq!(
        detail["messages"],
        json!([{ "id": body["id"], "from": "visitor", "text": "Hello?", "at": body["at"] }])
    );
    assert_eq!(detail["waiting"], true);
}

#[tokio::test]
async fn bad_messages_are_refused() {
    let server = Server::new("chat-errors");
    server.handoff(ID).await;
    let unknown = server
        .post_json(&messages_url("no-such-handoff"), &json!({ "text": "hi" }))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error(), "no conversation with this id");

    let blank = server
        .post_json(&messages_url(ID), &json!({ "text": "   " }))
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        blank.error(),
        "text must be 1 to 2000 characters after trimming (it has 0)"
    );

    let long = server
        .post_json(&messages_url(ID), &json!({ "text": "é".repeat(2001) }))
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let just_right = server
        .post_json(&messages_url(ID), &json!({ "text": "é".repeat(2000) }))
        .await;
    assert_eq!(
        just_right.status,
        StatusCode::CREATED,
        "2,000 characters (4,000 bytes) fit"
    );

    let missing = server
        .post_json(&messages_url(ID), &json!({ "message": "hi" }))
        .await;
    assert_eq!(missing.error(), "text must be a string");

    let client = server
        .post_json(
            &messages_url(ID),
            &json!({ "text": "hi", "clientId": "c".repeat(65) }),
        )
        .await;
    assert_eq!(client.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(client.error(), "clientId must be 1 to 64 characters");

    let big = server
        .post_json(&messages_url(ID), &json!({ "text": "x".repeat(9000) }))
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(big.error(), "the body is larger than 8 KiB");

    let events = server.get(&events_url("no-such-handoff")).await;
    assert_eq!(events.status, StatusCode::NOT_FOUND);
    assert_eq!(events.error(), "no conversation with this id");

    let (status, _) = server
        .stream(&events_url(ID), &[("last-event-id", "seven")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_stream_replays_only_messages_after_the_last_event_id() {
    let server = Server::new("chat-replay");
    server.handoff(ID).await;
    server.handoff("another-handoff").await;
    let a = visitor_says(&server, "one").await;
    // A message elsewhere takes an id in between: it must not leak here.
    let other = server
        .post_json(
            &messages_url("another-handoff"),
            &json!({ "text": "not yours" }),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED);
    let b = visitor_says(&server, "two").await;
    let c = visitor_says(&server, "three").await;

    let (status, mut stream) = server
        .stream(&events_url(ID), &[("last-event-id", &a.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK);
    let events = stream.next(2).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].event, "message");
    assert_eq!(events[0].id.as_deref(), Some(b.to_string().as_str()));
    assert_eq!(events[0].json()["text"], "two");
    assert_eq!(events[0].json()["from"], "visitor");
    assert_eq!(
        events[0].json().get("name"),
        None,
        "no name on visitor messages"
    );
    assert_eq!(events[1].id.as_deref(), Some(c.to_string().as_str()));
    assert!(
        stream.quiet(Duration::from_millis(100)).await,
        "nothing else"
    );

    let (_, mut stream) = server
        .stream(&format!("{}?after={b}", events_url(ID)), &[])
        .await;
    let events = stream.next(1).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].json()["text"], "three");

    let (_, mut stream) = server.stream(&events_url(ID), &[]).await;
    let events = stream.next(3).await;
    let texts: Vec<Value> = events.iter().map(|e| e.json()["text"].clone()).collect();
    assert_eq!(texts, [json!("one"), json!("two"), json!("three")]);
}

#[tokio::test]
async fn the_agent_reply_reaches_the_visitor_live_and_in_the_replay() {
    let server = Server::new("chat-agent");
    server.handoff(ID).await;
    visitor_says(&server, "Anyone?").await;

    let (status, mut live) = server.stream(&events_url(ID), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(live.one().await.json()["text"], "Anyone?");

    let reply = server
        .post_json(
            &format!("/api/conversations/{ID}/messages"),
            &json!({ "text": "Hi! I'm here.", "name": "Dana" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let reply = reply.json();

    let event = live.one().await;
    assert_eq!(event.event, "message");
    assert_eq!(event.id, Some(reply["id"].to_string()));
    assert_eq!(
        event.json(),
        json!({ "id": reply["id"], "from": "agent", "name": "Dana", "text": "Hi! I'm here.", "at": reply["at"] })
    );

    let (_, mut replay) = server.stream(&events_url(ID), &[]).await;
    let events = replay.next(2).await;
    assert_eq!(events[1].json()["name"], "Dana");

    let item = &server.get("/api/conversations").await.json()[0];
    assert_eq!(item["lastMessage"]["from"], "agent");
    assert_eq!(item["waiting"], false);

    let closed = server
        .post(
            &format!("/api/conversations/{ID}/close"),
            "application/json",
            &[],
            "",
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(closed.json(), json!({ "status": "closed" }));
    let event = live.one().await;
    assert_eq!(
        (event.event.as_str(), event.data.as_str()),
        ("closed", "{}")
    );
    // A stream opened later learns it too, after the replay.
    let (_, mut late) = server.stream(&events_url(ID), &[]).await;
    assert_eq!(late.next(3).await[2].event, "closed");
    assert_eq!(
        server.get("/api/conversations").await.json()[0]["status"],
        "closed"
    );

    // The visitor writing again reopens it.
    visitor_says(&server, "One more thing").await;
    assert_eq!(
        server.get("/api/conversations").await.json()[0]["status"],
        "open"
    );
}

#[tokio::test]
async fn the_inbox_stream_tells_of_new_conversations_and_messages() {
    let server = Server::new("inbox-events");
    let (status, mut inbox) = server.stream("/api/inbox/events", &[]).await;
    assert_eq!(status, StatusCode::OK);

    server.handoff(ID).await;
    let event = inbox.one().await;
    assert_eq!(event.event, "conversation");
    assert_eq!(event.json()["id"], ID);
    assert_eq!(event.json()["status"], "open");

    let id = visitor_says(&server, "Hello").await;
    let events = inbox.next(2).await;
    assert_eq!(events[0].event, "message");
    assert_eq!(events[0].json()["conversation"], ID);
    assert_eq!(events[0].json()["message"]["id"], id);
    assert_eq!(events[0].json()["message"]["text"], "Hello");
    assert_eq!(events[1].event, "conversation");
    assert_eq!(events[1].json()["lastMessage"]["text"], "Hello");
    assert_eq!(events[1].json()["waiting"], true);
}

#[tokio::test]
async fn the_agent_api_refuses_other_origins() {
    let server = Server::new("inbox-origin");
    server.handoff(ID).await;
    let body = json!({ "text": "hi" }).to_string();
    let url = format!("/api/conversations/{ID}/messages");
    let foreign = server
        .post(
            &url,
            "text/plain",
            &[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:8080"),
            ],
            body.clone(),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let own = server
        .post(
            &url,
            "application/json",
            &[
                ("origin", "http://127.0.0.1:8080"),
                ("host", "127.0.0.1:8080"),
            ],
            body,
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED);
    let unknown = server.get("/api/conversations/nope").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let close_unknown = server
        .post("/api/conversations/nope/close", "application/json", &[], "")
        .await;
    assert_eq!(close_unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stream_that_falls_behind_catches_up_from_the_database() {
    let server = Server::new("chat-lag");
    server.handoff(ID).await;
    let (_, mut stream) = server.stream(&events_url(ID), &[]).await;
    // More changes than the hub holds (each message is two: the message
    // and the conversation's new list item) while nobody reads the stream.
    let mut ids = Vec::new();
    for i in 0..300 {
        ids.push(visitor_says(&server, &format!("m{i}")).await);
    }
    let events = stream.next(300).await;
    let got: Vec<i64> = events
        .iter()
        .map(|e| e.json()["id"].as_i64().expect("an id"))
        .collect();
    assert_eq!(got, ids, "every message once, in order");
    assert!(stream.quiet(Duration::from_millis(100)).await);
}
