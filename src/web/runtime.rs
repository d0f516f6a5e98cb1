//! The running instance: owns the engine, the widget, the listeners and the
//! timer, feeds events to the engine and carries out its actions.
//!
//! Re-entrancy: host callbacks may call back into the instance (`track`
//! inside an `on('nudge')` handler, `destroy` inside `on('handoff')`).
//! Events are therefore queued and drained by one loop, and no `RefCell`
//! borrow is held while JS code runs.

use super::analytics::Analytics;
use super::capture::{current_page, headings, Capture};
use super::chat::{Chat, ChatNotice};
use super::convert::to_js;
use super::delivery::{Delivery, Notice};
use super::handoff_form::Known;
use super::listener::Listener;
use super::storage::{Store, KEY};
use super::timer::{Timeout, WakeTimer};
use super::widget::{UiEvent, Widget};
use crate::analytics::{envelope, Context, Source, Track};
use crate::config::Config;
use crate::engine::snapshot::Snapshot;
use crate::engine::{Action, Consent, Engine};
use crate::journey::Event;
use crate::knowledge::Knowledge;
use crate::time::Millis;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

/// Events a host can listen to with `on(name, fn)`.
pub const TOPICS: &[&str] = &[
    "nudge",
    "handoff",
    "delivery",
    "error",
    "answer",
    "feedback",
    "search",
    "dismiss",
    "analytics",
    "message",
];

/// Writes to storage are batched: at most one per this many milliseconds
/// (and at once when the page is hidden or unloaded).
const SAVE_DELAY: u32 = 400;

/// The current time from the browser's clock.
pub fn now() -> Millis {
    js_sys::Date::now() as Millis
}

