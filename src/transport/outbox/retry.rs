//! When to try again: the [`Policy`], the backoff schedule ([`backoff`]) and
//! what an HTTP answer means ([`classify`]).

use super::http_date::parse_retry_after;
use crate::time::{human_duration, Millis};

/// The first retry waits about this long (see [`backoff`]).
pub const BACKOFF_BASE: Millis = 1_000;
/// The backoff window stops doubling here (5 min).
pub const BACKOFF_CAP: Millis = 300_000;
/// No retry is ever scheduled further away than this (1 h), whatever a
/// `Retry-After` asks for; stored times further away are treated as due.
pub const MAX_DELAY: Millis = 3_600_000;

/// How hard the outbox tries to deliver one payload.
///
/// ```
/// use pathlight::transport::outbox::Policy;
/// let p = Policy::default();
/// assert_eq!((p.timeout, p.max_attempts, p.max_age), (10_000, 8, 86_400_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// One attempt is aborted after this long.
    pub timeout: Millis,
    /// Attempts before a payload fails for good.
    pub max_attempts: u32,
    /// A payload older than this fails for good at its next failed attempt.
    pub max_age: Millis,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            timeout: 10_000,
            max_attempts: 8,
            max_age: 86_400_000,
        }
    }
}

/// The wait after the `attempt`-th failed attempt (1-based), with "equal
/// jitter": the window doubles from [`BACKOFF_BASE`] up to [`BACKOFF_CAP`];
/// half of it is fixed and half is scaled by `jitter` (in `[0, 1)`; values
/// outside are clamped, NaN counts as 0). So the wait never drops below half
/// the window (no thundering retries at zero) while tabs that failed
/// together spread out.
///
/// ```
/// use pathlight::transport::outbox::backoff;
/// assert_eq!(backoff(1, 0.0), 500);
/// assert_eq!(backoff(3, 0.5), 3_000); // window 4 s: 2 s + 0.5 × 2 s
/// assert_eq!(backoff(30, 0.0), 150_000); // capped window of 5 min
/// ```
pub fn backoff(attempt: u32, jitter: f64) -> Millis {
    let doublings = attempt.saturating_sub(1).min(30);
    let window = BACKOFF_BASE.saturating_mul(1 << doublings).min(BACKOFF_CAP);
    let half = window / 2;
    let jitter = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    // `half` is at most 150 000, exactly representable as f64.
    let random = (half as f64 * jitter) as Millis;
    half + random.min(half.saturating_sub(1))
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The webhook has the payload.
    Delivered,
    /// Worth trying again: `after` is what `Retry-After` asked for (ms).
    Retry {
        /// The server's `Retry-After`, as a delay in milliseconds.
        after: Option<Millis>,
        /// Why, for people: "the webhook answered 503 Service Unavailable".
        reason: String,
    },
    /// Trying the same request again cannot help.
    Fatal {
        /// Why, for people: "the webhook answered 400 Bad Request".
        reason: String,
    },
}

impl Outcome {
    /// The request never got an answer (offline, DNS, CORS refusal).
    ///
    /// ```
    /// use pathlight::transport::outbox::Outcome;
    /// assert_eq!(
    ///     Outcome::network("Failed to fetch"),
    ///     Outcome::Retry { after: None, reason: "network error (Failed to fetch)".into() }
    /// );
    /// ```
    pub fn network(detail: &str) -> Outcome {
        let reason = if detail.is_empty() {
            "network error".to_owned()
        } else {
            format!("network error ({detail})")
        };
        Outcome::Retry {
            after: None,
            reason,
        }
    }

    /// The attempt was aborted after `timeout` ms.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outcome;
    /// assert_eq!(
    ///     Outcome::timed_out(10_000),
    ///     Outcome::Retry { after: None, reason: "timed out after 10 s".into() }
    /// );
    /// ```
    pub fn timed_out(timeout: Millis) -> Outcome {
        Outcome::Retry {
            after: None,
            reason: format!("timed out after {}", human_duration(timeout)),
        }
    }
}

/// What an HTTP answer means for delivery. 2xx: delivered. 409 Conflict:
/// delivered too (the server already holds a request with this idempotency
/// key). 408, 425, 429 and 5xx: retry, honouring `Retry-After`. Status 0 (an
/// unreadable answer): retry. Other 4xx, and anything else unexpected
/// (1xx, 3xx): fatal.
///
/// ```
/// use pathlight::transport::outbox::{classify, Outcome};
/// assert_eq!(classify(204, None, 0), Outcome::Delivered);
/// assert_eq!(
///     classify(429, Some("30"), 0),
///     Outcome::Retry { after: Some(30_000), reason: "the webhook answered 429 Too Many Requests".into() }
/// );
/// assert_eq!(
///     classify(400, None, 0),
///     Outcome::Fatal { reason: "the webhook answered 400 Bad Request".into() }
/// );
/// ```
pub fn classify(status: u16, retry_after: Option<&str>, now: Millis) -> Outcome {
    match status {
        200..=299 | 409 => Outcome::Delivered,
        0 => Outcome::Retry {
            after: None,
            reason: "the webhook's answer could not be read".to_owned(),
        },
        408 | 425 | 429 | 500..=599 => Outcome::Retry {
            after: retry_after.and_then(|v| parse_retry_after(v, now)),
            reason: answered(status),
        },
        400..=499 => Outcome::Fatal {
            reason: answered(status),
        },
        _ => Outcome::Fatal {
            reason: format!("{}, which is not a success", answered(status)),
        },
    }
}

/// "the webhook answered 503 Service Unavailable".
fn answered(status: u16) -> String {
    match phrase(status) {
        Some(p) => format!("the webhook answered {status} {p}"),
        None => format!("the webhook answered {status}"),
    }
}

/// The standard reason phrase of the statuses a webhook plausibly answers.
fn phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        100 => "Continue",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        511 => "Network Authentication Required",
        _ => return None,
    })
}
