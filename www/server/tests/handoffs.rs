//! POST /api/handoffs: idempotency, beacons, errors, CORS, persistence.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{payload, Server};
use serde_json::json;

const ID: &str = "0123456789abcdef0123456789abcdef-1";

#[tokio::test]
async fn a_new_key_is_queued_and_a_known_key_replays_the_first_answer() {
    let server = Server::new("idempotent");
    let first = server.handoff(ID).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    assert_eq!(
        first.json(),
        json!({ "status": "queued", "position": 1, "waitSeconds": 120, "conversation": ID })
    );
    assert_eq!(first.header("idempotent-replayed"), None);
    assert_eq!(first.header("access-control-allow-origin"), Some("*"));

    let again = server.handoff(ID).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "the same body as the first time");
    assert_eq!(again.header("idempotent-replayed"), Some("true"));

    let list = server.get("/api/conversations").await.json();
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(1),
        "one conversation: {list}"
    );
    let item = &list[0];
    assert_eq!(item["id"], ID);
    assert_eq!(item["summary"], "Card declined twice at checkout.");
    assert_eq!(item["message"], "My card is declined");
    assert_eq!(item["channel"], "chat");
    assert_eq!(item["name"], "Ada");
    assert_eq!(item["email"], "ada@example.com");
    assert_eq!(item["phone"], serde_json::Value::Null);
    assert_eq!(
        item["trigger"],
        json!({ "id": "payment-errors", "message": "Trouble paying?" })
    );
    assert_eq!(item["status"], "open");
    assert_eq!(item["lastMessage"], serde_json::Value::Null);
    assert_eq!(item["waiting"], true);
}