/// A running Pathlight instance.
pub struct Runtime {
    me: Weak<Runtime>,
    engine: RefCell<Engine>,
    /// Shared out (never borrowed across a call): a page's listener may
    /// destroy the instance while the widget is moving focus.
    widget: RefCell<Option<Rc<Widget>>>,
    handlers: RefCell<Vec<(&'static str, js_sys::Function)>>,
    listeners: RefCell<Vec<Listener>>,
    capture: RefCell<Option<Capture>>,
    /// Carries handoffs to a person (handlers, webhook outbox, chat tool).
    delivery: RefCell<Option<Rc<Delivery>>>,
    timer: WakeTimer,
    /// A save is due: the snapshot is written at most every [`SAVE_DELAY`]
    /// (by `save_timer`, or at once when the page has no timers).
    dirty: Cell<bool>,
    save_timer: RefCell<Option<Timeout>>,
    queue: RefCell<VecDeque<Event>>,
    busy: Cell<bool>,
    destroyed: Cell<bool>,
    store: Store,
    storage_failed: Cell<bool>,
    /// The built-in chat's address (`handoff.chat.url`), if any.
    chat_base: Option<String>,
    /// The conversation under way in the built-in chat.
    chat: RefCell<Option<Rc<Chat>>>,
    /// Where analytics events go besides `on('analytics')`.
    analytics: RefCell<Option<Rc<Analytics>>>,
    /// This page load's id and event count (analytics `messageId`s).
    page_load: String,
    sent_events: Cell<u64>,
    /// The widget's language.
    locale: String,
    /// Where the answers listed in the card came from.
    listing: Cell<Source>,
    /// The trigger whose nudge the open answer came from.
    opened_from: RefCell<Option<String>>,
    /// Handoffs already reported delivered (analytics).
    delivered: RefCell<Vec<String>>,
}

/// A runtime whose widget is mounted, not yet capturing: the second half
/// of the start, split off so each half runs in a task of its own.
pub struct Mounted {
    rt: Rc<Runtime>,
    handoff: crate::config::HandoffConfig,
    persist: bool,
}

impl Mounted {
    /// Start delivery and capture, reopen a remembered chat, and record
    /// the current page.
    pub fn begin(self) -> Rc<Runtime> {
        let Mounted {
            rt,
            handoff,
            persist,
        } = self;
        let me = rt.me.clone();
        let notify = Rc::new(move |n: Notice| {
            if let Some(rt) = me.upgrade() {
                rt.notice(n);
            }
        });
        *rt.delivery.borrow_mut() = Some(Delivery::start(handoff, persist, notify));
        rt.start_capture();
        if persist {
            if let Some((id, seen)) = rt.chat_base.as_deref().and_then(Chat::stored) {
                rt.open_chat(&id, seen);
            }
        }
        let referrer = web_sys::window()
            .and_then(|w| w.document())
            .map(|d| d.referrer())
            .unwrap_or_default();
        rt.dispatch(current_page(referrer));
        rt.dispatch(headings());
        rt
    }
}

impl Runtime {
    /// The first half of the start: restore the stored journey and mount
    /// the widget; [`Mounted::begin`] does the rest. `nonce` is the page's
    /// CSP nonce, for a `<style>` element where constructable stylesheets
    /// are missing.
    pub fn mount(
        config: Config,
        knowledge: Knowledge,
        mut env: crate::rules::Env,
        consent: Consent,
        locale: Option<String>,
        nonce: Option<String>,
    ) -> Mounted {
        let store = Store::local();
        let now = now();
        if let Some(l) = locale {
            env.languages.insert(0, l);
        }
        let languages: Vec<&str> = env.languages.iter().map(String::as_str).collect();
        let (ui_locale, strings) = crate::i18n::localize(&languages, config.strings.as_ref());
        let theme = config.theme.clone();
        let handoff = config.handoff.clone();
        let analytics = Analytics::start(&config.analytics);
        let ui_locale = ui_locale.to_string();
        let mut engine = Engine::start(config, knowledge, random_id(), consent, now);
        engine.set_env(env);
        if consent != Consent::Denied {
            if let Some(snapshot) = store.load() {
                engine.restore(snapshot, now);
            }
        }
        let rt = Rc::new_cyclic(|me| Runtime {
            me: me.clone(),
            engine: RefCell::new(engine),
            widget: RefCell::new(None),
            handlers: RefCell::new(Vec::new()),
            listeners: RefCell::new(Vec::new()),
            capture: RefCell::new(None),
            delivery: RefCell::new(None),
            timer: WakeTimer::default(),
            dirty: Cell::new(false),
            save_timer: RefCell::new(None),
            queue: RefCell::new(VecDeque::new()),
            busy: Cell::new(false),
            destroyed: Cell::new(false),
            store,
            storage_failed: Cell::new(false),
            chat_base: handoff.chat.clone(),
            chat: RefCell::new(None),
            analytics: RefCell::new(Some(analytics)),
            page_load: random_id(),
            sent_events: Cell::new(0),
            locale: ui_locale.clone(),
            listing: Cell::new(Source::Panel),
            opened_from: RefCell::new(None),
            delivered: RefCell::new(Vec::new()),
        });
        rt.mount_widget(strings, &ui_locale, &theme, &handoff, nonce.as_deref());
        Mounted {
            rt,
            handoff,
            persist: consent == Consent::Granted,
        }
    }

    fn mount_widget(
        &self,
        strings: crate::i18n::Strings,
        locale: &str,
        theme: &crate::config::Theme,
        handoff: &crate::config::HandoffConfig,
        nonce: Option<&str>,
    ) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let me = self.me.clone();
        let on = Rc::new(move |ev: UiEvent| {
            if let Some(rt) = me.upgrade() {
                rt.ui(ev);
            }
        });
        match Widget::mount(&doc, on, strings, locale, theme, handoff, nonce) {
            Ok(w) => *self.widget.borrow_mut() = Some(Rc::new(w)),
            Err(e) => self.report("the widget could not be shown", &e),
        }
    }

