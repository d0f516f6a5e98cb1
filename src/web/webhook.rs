//! Handoff delivery to the webhook over `fetch` and `sendBeacon`. What to
//! send, when, and what an answer means is decided by the pure
//! [`crate::transport::outbox`]; this module only performs one request and
//! turns whatever happens into an [`Outcome`]. Nothing here panics or throws
//! into the page.
//!
//! # Driving it (from the runtime)
//!
//! ```text
//! on load:      (outbox, warning) = Outbox::decode(stored); outbox.retry_failed(now); send_due()
//! on handoff:   outbox.push(key, url, body, now)?; save; send_due()
//! send_due():   for key in outbox.due(now) {
//!                   outbox.start(&key, now); save;
//!                   spawn_local(async {
//!                       let answer = webhook::send(url, &key, body, policy.timeout).await;
//!                       match outbox.record(&key, answer.outcome, now(), Math.random()) {
//!                           Report::Delivered => status from answer.reply,
//!                           Report::Failed { reason } => emit 'error' (the payload stays),
//!                           _ => {}
//!                       }
//!                       save; arm the timer for outbox.next_wake()
//!                   })
//!               }
//! on timer:     send_due()
//! on online:    outbox.retry_failed(now); send_due()
//! on pagehide:  keys = outbox.beacon_batch(BEACON_LIMIT);
//!               queued = keys where webhook::beacon(url, key, body);
//!               outbox.mark_beaconed(&queued); save(outbox.encode())
//! on storage:   outbox.merge(&Outbox::decode(new_value).0) → save if true
//! ```
//!
//! Hold no `RefCell` borrow of the outbox across the `await`.
//!
//! # What the webhook's server must do
//!
//! - Deduplicate by key: the `Idempotency-Key` header on `fetch`, the
//!   `idempotency_key` query parameter on beacons (the same value). A
//!   repeated key must not open a second conversation; answering 2xx or 409
//!   to it stops the retries.
//! - Cross-origin: allow `POST` with the `Content-Type` and
//!   `Idempotency-Key` request headers in its CORS preflight, and list
//!   `Retry-After` in `Access-Control-Expose-Headers` (otherwise the browser
//!   hides it and plain backoff applies). Beacons arrive as
//!   `text/plain;charset=UTF-8` whose body is the JSON payload.

use super::convert::error_text;
use super::timer::within;
use crate::time::Millis;
use crate::transport::outbox::{beacon_url, classify, Outcome};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, Blob, BlobPropertyBag, Headers, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<JsValue, JsValue>;
}

/// `fetch(url, init)` as the page has it, which may be a wrapper that
/// throws synchronously or returns something other than a promise: the
/// throw is an `Err`, anything returned is made a promise.
pub fn fetch(url: &str, init: &RequestInit) -> Result<js_sys::Promise, JsValue> {
    global_fetch(url, init).map(|v| js_sys::Promise::resolve(&v))
}

/// [`fetch`], settled within `ms`: the response, or why there is none.
pub async fn fetch_within(url: &str, init: &RequestInit, ms: u32) -> Result<Response, String> {
    let promise = fetch(url, init).map_err(|e| describe(&e))?;
    match within(&promise, ms).await {
        None => Err(format!("no answer within {ms} ms")),
        Some(Err(e)) => Err(describe(&e)),
        Some(Ok(v)) => v
            .dyn_into::<Response>()
            .map_err(|_| "fetch answered something that is not a response".into()),
    }
}

/// The beacon body's type: CORS-safelisted, so a cross-origin beacon is
/// sent without a preflight (an `application/json` beacon is refused).
pub const BEACON_TYPE: &str = "text/plain;charset=UTF-8";

/// POST `body` (JSON) to `url` with `Idempotency-Key: key`, aborted after
/// `timeout` ms, without credentials. The status and `Retry-After` go
/// through [`classify`]; a network failure, an abort or any JS exception
/// becomes [`Outcome::Retry`] with a readable reason. The answer's body is
/// not read (see [`send`] for that).
///
/// ```no_run
/// # async fn demo() {
/// use pathlight::transport::outbox::Outcome;
/// let outcome = pathlight::web::webhook::post(
///     "https://hooks.example/handoff", "h-1", "{\"id\":\"h-1\"}", 10_000,
/// ).await;
/// if let Outcome::Retry { reason, .. } = &outcome {
///     web_sys::console::log_1(&reason.as_str().into());
/// }
/// # }
/// ```
pub async fn post(url: &str, key: &str, body: &str, timeout: Millis) -> Outcome {
    exchange(url, key, body, timeout, false).await.outcome
}

/// The longest 2xx answer body [`send`] returns, in bytes; a longer one is
/// dropped (the payload still counts as delivered).
pub const MAX_REPLY: usize = 16 * 1024;

/// What [`send`] got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// What the attempt came to, as from [`post`].
    pub outcome: Outcome,
    /// The body of a 2xx answer (at most [`MAX_REPLY`] bytes, read within
    /// the same timeout), for `transport::status::from_reply` after
    /// `JSON.parse`-ing it with serde. `None` when empty, unreadable or
    /// too long.
    pub reply: Option<String>,
}

