//! Carries each handoff to a person and tells the runtime where it stands.
//!
//! Three transports, any of which a config may combine:
//! - the host's `on('handoff')` handlers, whose return value (or promise)
//!   says accepted, queued or rejected;
//! - the webhook, through the persisted [`Outbox`] (retries, backoff,
//!   `Retry-After`, `online`, beacons on `pagehide`);
//! - the company's chat tool, through a [`vendors`] plan.
//!
//! One of them speaks to the visitor: the chat tool when configured, else a
//! handler that returned something, else the webhook, else a handler that
//! returned nothing. The others report only to the host (`delivery` and
//! `error` events). A payload that a webhook has not yet taken stays in the
//! outbox, in `localStorage` when consent allows, across page loads.

use super::convert::error_text;
use super::listener::Listener;
use super::timer::WakeTimer;
use super::{vendor, webhook};
use crate::config::HandoffConfig;
use crate::transport::outbox::{Outbox, Policy, Push, Report, State, Warning, BEACON_LIMIT};
use crate::transport::status::{from_reply, Status};
use crate::transport::vendors;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::Storage;

/// The `localStorage` key of the webhook outbox.
pub const OUTBOX_KEY: &str = "pathlight:outbox";

/// What a delivery tells the runtime.
pub enum Notice {
    /// A handoff moved on; `ui` when the visitor should see this status.
    Status {
        /// The handoff id.
        key: String,
        /// Where it stands.
        status: Status,
        /// Does this status speak to the visitor?
        ui: bool,
    },
    /// Something the host should hear about (an `error` event).
    Problem {
        /// What went wrong, for a web developer.
        message: String,
        /// The payload concerned, when one is.
        payload: Option<JsValue>,
    },
}

/// The handoff transports of one running instance.
pub struct Delivery {
    me: Weak<Delivery>,
    config: HandoffConfig,
    outbox: RefCell<Outbox>,
    timer: WakeTimer,
    listeners: RefCell<Vec<Listener>>,
    storage: Option<Storage>,
    /// May the outbox be written to storage (consent, and not a newer
    /// release's outbox that this one cannot read)?
    persist: Cell<bool>,
    /// A newer release wrote the stored outbox: never overwrite it.
    foreign: Cell<bool>,
    /// The handoff whose webhook delivery the visitor is watching.
    watched: RefCell<Option<String>>,
    notify: Rc<dyn Fn(Notice)>,
    destroyed: Cell<bool>,
}

