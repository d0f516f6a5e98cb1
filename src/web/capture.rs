//! Automatic capture: DOM events become engine [`Event`]s. Everything is
//! owned by [`Capture`]; dropping it removes every listener, disconnects the
//! observers, cancels the pending frame and restores `history`.
//!
//! Input values are never read, except the text of a submitted
//! `input[type=search]`, which is the search itself (and is scrubbed by the
//! engine like all text).

use super::listener::Listener;
use crate::journey::{Click, Event};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, MutationObserver, MutationObserverInit, Window};

/// Where captured events go.
pub type Sink = Rc<dyn Fn(Event)>;

type Observer = (MutationObserver, Closure<dyn FnMut(js_sys::Array)>);
type Wrapper = Closure<dyn Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>;

/// Everything capture installed.
pub struct Capture {
    _listeners: Vec<Listener>,
    observers: Vec<Observer>,
    history: Option<HistoryPatch>,
    frame: Rc<Cell<i32>>,
    _on_frame: Rc<Closure<dyn FnMut(f64)>>,
}

/// The page's `h1` and `h2` texts, short, at most eight.
pub fn headings() -> Event {
    let mut out = Vec::new();
    if let Some(list) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all("main h1, main h2, h1, h2").ok())
    {
        for i in 0..list.length() {
            let Some(text) = list.item(i).and_then(|n| n.text_content()) else {
                continue;
            };
            let text = collapse(&text, 120);
            if !text.is_empty() && !out.contains(&text) {
                out.push(text);
            }
            if out.len() == 8 {
                break;
            }
        }
    }
    Event::Headings(out)
}

/// The page the browser shows now.
pub fn current_page(referrer: String) -> Event {
    let window = web_sys::window();
    let url = window
        .as_ref()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let title = window
        .and_then(|w| w.document())
        .map(|d| d.title())
        .unwrap_or_default();
    Event::PageView {
        url,
        title,
        referrer,
    }
}

fn href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

impl Capture {
    /// Start capturing into `sink`. Events from inside `ignore` (the
    /// widget's host element) are not the host page's and are skipped.
    pub fn start(window: &Window, doc: &Document, sink: Sink, ignore: Option<Element>) -> Capture {
        let mut listeners = Vec::new();
        let last_url = Rc::new(std::cell::RefCell::new(href()));

        // Navigation: the Navigation API where present, else popstate,
        // hashchange and a patched pushState / replaceState.
        let navigate = {
            let sink = sink.clone();
            let last_url = last_url.clone();
            move || {
                let now_url = href();
                let referrer = last_url.replace(now_url.clone());
                if referrer != now_url {
                    sink(current_page(referrer));
                    sink(headings());
                }
            }
        };
        let navigation = js_sys::Reflect::get(window, &"navigation".into())
            .ok()
            .and_then(|n| n.dyn_into::<web_sys::EventTarget>().ok());
        let mut history = None;
        match navigation {
            Some(nav) => {
                let go = navigate.clone();
                listeners.push(Listener::new(&nav, "currententrychange", move |_| go()));
            }
            None => {
                for kind in ["popstate", "hashchange"] {
                    let go = navigate.clone();
                    listeners.push(Listener::new(window, kind, move |_| go()));
                }
                history = HistoryPatch::install(window, Rc::new(navigate.clone()));
            }
        }

        // Visibility, page hide.
        {
            let sink = sink.clone();
            let d = doc.clone();
            listeners.push(Listener::new(doc, "visibilitychange", move |_| {
                sink(Event::Visibility(!d.hidden()))
            }));
        }
        {
            let sink = sink.clone();
            listeners.push(Listener::new(window, "pagehide", move |_| {
                sink(Event::PageHide)
            }));
        }

        // Scroll depth: passive listener, one layout read per frame.
        let frame = Rc::new(Cell::new(0));
        let on_frame = {
            let sink = sink.clone();
            let frame = frame.clone();
            let max = Cell::new(0u8);
            Rc::new(Closure::<dyn FnMut(f64)>::new(move |_| {
                frame.set(0);
                let depth = scroll_depth();
                if depth > max.get() {
                    max.set(depth);
                    sink(Event::Scroll(depth));
                }
            }))
        };
        {
            let sink = sink.clone();
            let frame = frame.clone();
            let on_frame = on_frame.clone();
            let w = window.clone();
            let last_input = Cell::new(0.0);
            listeners.push(Listener::with(window, "scroll", false, true, move |_| {
                if frame.get() == 0 {
                    let id = w
                        .request_animation_frame((*on_frame).as_ref().unchecked_ref())
                        .unwrap_or(0);
                    frame.set(id);
                }
                throttled_input(&sink, &last_input);
            }));
        }

        // Typing in a form field: no nudge interrupts it.
        {
            let sink = sink.clone();
            let ignore = ignore.clone();
            // Every keystroke: the pause is measured from the last one. It is
            // cheap: nothing is recorded or stored for it.
            listeners.push(Listener::with(doc, "keydown", true, true, move |ev| {
                let Some(el) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                    return;
                };
                if ignore.as_ref().is_some_and(|i| i.contains(Some(&el))) || !is_editable(&el) {
                    return;
                }
                sink(Event::Typing);
            }));
        }

