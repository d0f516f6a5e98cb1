//! The webhook outbox: every handoff payload waiting for the webhook, with
//! its attempts, decided without a browser. The caller passes the clock
//! (`now`, [`Millis`]) and the randomness (`jitter` in `[0, 1)`), so every
//! schedule is testable natively. `web/webhook.rs` performs the requests.
//!
//! # Driving it
//!
//! - Load: [`Outbox::decode`] the stored text (report a warning to the
//!   console), [`Outbox::retry_failed`], then send what is [`Outbox::due`].
//! - Handoff: [`Outbox::push`] (an error is reported to the host), save.
//! - Send: for each key of [`Outbox::due`]: [`Outbox::start`] (which marks it
//!   in flight), save, `webhook::post(url, key, body, policy.timeout)`, then
//!   [`Outbox::record`] the outcome and save. [`Report::Failed`] becomes the
//!   host's `error` event; the payload stays here. Arm one timer for
//!   [`Outbox::next_wake`].
//! - `online`: [`Outbox::retry_failed`], then send what is due.
//! - `pagehide`: [`Outbox::beacon_batch`], `webhook::beacon` each, then
//!   [`Outbox::mark_beaconed`] those the browser queued, [`Outbox::encode`]
//!   and save. Beaconed payloads stay: the next load sends them again with
//!   `fetch`, and the server deduplicates by idempotency key.
//! - Another tab saved: [`Outbox::merge`] its decoded outbox; save when it
//!   returns true.
//!
//! Exactly one conversation per handoff rests on the key: every request for
//! a payload carries its id as the `Idempotency-Key` header (beacons, which
//! cannot set headers, as the `idempotency_key` query parameter), and the
//! server must treat a repeated key as the same request.
//!
//! ```
//! use pathlight::transport::outbox::{Outbox, Outcome, Policy, Report};
//!
//! let t0 = 1_700_000_000_000;
//! let mut outbox = Outbox::new(Policy::default());
//! outbox.push("h-1", "https://hooks.example/handoff", "{\"id\":\"h-1\"}", t0).unwrap();
//! assert_eq!(outbox.due(t0), ["h-1"]);
//! assert!(outbox.start("h-1", t0));
//!
//! let report = outbox.record("h-1", Outcome::network("Failed to fetch"), t0 + 50, 0.0);
//! assert!(matches!(report, Report::WillRetry { at, attempt: 1, .. } if at == t0 + 550));
//! assert_eq!(outbox.next_wake(), Some(t0 + 550));
//!
//! assert!(outbox.start("h-1", t0 + 550));
//! assert_eq!(outbox.record("h-1", Outcome::Delivered, t0 + 600, 0.0), Report::Delivered);
//! assert!(outbox.is_empty());
//!
//! // Stored and read back by the next page.
//! let (restored, warning) = Outbox::decode(&outbox.encode());
//! assert!(warning.is_none() && restored.is_delivered("h-1"));
//! ```

mod codec;
mod http_date;
mod retry;

pub use codec::{Warning, MAX_STORED, VERSION};
pub use http_date::{parse_http_date, parse_retry_after};
pub use retry::{backoff, classify, Outcome, Policy, BACKOFF_BASE, BACKOFF_CAP, MAX_DELAY};

use crate::time::{human_duration, Millis};
use serde::{Deserialize, Serialize};

/// Most payloads held at once.
pub const MAX_ENTRIES: usize = 50;
/// Most bytes held at once (keys, URLs, bodies and errors, see
/// [`Entry::size`]).
pub const MAX_BYTES: usize = 1_000_000;
/// Longest idempotency key accepted, in bytes.
pub const MAX_KEY: usize = 200;
/// How many recently delivered keys are remembered, so that no tab can
/// queue a delivered payload again.
pub const DELIVERED_MEMORY: usize = 100;
/// A page's `sendBeacon` quota: what all its beacons may carry together.
pub const BEACON_LIMIT: usize = 65_536;
/// An attempt in flight for longer than the timeout plus this is taken as
/// lost (the tab closed mid-send). The grace lets the attempt's own abort at
/// the timeout be recorded first.
pub const IN_FLIGHT_GRACE: Millis = 2_000;

/// Where a payload stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum State {
    /// Waiting for `next_at`.
    Pending,
    /// An attempt started at `since` has not been recorded yet.
    InFlight {
        /// When the attempt started.
        since: Millis,
    },
    /// Failed for good (until [`Outbox::retry_failed`]); kept, never lost.
    Failed {
        /// The last reason, for people.
        reason: String,
    },
}