impl Delivery {
    /// Load the stored outbox, listen to `online`, `pagehide` and other
    /// tabs, and send whatever is due.
    pub fn start(config: HandoffConfig, persist: bool, notify: Rc<dyn Fn(Notice)>) -> Rc<Delivery> {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        let policy = policy(&config);
        let mut outbox = Outbox::new(policy);
        let mut foreign = false;
        let stored = storage
            .as_ref()
            .and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten());
        if let Some(text) = stored.filter(|_| persist) {
            let (loaded, warning) = Outbox::decode(&text);
            outbox = loaded;
            outbox.set_policy(policy);
            if let Some(w) = warning {
                foreign = matches!(w, Warning::TooNew { .. });
                notify(Notice::Problem {
                    message: format!("the stored handoff outbox: {w}"),
                    payload: None,
                });
            }
            outbox.retry_failed(super::runtime::now());
        }
        let d = Rc::new_cyclic(|me| Delivery {
            me: me.clone(),
            config,
            outbox: RefCell::new(outbox),
            timer: WakeTimer::default(),
            listeners: RefCell::new(Vec::new()),
            storage,
            persist: Cell::new(persist),
            foreign: Cell::new(foreign),
            watched: RefCell::new(None),
            notify,
            destroyed: Cell::new(false),
        });
        d.listen();
        d.pump();
        d
    }

    fn listen(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let mut listeners = self.listeners.borrow_mut();
        let me = self.me.clone();
        listeners.push(Listener::new(&window, "online", move |_| {
            if let Some(d) = me.upgrade() {
                let retried = d
                    .outbox
                    .try_borrow_mut()
                    .map(|mut o| o.retry_failed(super::runtime::now()))
                    .unwrap_or(0);
                if retried > 0 {
                    d.save();
                }
                d.pump();
            }
        }));
        let me = self.me.clone();
        listeners.push(Listener::new(&window, "pagehide", move |_| {
            if let Some(d) = me.upgrade() {
                d.beacons();
            }
        }));
        let me = self.me.clone();
        listeners.push(Listener::new(&window, "storage", move |ev| {
            let Some(d) = me.upgrade() else { return };
            let Some(e) = ev.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            if e.key().as_deref() != Some(OUTBOX_KEY) || !d.persist.get() {
                return;
            }
            let Some(text) = e.new_value() else { return };
            d.merge_stored(&text);
        }));
    }

    /// Merge an outbox another page stored (`text`), and save ours if it
    /// held something theirs lacked.
    fn merge_stored(&self, text: &str) {
        let (theirs, _) = Outbox::decode(text);
        let ours_extra = self
            .outbox
            .try_borrow_mut()
            .map(|mut o| o.merge(&theirs))
            .unwrap_or(false);
        if ours_extra {
            self.save();
        }
        self.arm();
    }

    /// Back from the back/forward cache: take what other pages stored
    /// meanwhile and send whatever is due.
    pub fn restored(&self) {
        if self.destroyed.get() {
            return;
        }
        let stored = self
            .storage
            .as_ref()
            .filter(|_| self.persist.get())
            .and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten());
        if let Some(text) = stored {
            self.merge_stored(&text);
        }
        self.pump();
    }

    /// Consent changed: keep the outbox in storage only when granted.
    pub fn set_persist(&self, persist: bool) {
        self.persist.set(persist);
        if persist {
            self.save();
        } else if let Some(s) = &self.storage {
            let _ = s.remove_item(OUTBOX_KEY);
        }
    }

    /// Deliver one handoff. `body` is the payload serialised once, `value`
    /// the same as JSON (for chat-tool plans), `js` as a JS object (for
    /// errors), `replies` what each `on('handoff')` handler returned, and
    /// `handled` whether at least one ran without throwing.
    pub fn handoff(
        &self,
        key: &str,
        body: String,
        value: &Value,
        js: JsValue,
        replies: Vec<JsValue>,
        handled: bool,
    ) {
        let reply = replies.into_iter().find(|r| !r.is_undefined());
        let mut queued = false;
        if let Some(hook) = &self.config.webhook {
            let pushed = match self.outbox.try_borrow_mut() {
                Ok(mut o) => o.push(key, &hook.url, &body, super::runtime::now()),
                Err(_) => return,
            };
            match pushed {
                Ok(Push::Queued { evicted }) => {
                    queued = true;
                    for old in evicted {
                        (self.notify)(Notice::Problem {
                            message: format!(
                                "the handoff outbox was full: the failed handoff {old} was dropped to make room"
                            ),
                            payload: None,
                        });
                    }
                }
                Ok(Push::Duplicate | Push::AlreadyDelivered) => queued = true,
                Err(e) => (self.notify)(Notice::Problem {
                    message: e.to_string(),
                    payload: Some(js.clone()),
                }),
            }
        }
        if let Some(vendor) = self.config.adapter {
            self.status(key, Status::Sending, true);
            let plan = vendors::plan(vendor, value);
            let timeout = self.config.adapter_timeout;
            self.spawn_ui(key, js.clone(), queued, async move {
                match vendor::run(&plan, timeout).await {
                    Ok(()) => Ok(Status::Opened),
                    Err(e) => Err(e.message()),
                }
            });
        } else if let Some(reply) = reply {
            self.status(key, Status::Sending, true);
            let notify = self.notify.clone();
            self.spawn_ui(key, js.clone(), queued, async move {
                let settled = JsFuture::from(js_sys::Promise::resolve(&reply)).await;
                match settled {
                    Ok(v) => Ok(read_reply(v).unwrap_or_else(|message| {
                        // The handler did receive the payload: accepted.
                        notify(Notice::Problem {
                            message,
                            payload: None,
                        });
                        Status::Accepted
                    })),
                    Err(e) => Err(format!(
                        "the 'handoff' handler's promise rejected: {}",
                        error_text(&e).unwrap_or_else(|| "no reason given".into())
                    )),
                }
            });
        } else if queued {
            *self.watched.borrow_mut() = Some(key.to_string());
            self.status(key, Status::Sending, true);
        } else if handled {
            self.status(key, Status::Accepted, true);
        } else {
            let reason = "no handoff transport: add an on('handoff') handler, or handoff.webhook or handoff.adapter to the config";
            self.status(
                key,
                Status::Failed {
                    reason: reason.into(),
                },
                true,
            );
            (self.notify)(Notice::Problem {
                message: reason.into(),
                payload: Some(js),
            });
        }
        if queued {
            self.save();
            self.pump();
        }
    }

    /// Run the transport the visitor watches and report its result.
    fn spawn_ui<F>(&self, key: &str, js: JsValue, queued: bool, work: F)
    where
        F: std::future::Future<Output = Result<Status, String>> + 'static,
    {
        let me = self.me.clone();
        let key = key.to_string();
        spawn_local(async move {
            let result = work.await;
            let Some(d) = me.upgrade() else { return };
            if d.destroyed.get() {
                return;
            }
            match result {
                Ok(status) => d.status(&key, status, true),
                Err(reason) => {
                    let kept = if queued {
                        "; the webhook still has it"
                    } else {
                        "; the payload is attached to this error"
                    };
                    (d.notify)(Notice::Problem {
                        message: format!("the handoff failed: {reason}{kept}"),
                        payload: (!queued).then_some(js),
                    });
                    d.status(&key, Status::Failed { reason }, true);
                }
            }
        });
    }

    fn status(&self, key: &str, status: Status, ui: bool) {
        (self.notify)(Notice::Status {
            key: key.to_string(),
            status,
            ui,
        });
    }

    /// Send every payload that is due, each in its own task.
    fn pump(&self) {
        if self.destroyed.get() {
            return;
        }
        let now = super::runtime::now();
        let started: Vec<(String, String, String)> = match self.outbox.try_borrow_mut() {
            Ok(mut o) => {
                let mut started = Vec::new();
                for key in o.due(now) {
                    if !o.start(&key, now) {
                        continue;
                    }
                    if let Some(e) = o.get(&key) {
                        started.push((key.clone(), e.url.clone(), e.body.clone()));
                    }
                }
                started
            }
            Err(_) => return,
        };
        if !started.is_empty() {
            self.save();
        }
        let timeout = self.outbox.borrow().policy().timeout;
        for (key, url, body) in started {
            let me = self.me.clone();
            spawn_local(async move {
                let answer = webhook::send(&url, &key, &body, timeout).await;
                if let Some(d) = me.upgrade() {
                    d.settle(&key, answer);
                }
            });
        }
        self.arm();
    }

    /// Record one webhook attempt and tell whoever listens.
    fn settle(&self, key: &str, answer: webhook::Answer) {
        let now = super::runtime::now();
        let report = match self.outbox.try_borrow_mut() {
            Ok(mut o) => o.record(key, answer.outcome, now, js_sys::Math::random()),
            Err(_) => return,
        };
        self.save();
        if self.destroyed.get() {
            return;
        }
        let ui = self.watched.borrow().as_deref() == Some(key);
        match report {
            Report::Delivered => {
                let reply = answer
                    .reply
                    .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                    .unwrap_or(Value::Null);
                let status = from_reply(&reply).unwrap_or(Status::Accepted);
                self.status(key, status, ui);
            }
            Report::WillRetry { reason, .. } => self.status(key, Status::Retrying { reason }, ui),
            Report::Failed { reason } => {
                (self.notify)(Notice::Problem {
                    message: format!(
                        "the webhook did not take handoff {key}: {reason}; it stays in the outbox and is retried on the next page load or when the browser is back online"
                    ),
                    payload: None,
                });
                self.status(key, Status::Failed { reason }, ui);
            }
            Report::Gone => {}
        }
        self.pump();
    }

    /// Keep one timer, for the outbox's next due payload.
    fn arm(&self) {
        if self.destroyed.get() {
            return;
        }
        let wake = self.outbox.try_borrow().ok().and_then(|o| o.next_wake());
        let me = self.me.clone();
        self.timer.set(wake, super::runtime::now(), move || {
            if let Some(d) = me.upgrade() {
                d.timer.clear();
                d.pump();
            }
        });
    }

    /// The page is going away: beacon what has not been delivered, and save.
    fn beacons(&self) {
        let sent: Vec<String> = match self.outbox.try_borrow() {
            Ok(o) => o
                .beacon_batch(BEACON_LIMIT)
                .into_iter()
                .filter(|k| {
                    o.get(k)
                        .is_some_and(|e| webhook::beacon(&e.url, k, &e.body))
                })
                .collect(),
            Err(_) => return,
        };
        if let Ok(mut o) = self.outbox.try_borrow_mut() {
            o.mark_beaconed(&sent);
        }
        self.save();
    }

    /// Write the outbox (or remove it when empty), when allowed.
    fn save(&self) {
        if !self.persist.get() || self.foreign.get() {
            return;
        }
        let Some(s) = &self.storage else { return };
        let Ok(o) = self.outbox.try_borrow() else {
            return;
        };
        let _ = if o.is_empty() {
            s.remove_item(OUTBOX_KEY)
        } else {
            s.set_item(OUTBOX_KEY, &o.encode())
        };
    }

    /// The outbox as plain data: `[{ id, state, attempts, lastError }]`.
    pub fn pending(&self) -> Vec<Value> {
        let Ok(o) = self.outbox.try_borrow() else {
            return Vec::new();
        };
        o.entries()
            .iter()
            .map(|e| {
                let state = match e.state {
                    State::Pending => "pending",
                    State::InFlight { .. } => "sending",
                    State::Failed { .. } => "failed",
                };
                serde_json::json!({
                    "id": e.key,
                    "state": state,
                    "attempts": e.attempts,
                    "lastError": e.last_error,
                })
            })
            .collect()
    }

    /// Stop: save, and drop the timer and listeners. Attempts in flight
    /// still record their result in the outbox.
    pub fn destroy(&self) {
        self.save();
        self.destroyed.set(true);
        self.timer.clear();
        self.listeners.borrow_mut().clear();
    }
}

fn policy(config: &HandoffConfig) -> Policy {
    let mut p = Policy::default();
    if let Some(hook) = &config.webhook {
        p.timeout = hook.timeout;
        p.max_attempts = hook.max_attempts;
        p.max_age = hook.max_age;
    }
    p
}

/// A handler's settled reply as a status, or what is wrong with it.
fn read_reply(v: JsValue) -> Result<Status, String> {
    // As JSON text, like every document from the host: a getter that
    // throws or a cycle is a bad reply, not an exception in the wasm.
    let value: Value = if v.is_undefined() {
        Value::Null
    } else {
        js_sys::JSON::stringify(&v)
            .ok()
            .and_then(|s| s.as_string())
            .and_then(|s| serde_json::from_str(&s).ok())
            .ok_or_else(|| "handoff reply: expected nothing or a plain object".to_string())?
    };
    from_reply(&value)
}
