//! `POST /api/handoffs`: the SDK's webhook. Stores each handoff once per
//! idempotency key and answers with the visitor's place in the queue.

use crate::body::{read_json, HANDOFF_LIMIT};
use crate::conversations::{self, Handoff};
use crate::error::ApiError;
use crate::shape;
use crate::sse::Change;
use crate::state::AppState;
use crate::time::now_ms;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Stores a handoff (201) or replays the first answer to its key (200).
pub async fn create(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let query = query.map_err(|e| ApiError::bad_request(format!("malformed query string: {e}")))?;
    let key = idempotency_key(&headers, &query)?;
    let payload = read_json(&headers, body, HANDOFF_LIMIT).await?;
    let id = check_payload(&payload)?;
    if id != key {
        return Err(ApiError::unprocessable(
            "Idempotency-Key must equal payload.id",
        ));
    }
    let text = payload.to_string();
    let now = now_ms();
    let stored = state
        .db
        .call(move |conn| Ok(conversations::insert_handoff(conn, &key, &text, now)?))
        .await?;
    Ok(match stored {
        Handoff::New { reply, item } => {
            state.hub.publish(Change::Conversation(Arc::new(item)));
            json_reply(StatusCode::CREATED, reply, false)
        }
        Handoff::Replayed { reply } => json_reply(StatusCode::OK, reply, true),
    })
}

fn json_reply(status: StatusCode, body: String, replayed: bool) -> Response {
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// The `Idempotency-Key` header, else the `idempotency_key` query
/// parameter: 8–128 characters of `[A-Za-z0-9_-]`.
fn idempotency_key(
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<String, ApiError> {
    let key = match headers.get("idempotency-key") {
        Some(value) => value
            .to_str()
            .map_err(|_| ApiError::bad_request("the Idempotency-Key header is not ASCII"))?,
        None => query.get("idempotency_key").map(String::as_str).ok_or_else(|| {
            ApiError::bad_request(
                "an idempotency key is required: the Idempotency-Key header or the idempotency_key query parameter",
            )
        })?,
    };
    let valid = (8..=128).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !valid {
        return Err(ApiError::bad_request(
            "the idempotency key must be 8 to 128 characters of A-Z, a-z, 0-9, _ and -",
        ));
    }
    Ok(key.to_owned())
}

/// Checks the parts of the payload the server reads; returns its id.
fn check_payload(payload: &Value) -> Result<String, ApiError> {
    let p = "payload";
    let object = shape::object(payload, p)
        .map_err(|_| ApiError::unprocessable("the payload must be a JSON object"))?;
    if object.get("version") != Some(&Value::from(1)) {
        return Err(ApiError::unprocessable("payload.version must be 1"));
    }
    let id = shape::string(object, p, "id")?;
    if id.is_empty() {
        return Err(ApiError::unprocessable("payload.id must not be empty"));
    }
    shape::string(object, p, "createdAt")?;
    shape::string(object, p, "summary")?;
    shape::string(object, p, "message")?;
    let contact = object
        .get("contact")
        .ok_or_else(|| ApiError::unprocessable("payload.contact must be an object"))
        .and_then(|c| shape::object(c, "payload.contact"))?;
    let channel = shape::string(contact, "payload.contact", "channel")?;
    if !matches!(channel, "chat" | "email" | "sms" | "callback") {
        return Err(ApiError::unprocessable(
            "payload.contact.channel must be one of chat, email, sms, callback",
        ));
    }
    for key in ["name", "email", "phone", "preferredTime"] {
        shape::optional_string(contact, "payload.contact", key)?;
    }
    match object.get("trigger") {
        Some(Value::Null) => {}
        Some(Value::Object(trigger)) => {
            shape::string(trigger, "payload.trigger", "id")?;
            shape::string(trigger, "payload.trigger", "message")?;
        }
        _ => {
            return Err(ApiError::unprocessable(
                "payload.trigger must be null or an object",
            ))
        }
    }
    Ok(id.to_owned())
}