        // Activity (for idle), throttled to once a second.
        for kind in ["keydown", "pointerdown", "pointermove"] {
            let sink = sink.clone();
            let last = Cell::new(0.0);
            listeners.push(Listener::with(doc, kind, true, true, move |_| {
                throttled_input(&sink, &last)
            }));
        }

        // Clicks, in the capture phase so a host's stopPropagation cannot hide them.
        {
            let sink = sink.clone();
            let ignore = ignore.clone();
            listeners.push(Listener::with(doc, "click", true, true, move |ev| {
                if let Some(click) = click_of(&ev, ignore.as_ref()) {
                    sink(Event::Click(click));
                }
            }));
        }

        // Form validation: the `invalid` event (does not bubble: capture).
        {
            let sink = sink.clone();
            listeners.push(Listener::with(doc, "invalid", true, true, move |ev| {
                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                    let message = prop(&el, "validationMessage");
                    sink(form_error(&el, message));
                }
            }));
        }
        // Submits, and searches submitted through input[type=search].
        {
            let sink = sink.clone();
            let ignore = ignore.clone();
            listeners.push(Listener::with(doc, "submit", true, true, move |ev| {
                let Some(form) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                    return;
                };
                if ignore.as_ref().is_some_and(|i| i.contains(Some(&form))) {
                    return;
                }
                if let Ok(Some(search)) = form.query_selector("input[type=search]") {
                    sink(Event::Search {
                        query: prop(&search, "value"),
                        results: None,
                    });
                } else {
                    sink(Event::FormSubmit {
                        form: form_name(&form).unwrap_or_else(|| "form".into()),
                    });
                }
            }));
        }

        // Exit intent: the pointer leaves through the top of the window.
        {
            let sink = sink.clone();
            listeners.push(Listener::with(doc, "mouseout", false, true, move |ev| {
                if let Some(m) = ev.dyn_ref::<web_sys::MouseEvent>() {
                    if m.related_target().is_none() && m.client_y() <= 0 {
                        sink(Event::ExitIntent);
                    }
                }
            }));
        }

        let mut observers = Vec::new();
        // aria-invalid="true" appearing, and title changes.
        if let Some(body) = doc.body() {
            let s = sink.clone();
            let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
                for r in records.iter() {
                    let Ok(r) = r.dyn_into::<web_sys::MutationRecord>() else {
                        continue;
                    };
                    let Some(el) = r.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                        continue;
                    };
                    if el.get_attribute("aria-invalid").as_deref() == Some("true") {
                        let message = described_error(&el);
                        s(form_error(&el, message));
                    }
                }
            });
            let init = MutationObserverInit::new();
            init.set_attributes(true);
            init.set_subtree(true);
            init.set_attribute_filter(&js_sys::Array::of1(&"aria-invalid".into()));
            if let Ok(obs) = MutationObserver::new(cb.as_ref().unchecked_ref()) {
                let _ = obs.observe_with_options(&body, &init);
                observers.push((obs, cb));
            }
        }
        if let Ok(Some(head)) = doc.query_selector("head") {
            let s = sink.clone();
            let d = doc.clone();
            let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |_| s(Event::Title(d.title())));
            let init = MutationObserverInit::new();
            init.set_child_list(true);
            init.set_subtree(true);
            init.set_character_data(true);
            if let Ok(obs) = MutationObserver::new(cb.as_ref().unchecked_ref()) {
                let _ = obs.observe_with_options(&head, &init);
                observers.push((obs, cb));
            }
        }

        Capture {
            _listeners: listeners,
            observers,
            history,
            frame,
            _on_frame: on_frame,
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        for (obs, _) in &self.observers {
            obs.disconnect();
        }
        if self.frame.get() != 0 {
            if let Some(w) = web_sys::window() {
                let _ = w.cancel_animation_frame(self.frame.get());
            }
        }
        self.history.take();
    }
}

