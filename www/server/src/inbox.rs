//! The agent inbox API (`/api/conversations…`, `/api/inbox/events`). Same
//! origin only: it sends no CORS headers, and refuses writes whose `Origin`
//! is another site.

use crate::body::{read_json, MESSAGE_LIMIT};
use crate::chat::{add, path_id, MAX_TEXT};
use crate::conversations::{self, Sender};
use crate::error::ApiError;
use crate::shape;
use crate::sse::{inbox_stream, keep_alive, Change};
use crate::state::AppState;
use crate::time::now_ms;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, Sse};
use axum::Json;
use futures_util::Stream;
use serde_json::{json, Value};
use std::convert::Infallible;
use std::sync::Arc;

/// The longest agent name, in characters.
const MAX_NAME: usize = 64;
/// The name on agent messages that give none.
const DEFAULT_NAME: &str = "Agent";

/// `GET /api/conversations`: every conversation, newest activity first.
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Value>>, ApiError> {
    let items = state.db.call(|conn| Ok(conversations::list(conn)?)).await?;
    Ok(Json(items))
}

/// `GET /api/conversations/{id}`: the list fields, the payload, the messages.
pub async fn detail(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(path)?;
    state
        .db
        .call(move |conn| Ok(conversations::detail(conn, &id)?))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("no conversation with this id"))
}

/// `POST /api/conversations/{id}/messages`: `{"text", "name"?}` from the agent.
pub async fn post_message(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    same_origin(&headers)?;
    let id = path_id(path)?;
    let value = read_json(&headers, body, MESSAGE_LIMIT).await?;
    let object = shape::object(&value, "")?;
    let text = shape::text(object, "text", MAX_TEXT)?.to_owned();
    let name = match shape::optional_string(object, "", "name")?.map(str::trim) {
        None | Some("") => DEFAULT_NAME.to_owned(),
        Some(name) if name.chars().count() > MAX_NAME => {
            return Err(ApiError::unprocessable(format!(
                "name must be at most {MAX_NAME} characters"
            )))
        }
        Some(name) => name.to_owned(),
    };
    add(&state, id, Sender::Agent, Some(name), text, None).await
}

/// `POST /api/conversations/{id}/close` → `{"status": "closed"}` (again
/// when already closed).
pub async fn close(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    same_origin(&headers)?;
    let id = path_id(path)?;
    let conversation: Arc<str> = id.as_str().into();
    let now = now_ms();
    let (item, changed) = state
        .db
        .call(move |conn| Ok(conversations::close(conn, &id, now)?))
        .await?
        .ok_or_else(|| ApiError::not_found("no conversation with this id"))?;
    if changed {
        state.hub.publish(Change::Closed { conversation });
        state.hub.publish(Change::Conversation(Arc::new(item)));
    }
    Ok(Json(json!({ "status": "closed" })))
}

/// `GET /api/inbox/events`: `conversation` and `message` events.
pub async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(inbox_stream(&state.hub)).keep_alive(keep_alive())
}

/// 403 when a browser says the request comes from another origin than the
/// one it is addressed to (a page elsewhere posting to the inbox).
fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.to_str().ok().and_then(|o| {
        o.strip_prefix("http://")
            .or_else(|| o.strip_prefix("https://"))
    });
    match (origin_host, host) {
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => Ok(()),
        _ => Err(ApiError::forbidden(
            "the agent API answers only pages of its own origin",
        )),
    }
}
