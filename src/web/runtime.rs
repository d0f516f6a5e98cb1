//! The running instance: owns the engine, the widget, the listeners and the
//! timer, feeds events to the engine and carries out its actions.
//!
//! Re-entrancy: host callbacks may call back into the instance (`track`
//! inside an `on('nudge')` handler, `destroy` inside `on('handoff')`).
//! Events are therefore queued and drained by one loop, and no `RefCell`
//! borrow is held while JS code runs.

use super::capture::{current_page, headings, Capture};
use super::convert::to_js;
use super::listener::Listener;
use super::storage::{Store, KEY};
use super::widget::{UiEvent, Widget};
use crate::config::Config;
use crate::engine::snapshot::Snapshot;
use crate::engine::{Action, Consent, Engine};
use crate::journey::Event;
use crate::knowledge::Knowledge;
use crate::time::Millis;
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

/// Events a host can listen to with `on(name, fn)`.
pub const TOPICS: &[&str] = &[
    "nudge", "handoff", "error", "answer", "feedback", "search", "dismiss",
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
    widget: RefCell<Option<Widget>>,
    handlers: RefCell<Vec<(&'static str, js_sys::Function)>>,
    listeners: RefCell<Vec<Listener>>,
    capture: RefCell<Option<Capture>>,
    timer: RefCell<Option<(Millis, Timeout)>>,
    /// Pending save: the snapshot is written at most every [`SAVE_DELAY`].
    save_timer: RefCell<Option<Timeout>>,
    queue: RefCell<VecDeque<Event>>,
    busy: Cell<bool>,
    destroyed: Cell<bool>,
    store: Store,
    storage_failed: Cell<bool>,
}

impl Runtime {
    /// Start: restore the stored journey, mount the widget, start capture,
    /// and record the current page.
    pub fn start(
        config: Config,
        knowledge: Knowledge,
        consent: Consent,
        locale: Option<String>,
    ) -> Rc<Runtime> {
        let store = Store::local();
        let now = now();
        let zones = config.zones();
        let mut env = super::env::read(&zones);
        if let Some(l) = locale {
            env.languages.insert(0, l);
        }
        let languages: Vec<&str> = env.languages.iter().map(String::as_str).collect();
        let (ui_locale, strings) = crate::i18n::localize(&languages, config.strings.as_ref());
        let theme = config.theme.clone();
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
            timer: RefCell::new(None),
            save_timer: RefCell::new(None),
            queue: RefCell::new(VecDeque::new()),
            busy: Cell::new(false),
            destroyed: Cell::new(false),
            store,
            storage_failed: Cell::new(false),
        });
        rt.mount_widget(strings, ui_locale, &theme);
        rt.start_capture();
        let referrer = web_sys::window()
            .and_then(|w| w.document())
            .map(|d| d.referrer())
            .unwrap_or_default();
        rt.dispatch(current_page(referrer));
        rt.dispatch(headings());
        rt
    }

    fn mount_widget(
        &self,
        strings: crate::i18n::Strings,
        locale: &str,
        theme: &crate::config::Theme,
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
        match Widget::mount(&doc, on, strings, locale, theme) {
            Ok(w) => *self.widget.borrow_mut() = Some(w),
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
        let host = self.widget.borrow().as_ref().map(|w| w.host().clone());
        *self.capture.borrow_mut() = Some(Capture::start(&window, &doc, sink, host));
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
            self.save_timer.borrow_mut().take();
            self.store.clear();
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
        if let Some(w) = self.widget.borrow().as_ref() {
            w.show_results(query, &results);
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
        if let Some(w) = self.widget.borrow().as_ref() {
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
        if let Some(w) = self.widget.borrow().as_ref() {
            w.show_only(&answer);
        }
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
        self.save_timer.borrow_mut().take();
        self.store.clear();
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
        self.timer.borrow_mut().take();
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
        let mut timer = self.timer.borrow_mut();
        if timer.as_ref().map(|(at, _)| *at) == wake {
            return;
        }
        *timer = wake.map(|at| {
            let delay = at.saturating_sub(now()).min(i32::MAX as u64) as u32;
            let me = self.me.clone();
            let t = Timeout::new(delay, move || {
                if let Some(rt) = me.upgrade() {
                    rt.tick();
                }
            });
            (at, t)
        });
    }

    fn perform(&self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::ShowNudge(nudge) => {
                    if let Some(w) = self.widget.borrow().as_ref() {
                        w.show_nudge(&nudge);
                    }
                    self.emit("nudge", &to_js(&nudge));
                }
                Action::Handoff(payload) => {
                    let delivered = self.emit("handoff", &to_js(&payload));
                    if !delivered {
                        self.report(
                            "no handoff handler accepted the handoff",
                            &JsValue::UNDEFINED,
                        );
                    }
                    if let Some(w) = self.widget.borrow().as_ref() {
                        w.show_handoff(delivered);
                    }
                }
                Action::Persist => self.schedule_save(),
            }
        }
    }

    fn schedule_save(&self) {
        let mut timer = self.save_timer.borrow_mut();
        if timer.is_none() {
            let me = self.me.clone();
            *timer = Some(Timeout::new(SAVE_DELAY, move || {
                if let Some(rt) = me.upgrade() {
                    rt.flush();
                }
            }));
        }
    }

    /// Write a pending save now.
    fn flush(&self) {
        if self.save_timer.borrow_mut().take().is_none() {
            return;
        }
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
            UiEvent::Open => {
                let answers = self
                    .engine
                    .try_borrow()
                    .map(|e| e.panel_answers())
                    .unwrap_or_default();
                if let Some(w) = self.widget.borrow().as_ref() {
                    w.open_panel(&answers);
                }
            }
            UiEvent::Close => {
                let nudge = self.widget.borrow().as_ref().and_then(|w| w.nudge_shown());
                if let Some(w) = self.widget.borrow().as_ref() {
                    w.close(true);
                }
                // Closing a nudge dismisses its trigger; closing the panel
                // the visitor opened does not.
                if let Some(trigger) = nudge {
                    self.dispatch(Event::NudgeDismissed);
                    self.emit(
                        "dismiss",
                        &to_js(&serde_json::json!({ "triggerId": trigger })),
                    );
                }
            }
            UiEvent::OpenAnswer(id) => {
                let shown = self
                    .widget
                    .borrow()
                    .as_ref()
                    .is_some_and(|w| w.show_answer(&id));
                if shown {
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
                        if let Some(w) = self.widget.borrow().as_ref() {
                            w.open_panel_keep_focus(&answers);
                        }
                        return;
                    }
                    Err(_) => return,
                };
                if let Some(w) = self.widget.borrow().as_ref() {
                    w.show_results(&q, &results);
                }
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
                    self.dispatch(Event::AnswerRated {
                        id: id.clone(),
                        helpful,
                    });
                    if let Some(w) = self.widget.borrow().as_ref() {
                        w.show_thanks();
                    }
                    self.emit(
                        "feedback",
                        &to_js(&serde_json::json!({ "id": id, "helpful": helpful })),
                    );
                }
            }
            UiEvent::Back => {
                if let Some(w) = self.widget.borrow().as_ref() {
                    w.show_list();
                }
            }
            UiEvent::Talk => {
                if let Some(w) = self.widget.borrow().as_ref() {
                    w.show_form();
                }
            }
            UiEvent::Send(message) => self.dispatch(Event::HandoffRequested { message }),
        }
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
        let fns: Vec<js_sys::Function> = self
            .handlers
            .borrow()
            .iter()
            .filter(|(t, _)| *t == topic)
            .map(|(_, f)| f.clone())
            .collect();
        let mut ok = false;
        for f in fns {
            match f.call1(&JsValue::UNDEFINED, arg) {
                Ok(_) => ok = true,
                Err(e) if topic == "error" => {
                    web_sys::console::error_2(&"Pathlight: an error handler threw".into(), &e)
                }
                Err(e) => self.report("an event handler threw", &e),
            }
        }
        ok
    }

    /// Tell the host something went wrong: `error` handlers, else the console.
    fn report(&self, message: &str, cause: &JsValue) {
        let err = js_sys::Error::new(&format!("Pathlight: {message}"));
        err.set_name("PathlightError");
        if !cause.is_undefined() {
            let _ = js_sys::Reflect::set(&err, &"cause".into(), cause);
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
        self.timer.borrow_mut().take();
        self.listeners.borrow_mut().clear();
        self.capture.borrow_mut().take();
        // Dropping the widget removes its node (and its listeners).
        let widget = self.widget.borrow_mut().take();
        drop(widget);
        self.handlers.borrow_mut().clear();
        self.queue.borrow_mut().clear();
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