    fn start_capture(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(doc) = window.document() else { return };
        let me = self.me.clone();
        let sink = Rc::new(move |ev: Event| {
            if let Some(rt) = me.upgrade() {
                rt.dispatch(ev);
            }
        });
        let host = self.widget().map(|w| w.host().clone());
        *self.capture.borrow_mut() = Some(Capture::start(&window, &doc, sink, host));
        // Back from the back/forward cache.
        let me = self.me.clone();
        self.listeners
            .borrow_mut()
            .push(Listener::new(&window, "pageshow", move |ev| {
                let persisted = js_sys::Reflect::get(&ev, &"persisted".into())
                    .ok()
                    .and_then(|p| p.as_bool())
                    .unwrap_or(false);
                if let (true, Some(rt)) = (persisted, me.upgrade()) {
                    rt.restored();
                }
            }));
        // Another tab of this visitor saved: take its journey.
        let me = self.me.clone();
        self.listeners
            .borrow_mut()
            .push(Listener::new(&window, "storage", move |ev| {
                let Some(rt) = me.upgrade() else { return };
                let Some(e) = ev.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                if e.key().as_deref() != Some(KEY) {
                    return;
                }
                if let Some(snapshot) = e.new_value().and_then(|v| Snapshot::decode(&v).ok()) {
                    let ours_extra = match rt.engine.try_borrow_mut() {
                        Ok(mut engine) => engine.merge(snapshot),
                        Err(_) => false,
                    };
                    if ours_extra {
                        rt.schedule_save();
                    }
                    rt.arm_timer();
                }
            }));
    }

    /// The browser put this page in its back/forward cache (`pagehide`
    /// with `persisted`) and has now shown it again: other pages of the
    /// visitor may have saved meanwhile (their storage events are not
    /// guaranteed to reach a cached page), so take what is stored, then
    /// record the return as a new page view and reopen what was closed
    /// for the cache (the chat's event stream).
    fn restored(&self) {
        if self.destroyed.get() {
            return;
        }
        let now = now();
        let stored = match self.engine.try_borrow() {
            Ok(e) if e.consent() == Consent::Granted => self.store.load(),
            _ => None,
        };
        if let Ok(mut engine) = self.engine.try_borrow_mut() {
            if let Some(snapshot) = stored {
                engine.merge(snapshot);
            }
            engine.leave_page(now);
        }
        if let Some(d) = self.delivery.borrow().clone() {
            d.restored();
        }
        if let Some(c) = self.chat() {
            c.resume();
        }
        self.dispatch(current_page(String::new()));
        self.dispatch(headings());
    }

    /// Record the page the browser shows now (for routers no listener sees).
    pub fn page(&self) {
        self.dispatch(current_page(String::new()));
        self.dispatch(headings());
    }

    /// Change consent; granting stores what was kept in memory.
    pub fn set_consent(&self, consent: Consent) {
        let actions = match self.engine.try_borrow_mut() {
            Ok(mut e) => e.set_consent(consent, now()),
            Err(_) => return,
        };
        if consent == Consent::Denied {
            self.cancel_save();
            self.store.clear();
        }
        if let Some(d) = self.delivery.borrow().clone() {
            d.set_persist(consent == Consent::Granted);
        }
        if let Some(c) = self.chat() {
            c.set_persist(consent == Consent::Granted);
        }
        self.perform(actions);
        self.flush();
        self.arm_timer();
    }

    /// Search the answers for the visitor, show the results in the panel,
    /// and record the search.
    pub fn search(&self, query: &str) -> JsValue {
        let found = match self.engine.try_borrow_mut() {
            Ok(mut e) => e.search(query, now(), 10),
            Err(_) => return JsValue::NULL,
        };
        let (results, actions) = found;
        self.perform(actions);
        self.arm_timer();
        if let Some(w) = self.widget() {
            w.show_results(query, &results);
            self.listing.set(Source::Search);
        }
        for t in Track::searched(query, &results) {
            self.track(t);
        }
        let n = results.len();
        self.emit(
            "search",
            &to_js(&serde_json::json!({ "query": query, "results": n })),
        );
        to_js(&results)
    }

    /// Open the help panel (host `open()`).
    pub fn open(&self) {
        self.ui(UiEvent::Open);
    }