/// Like [`post`], and also read a 2xx answer's body (a webhook may answer
/// with the queue position and expected wait).
///
/// ```no_run
/// # async fn demo() {
/// let answer = pathlight::web::webhook::send(
///     "https://hooks.example/handoff", "h-1", "{\"id\":\"h-1\"}", 10_000,
/// ).await;
/// let _reply: Option<String> = answer.reply;
/// # }
/// ```
pub async fn send(url: &str, key: &str, body: &str, timeout: Millis) -> Answer {
    exchange(url, key, body, timeout, true).await
}

async fn exchange(url: &str, key: &str, body: &str, timeout: Millis, read: bool) -> Answer {
    let failed = |outcome| Answer {
        outcome,
        reply: None,
    };
    // The abort signal frees the connection; the race below is what bounds
    // the wait, so a page's fetch wrapper that ignores the signal (or never
    // settles) times out all the same. Without AbortController, no signal.
    let controller = AbortController::new().ok();
    let init = match request(key, body, controller.as_ref()) {
        Ok(init) => init,
        Err(e) => return failed(Outcome::network(&describe(&e))),
    };
    let delay = u32::try_from(timeout).unwrap_or(u32::MAX);
    let started = js_sys::Date::now();
    let promise = match fetch(url, &init) {
        Ok(p) => p,
        Err(e) => return failed(Outcome::network(&describe(&e))),
    };
    let response = match within(&promise, delay).await {
        Some(Ok(value)) => match value.dyn_into::<Response>() {
            Ok(response) => response,
            Err(_) => {
                return failed(Outcome::network(
                    "fetch answered something that is not a response",
                ))
            }
        },
        None => {
            if let Some(c) = &controller {
                c.abort();
            }
            return failed(Outcome::timed_out(timeout));
        }
        Some(Err(e)) => return failed(Outcome::network(&describe(&e))),
    };
    let status = response.status();
    let retry_after = response.headers().get("Retry-After").ok().flatten();
    let now = js_sys::Date::now() as Millis;
    let outcome = classify(status, retry_after.as_deref(), now);
    let reply = if read && (200..300).contains(&status) {
        let left = (f64::from(delay) - (js_sys::Date::now() - started)).max(0.0) as u32;
        let body = reply(&response, left).await;
        if body.is_none() {
            if let Some(c) = &controller {
                c.abort();
            }
        }
        body
    } else {
        None
    };
    Answer { outcome, reply }
}

/// The answer's body as text, if it is short and arrives within `ms`.
async fn reply(response: &Response, ms: u32) -> Option<String> {
    let promise = response.text().ok()?;
    let text = within(&promise, ms).await?.ok()?.as_string()?;
    (!text.trim().is_empty() && text.len() <= MAX_REPLY).then_some(text)
}

/// The `fetch` options: POST, JSON, the key, no credentials, no keepalive
/// (a keepalive request shares the 64 KiB quota beacons need on
/// `pagehide`), and the abort signal.
fn request(
    key: &str,
    body: &str,
    controller: Option<&AbortController>,
) -> Result<RequestInit, JsValue> {
    let headers = [
        ("Content-Type", "application/json"),
        ("Idempotency-Key", key),
    ];
    let init = post_init(body, &headers, "omit")?;
    if let Some(c) = controller {
        init.set_signal(Some(&c.signal()));
    }
    js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::FALSE)?;
    Ok(init)
}

/// `fetch` options for a POST of `body` with `headers` and `credentials`
/// (`"omit"`, `"same-origin"`): the webhook, the chat and analytics share it.
pub fn post_init(
    body: &str,
    headers: &[(&str, &str)],
    credentials: &str,
) -> Result<RequestInit, JsValue> {
    let h = Headers::new()?;
    for (name, value) in headers {
        h.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&h);
    init.set_body(&JsValue::from_str(body));
    // Set as a plain property: no extra web-sys features needed.
    js_sys::Reflect::set(&init, &"credentials".into(), &credentials.into())?;
    Ok(init)
}

/// A JS exception as text (empty when it says nothing).
fn describe(error: &JsValue) -> String {
    error_text(error).unwrap_or_default()
}

/// Queue `body` with `navigator.sendBeacon` to `url` plus
/// `idempotency_key=<key>` (see [`beacon_url`]), as a
/// [`BEACON_TYPE`] blob. Returns whether the browser queued it (false when
/// over the quota, unsupported, or anything threw).
///
/// ```no_run
/// let queued = pathlight::web::webhook::beacon("https://hooks.example/handoff", "h-1", "{}");
/// assert!(queued || !queued);
/// ```
pub fn beacon(url: &str, key: &str, body: &str) -> bool {
    send_beacon(&beacon_url(url, key), body)
}

/// Queue `body` with `navigator.sendBeacon` to `url` as a [`BEACON_TYPE`]
/// blob; whether the browser queued it.
pub fn send_beacon(url: &str, body: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let options = BlobPropertyBag::new();
    options.set_type(BEACON_TYPE);
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    window
        .navigator()
        .send_beacon_with_opt_blob(url, Some(&blob))
        .unwrap_or(false)
}
