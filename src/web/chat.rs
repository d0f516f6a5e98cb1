//! The built-in chat's connection: the conversation's event stream
//! (`EventSource`, which reconnects by itself and resumes with
//! `Last-Event-ID`) and the visitor's messages (`fetch` POST with a client
//! id, so a retry never doubles a message). What the messages mean is the
//! pure [`crate::transport::chat`]; the widget shows them.
//!
//! The conversation (its handoff id and the last message the visitor saw)
//! is kept under [`KEY`] with consent, so the chat carries on across pages.

use super::listener::Listener;
use super::timer::{within, Timeout};
use super::webhook::{fetch_within, post_init};
use crate::transport::chat::{events_url, messages_url, parse_message, From, Message, Thread};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{EventSource, MessageEvent};

/// Where the open conversation is remembered (with consent).
pub const KEY: &str = "pathlight:chat";

/// Times a stream the browser gave up on is reopened (2 s, 4 s, … apart)
/// before the chat is reported lost.
const REOPEN: u32 = 4;

/// How long a visitor's message may take to be confirmed before it is
/// given back to the box (a page's fetch wrapper may never answer).
const SEND_TIMEOUT: u32 = 15_000;

/// What the chat tells the runtime.
pub enum ChatNotice {
    /// The thread changed; `fresh` holds agent messages the visitor has not
    /// seen (arrived now, not replayed).
    Thread {
        /// Every message, oldest first.
        messages: Vec<Message>,
        /// New agent messages.
        fresh: Vec<Message>,
    },
    /// The agent ended the conversation.
    Closed,
    /// A visitor message could not be sent (its text, to give back).
    NotSent(String),
    /// The stream cannot be opened; why (for the host).
    Lost(String),
}

/// One open conversation.
pub struct Chat {
    me: Weak<Chat>,
    base: String,
    id: String,
    source: RefCell<Option<EventSource>>,
    listeners: RefCell<Vec<Listener>>,
    thread: RefCell<Thread>,
    notify: Rc<dyn Fn(ChatNotice)>,
    persist: Cell<bool>,
    reopened: Cell<u32>,
    retry: RefCell<Option<Timeout>>,
    sent: Cell<u64>,
    /// The stream is closed while the page is in the back/forward cache (an
    /// open connection would keep it out), and reopened when it is shown.
    suspended: Cell<bool>,
    page: RefCell<Vec<Listener>>,
}

impl Chat {
    /// Open the conversation of handoff `id` at chat address `base`; `seen`
    /// is the last message id the visitor saw.
    pub fn open(
        base: &str,
        id: &str,
        seen: u64,
        persist: bool,
        notify: Rc<dyn Fn(ChatNotice)>,
    ) -> Rc<Chat> {
        let chat = Rc::new_cyclic(|me| Chat {
            me: me.clone(),
            base: base.to_string(),
            id: id.to_string(),
            source: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            thread: RefCell::new(Thread::new(seen)),
            notify,
            persist: Cell::new(persist),
            reopened: Cell::new(0),
            retry: RefCell::new(None),
            sent: Cell::new(0),
            suspended: Cell::new(false),
            page: RefCell::new(Vec::new()),
        });
        chat.save();
        chat.connect();
        if let Some(window) = web_sys::window() {
            let me = chat.me.clone();
            let hide = Listener::new(&window, "pagehide", move |ev| {
                let persisted = js_sys::Reflect::get(&ev, &"persisted".into())
                    .ok()
                    .and_then(|p| p.as_bool())
                    .unwrap_or(false);
                if let (true, Some(chat)) = (persisted, me.upgrade()) {
                    chat.suspend();
                }
            });
            *chat.page.borrow_mut() = vec![hide];
        }
        chat
    }

    /// The page goes into the back/forward cache: close the stream.
    fn suspend(&self) {
        if self.source.borrow().is_some() || self.retry.borrow().is_some() {
            self.suspended.set(true);
            self.retry.borrow_mut().take();
            self.close_stream();
        }
    }

    /// The page is shown again: reopen the stream it had (resuming after
    /// the last message seen, so none is shown twice).
    pub fn resume(&self) {
        if self.suspended.replace(false) {
            self.reopened.set(0);
            self.connect();
        }
    }

    /// The conversation remembered on this browser for chat address `base`:
    /// `(handoff id, last seen message id)`.
    pub fn stored(base: &str) -> Option<(String, u64)> {
        let text = storage()?.get_item(KEY).ok()??;
        let v: Value = serde_json::from_str(&text).ok()?;
        if v.get("base").and_then(Value::as_str) != Some(base) {
            return None;
        }
        let id = v.get("id").and_then(Value::as_str)?;
        let safe = !id.is_empty()
            && id.len() <= 128
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        safe.then(|| {
            let seen = v.get("seen").and_then(Value::as_u64).unwrap_or(0);
            (id.to_string(), seen)
        })
    }

