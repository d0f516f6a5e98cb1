//! The built-in chat, visitor side (`/api/chat/{handoffId}/…`). The handoff
//! id is the visitor's capability: only their browser knows it.

use crate::body::{read_json, MESSAGE_LIMIT};
use crate::conversations::{self, Added, Sender, Status};
use crate::error::ApiError;
use crate::shape;
use crate::sse::{keep_alive, Change, VisitorFeed};
use crate::state::AppState;
use crate::time::now_ms;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, Sse};
use axum::Json;
use futures_util::Stream;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

/// The longest message, in characters after trimming.
pub const MAX_TEXT: usize = 2000;
/// The longest `clientId`, in characters.
const MAX_CLIENT_ID: usize = 64;

/// The path's id, or a JSON 400.
pub(crate) fn path_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id)
        .map_err(|e| ApiError::bad_request(format!("malformed path: {e}")))
}

fn no_conversation() -> ApiError {
    ApiError::not_found("no conversation with this id")
}

/// `GET /api/chat/{id}/events`: the messages after `Last-Event-ID` (or
/// `?after=`), then new ones as they happen.
pub async fn events(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id = path_id(path)?;
    let query = query.map_err(|e| ApiError::bad_request(format!("malformed query string: {e}")))?;
    let after = match headers.get("last-event-id") {
        Some(value) => parse_after(value.to_str().ok(), "Last-Event-ID")?,
        None => match query.get("after") {
            Some(value) => parse_after(Some(value), "after")?,
            None => 0,
        },
    };
    let mut feed = VisitorFeed::subscribe(&state.hub, &state.db, &id);
    let (status, messages) = state
        .db
        .call(move |conn| {
            let status = conversations::status(conn, &id)?.ok_or_else(no_conversation)?;
            Ok((status, conversations::messages_after(conn, &id, after)?))
        })
        .await?;
    feed.replay(after, &messages, status == Status::Closed);
    Ok(Sse::new(feed.into_stream()).keep_alive(keep_alive()))
}

/// A message id the client last saw (empty: none).
fn parse_after(value: Option<&str>, name: &str) -> Result<i64, ApiError> {
    let value = value.map(str::trim);
    match value {
        Some("") => Some(0),
        Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 0),
        None => None,
    }
    .ok_or_else(|| {
        ApiError::bad_request(format!(
            "{name} must be a message id (a whole number, 0 or more)"
        ))
    })
}

/// `POST /api/chat/{id}/messages`: `{"text", "clientId"?}` from the visitor.
pub async fn post_message(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = path_id(path)?;
    let value = read_json(&headers, body, MESSAGE_LIMIT).await?;
    let object = shape::object(&value, "")?;
    let text = shape::text(object, "text", MAX_TEXT)?.to_owned();
    let client_id = shape::optional_string(object, "", "clientId")?.map(str::to_owned);
    if client_id
        .as_deref()
        .is_some_and(|c| c.is_empty() || c.chars().count() > MAX_CLIENT_ID)
    {
        return Err(ApiError::unprocessable(format!(
            "clientId must be 1 to {MAX_CLIENT_ID} characters"
        )));
    }
    add(&state, id, Sender::Visitor, None, text, client_id).await
}

/// Stores a message and tells the streams: 201 `{id, at}`, or 200 with the
/// first message for a repeated `clientId`.
pub(crate) async fn add(
    state: &AppState,
    id: String,
    sender: Sender,
    name: Option<String>,
    text: String,
    client_id: Option<String>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let conversation: Arc<str> = id.as_str().into();
    let now = now_ms();
    let added = state
        .db
        .call(move |conn| {
            Ok(conversations::add_message(
                conn,
                &id,
                sender,
                name.as_deref(),
                &text,
                client_id.as_deref(),
                now,
            )?)
        })
        .await?;
    match added {
        Added::NotFound => Err(no_conversation()),
        Added::Duplicate(first) => Ok((
            StatusCode::OK,
            Json(json!({ "id": first.id, "at": first.at })),
        )),
        Added::New { message, item } => {
            let reply = json!({ "id": message.id, "at": message.at });
            state.hub.publish(Change::Message {
                conversation,
                message,
            });
            state.hub.publish(Change::Conversation(Arc::new(item)));
            Ok((StatusCode::CREATED, Json(reply)))
        }
    }
}