    /// Close the widget (host `close()`); not a visitor's dismissal.
    pub fn close(&self) {
        if let Some(w) = self.widget() {
            w.close(false);
        }
    }

    /// Open the panel on one answer (host `showAnswer(id)`). False when
    /// there is no answer with that id.
    pub fn show_answer(&self, id: &str) -> bool {
        let answer = match self.engine.try_borrow() {
            Ok(e) => e.answer(id),
            Err(_) => None,
        };
        let Some(answer) = answer else { return false };
        if let Some(w) = self.widget() {
            w.show_only(&answer);
        }
        self.opened(&answer.id, Source::Api, None);
        self.dispatch(Event::AnswerOpened(answer.id.clone()));
        self.emit("answer", &to_js(&serde_json::json!({ "id": answer.id })));
        true
    }

    /// Each trigger's state now, as plain JS objects.
    pub fn explain(&self) -> JsValue {
        match self.engine.try_borrow() {
            Ok(e) => to_js(&e.explain(now())),
            Err(_) => JsValue::NULL,
        }
    }

    /// The shared state as a plain JS object.
    pub fn journey(&self) -> JsValue {
        match self.engine.try_borrow() {
            Ok(e) => to_js(e.snapshot()),
            Err(_) => JsValue::NULL,
        }
    }

    /// Forget the visitor: wipe memory and storage, continue as a new visitor.
    pub fn forget(&self) {
        if let Ok(mut e) = self.engine.try_borrow_mut() {
            e.forget(random_id(), now());
        }
        self.cancel_save();
        self.store.clear();
    }

    /// The widget, if shown (a handle: no borrow is held while it runs).
    fn widget(&self) -> Option<Rc<Widget>> {
        self.widget.try_borrow().ok().and_then(|w| w.clone())
    }

    /// The built-in chat's conversation, if one is open.
    fn chat(&self) -> Option<Rc<Chat>> {
        self.chat.try_borrow().ok().and_then(|c| c.clone())
    }

    /// Is the instance destroyed?
    pub fn is_destroyed(&self) -> bool {
        self.destroyed.get()
    }

    /// Feed an event to the engine and carry out what it asks.
    pub fn dispatch(&self, event: Event) {
        if self.destroyed.get() {
            return;
        }
        self.queue.borrow_mut().push_back(event);
        if self.busy.replace(true) {
            return; // the running loop below will take it
        }
        loop {
            let next = self.queue.borrow_mut().pop_front();
            let Some(event) = next else { break };
            let leaving = matches!(event, Event::PageHide | Event::Visibility(false));
            let actions = match self.engine.try_borrow_mut() {
                Ok(mut engine) => engine.handle(event, now()),
                Err(_) => Vec::new(),
            };
            self.perform(actions);
            if leaving {
                self.flush();
            }
            if self.destroyed.get() {
                break;
            }
        }
        self.busy.set(false);
        self.arm_timer();
    }

    fn tick(&self) {
        if self.destroyed.get() {
            return;
        }
        self.timer.clear();
        let actions = match self.engine.try_borrow_mut() {
            Ok(mut engine) => engine.tick(now()),
            Err(_) => Vec::new(),
        };
        self.perform(actions);
        self.arm_timer();
    }

    /// Keep exactly one timer, set for the engine's next wake-up.
    fn arm_timer(&self) {
        if self.destroyed.get() {
            return;
        }
        let wake = self.engine.try_borrow().ok().and_then(|e| e.next_wake());
        let me = self.me.clone();
        self.timer.set(wake, now(), move || {
            if let Some(rt) = me.upgrade() {
                rt.tick();
            }
        });
    }

