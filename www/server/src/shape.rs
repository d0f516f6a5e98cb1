//! Checking the shape of untrusted JSON, with errors that name the field
//! (`payload.contact.channel must be a string`).

use crate::error::ApiError;
use serde_json::{Map, Value};

/// `path.key`, or `key` at the top level.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The value as an object, or 422 `{path} must be an object`.
pub fn object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, ApiError> {
    value.as_object().ok_or_else(|| {
        let name = if path.is_empty() { "the body" } else { path };
        ApiError::unprocessable(format!("{name} must be an object"))
    })
}

/// A required string member.
pub fn string<'a>(
    object: &'a Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<&'a str, ApiError> {
    match object.get(key) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(ApiError::unprocessable(format!(
            "{} must be a string",
            join(path, key)
        ))),
    }
}

/// An optional string member (absent or `null`: `None`).
pub fn optional_string<'a>(
    object: &'a Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<Option<&'a str>, ApiError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::unprocessable(format!(
            "{} must be a string",
            join(path, key)
        ))),
    }
}

/// An optional object member (absent or `null`: `None`).
pub fn optional_object<'a>(
    object: &'a Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(ApiError::unprocessable(format!(
            "{} must be an object",
            join(path, key)
        ))),
    }
}

/// A text a person typed: trimmed, 1 to `max` characters.
pub fn text<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    max: usize,
) -> Result<&'a str, ApiError> {
    let trimmed = string(object, "", key)?.trim();
    let chars = trimmed.chars().count();
    if chars == 0 || chars > max {
        return Err(ApiError::unprocessable(format!(
            "{key} must be 1 to {max} characters after trimming (it has {chars})"
        )));
    }
    Ok(trimmed)
}
