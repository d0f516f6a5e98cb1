//! What the visitor is told about their handoff, and how a transport's
//! reply becomes that: the value an `on('handoff')` handler's promise
//! resolves with, or the JSON a webhook answers with.
//!
//! ```
//! use pathlight::transport::status::{from_reply, Status};
//! use serde_json::json;
//!
//! let s = from_reply(&json!({"status": "queued", "position": 3, "waitSeconds": 240}));
//! assert_eq!(s, Ok(Status::Queued { position: Some(3), wait_seconds: Some(240) }));
//! assert_eq!(from_reply(&json!(null)), Ok(Status::Accepted));
//! assert!(from_reply(&json!({"status": "maybe"})).is_err());
//! ```

use serde::Serialize;
use serde_json::Value;

/// Longest reason shown to the visitor, in characters.
pub const MAX_REASON: usize = 200;

/// Where a handoff stands, as the visitor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum Status {
    /// On its way.
    Sending,
    /// A person has it.
    Accepted,
    /// Waiting for a person; position and expected wait when known.
    #[serde(rename_all = "camelCase")]
    Queued {
        /// 1 means next.
        #[serde(skip_serializing_if = "Option::is_none")]
        position: Option<u32>,
        /// Expected wait in seconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        wait_seconds: Option<u32>,
    },
    /// The team declined it, with their reason (shown to the visitor).
    Rejected {
        /// Why, in the team's words.
        reason: String,
    },
    /// Not delivered yet; it stays in the outbox and is retried.
    Retrying {
        /// The last failure, for the host (not shown to the visitor).
        reason: String,
    },
    /// The conversation opened in the company's chat tool.
    Opened,
    /// Delivery failed for good; the visitor is offered the fallback.
    Failed {
        /// Why, for the host (not shown to the visitor).
        reason: String,
    },
}

impl Status {
    /// Is this the end of the story (nothing more will change it)?
    ///
    /// ```
    /// use pathlight::transport::status::Status;
    /// assert!(Status::Accepted.is_final());
    /// assert!(!Status::Sending.is_final());
    /// ```
    pub fn is_final(&self) -> bool {
        !matches!(self, Status::Sending | Status::Retrying { .. })
    }
}

/// Read a transport's reply. `null`, `undefined` (as `null`), `true` and an
/// object without `status` mean accepted; `{status: "accepted" | "queued" |
/// "rejected", position?, waitSeconds?, reason?}` says more. Anything else
/// is an error message for the host (the caller treats the handoff as
/// accepted, since the handler did receive it).
///
/// ```
/// use pathlight::transport::status::{from_reply, Status};
/// use serde_json::json;
/// assert_eq!(
///     from_reply(&json!({"status": "rejected", "reason": "We are closed on Sundays"})),
///     Ok(Status::Rejected { reason: "We are closed on Sundays".into() })
/// );
/// assert_eq!(
///     from_reply(&json!({"status": "queued", "position": -1})).unwrap_err(),
///     "handoff reply: 'position' must be a whole number from 1"
/// );
/// ```
pub fn from_reply(reply: &Value) -> Result<Status, String> {
    let map =
        match reply {
            Value::Null | Value::Bool(true) => return Ok(Status::Accepted),
            Value::Object(map) => map,
            _ => return Err(
                "handoff reply: expected nothing or an object like {status: 'queued', position: 2}"
                    .into(),
            ),
        };
    let whole = |key: &str, min: u64| -> Result<Option<u32>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| *n >= min)
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| format!("handoff reply: '{key}' must be a whole number from {min}")),
        }
    };
    match map.get("status").map(|s| s.as_str()) {
        None | Some(Some("accepted")) => Ok(Status::Accepted),
        Some(Some("queued")) => Ok(Status::Queued {
            position: whole("position", 1)?,
            wait_seconds: whole("waitSeconds", 0)?,
        }),
        Some(Some("rejected")) => {
            let reason = map
                .get("reason")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .ok_or("handoff reply: a rejection needs a 'reason' to show the visitor")?;
            Ok(Status::Rejected {
                reason: reason.chars().take(MAX_REASON).collect(),
            })
        }
        _ => Err("handoff reply: 'status' must be 'accepted', 'queued' or 'rejected'".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replies() {
        let cases = [
            (json!(true), Ok(Status::Accepted)),
            (json!({}), Ok(Status::Accepted)),
            (json!({"status": "accepted", "extra": 1}), Ok(Status::Accepted)),
            (
                json!({"status": "queued"}),
                Ok(Status::Queued {
                    position: None,
                    wait_seconds: None,
                }),
            ),
            (
                json!({"status": "queued", "waitSeconds": 0}),
                Ok(Status::Queued {
                    position: None,
                    wait_seconds: Some(0),
                }),
            ),
            (
                json!({"status": "queued", "position": 0}),
                Err("handoff reply: 'position' must be a whole number from 1".to_string()),
            ),
            (
                json!({"status": "queued", "position": 1.5}),
                Err("handoff reply: 'position' must be a whole number from 1".to_string()),
            ),
            (
                json!({"status": "rejected"}),
                Err("handoff reply: a rejection needs a 'reason' to show the visitor".to_string()),
            ),
            (
                json!(false),
                Err("handoff reply: expected nothing or an object like {status: 'queued', position: 2}".to_string()),
            ),
            (
                json!({"status": 3}),
                Err("handoff reply: 'status' must be 'accepted', 'queued' or 'rejected'".to_string()),
            ),
        ];
        for (reply, want) in cases {
            assert_eq!(from_reply(&reply), want, "{reply}");
        }
    }

    #[test]
    fn long_reasons_are_cut() {
        let long = "x".repeat(1000);
        let Ok(Status::Rejected { reason }) =
            from_reply(&json!({"status": "rejected", "reason": long}))
        else {
            panic!("expected a rejection");
        };
        assert_eq!(reason.chars().count(), MAX_REASON);
    }

    #[test]
    fn serialises_for_the_host() {
        let s = serde_json::to_value(Status::Queued {
            position: Some(2),
            wait_seconds: None,
        })
        .unwrap_or_default();
        assert_eq!(s, json!({"status": "queued", "position": 2}));
    }
}
