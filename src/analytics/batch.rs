//! Batching analytics events for a URL: a batch goes when it is full or
//! `flush` after its first event, and at once when the page is hidden.
//! Bounded: at most [`MAX_BUFFERED`] events wait (the oldest are dropped
//! and counted), and every body fits one `sendBeacon` ([`MAX_BODY`]).
//!
//! ```
//! use pathlight::analytics::batch::Batcher;
//! use serde_json::json;
//!
//! let mut b = Batcher::new(2, 5_000);
//! assert!(b.push(json!({"event": "A"}), 1_000).is_none());
//! assert_eq!(b.next_wake(), Some(6_000));
//! let full = b.push(json!({"event": "B"}), 1_500).unwrap();
//! assert_eq!(full.len(), 2);
//! assert_eq!(b.next_wake(), None);
//! ```

use crate::time::{iso8601, Millis};
use serde_json::{json, Value};

/// Most events kept waiting (while a URL is unreachable, say).
pub const MAX_BUFFERED: usize = 500;

/// Largest body, in bytes: under the 64 KiB a page may beacon.
pub const MAX_BODY: usize = 60_000;

/// Events waiting to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Batcher {
    items: Vec<Value>,
    first_at: Option<Millis>,
    size: usize,
    flush: Millis,
    dropped: u64,
}

impl Batcher {
    /// Send every `size` events, or `flush` ms after the first waiting one.
    pub fn new(size: usize, flush: Millis) -> Batcher {
        Batcher {
            items: Vec::new(),
            first_at: None,
            size: size.max(1),
            flush,
            dropped: 0,
        }
    }

    /// Add an event; returns a full batch to send now.
    pub fn push(&mut self, event: Value, now: Millis) -> Option<Vec<Value>> {
        if self.items.len() >= MAX_BUFFERED {
            self.items.remove(0);
            self.dropped += 1;
        }
        self.items.push(event);
        self.first_at.get_or_insert(now);
        (self.items.len() >= self.size).then(|| self.drain())
    }

    /// The batch whose time has come, if any.
    pub fn due(&mut self, now: Millis) -> Option<Vec<Value>> {
        let wake = self.next_wake()?;
        (now >= wake).then(|| self.drain())
    }

    /// When the waiting batch must go.
    pub fn next_wake(&self) -> Option<Millis> {
        self.first_at.map(|t| t.saturating_add(self.flush))
    }

    /// Everything waiting (the page is being hidden).
    pub fn drain(&mut self) -> Vec<Value> {
        self.first_at = None;
        std::mem::take(&mut self.items)
    }

    /// A batch that could not be sent goes back in front, within the bound.
    ///
    /// ```
    /// use pathlight::analytics::batch::{Batcher, MAX_BUFFERED};
    /// use serde_json::json;
    /// let mut b = Batcher::new(1000, 1_000);
    /// b.requeue((0..MAX_BUFFERED + 5).map(|i| json!(i)).collect(), 0);
    /// assert_eq!(b.dropped(), 5);
    /// assert_eq!(b.drain()[0], json!(5));
    /// ```
    pub fn requeue(&mut self, mut batch: Vec<Value>, now: Millis) {
        batch.append(&mut self.items);
        let over = batch.len().saturating_sub(MAX_BUFFERED);
        self.dropped += over as u64;
        self.items = batch.split_off(over);
        if !self.items.is_empty() {
            self.first_at.get_or_insert(now);
        }
    }

    /// Events dropped because too many waited.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

/// The request bodies for `batch`: `{"batch": [...], "sentAt": ISO}`, split
/// so that each is at most [`MAX_BODY`] bytes. An event too big on its own
/// is left out.
///
/// ```
/// use pathlight::analytics::batch::{bodies, MAX_BODY};
/// use serde_json::json;
/// let big = "x".repeat(20_000);
/// let events: Vec<_> = (0..7).map(|i| json!({"n": i, "pad": big})).collect();
/// let out = bodies(&events, 0);
/// assert_eq!(out.len(), 4); // two events of 20 KB per body
/// assert!(out.iter().all(|b| b.len() <= MAX_BODY));
/// ```
pub fn bodies(batch: &[Value], now: Millis) -> Vec<String> {
    let sent_at = iso8601(now);
    let overhead = json!({ "batch": [], "sentAt": sent_at }).to_string().len();
    let mut out = Vec::new();
    let mut chunk: Vec<&Value> = Vec::new();
    let mut bytes = overhead;
    for event in batch {
        let n = event.to_string().len() + 1;
        if overhead + n > MAX_BODY {
            continue;
        }
        if bytes + n > MAX_BODY {
            out.push(json!({ "batch": chunk, "sentAt": sent_at }).to_string());
            chunk = Vec::new();
            bytes = overhead;
        }
        chunk.push(event);
        bytes += n;
    }
    if !chunk.is_empty() {
        out.push(json!({ "batch": chunk, "sentAt": sent_at }).to_string());
    }
    out
}