    fn connect(&self) {
        let Ok(source) = EventSource::new(&events_url(&self.base, &self.id)) else {
            (self.notify)(ChatNotice::Lost("the chat address is not valid".into()));
            return;
        };
        let me = self.me.clone();
        let on_message = Listener::new(&source, "message", move |ev| {
            let (Some(chat), Some(m)) = (me.upgrade(), ev.dyn_ref::<MessageEvent>()) else {
                return;
            };
            if let Some(text) = m.data().as_string() {
                chat.received(&text);
            }
        });
        let me = self.me.clone();
        let on_closed = Listener::new(&source, "closed", move |_| {
            if let Some(chat) = me.upgrade() {
                chat.close_stream();
                chat.forget();
                (chat.notify)(ChatNotice::Closed);
            }
        });
        let me = self.me.clone();
        let on_error = Listener::new(&source, "error", move |_| {
            if let Some(chat) = me.upgrade() {
                chat.failed();
            }
        });
        *self.listeners.borrow_mut() = vec![on_message, on_closed, on_error];
        *self.source.borrow_mut() = Some(source);
    }

    fn received(&self, data: &str) {
        let Ok(m) = parse_message(data) else { return };
        self.reopened.set(0);
        let fresh = {
            let mut t = self.thread.borrow_mut();
            let seen = t.seen();
            let new_from_agent = m.from == From::Agent && m.id > seen;
            t.add(m.clone()).then_some(m).filter(|_| new_from_agent)
        };
        self.report(fresh.into_iter().collect());
    }

    fn report(&self, fresh: Vec<Message>) {
        let messages = self.thread.borrow().messages().to_vec();
        (self.notify)(ChatNotice::Thread { messages, fresh });
    }

    /// An `error` event: the browser reconnects by itself unless it gave up
    /// (the stream answered 404, say); then reopen a few times, and report.
    fn failed(&self) {
        let gave_up = self
            .source
            .borrow()
            .as_ref()
            .is_some_and(|s| s.ready_state() == EventSource::CLOSED);
        if !gave_up {
            return;
        }
        self.close_stream();
        let n = self.reopened.get();
        if n >= REOPEN {
            (self.notify)(ChatNotice::Lost(
                "the chat's event stream could not be opened".into(),
            ));
            return;
        }
        self.reopened.set(n + 1);
        let me = self.me.clone();
        let retry = Timeout::new(2_000 << n, move || {
            if let Some(chat) = me.upgrade() {
                chat.connect();
            }
        });
        if retry.is_none() {
            (self.notify)(ChatNotice::Lost(
                "the chat's event stream closed and this page has no timers to reopen it".into(),
            ));
        }
        *self.retry.borrow_mut() = retry;
    }

    /// The visitor has seen every message shown.
    pub fn mark_seen(&self) {
        self.thread.borrow_mut().mark_seen();
        self.save();
    }

    /// The messages so far.
    pub fn messages(&self) -> Vec<Message> {
        self.thread.borrow().messages().to_vec()
    }

    /// Send the visitor's `text`. It shows once the server has it; if it
    /// cannot be sent, [`ChatNotice::NotSent`] gives it back.
    pub fn send(&self, text: String) {
        let n = self.sent.get() + 1;
        self.sent.set(n);
        let client_id = [
            self.id.as_str(),
            &super::runtime::now().to_string(),
            &n.to_string(),
        ]
        .join("-");
        let url = messages_url(&self.base, &self.id);
        let body = json!({ "text": text, "clientId": client_id }).to_string();
        let me = self.me.clone();
        spawn_local(async move {
            let answer = post(&url, &body).await;
            let Some(chat) = me.upgrade() else { return };
            match answer {
                Some(id) => {
                    let added = chat.thread.borrow_mut().add(Message {
                        id,
                        from: From::Visitor,
                        name: None,
                        text,
                        at: super::runtime::now(),
                    });
                    if added {
                        chat.report(Vec::new());
                    }
                }
                None => (chat.notify)(ChatNotice::NotSent(text)),
            }
        });
    }

    /// Remember (or stop remembering) the conversation in storage.
    pub fn set_persist(&self, persist: bool) {
        self.persist.set(persist);
        if persist {
            self.save();
        } else {
            self.forget();
        }
    }

    fn save(&self) {
        if !self.persist.get() {
            return;
        }
        let v = json!({ "v": 1, "base": self.base, "id": self.id, "seen": self.thread.borrow().seen() });
        if let Some(s) = storage() {
            let _ = s.set_item(KEY, &v.to_string());
        }
    }

    fn forget(&self) {
        if let Some(s) = storage() {
            let _ = s.remove_item(KEY);
        }
    }

    fn close_stream(&self) {
        self.listeners.borrow_mut().clear();
        if let Some(s) = self.source.borrow_mut().take() {
            s.close();
        }
    }

    /// Stop listening (the conversation stays remembered for the next page).
    pub fn destroy(&self) {
        self.page.borrow_mut().clear();
        self.suspended.set(false);
        self.retry.borrow_mut().take();
        self.close_stream();
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// POST `body` as JSON; the new message's id from a 2xx answer.
async fn post(url: &str, body: &str) -> Option<u64> {
    let init = post_init(body, &[("Content-Type", "application/json")], "same-origin").ok()?;
    let response = fetch_within(url, &init, SEND_TIMEOUT).await.ok()?;
    if !(200..300).contains(&response.status()) {
        return None;
    }
    let text = within(&response.text().ok()?, SEND_TIMEOUT)
        .await?
        .ok()?
        .as_string()?;
    serde_json::from_str::<Value>(&text)
        .ok()?
        .get("id")?
        .as_u64()
}