/// One payload in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// The idempotency key: the payload's id.
    pub key: String,
    /// The webhook address.
    pub url: String,
    /// The serialised payload (JSON).
    pub body: String,
    /// When it was queued.
    pub created: Millis,
    /// When its state last changed (the newer copy wins a merge).
    #[serde(default)]
    pub updated: Millis,
    /// Attempts started so far.
    pub attempts: u32,
    /// When it is due (while pending).
    pub next_at: Millis,
    /// Why the last attempt failed.
    #[serde(default)]
    pub last_error: Option<String>,
    /// Where it stands.
    pub state: State,
    /// Sent by `sendBeacon` at least once; its delivery is unknown.
    #[serde(default)]
    pub beaconed: bool,
    /// Given one more attempt by [`Outbox::retry_failed`]: the next failure
    /// is final.
    #[serde(default)]
    pub last_chance: bool,
}

impl Entry {
    /// The bytes it counts against [`MAX_BYTES`].
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Policy};
    /// let mut o = Outbox::new(Policy::default());
    /// o.push("k", "https://h.example/", "{}", 0).unwrap();
    /// assert_eq!(o.get("k").unwrap().size(), 1 + 18 + 2);
    /// ```
    pub fn size(&self) -> usize {
        self.key.len()
            + self.url.len()
            + self.body.len()
            + self.last_error.as_ref().map_or(0, String::len)
            + match &self.state {
                State::Failed { reason } => reason.len(),
                _ => 0,
            }
    }

    /// True while pending or in flight (not failed for good).
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Policy};
    /// let mut o = Outbox::new(Policy::default());
    /// o.push("k", "https://h.example/", "{}", 0).unwrap();
    /// assert!(o.get("k").unwrap().is_live());
    /// ```
    pub fn is_live(&self) -> bool {
        !matches!(self.state, State::Failed { .. })
    }
}

/// What [`Outbox::push`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Push {
    /// Queued. To make room, these failed payloads (oldest first) were
    /// dropped; the caller should report them.
    Queued {
        /// Keys of the failed payloads dropped.
        evicted: Vec<String>,
    },
    /// Already queued under this key; nothing changed.
    Duplicate,
    /// Delivered recently under this key; nothing changed.
    AlreadyDelivered,
}

/// Why [`Outbox::push`] refused a payload; the caller reports it to the
/// host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// The key cannot travel as a header value.
    #[error(
        "the handoff id is not a usable idempotency key (1 to {MAX_KEY} visible ASCII characters)"
    )]
    BadKey,
    /// The payload alone exceeds the outbox.
    #[error("the handoff payload is {bytes} bytes, more than the outbox holds ({limit})")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// [`MAX_BYTES`].
        limit: usize,
    },
    /// Undelivered payloads fill the outbox; none is dropped to make room.
    #[error("the webhook outbox is full: {waiting} handoffs are still waiting to be delivered")]
    Full {
        /// Payloads pending or in flight.
        waiting: usize,
    },
}

/// What [`Outbox::record`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Delivered: removed, and its key remembered.
    Delivered,
    /// Scheduled again.
    WillRetry {
        /// When it is due.
        at: Millis,
        /// The attempt that failed (1-based).
        attempt: u32,
        /// Why it failed.
        reason: String,
    },
    /// Failed for good; kept in the outbox with state [`State::Failed`].
    Failed {
        /// Why, for people.
        reason: String,
    },
    /// No such payload (another tab delivered it, or it was never queued).
    Gone,
}

/// Payloads waiting for the webhook. See the [module docs](self).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outbox {
    policy: Policy,
    /// Oldest first.
    entries: Vec<Entry>,
    /// Recently delivered keys, oldest first, at most [`DELIVERED_MEMORY`].
    delivered: Vec<String>,
}