fn throttled_input(sink: &Sink, last: &Cell<f64>) {
    let now = js_sys::Date::now();
    if now - last.get() >= 1000.0 {
        last.set(now);
        sink(Event::Input);
    }
}

/// A text field, text area or editable element.
fn is_editable(el: &Element) -> bool {
    let tag = el.tag_name().to_ascii_lowercase();
    let kind = el
        .get_attribute("type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    match tag.as_str() {
        "textarea" | "select" => true,
        "input" => !matches!(
            kind.as_str(),
            "button" | "submit" | "reset" | "checkbox" | "radio" | "image" | "range" | "color"
        ),
        _ => el
            .get_attribute("contenteditable")
            .is_some_and(|v| v != "false"),
    }
}

/// How far down the page the bottom of the viewport is, in percent.
fn scroll_depth() -> u8 {
    let Some(w) = web_sys::window() else { return 0 };
    let Some(root) = w.document().and_then(|d| d.document_element()) else {
        return 0;
    };
    let total = f64::from(root.scroll_height());
    let seen = w.scroll_y().unwrap_or(0.0) + f64::from(root.client_height());
    if total <= 0.0 {
        return 0;
    }
    ((seen / total) * 100.0).clamp(0.0, 100.0) as u8
}

/// A string property of an element (`validationMessage`, `value`), or "".
fn prop(el: &Element, name: &str) -> String {
    js_sys::Reflect::get(el, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn form_error(field: &Element, message: String) -> Event {
    let form = field
        .closest("form")
        .ok()
        .flatten()
        .and_then(|f| form_name(&f))
        .unwrap_or_default();
    Event::FormError {
        form,
        field: field_name(field),
        message,
    }
}

/// The error text of a field marked `aria-invalid`: the element named by
/// `aria-errormessage`, else by `aria-describedby`.
fn described_error(el: &Element) -> String {
    let doc = el.owner_document();
    for attr in ["aria-errormessage", "aria-describedby"] {
        let Some(ids) = el.get_attribute(attr) else {
            continue;
        };
        let text: Vec<String> = ids
            .split_whitespace()
            .filter_map(|id| doc.as_ref()?.get_element_by_id(id)?.text_content())
            .map(|t| collapse(&t, 200))
            .filter(|t| !t.is_empty())
            .collect();
        if !text.is_empty() {
            return text.join(" ");
        }
    }
    String::new()
}

/// A form's name, id or label, when it has one.
fn form_name(form: &Element) -> Option<String> {
    form.get_attribute("name")
        .or_else(|| form.get_attribute("id"))
        .or_else(|| form.get_attribute("aria-label"))
}

fn field_name(el: &Element) -> String {
    if let Some(label) = el.get_attribute("aria-label") {
        return collapse(&label, 80);
    }
    let id = el.id();
    if !id.is_empty() {
        let doc = el.owner_document();
        let selector = format!("label[for=\"{}\"]", id.replace('"', ""));
        if let Some(t) = doc
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|l| l.text_content())
        {
            return collapse(&t, 80);
        }
    }
    if let Some(t) = el
        .closest("label")
        .ok()
        .flatten()
        .and_then(|l| l.text_content())
    {
        return collapse(&t, 80);
    }
    el.get_attribute("name").unwrap_or(id)
}

fn click_of(ev: &web_sys::Event, ignore: Option<&Element>) -> Option<Click> {
    let m = ev.dyn_ref::<web_sys::MouseEvent>()?;
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    if ignore.is_some_and(|i| i.contains(Some(&target))) {
        return None;
    }
    let interactive = target
        .closest("a[href], button, [role=button], [role=link], input[type=submit], input[type=button], summary")
        .ok()
        .flatten();
    let el = interactive.as_ref().unwrap_or(&target);
    Some(Click {
        x: m.client_x(),
        y: m.client_y(),
        label: interactive
            .as_ref()
            .map(accessible_name)
            .unwrap_or_default(),
        selector: selector(el),
        interactive: interactive.is_some(),
    })
}

/// A short accessible name: aria-label, aria-labelledby, the text, title or
/// (for input buttons) the value.
fn accessible_name(el: &Element) -> String {
    if let Some(l) = el.get_attribute("aria-label") {
        return collapse(&l, 80);
    }
    if let Some(ids) = el.get_attribute("aria-labelledby") {
        let doc = el.owner_document();
        let text: Vec<String> = ids
            .split_whitespace()
            .filter_map(|id| doc.as_ref()?.get_element_by_id(id)?.text_content())
            .collect();
        if !text.is_empty() {
            return collapse(&text.join(" "), 80);
        }
    }
    let text = collapse(&el.text_content().unwrap_or_default(), 80);
    if !text.is_empty() {
        return text;
    }
    if el.tag_name().eq_ignore_ascii_case("input") {
        return collapse(&prop(el, "value"), 80);
    }
    el.get_attribute("title")
        .map(|t| collapse(&t, 80))
        .unwrap_or_default()
}

/// A short selector: `tag#id`, `tag[name=…]` or `tag.class`.
fn selector(el: &Element) -> String {
    let tag = el.tag_name().to_ascii_lowercase();
    let id = el.id();
    if !id.is_empty() && id.len() <= 40 {
        return format!("{tag}#{id}");
    }
    if let Some(name) = el.get_attribute("name") {
        return format!("{tag}[name={name}]");
    }
    match el.class_list().item(0) {
        Some(class) => format!("{tag}.{class}"),
        None => tag,
    }
}

/// Collapse white space and cut to `max` characters.
fn collapse(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() >= max {
            return out.chars().take(max).collect();
        }
    }
    out
}