#[tokio::test]
async fn the_position_counts_open_conversations_no_agent_answered() {
    let server = Server::new("position");
    assert_eq!(server.handoff("handoff-a").await.json()["position"], 1);
    assert_eq!(server.handoff("handoff-b").await.json()["position"], 2);
    let reply = server
        .post_json(
            "/api/conversations/handoff-a/messages",
            &json!({ "text": "Hello", "name": "Dana" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let closed = server
        .post(
            "/api/conversations/handoff-b/close",
            "application/json",
            &[],
            "",
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    let third = server.handoff("handoff-c").await.json();
    assert_eq!(third["position"], 1, "a answered, b closed: {third}");
    assert_eq!(third["waitSeconds"], 120);
}

#[tokio::test]
async fn a_beacon_carries_its_key_in_the_query_and_its_json_as_text() {
    let server = Server::new("beacon");
    let reply = server
        .post(
            &format!("/api/handoffs?idempotency_key={ID}"),
            "text/plain;charset=UTF-8",
            &[],
            payload(ID).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["conversation"], ID);
    // The fetch that raced it, with the header, is the same handoff.
    assert_eq!(server.handoff(ID).await.status, StatusCode::OK);
}

#[tokio::test]
async fn bad_requests_get_json_errors_that_say_what_is_wrong() {
    let server = Server::new("errors");
    let key = [("idempotency-key", ID)];

    let mut big = payload(ID);
    big["message"] = json!("x".repeat(70 * 1024));
    let reply = server
        .post("/api/handoffs", "application/json", &key, big.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error(), "the body is larger than 64 KiB");
    assert_eq!(reply.header("content-type"), Some("application/json"));

    // Too large without a Content-Length (a stream) is refused too.
    let chunks = vec![
        Ok::<_, std::io::Error>(vec![b' '; 40 * 1024]),
        Ok(vec![b' '; 40 * 1024]),
    ];
    let streamed = Body::from_stream(futures_util::stream::iter(chunks));
    let reply = server
        .post("/api/handoffs", "application/json", &key, streamed)
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);

    let reply = server
        .post("/api/handoffs", "application/json", &key, "{\"id\": ")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let error = reply.error();
    assert!(
        error.starts_with("malformed JSON: ") && error.contains("line 1 column 7"),
        "{error}"
    );

    let reply = server
        .post(
            "/api/handoffs",
            "application/json",
            &[],
            payload(ID).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.error().contains("Idempotency-Key"),
        "{}",
        reply.error()
    );

    for bad in ["short", "has space in it", &"k".repeat(129)] {
        let reply = server
            .post(
                "/api/handoffs",
                "application/json",
                &[("idempotency-key", bad)],
                "{}",
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            reply.error().contains("8 to 128 characters"),
            "{}",
            reply.error()
        );
    }

    let mut wrong = payload(ID);
    wrong["id"] = json!(42);
    let reply = server
        .post("/api/handoffs", "application/json", &key, wrong.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error(), "payload.id must be a string");

    let mut wrong = payload(ID);
    wrong["contact"]["channel"] = json!("pigeon");
    let reply = server
        .post("/api/handoffs", "application/json", &key, wrong.to_string())
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.error(),
        "payload.contact.channel must be one of chat, email, sms, callback"
    );

    let reply = server
        .post("/api/handoffs", "application/json", &key, "[1, 2]")
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error(), "the payload must be a JSON object");

    let reply = server
        .post(
            "/api/handoffs",
            "application/json",
            &[("idempotency-key", "another-key-1")],
            payload(ID).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error(), "Idempotency-Key must equal payload.id");

    let reply = server
        .post("/api/handoffs", "application/xml", &key, "<handoff/>")
        .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Nothing of that was stored.
    assert_eq!(server.get("/api/conversations").await.json(), json!([]));
}

#[tokio::test]
async fn cors_preflights_and_unknown_api_routes() {
    let server = Server::new("cors");
    let preflight = Request::options("/api/handoffs")
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "POST")
        .body(Body::empty())
        .expect("request");
    let reply = server.send(preflight).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some("content-type, idempotency-key, last-event-id")
    );
    assert_eq!(
        reply.header("access-control-allow-methods"),
        Some("GET, POST, OPTIONS")
    );
    assert_eq!(
        reply.header("access-control-expose-headers"),
        Some("retry-after")
    );

    let chat = server
        .send(
            Request::options("/api/chat/x/messages")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(chat.status, StatusCode::NO_CONTENT);

    // The agent's API is same-origin: no CORS, so other sites cannot read it.
    let inbox = server.get("/api/conversations").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert_eq!(inbox.header("access-control-allow-origin"), None);

    let unknown = server.get("/api/nothing/here").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error(), "no API route GET /api/nothing/here");

    let wrong_method = server.get("/api/handoffs").await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.error(), "method not allowed on this route");
    assert_eq!(
        wrong_method.header("access-control-allow-origin"),
        Some("*")
    );
}

#[tokio::test]
async fn conversations_and_messages_survive_a_restart() {
    let mut server = Server::new("restart");
    assert_eq!(server.handoff(ID).await.status, StatusCode::CREATED);
    let message = json!({ "text": "Still there?", "clientId": "c-1" });
    let posted = server
        .post_json(&format!("/api/chat/{ID}/messages"), &message)
        .await;
    assert_eq!(posted.status, StatusCode::CREATED);

    server.reopen();

    let list = server.get("/api/conversations").await.json();
    assert_eq!(list[0]["id"], ID);
    assert_eq!(list[0]["lastMessage"]["text"], "Still there?");
    assert_eq!(
        server.handoff(ID).await.status,
        StatusCode::OK,
        "the key is still known"
    );
    let again = server
        .post_json(&format!("/api/chat/{ID}/messages"), &message)
        .await;
    assert_eq!(again.status, StatusCode::OK, "the clientId is still known");
    assert_eq!(again.json(), posted.json());
    let detail = server.get(&format!("/api/conversations/{ID}")).await.json();
    assert_eq!(detail["payload"], payload(ID));
    assert_eq!(detail["messages"].as_array().map(Vec::len), Some(1));
}
