//! Reading a request body as JSON, within a size limit.

use crate::error::ApiError;
use axum::body::Body;
use axum::http::{header, HeaderMap};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::Value;

/// The largest handoff payload (a payload must fit in one beacon).
pub const HANDOFF_LIMIT: usize = 64 * 1024;
/// The largest analytics batch.
pub const ANALYTICS_LIMIT: usize = 64 * 1024;
/// The largest chat message body.
pub const MESSAGE_LIMIT: usize = 8 * 1024;

/// The body as JSON. It must be `application/json` (or `…+json`) or
/// `text/plain` (what beacons and preflight-free requests send): 415
/// otherwise; larger than `limit` bytes: 413; not JSON: 400 with serde's
/// message (line and column).
pub async fn read_json(headers: &HeaderMap, body: Body, limit: usize) -> Result<Value, ApiError> {
    check_media_type(headers)?;
    let too_large = || ApiError::too_large(format!("the body is larger than {} KiB", limit / 1024));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<LengthLimitError>() => return Err(too_large()),
        Err(e) => {
            return Err(ApiError::bad_request(format!(
                "could not read the body: {e}"
            )))
        }
    };
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))
}

/// 415 unless the content type is JSON or plain text.
fn check_media_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let refuse = || {
        ApiError::unsupported_media_type(
            "the body must be application/json (or text/plain holding JSON)",
        )
    };
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(refuse)?;
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence == "text/plain"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Ok(())
    } else {
        Err(refuse())
    }
}
