//! Sends analytics events where the config's `analytics` section says:
//! `window.analytics.track(event, properties)` (Segment's analytics.js,
//! when the page has it) and batches POSTed to a URL (as `text/plain`, so
//! a cross-origin endpoint needs no preflight), with what is left beaconed
//! on `pagehide`. Best effort: a failed batch goes back in the (bounded)
//! queue for the next flush, and nothing here throws into the page.

use super::listener::Listener;
use super::runtime::now;
use super::timer::WakeTimer;
use super::webhook::{fetch_within, post_init, send_beacon, BEACON_TYPE};
use crate::analytics::batch::{bodies, Batcher};
use crate::config::AnalyticsConfig;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;

/// How long one batch POST may take before it counts as failed.
const POST_TIMEOUT: u32 = 15_000;

/// The analytics sinks of one instance.
pub struct Analytics {
    me: Weak<Analytics>,
    segment: bool,
    url: Option<String>,
    batcher: RefCell<Batcher>,
    timer: WakeTimer,
    listeners: RefCell<Vec<Listener>>,
}

impl Analytics {
    /// Start the sinks `config` asks for.
    pub fn start(config: &AnalyticsConfig) -> Rc<Analytics> {
        let a = Rc::new_cyclic(|me| Analytics {
            me: me.clone(),
            segment: config.segment,
            url: config.url.clone(),
            batcher: RefCell::new(Batcher::new(config.batch_size, config.flush)),
            timer: WakeTimer::default(),
            listeners: RefCell::new(Vec::new()),
        });
        if a.url.is_some() {
            if let Some(window) = web_sys::window() {
                let me = a.me.clone();
                a.listeners
                    .borrow_mut()
                    .push(Listener::new(&window, "pagehide", move |_| {
                        if let Some(a) = me.upgrade() {
                            a.beacon();
                        }
                    }));
            }
        }
        a
    }

    /// Hand one Segment-shaped `message` (and its JS twin `js`) to the sinks.
    pub fn record(&self, message: Value, js: &JsValue) {
        if self.segment {
            segment_track(js);
        }
        if self.url.is_none() {
            return;
        }
        let full = self.batcher.borrow_mut().push(message, now());
        if let Some(batch) = full {
            self.send(batch);
        }
        self.arm();
    }

    fn arm(&self) {
        let wake = self.batcher.borrow().next_wake();
        let me = self.me.clone();
        self.timer.set(wake, now(), move || {
            if let Some(a) = me.upgrade() {
                a.timer.clear();
                let due = a.batcher.borrow_mut().due(now());
                if let Some(batch) = due {
                    a.send(batch);
                }
                a.arm();
            }
        });
    }

    fn send(&self, batch: Vec<Value>) {
        let Some(url) = self.url.clone() else { return };
        let me = self.me.clone();
        spawn_local(async move {
            let mut failed = Vec::new();
            for body in bodies(&batch, now()) {
                if !post(&url, &body).await {
                    failed.push(body);
                }
            }
            if failed.is_empty() {
                return;
            }
            // Put the events of the failed bodies back for the next flush.
            let Some(a) = me.upgrade() else { return };
            let again: Vec<Value> = failed
                .iter()
                .filter_map(|b| serde_json::from_str::<Value>(b).ok())
                .filter_map(|v| match v.get("batch") {
                    Some(Value::Array(items)) => Some(items.clone()),
                    _ => None,
                })
                .flatten()
                .collect();
            a.batcher.borrow_mut().requeue(again, now());
            a.arm();
        });
    }

    /// The page is going away: beacon everything waiting.
    fn beacon(&self) {
        let Some(url) = &self.url else { return };
        let waiting = self.batcher.borrow_mut().drain();
        let mut unsent = Vec::new();
        for body in bodies(&waiting, now()) {
            if !send_beacon(url, &body) {
                unsent.push(body);
            }
        }
        if !unsent.is_empty() {
            // Over the beacon quota: keep them, in case the page comes back
            // from the back/forward cache.
            self.batcher.borrow_mut().requeue(waiting, now());
        }
        self.timer.clear();
    }

    /// Stop: remove the listener and the timer; waiting events are beaconed.
    pub fn destroy(&self) {
        self.beacon();
        self.listeners.borrow_mut().clear();
    }
}

/// `window.analytics.track(event, properties)`, if the page has Segment's
/// analytics.js (or anything with its shape). A throwing `track` is ignored:
/// the page's own analytics are not Pathlight's to break.
fn segment_track(message: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(analytics) = js_sys::Reflect::get(&window, &"analytics".into()) else {
        return;
    };
    if !analytics.is_object() {
        return;
    }
    let Ok(track) = js_sys::Reflect::get(&analytics, &"track".into()) else {
        return;
    };
    let Some(track) = track.dyn_ref::<js_sys::Function>() else {
        return;
    };
    let get = |k: &str| js_sys::Reflect::get(message, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let _ = track.call2(&analytics, &get("event"), &get("properties"));
}

/// POST `body` as `text/plain` (a CORS-simple request), without
/// credentials; whether the server answered 2xx.
async fn post(url: &str, body: &str) -> bool {
    let Ok(init) = post_init(body, &[("Content-Type", BEACON_TYPE)], "omit") else {
        return false;
    };
    fetch_within(url, &init, POST_TIMEOUT)
        .await
        .is_ok_and(|r| (200..300).contains(&r.status()))
}