impl Outbox {
    /// An empty outbox.
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Policy};
    /// assert!(Outbox::new(Policy::default()).is_empty());
    /// ```
    pub fn new(policy: Policy) -> Outbox {
        Outbox {
            policy,
            entries: Vec::new(),
            delivered: Vec::new(),
        }
    }

    /// The policy in force.
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Policy};
    /// assert_eq!(Outbox::default().policy().max_attempts, 8);
    /// ```
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Replace the policy (a decoded outbox starts with the default one).
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Policy};
    /// let mut o = Outbox::default();
    /// o.set_policy(Policy { max_attempts: 3, ..Policy::default() });
    /// assert_eq!(o.policy().max_attempts, 3);
    /// ```
    pub fn set_policy(&mut self, policy: Policy) {
        self.policy = policy;
    }

    /// Every payload held, oldest first.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// assert!(Outbox::default().entries().is_empty());
    /// ```
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The payload queued under `key`.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// assert!(Outbox::default().get("k").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// How many payloads are held (failed ones included).
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// assert_eq!(Outbox::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is held.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// assert!(Outbox::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when `key` was delivered recently.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// assert!(!Outbox::default().is_delivered("k"));
    /// ```
    pub fn is_delivered(&self, key: &str) -> bool {
        self.delivered.iter().any(|k| k == key)
    }

    /// Bytes held, counted by [`Entry::size`].
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// assert_eq!(Outbox::default().bytes(), 0);
    /// ```
    pub fn bytes(&self) -> usize {
        self.entries.iter().map(Entry::size).sum()
    }

    /// Queue `body` for `url` under idempotency `key`, due at once. A key
    /// already queued or recently delivered is not queued again. To stay
    /// within [`MAX_ENTRIES`] and [`MAX_BYTES`] the oldest failed payloads
    /// are dropped (and listed); payloads not yet failed never are: if they
    /// alone fill the outbox, the push is refused.
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Push};
    /// let mut o = Outbox::default();
    /// let url = "https://hooks.example/h";
    /// assert_eq!(o.push("h-1", url, "{}", 0), Ok(Push::Queued { evicted: vec![] }));
    /// assert_eq!(o.push("h-1", url, "{}", 5), Ok(Push::Duplicate));
    /// assert!(o.push("bad key", url, "{}", 5).is_err());
    /// ```
    pub fn push(
        &mut self,
        key: &str,
        url: &str,
        body: &str,
        now: Millis,
    ) -> Result<Push, PushError> {
        if self.is_delivered(key) {
            return Ok(Push::AlreadyDelivered);
        }
        if self.get(key).is_some() {
            return Ok(Push::Duplicate);
        }
        if !valid_key(key) {
            return Err(PushError::BadKey);
        }
        let entry = Entry {
            key: key.to_owned(),
            url: url.to_owned(),
            body: body.to_owned(),
            created: now,
            updated: now,
            attempts: 0,
            next_at: now,
            last_error: None,
            state: State::Pending,
            beaconed: false,
            last_chance: false,
        };
        let size = entry.size();
        if size > MAX_BYTES {
            return Err(PushError::TooLarge {
                bytes: size,
                limit: MAX_BYTES,
            });
        }
        let live: Vec<&Entry> = self.entries.iter().filter(|e| e.is_live()).collect();
        let live_bytes: usize = live.iter().map(|e| e.size()).sum();
        if live.len() + 1 > MAX_ENTRIES || live_bytes + size > MAX_BYTES {
            return Err(PushError::Full {
                waiting: live.len(),
            });
        }
        let evicted = self.evict_failed(MAX_ENTRIES - 1, MAX_BYTES - size);
        self.entries.push(entry);
        Ok(Push::Queued { evicted })
    }

    /// Drop the oldest failed payloads until at most `entries` payloads and
    /// `bytes` bytes remain, or no failed one is left. Returns their keys.
    fn evict_failed(&mut self, entries: usize, bytes: usize) -> Vec<String> {
        let mut evicted = Vec::new();
        let mut total = self.bytes();
        while self.entries.len() > entries || total > bytes {
            let oldest = self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| !e.is_live())
                .min_by_key(|(_, e)| e.created)
                .map(|(i, _)| i);
            let Some(i) = oldest else { break };
            let gone = self.entries.remove(i);
            total -= gone.size();
            evicted.push(gone.key);
        }
        evicted
    }

    /// Keys to send now, oldest first: pending payloads whose time has come
    /// (or whose time lies implausibly far ahead, beyond [`MAX_DELAY`]: the
    /// clock went back), and attempts in flight for longer than the timeout
    /// plus [`IN_FLIGHT_GRACE`] (the tab closed mid-send, or the clock
    /// jumped), which are lost and due again.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// let mut o = Outbox::default();
    /// o.push("h-1", "https://hooks.example/h", "{}", 0).unwrap();
    /// o.start("h-1", 0);
    /// assert!(o.due(11_999).is_empty());
    /// assert_eq!(o.due(12_000), ["h-1"]); // 10 s timeout + 2 s grace
    /// ```
    pub fn due(&self, now: Millis) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| self.is_due(e, now))
            .map(|e| e.key.clone())
            .collect()
    }

    fn is_due(&self, e: &Entry, now: Millis) -> bool {
        match e.state {
            State::Pending => e.next_at <= now || e.next_at - now > MAX_DELAY,
            State::InFlight { since } => self.is_lost(since, now),
            State::Failed { .. } => false,
        }
    }

    fn is_lost(&self, since: Millis, now: Millis) -> bool {
        now.abs_diff(since) >= self.lost_after()
    }

    fn lost_after(&self) -> Millis {
        self.policy.timeout.saturating_add(IN_FLIGHT_GRACE)
    }

    /// Mark `key` in flight from `now` and count the attempt. Returns false
    /// (and changes nothing) when there is no such payload, it failed for
    /// good, or another attempt is in flight and not yet lost. A pending
    /// payload may be started before its time (e.g. on `online`).
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// let mut o = Outbox::default();
    /// o.push("h-1", "https://hooks.example/h", "{}", 0).unwrap();
    /// assert!(o.start("h-1", 0));
    /// assert!(!o.start("h-1", 1)); // already in flight
    /// assert_eq!(o.get("h-1").unwrap().attempts, 1);
    /// ```
    pub fn start(&mut self, key: &str, now: Millis) -> bool {
        let lost_after = self.lost_after();
        let Some(e) = self.entries.iter_mut().find(|e| e.key == key) else {
            return false;
        };
        match e.state {
            State::Pending => {}
            State::InFlight { since } if now.abs_diff(since) >= lost_after => {
                e.last_error = Some(lost_reason(lost_after));
            }
            _ => return false,
        }
        e.state = State::InFlight { since: now };
        e.attempts = e.attempts.saturating_add(1);
        e.updated = now;
        true
    }

    /// Record how the attempt on `key` went. Delivered: removed, key
    /// remembered. Retry: due again after `max(backoff(attempt, jitter),
    /// Retry-After)`, at most [`MAX_DELAY`]; but failed for good once
    /// `max_attempts` attempts were made, the payload is older than
    /// `max_age`, or it was on its last chance. Fatal: failed for good.
    /// Failed payloads stay in the outbox.
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Outcome, Report};
    /// let mut o = Outbox::default();
    /// o.push("h-1", "https://hooks.example/h", "{}", 0).unwrap();
    /// o.start("h-1", 0);
    /// let r = o.record("h-1", Outcome::Fatal { reason: "the webhook answered 400 Bad Request".into() }, 9, 0.3);
    /// assert_eq!(r, Report::Failed { reason: "the webhook answered 400 Bad Request".into() });
    /// assert_eq!(o.len(), 1);
    /// ```
    pub fn record(&mut self, key: &str, outcome: Outcome, now: Millis, jitter: f64) -> Report {
        let Some(i) = self.entries.iter().position(|e| e.key == key) else {
            return Report::Gone;
        };
        let policy = self.policy;
        match outcome {
            Outcome::Delivered => {
                self.entries.remove(i);
                self.remember_delivered(key.to_owned());
                Report::Delivered
            }
            Outcome::Fatal { reason } => fail(&mut self.entries[i], reason, now),
            Outcome::Retry { after, reason } => {
                let e = &mut self.entries[i];
                let attempt = e.attempts.max(1);
                if e.last_chance {
                    let why = format!("{reason} (gave up: it was the last try)");
                    fail(e, why, now)
                } else if attempt >= policy.max_attempts {
                    let why = format!("{reason} (gave up after {attempt} attempts)");
                    fail(e, why, now)
                } else if now.saturating_sub(e.created) >= policy.max_age {
                    let age = human_duration(policy.max_age);
                    fail(e, format!("{reason} (gave up: older than {age})"), now)
                } else {
                    let delay = backoff(attempt, jitter)
                        .max(after.unwrap_or(0))
                        .min(MAX_DELAY);
                    e.state = State::Pending;
                    e.next_at = now.saturating_add(delay);
                    e.updated = now;
                    e.last_error = Some(reason.clone());
                    Report::WillRetry {
                        at: e.next_at,
                        attempt,
                        reason,
                    }
                }
            }
        }
    }

    fn remember_delivered(&mut self, key: String) {
        if !self.is_delivered(&key) {
            self.delivered.push(key);
        }
        let extra = self.delivered.len().saturating_sub(DELIVERED_MEMORY);
        self.delivered.drain(..extra);
    }

    /// When [`Outbox::due`] next has something: the earliest pending time,
    /// or when an attempt in flight would count as lost. `None` when only
    /// failed payloads (or none) are held.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// let mut o = Outbox::default();
    /// assert_eq!(o.next_wake(), None);
    /// o.push("h-1", "https://hooks.example/h", "{}", 7).unwrap();
    /// assert_eq!(o.next_wake(), Some(7));
    /// ```
    pub fn next_wake(&self) -> Option<Millis> {
        let lost_after = self.lost_after();
        self.entries
            .iter()
            .filter_map(|e| match e.state {
                State::Pending => Some(e.next_at),
                State::InFlight { since } => Some(since.saturating_add(lost_after)),
                State::Failed { .. } => None,
            })
            .min()
    }

    /// Give every failed payload one more attempt, due at `now`; its next
    /// failure is final again. Returns how many. Call it on each page load
    /// and on `online`: a failure may have been the network's or a passing
    /// outage's, and one request per failed payload per load is cheap, while
    /// a full new round of backoff against a webhook that keeps refusing
    /// would not be.
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Outcome};
    /// let mut o = Outbox::default();
    /// o.push("h-1", "https://hooks.example/h", "{}", 0).unwrap();
    /// o.start("h-1", 0);
    /// o.record("h-1", Outcome::Fatal { reason: "no".into() }, 1, 0.0);
    /// assert!(o.due(2).is_empty());
    /// assert_eq!(o.retry_failed(2), 1);
    /// assert_eq!(o.due(2), ["h-1"]);
    /// ```
    pub fn retry_failed(&mut self, now: Millis) -> usize {
        let mut n = 0;
        for e in &mut self.entries {
            if let State::Failed { reason } = &e.state {
                e.last_error = Some(reason.clone());
                e.state = State::Pending;
                e.next_at = now;
                e.updated = now;
                e.last_chance = true;
                n += 1;
            }
        }
        n
    }

    /// Take in another tab's outbox. Payloads are united by key; where both
    /// hold one, the copy changed last wins (then the one with more
    /// attempts; the other fields break ties, so tabs converge), and
    /// `beaconed` is kept if either copy has it. Delivered wins over everything: a key either tab
    /// remembers as delivered is dropped, so no tab can bring a delivered
    /// payload back. Returns true when this outbox held something `theirs`
    /// lacked (the caller should save, so the tabs converge).
    ///
    /// Failed payloads beyond the bounds are dropped, oldest first;
    /// undelivered ones never are, so two full tabs may briefly exceed the
    /// bounds until they drain (pushes are refused meanwhile).
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, Outcome};
    /// let url = "https://hooks.example/h";
    /// let mut a = Outbox::default();
    /// a.push("h-1", url, "{}", 0).unwrap();
    /// let mut b = a.clone();
    /// a.start("h-1", 1);
    /// a.record("h-1", Outcome::Delivered, 2, 0.0);
    /// assert!(!b.merge(&a));
    /// assert!(b.is_empty() && b.is_delivered("h-1"));
    /// ```
    pub fn merge(&mut self, theirs: &Outbox) -> bool {
        let mut ours_extra = self.delivered.iter().any(|k| !theirs.is_delivered(k));
        for k in &theirs.delivered {
            if !self.is_delivered(k) {
                self.delivered.push(k.clone());
            }
        }
        self.entries.retain(|e| !theirs.is_delivered(&e.key));
        ours_extra |= self.entries.iter().any(|e| match theirs.get(&e.key) {
            None => true,
            Some(t) => rank(e) > rank(t) || (e.beaconed && !t.beaconed),
        });
        for t in &theirs.entries {
            if self.is_delivered(&t.key) {
                continue;
            }
            match self.entries.iter_mut().find(|e| e.key == t.key) {
                Some(e) => {
                    let beaconed = e.beaconed || t.beaconed;
                    if rank(t) > rank(e) {
                        *e = t.clone();
                    }
                    e.beaconed = beaconed;
                }
                None => self.entries.push(t.clone()),
            }
        }
        let extra = self.delivered.len().saturating_sub(DELIVERED_MEMORY);
        self.delivered.drain(..extra);
        self.entries
            .sort_by(|a, b| (a.created, &a.key).cmp(&(b.created, &b.key)));
        self.evict_failed(MAX_ENTRIES, MAX_BYTES);
        ours_extra
    }

    /// Keys to send by `sendBeacon` as the page goes away: payloads not
    /// failed for good (an attempt in flight dies with the page), oldest
    /// first, each as its own beacon, whose bodies together fit in `limit`
    /// bytes (normally [`BEACON_LIMIT`], the page's quota). A body larger
    /// than `limit` on its own is skipped; the batch stops at the first
    /// payload that would overflow the total, so older payloads go first.
    ///
    /// ```
    /// use pathlight::transport::outbox::{Outbox, BEACON_LIMIT};
    /// let mut o = Outbox::default();
    /// o.push("h-1", "https://hooks.example/h", "{}", 0).unwrap();
    /// assert_eq!(o.beacon_batch(BEACON_LIMIT), ["h-1"]);
    /// assert!(o.beacon_batch(1).is_empty());
    /// ```
    pub fn beacon_batch(&self, limit: usize) -> Vec<String> {
        let mut total = 0usize;
        let mut keys = Vec::new();
        for e in self.entries.iter().filter(|e| e.is_live()) {
            let n = e.body.len();
            if n > limit {
                continue;
            }
            if total + n > limit {
                break;
            }
            total += n;
            keys.push(e.key.clone());
        }
        keys
    }

    /// Note that these payloads went out by beacon. They stay in the outbox
    /// (a beacon's delivery is unknown) and are sent again with `fetch` on
    /// the next load; the server deduplicates by key.
    ///
    /// ```
    /// use pathlight::transport::outbox::Outbox;
    /// let mut o = Outbox::default();
    /// o.push("h-1", "https://hooks.example/h", "{}", 0).unwrap();
    /// o.mark_beaconed(&["h-1".to_owned()]);
    /// assert!(o.get("h-1").unwrap().beaconed);
    /// ```
    pub fn mark_beaconed(&mut self, keys: &[String]) {
        for e in &mut self.entries {
            if keys.contains(&e.key) {
                e.beaconed = true;
            }
        }
    }
}