    fn perform(&self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::ShowNudge(nudge) => {
                    self.track(Track::trigger_fired(&nudge));
                    let shown = match self.widget() {
                        Some(w) => {
                            w.show_nudge(&nudge);
                            true
                        }
                        None => false,
                    };
                    if shown {
                        self.track(Track::nudge_shown(&nudge));
                    }
                    self.emit("nudge", &to_js(&nudge));
                }
                Action::Handoff(payload) => {
                    let trigger = payload.trigger.as_ref().map(|t| t.id.as_str());
                    let channel = payload.contact.channel.as_str();
                    self.track(Track::handoff_started(&payload.id, channel, trigger));
                    self.hand_off(&payload)
                }
                Action::Persist => self.schedule_save(),
            }
        }
    }

    /// Give the payload to the handlers and the configured transports.
    fn hand_off(&self, payload: &crate::HandoffPayload) {
        let js = to_js(payload);
        let (replies, handled) = self.emit_replies("handoff", &js);
        let value = serde_json::to_value(payload).unwrap_or_default();
        let body = value.to_string();
        let delivery = self.delivery.borrow().clone();
        if let Some(d) = delivery {
            d.handoff(&payload.id, body, &value, js, replies, handled);
        }
    }

    /// A handoff moved on, or went wrong: tell the host and the visitor.
    fn notice(&self, notice: Notice) {
        if self.destroyed.get() {
            return;
        }
        match notice {
            Notice::Status { key, status, ui } => {
                if ui {
                    if let Some(w) = self.widget() {
                        w.show_status(&status);
                    }
                }
                if let Some(t) = Track::handoff_delivered(&key, &status) {
                    let first = !self.delivered.borrow().contains(&key);
                    if first {
                        self.delivered.borrow_mut().push(key.clone());
                        self.track(t);
                    }
                    let chatting = self.chat().is_some();
                    if ui && !chatting && self.chat_base.is_some() {
                        self.open_chat(&key, 0);
                    }
                }
                let mut event = serde_json::to_value(&status).unwrap_or_default();
                if let Some(map) = event.as_object_mut() {
                    map.insert("id".into(), key.into());
                }
                self.emit("delivery", &to_js(&event));
            }
            Notice::Problem { message, payload } => {
                self.report_with(&message, &JsValue::UNDEFINED, payload.as_ref())
            }
        }
    }

    fn schedule_save(&self) {
        if self.dirty.replace(true) {
            return; // a save is already due
        }
        let me = self.me.clone();
        let timer = Timeout::new(SAVE_DELAY, move || {
            if let Some(rt) = me.upgrade() {
                rt.flush();
            }
        });
        match timer {
            Some(t) => {
                if let Ok(mut slot) = self.save_timer.try_borrow_mut() {
                    *slot = Some(t);
                }
            }
            // No timers on this page: save at once rather than never.
            None => self.flush(),
        }
    }

    fn cancel_save(&self) {
        self.dirty.set(false);
        let pending = self
            .save_timer
            .try_borrow_mut()
            .ok()
            .and_then(|mut t| t.take());
        drop(pending);
    }

    /// Write a pending save now.
    fn flush(&self) {
        if !self.dirty.get() {
            return;
        }
        self.cancel_save();
        let saved = match self.engine.try_borrow() {
            Ok(e) if e.consent() == Consent::Granted => self.store.save(e.snapshot()),
            _ => Ok(()),
        };
        if let Err(cause) = saved {
            if !self.storage_failed.replace(true) {
                self.report(
                    "storage is unavailable or full; the journey is kept in memory only",
                    &cause,
                );
            }
        }
    }

    fn ui(&self, ev: UiEvent) {
        match ev {
            UiEvent::Open
                if self
                    .widget
                    .borrow()
                    .as_ref()
                    .is_some_and(|w| w.chat_active()) =>
            {
                self.ui(UiEvent::ShowChat)
            }
            UiEvent::ShowChat => {
                if let Some(w) = self.widget() {
                    w.open_chat();
                }
                if let Some(c) = self.chat() {
                    c.mark_seen();
                }
            }
            UiEvent::ChatSend(text) => {
                let chat = self.chat();
                if let Some(c) = chat {
                    c.send(text);
                }
            }
            UiEvent::Open => {
                let answers = self
                    .engine
                    .try_borrow()
                    .map(|e| e.panel_answers())
                    .unwrap_or_default();
                if let Some(w) = self.widget() {
                    w.open_panel(&answers);
                }
                self.listing.set(Source::Panel);
            }
            UiEvent::Close => {
                let nudge = self.widget().and_then(|w| w.nudge_shown());
                if let Some(w) = self.widget() {
                    w.close(true);
                }
                // Closing a nudge dismisses its trigger; closing the panel
                // the visitor opened does not.
                if let Some(trigger) = nudge {
                    self.track(Track::nudge_dismissed(&trigger));
                    self.dispatch(Event::NudgeDismissed);
                    self.emit(
                        "dismiss",
                        &to_js(&serde_json::json!({ "triggerId": trigger })),
                    );
                }
            }
            UiEvent::OpenAnswer(id) => {
                let nudge = self.widget().and_then(|w| w.nudge_shown());
                let source = if nudge.is_some() {
                    Source::Nudge
                } else {
                    self.listing.get()
                };
                let shown = self
                    .widget
                    .borrow()
                    .as_ref()
                    .is_some_and(|w| w.show_answer(&id));
                if shown {
                    self.opened(&id, source, nudge);
                    self.dispatch(Event::AnswerOpened(id.clone()));
                    self.emit("answer", &to_js(&serde_json::json!({ "id": id })));
                }
            }
            UiEvent::Query(q) => {
                let results = match self.engine.try_borrow() {
                    Ok(e) if !q.trim().is_empty() => e.find(&q, now(), 10),
                    Ok(e) => {
                        let answers = e.panel_answers();
                        drop(e);
                        if let Some(w) = self.widget() {
                            w.open_panel_keep_focus(&answers);
                        }
                        return;
                    }
                    Err(_) => return,
                };
                if let Some(w) = self.widget() {
                    w.show_results(&q, &results);
                }
                self.listing.set(Source::Search);
            }
            UiEvent::Search(q) => {
                if !q.trim().is_empty() {
                    let _ = self.search(&q);
                }
            }
            UiEvent::Rate(helpful) => {
                let id = self
                    .widget
                    .borrow()
                    .as_ref()
                    .and_then(|w| w.current_answer());
                if let Some(id) = id {
                    let trigger = self.opened_from.borrow().clone();
                    self.track(Track::answer_rated(&id, helpful, trigger.as_deref()));
                    self.dispatch(Event::AnswerRated {
                        id: id.clone(),
                        helpful,
                    });
                    if let Some(w) = self.widget() {
                        w.show_thanks();
                    }
                    self.emit(
                        "feedback",
                        &to_js(&serde_json::json!({ "id": id, "helpful": helpful })),
                    );
                }
            }
            UiEvent::Back => {
                if let Some(w) = self.widget() {
                    w.show_list();
                }
            }
            UiEvent::Talk => {
                let known = self.known_contact();
                if let Some(w) = self.widget() {
                    w.show_form(known);
                }
            }
            UiEvent::Send(f) => {
                let contact = crate::handoff::Contact {
                    channel: f.channel,
                    name: f.name,
                    email: f.email,
                    phone: f.phone,
                    preferred_time: f.preferred_time,
                };
                // The form offers only enabled channels; a host handoff() is
                // checked (with a clear error) in `request_handoff`.
                self.dispatch(Event::HandoffRequested {
                    message: f.message,
                    contact,
                });
            }
        }
    }

    /// The visitor opened answer `id` from `source` (`trigger`: the nudge's).
    fn opened(&self, id: &str, source: Source, trigger: Option<String>) {
        let stale = self
            .engine
            .try_borrow()
            .is_ok_and(|e| e.is_stale(id, now()));
        self.track(Track::answer_opened(id, source, trigger.as_deref(), stale));
        *self.opened_from.borrow_mut() = trigger;
    }

    /// Report an analytics event: `on('analytics')` handlers, then (with
    /// consent) the sinks the config names. With consent denied nothing is
    /// reported.
    fn track(&self, track: Track) {
        let (ctx, consent) = match self.engine.try_borrow() {
            Ok(e) if e.consent() == Consent::Denied => return,
            Ok(e) => {
                let s = e.snapshot();
                let (path, title) = e
                    .page()
                    .map(|p| (p.path.clone(), p.title.clone()))
                    .unwrap_or_default();
                let ctx = Context {
                    visitor_id: s.visitor.id.clone(),
                    session_started: s.session.started_at,
                    path,
                    title,
                    locale: self.locale.clone(),
                };
                (ctx, e.consent())
            }
            Err(_) => return,
        };
        let seq = self.sent_events.get();
        self.sent_events.set(seq + 1);
        let message = envelope(&track, &ctx, now(), &self.page_load, seq);
        let js = to_js(&message);
        self.emit("analytics", &js);
        let sink = self.analytics.borrow().clone();
        if let Some(a) = sink.filter(|_| consent == Consent::Granted) {
            a.record(message, &js);
        }
    }

    /// Follow the built-in chat of handoff `id` (`seen`: the last message
    /// the visitor saw).
    fn open_chat(&self, id: &str, seen: u64) {
        let Some(base) = self.chat_base.as_deref() else {
            return;
        };
        let me = self.me.clone();
        let notify = Rc::new(move |n: ChatNotice| {
            if let Some(rt) = me.upgrade() {
                rt.chat_notice(n);
            }
        });
        let persist = self
            .engine
            .try_borrow()
            .is_ok_and(|e| e.consent() == Consent::Granted);
        let chat = Chat::open(base, id, seen, persist, notify);
        let old = match self.chat.try_borrow_mut() {
            Ok(mut slot) => slot.replace(chat),
            Err(_) => Some(chat),
        };
        if let Some(old) = old {
            old.destroy();
        }
    }

    fn chat_notice(&self, notice: ChatNotice) {
        if self.destroyed.get() {
            return;
        }
        match notice {
            ChatNotice::Thread { messages, fresh } => {
                let open = match self.widget() {
                    Some(w) => {
                        w.show_chat(&messages, fresh.last());
                        w.is_open()
                    }
                    None => false,
                };
                if open {
                    if let Some(c) = self.chat() {
                        c.mark_seen();
                    }
                }
                for m in &fresh {
                    self.emit(
                        "message",
                        &to_js(&serde_json::json!({ "id": m.id, "name": m.name, "text": m.text })),
                    );
                }
            }
            ChatNotice::Closed => {
                if let Some(w) = self.widget() {
                    w.chat_ended();
                }
            }
            ChatNotice::NotSent(text) => {
                if let Some(w) = self.widget() {
                    w.chat_not_sent(&text);
                }
            }
            ChatNotice::Lost(reason) => {
                let lost = self.chat.try_borrow_mut().ok().and_then(|mut c| c.take());
                drop(lost);
                self.report(&reason, &JsValue::UNDEFINED);
            }
        }
    }

    /// What `identify` told about the visitor's name, email and phone.
    fn known_contact(&self) -> Known {
        let Ok(e) = self.engine.try_borrow() else {
            return Known::default();
        };
        let c = crate::handoff::Contact::new(crate::handoff::Channel::Chat)
            .filled_from(&e.snapshot().visitor.attributes);
        Known {
            name: c.name.is_some(),
            email: c.email.is_some(),
            phone: c.phone.is_some(),
        }
    }

    /// A handoff asked for by the host (`pl.handoff(details)`): the channel
    /// must be enabled, and is never replaced by another.
    pub fn request_handoff(
        &self,
        message: String,
        contact: crate::handoff::Contact,
    ) -> Result<(), crate::Error> {
        if let Ok(e) = self.engine.try_borrow() {
            e.check_contact(&contact)?;
        }
        self.dispatch(Event::HandoffRequested { message, contact });
        Ok(())
    }

    /// The handoffs a webhook has not yet taken.
    pub fn pending_handoffs(&self) -> JsValue {
        let pending = self
            .delivery
            .borrow()
            .as_ref()
            .map(|d| d.pending())
            .unwrap_or_default();
        to_js(&pending)
    }

    /// Add a handler for `topic` (one of [`TOPICS`]).
    pub fn on(&self, topic: &'static str, f: js_sys::Function) {
        self.handlers.borrow_mut().push((topic, f));
    }

    /// Remove a handler added with [`on`](Runtime::on).
    pub fn off(&self, topic: &str, f: &js_sys::Function) {
        self.handlers
            .borrow_mut()
            .retain(|(t, g)| !(*t == topic && JsValue::from(g) == JsValue::from(f)));
    }

    /// Call every handler of `topic`. True when at least one ran without
    /// throwing. A handler that throws is reported, never rethrown.
    fn emit(&self, topic: &str, arg: &JsValue) -> bool {
        self.emit_replies(topic, arg).1
    }

    /// [`emit`](Runtime::emit), keeping what each handler returned.
    fn emit_replies(&self, topic: &str, arg: &JsValue) -> (Vec<JsValue>, bool) {
        let fns: Vec<js_sys::Function> = self
            .handlers
            .borrow()
            .iter()
            .filter(|(t, _)| *t == topic)
            .map(|(_, f)| f.clone())
            .collect();
        let mut ok = false;
        let mut replies = Vec::new();
        for f in fns {
            match f.call1(&JsValue::UNDEFINED, arg) {
                Ok(reply) => {
                    ok = true;
                    replies.push(reply);
                }
                // Nothing is left to report it to; a warning, not a console
                // error a page's monitoring would count as its own.
                Err(e) if topic == "error" => {
                    web_sys::console::warn_2(&"Pathlight: an error handler threw".into(), &e)
                }
                Err(e) => self.report("an event handler threw", &e),
            }
        }
        (replies, ok)
    }

    /// Tell the host something went wrong: `error` handlers, else the console.
    fn report(&self, message: &str, cause: &JsValue) {
        self.report_with(message, cause, None);
    }

    /// [`report`](Runtime::report), with the handoff payload concerned as
    /// `error.payload` (so a host can keep what could not be delivered).
    fn report_with(&self, message: &str, cause: &JsValue, payload: Option<&JsValue>) {
        let err = js_sys::Error::new(&format!("Pathlight: {message}"));
        err.set_name("PathlightError");
        if !cause.is_undefined() {
            let _ = js_sys::Reflect::set(&err, &"cause".into(), cause);
        }
        if let Some(p) = payload {
            let _ = js_sys::Reflect::set(&err, &"payload".into(), p);
        }
        if !self.emit("error", &err) {
            web_sys::console::warn_1(&err);
        }
    }

    /// Remove everything this instance added to the page.
    pub fn destroy(&self) {
        if self.destroyed.get() {
            return;
        }
        self.flush();
        self.destroyed.set(true);
        self.timer.clear();
        // destroy() may run inside any of our calls into JS (a page's
        // listener reacting to a focus move, a storage write): nothing here
        // may assume a slot is free, so every take is a try.
        fn take<T>(slot: &RefCell<Option<T>>) -> Option<T> {
            slot.try_borrow_mut().ok().and_then(|mut s| s.take())
        }
        if let Ok(mut l) = self.listeners.try_borrow_mut() {
            l.clear();
        }
        drop(take(&self.capture));
        if let Some(d) = take(&self.delivery) {
            d.destroy();
        }
        if let Some(c) = take(&self.chat) {
            c.destroy();
        }
        if let Some(a) = take(&self.analytics) {
            a.destroy();
        }
        // Dropping the widget removes its node (and its listeners); a
        // method running on it holds it until it returns.
        drop(take(&self.widget));
        if let Ok(mut h) = self.handlers.try_borrow_mut() {
            h.clear();
        }
        if let Ok(mut q) = self.queue.try_borrow_mut() {
            q.clear();
        }
        // The config, the answers' index and the journey are freed now, not
        // when the page's garbage collector gets round to the JS object
        // (a host may keep it: auto.js's `ready` promise does).
        if let Ok(mut e) = self.engine.try_borrow_mut() {
            *e = Engine::new(Config::default(), Knowledge::default(), String::new());
        }
    }
}

/// A random 128-bit id in hex.
fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
