//! `POST /api/analytics` (Segment-style `track` events, kept once per
//! `messageId`) and `GET /api/analytics/summary`.

use crate::body::{read_json, ANALYTICS_LIMIT};
use crate::error::ApiError;
use crate::shape;
use crate::state::AppState;
use crate::summary::{summarize, Row, Summary};
use crate::time::{now_ms, parse_timestamp};
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use rusqlite::params;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The most events in one batch.
pub const MAX_BATCH: usize = 100;
/// The longest event name and `messageId`, in characters.
const MAX_NAME: usize = 200;
const DAY_MS: i64 = 86_400_000;

/// One event, checked and ready to store.
struct Event {
    message_id: String,
    event: String,
    anonymous_id: Option<String>,
    session_id: Option<String>,
    at: i64,
    properties: String,
    context: String,
}

/// Stores a batch: `{"accepted": n}`, n the events not seen before.
pub async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let value = read_json(&headers, body, ANALYTICS_LIMIT).await?;
    let object = shape::object(&value, "")?;
    let batch = match object.get("batch") {
        Some(Value::Array(batch)) => batch,
        _ => return Err(ApiError::unprocessable("batch must be an array")),
    };
    if batch.len() > MAX_BATCH {
        return Err(ApiError::too_large(format!(
            "the batch has {} events; at most {MAX_BATCH}",
            batch.len()
        )));
    }
    shape::optional_string(object, "", "sentAt")?;
    let now = now_ms();
    let events = batch
        .iter()
        .enumerate()
        .map(|(i, event)| check_event(event, &format!("batch[{i}]"), now))
        .collect::<Result<Vec<_>, _>>()?;
    let accepted = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let mut accepted = 0usize;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT OR IGNORE INTO analytics
                       (message_id, event, anonymous_id, session_id, at, properties, context)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for e in &events {
                    accepted += insert.execute(params![
                        e.message_id,
                        e.event,
                        e.anonymous_id,
                        e.session_id,
                        e.at,
                        e.properties,
                        e.context
                    ])?;
                }
            }
            tx.commit()?;
            Ok(accepted)
        })
        .await?;
    Ok(Json(json!({ "accepted": accepted })))
}

fn check_event(value: &Value, path: &str, now: i64) -> Result<Event, ApiError> {
    let object = shape::object(value, path)?;
    if let Some(kind) = shape::optional_string(object, path, "type")? {
        if kind != "track" {
            return Err(ApiError::unprocessable(format!(
                "{path}.type must be \"track\""
            )));
        }
    }
    let name = |key: &str| -> Result<String, ApiError> {
        let s = shape::string(object, path, key)?;
        if s.trim().is_empty() || s.chars().count() > MAX_NAME {
            return Err(ApiError::unprocessable(format!(
                "{path}.{key} must be 1 to {MAX_NAME} characters"
            )));
        }
        Ok(s.to_owned())
    };
    let event = name("event")?;
    let message_id = name("messageId")?;
    let anonymous_id = shape::optional_string(object, path, "anonymousId")?.map(str::to_owned);
    let at = match shape::optional_string(object, path, "timestamp")? {
        None => now,
        Some(t) => parse_timestamp(t).ok_or_else(|| {
            ApiError::unprocessable(format!("{path}.timestamp must be an ISO-8601 date-time"))
        })?,
    };
    let empty = Map::new();
    let properties = shape::optional_object(object, path, "properties")?.unwrap_or(&empty);
    let context = shape::optional_object(object, path, "context")?.unwrap_or(&empty);
    let session_id = properties
        .get("sessionId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(Event {
        message_id,
        event,
        anonymous_id,
        session_id,
        at,
        properties: Value::Object(properties.clone()).to_string(),
        context: Value::Object(context.clone()).to_string(),
    })
}

/// `GET /api/analytics/summary?days=30` (1 to 365).
pub async fn summary(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Summary>, ApiError> {
    let query = query.map_err(|e| ApiError::bad_request(format!("malformed query string: {e}")))?;
    let days = match query.get("days") {
        None => 30,
        Some(d) => d
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| ApiError::bad_request("days must be a whole number from 1 to 365"))?,
    };
    let since = now_ms() - days * DAY_MS;
    let rows = state
        .db
        .call(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT event, session_id, properties FROM analytics WHERE at >= ?1 ORDER BY at, message_id",
            )?;
            let rows = stmt.query_map([since], |r| {
                let properties: String = r.get(2)?;
                Ok(Row {
                    event: r.get(0)?,
                    session_id: r.get(1)?,
                    properties: serde_json::from_str(&properties).unwrap_or(Value::Null),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await?;
    Ok(Json(summarize(&rows)))
}