/// The address a beacon for `key` goes to: `url` with
/// `idempotency_key=<key>` added to its query (percent-encoded, before any
/// `#fragment`), since a beacon cannot carry headers.
///
/// ```
/// use pathlight::transport::outbox::beacon_url;
/// assert_eq!(beacon_url("https://h.example/in", "h 1"), "https://h.example/in?idempotency_key=h%201");
/// assert_eq!(beacon_url("https://h.example/in?a=1#x", "k"), "https://h.example/in?a=1&idempotency_key=k#x");
/// ```
pub fn beacon_url(url: &str, key: &str) -> String {
    let (base, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let mut out = String::with_capacity(url.len() + key.len() * 3 + 20);
    out.push_str(base);
    if !base.contains('?') {
        out.push('?');
    } else if !base.ends_with('?') && !base.ends_with('&') {
        out.push('&');
    }
    out.push_str("idempotency_key=");
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out.push_str(fragment);
    out
}

/// A key usable as an `Idempotency-Key` header value: 1 to [`MAX_KEY`]
/// visible ASCII characters.
fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY && key.bytes().all(|b| b.is_ascii_graphic())
}

/// How two copies of a payload compare in a merge: the one changed last,
/// then the one with more attempts; the remaining fields only break ties,
/// so that every tab picks the same copy and merging converges.
fn rank(e: &Entry) -> impl Ord + '_ {
    let state = match &e.state {
        State::Pending => (0, 0, ""),
        State::InFlight { since } => (1, *since, ""),
        State::Failed { reason } => (2, 0, reason.as_str()),
    };
    (
        e.updated,
        e.attempts,
        state,
        e.next_at,
        e.last_chance,
        e.created,
        e.last_error.as_deref(),
        e.url.as_str(),
        e.body.as_str(),
    )
}

fn fail(e: &mut Entry, reason: String, now: Millis) -> Report {
    e.state = State::Failed {
        reason: reason.clone(),
    };
    e.last_error = Some(reason.clone());
    e.updated = now;
    Report::Failed { reason }
}

fn lost_reason(after: Millis) -> String {
    format!(
        "no answer within {}; the page may have closed during the attempt",
        human_duration(after)
    )
}
