//! The outbox as versioned JSON for `localStorage`. Stored text is
//! untrusted: [`Outbox::decode`] never fails, it recovers what it can and
//! says what it could not.

use super::{valid_key, Entry, Outbox, DELIVERED_MEMORY, MAX_BYTES, MAX_ENTRIES};
use serde::Serialize;
use serde_json::Value;

/// The format version [`Outbox::encode`] writes.
pub const VERSION: u64 = 1;

/// Stored text longer than this (bytes) is not read at all.
pub const MAX_STORED: usize = 4 * 1024 * 1024;

/// Why stored text was not read whole. The outbox returned with it holds
/// whatever could be recovered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Warning {
    /// Not JSON, or not shaped like an outbox: nothing recovered.
    #[error("the stored webhook outbox was unreadable and is ignored: {0}")]
    Corrupt(String),
    /// Written by a newer release: nothing read. Saving over it would lose
    /// that release's payloads, so a caller may prefer to leave it.
    #[error(
        "the stored webhook outbox has version {0}, newer than this release reads; it is ignored"
    )]
    TooNew(u64),
    /// Longer than [`MAX_STORED`]: nothing read.
    #[error(
        "the stored webhook outbox is {0} bytes, more than the {MAX_STORED} read; it is ignored"
    )]
    TooLarge(usize),
    /// Some payloads were unreadable, duplicated or over the bounds and
    /// were dropped; the rest were recovered.
    #[error("{dropped} stored webhook payload(s) were unreadable or over the bounds and were dropped; {kept} recovered")]
    Partial {
        /// Payloads recovered.
        kept: usize,
        /// Payloads dropped.
        dropped: usize,
    },
}

#[derive(Serialize)]
struct Stored<'a> {
    version: u64,
    entries: &'a [Entry],
    delivered: &'a [String],
}

impl Outbox {
    /// The outbox as JSON text (`{"version":1,"entries":[…],"delivered":[…]}`);
    /// the policy is configuration and is not stored.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// assert_eq!(Outbox::default().encode(), r#"{"version":1,"entries":[],"delivered":[]}"#);
    /// ```
    pub fn encode(&self) -> String {
        let stored = Stored {
            version: VERSION,
            entries: &self.entries,
            delivered: &self.delivered,
        };
        // Plain structs with string keys always serialise.
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Read stored text; never fails. Corrupt, too new or too large text
    /// gives an empty outbox; unreadable payloads are dropped one by one.
    /// Either way the warning says what happened, for the console. Failed
    /// payloads over the bounds are dropped oldest first; pending ones never.
    /// The outbox gets the default [`super::Policy`].
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Warning};
    /// let (o, w) = Outbox::decode("{not json");
    /// assert!(o.is_empty() && matches!(w, Some(Warning::Corrupt(_))));
    /// let (_, w) = Outbox::decode(r#"{"version":9,"entries":[]}"#);
    /// assert_eq!(w, Some(Warning::TooNew(9)));
    /// ```
    pub fn decode(text: &str) -> (Outbox, Option<Warning>) {
        match read(text) {
            Ok((outbox, 0)) => (outbox, None),
            Ok((outbox, dropped)) => {
                let kept = outbox.len();
                (outbox, Some(Warning::Partial { kept, dropped }))
            }
            Err(w) => (Outbox::default(), Some(w)),
        }
    }
}

/// The recovered outbox and how many payloads were dropped.
fn read(text: &str) -> Result<(Outbox, usize), Warning> {
    if text.len() > MAX_STORED {
        return Err(Warning::TooLarge(text.len()));
    }
    let value = crate::validate::parse_json(text).map_err(|p| Warning::Corrupt(p.message))?;
    let Value::Object(mut doc) = value else {
        return Err(Warning::Corrupt("it is not a JSON object".into()));
    };
    match doc.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(v) if v > VERSION => return Err(Warning::TooNew(v)),
        _ => return Err(Warning::Corrupt("it has no known version".into())),
    }
    let Some(Value::Array(items)) = doc.remove("entries") else {
        return Err(Warning::Corrupt("it has no list of entries".into()));
    };
    let mut outbox = Outbox::default();
    if let Some(Value::Array(keys)) = doc.remove("delivered") {
        for k in keys {
            if let Value::String(k) = k {
                if valid_key(&k) && !outbox.is_delivered(&k) {
                    outbox.delivered.push(k);
                }
            }
        }
        let extra = outbox.delivered.len().saturating_sub(DELIVERED_MEMORY);
        outbox.delivered.drain(..extra);
    }
    let total = items.len();
    for item in items {
        let Ok(e) = serde_json::from_value::<Entry>(item) else {
            continue;
        };
        let usable = valid_key(&e.key)
            && e.size() <= MAX_BYTES
            && outbox.get(&e.key).is_none()
            && !outbox.is_delivered(&e.key);
        if usable {
            outbox.entries.push(e);
        }
    }
    outbox
        .entries
        .sort_by(|a, b| (a.created, &a.key).cmp(&(b.created, &b.key)));
    outbox.evict_failed(MAX_ENTRIES, MAX_BYTES);
    let dropped = total - outbox.entries.len();
    Ok((outbox, dropped))
}