/// `history.pushState` / `replaceState` wrapped to report navigations, for
/// browsers without the Navigation API. Restored on drop; if another script
/// wrapped over ours meanwhile, ours stays in its chain as a pass-through, so
/// the original still runs exactly once per call.
struct HistoryPatch {
    history: web_sys::History,
    active: Rc<Cell<bool>>,
    /// Name, the function wrapped, whether `history` had it as an own
    /// property (usually not: it comes from `History.prototype`), ours.
    patched: Vec<(&'static str, js_sys::Function, bool, Wrapper)>,
}

impl HistoryPatch {
    fn install(window: &Window, notify: Rc<dyn Fn()>) -> Option<HistoryPatch> {
        let history = window.history().ok()?;
        let active = Rc::new(Cell::new(true));
        let mut patched = Vec::new();
        for name in ["pushState", "replaceState"] {
            let Ok(original) = js_sys::Reflect::get(&history, &name.into())
                .and_then(|f| f.dyn_into::<js_sys::Function>())
            else {
                continue;
            };
            let own = js_sys::Reflect::get_own_property_descriptor(
                history.unchecked_ref::<js_sys::Object>(),
                &JsValue::from_str(name),
            )
            .map_or(true, |d| d.is_object());
            let (h, orig, on, notify) = (
                history.clone(),
                original.clone(),
                active.clone(),
                notify.clone(),
            );
            let wrapper = Wrapper::new(move |state: JsValue, title: JsValue, url: JsValue| {
                let result = orig.call3(&h, &state, &title, &url)?;
                if on.get() {
                    notify();
                }
                Ok(result)
            });
            if js_sys::Reflect::set(&history, &name.into(), wrapper.as_ref()).is_ok() {
                patched.push((name, original, own, wrapper));
            }
        }
        Some(HistoryPatch {
            history,
            active,
            patched,
        })
    }
}

impl Drop for HistoryPatch {
    fn drop(&mut self) {
        self.active.set(false);
        for (name, original, own, wrapper) in self.patched.drain(..) {
            let key = JsValue::from_str(name);
            let current = js_sys::Reflect::get(&self.history, &key).unwrap_or(JsValue::UNDEFINED);
            if current == *wrapper.as_ref() {
                // Leave `history` as found: no own property where there was
                // none (the prototype's function shows through again).
                let target: &js_sys::Object = self.history.unchecked_ref();
                let deleted = !own
                    && js_sys::Reflect::delete_property(target, &key).unwrap_or(false)
                    && js_sys::Reflect::get(&self.history, &key).ok().as_ref()
                        == Some(original.as_ref());
                if !deleted {
                    let _ = js_sys::Reflect::set(&self.history, &key, &original);
                }
            } else {
                // Someone wrapped over us and may still call us: stay alive
                // as a pass-through.
                wrapper.forget();
            }
        }
    }
}
