//! The widget: a launcher, a nudge and a panel in a Shadow DOM, so host
//! styles do not leak in and ours do not leak out. Every string is set as
//! text; nothing from config or answers becomes HTML.

use super::listener::Listener;
use crate::engine::{Nudge, NudgeAnswer, SearchResult};
use crate::i18n::{is_rtl, Strings};
use crate::links::is_safe_link;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

const CSS: &str = include_str!("widget.css");

/// What the visitor did in the widget.
#[derive(Debug, Clone, PartialEq)]
pub enum UiEvent {
    /// Pressed the launcher while closed.
    Open,
    /// Closed the card (close button, launcher, Escape).
    Close,
    /// Opened an answer.
    OpenAnswer(String),
    /// Went back to the list.
    Back,
    /// Pressed "Talk to a person".
    Talk,
    /// Sent the handoff form with this text.
    Send(String),
    /// Typed in the search box (results as they type).
    Query(String),
    /// Submitted the search box.
    Search(String),
    /// Answered "Was this helpful?" for the answer shown.
    Rate(bool),
}

/// Which view of the card is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    List,
    Answer,
    Form,
    Done,
}

struct Parts {
    card: HtmlElement,
    heading: Element,
    status: Element,
    message: Element,
    search: HtmlElement,
    empty: HtmlElement,
    list: Element,
    feedback: HtmlElement,
    thanks: HtmlElement,
    answer_title: Element,
    answer_body: Element,
    answer_more: HtmlElement,
    textarea: HtmlElement,
    done: Element,
    launcher: HtmlElement,
    views: [(View, HtmlElement); 4],
}

/// The mounted widget. Dropping it removes it from the page.
pub struct Widget {
    host: Element,
    parts: Parts,
    strings: Strings,
    answers: RefCell<Vec<NudgeAnswer>>,
    current: RefCell<Option<String>>,
    /// The trigger whose nudge the card shows, while it shows one.
    nudge: RefCell<Option<String>>,
    _listeners: Vec<Listener>,
}

fn el(doc: &Document, parent: &Element, tag: &str, class: &str) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    parent.append_child(&e)?;
    Ok(e)
}

fn html(e: Element) -> Result<HtmlElement, JsValue> {
    e.dyn_into::<HtmlElement>().map_err(JsValue::from)
}

fn button(
    doc: &Document,
    parent: &Element,
    class: &str,
    action: &str,
    text: &str,
) -> Result<Element, JsValue> {
    let b = el(doc, parent, "button", class)?;
    b.set_attribute("type", "button")?;
    b.set_attribute("data-action", action)?;
    b.set_text_content(Some(text));
    Ok(b)
}

impl Widget {
    /// Build the widget at the end of `<body>`; `on` hears what the visitor does.
    /// Its text is `strings` (in `locale`); right-to-left locales get a
    /// mirrored layout.
    pub fn mount(
        doc: &Document,
        on: Rc<dyn Fn(UiEvent)>,
        strings: Strings,
        locale: &str,
        theme: &crate::config::Theme,
    ) -> Result<Widget, JsValue> {
        let body = doc
            .body()
            .ok_or_else(|| JsValue::from_str("the page has no <body>"))?;
        let host = doc.create_element("pathlight-widget")?;
        apply_theme(&host, theme)?;
        let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
        style(doc, &root)?;
        let shell = doc.create_element("div")?;
        shell.set_class_name("pl");
        shell.set_attribute("lang", locale)?;
        shell.set_attribute("dir", if is_rtl(locale) { "rtl" } else { "ltr" })?;
        root.append_child(&shell)?;

        let status = el(doc, &shell, "div", "sr-only")?;
        status.set_attribute("role", "status")?;
        status.set_attribute("aria-live", "polite")?;

        let card = el(doc, &shell, "section", "card")?;
        card.set_id("pl-card");
        card.set_attribute("role", "dialog")?;
        card.set_attribute("aria-labelledby", "pl-heading")?;
        let head = el(doc, &card, "div", "head")?;
        let heading = el(doc, &head, "h2", "")?;
        heading.set_id("pl-heading");
        let close = button(doc, &head, "icon", "close", "×")?;
        close.set_attribute("aria-label", &strings.close)?;

        let list_view = el(doc, &card, "div", "view")?;
        let search_form = el(doc, &list_view, "form", "search")?;
        search_form.set_attribute("role", "search")?;
        let search_label = el(doc, &search_form, "label", "sr-only")?;
        search_label.set_attribute("for", "pl-search")?;
        search_label.set_text_content(Some(&strings.search_label));
        let search = el(doc, &search_form, "input", "")?;
        search.set_id("pl-search");
        search.set_attribute("type", "search")?;
        search.set_attribute("placeholder", &strings.search_placeholder)?;
        search.set_attribute("autocomplete", "off")?;
        search.set_attribute("maxlength", "200")?;
        let message = el(doc, &list_view, "p", "msg")?;
        let empty = el(doc, &list_view, "p", "empty")?;
        empty.set_attribute("role", "status")?;
        let list = el(doc, &list_view, "ul", "answers")?;

        let answer_view = el(doc, &card, "div", "view")?;
        button(doc, &answer_view, "link back", "back", &strings.all_answers)?;
        let answer_title = el(doc, &answer_view, "h3", "")?;
        let answer_body = el(doc, &answer_view, "div", "body")?;
        let answer_more = el(doc, &answer_view, "a", "")?;
        answer_more.set_attribute("rel", "noopener noreferrer")?;
        answer_more.set_attribute("target", "_blank")?;
        answer_more.set_text_content(Some(&strings.read_more));
        let feedback = el(doc, &answer_view, "div", "feedback")?;
        feedback.set_attribute("role", "group")?;
        feedback.set_attribute("aria-labelledby", "pl-helpful")?;
        let helpful = el(doc, &feedback, "p", "")?;
        helpful.set_id("pl-helpful");
        helpful.set_text_content(Some(&strings.helpful));
        button(doc, &feedback, "chip", "yes", &strings.yes)?;
        button(doc, &feedback, "chip", "no", &strings.no)?;
        let thanks = el(doc, &answer_view, "p", "thanks")?;
        thanks.set_attribute("role", "status")?;
        thanks.set_text_content(Some(&strings.feedback_thanks));

        let form = el(doc, &card, "form", "view")?;
        let label = el(doc, &form, "label", "")?;
        label.set_attribute("for", "pl-message")?;
        label.set_text_content(Some(&strings.handoff_label));
        let textarea = el(doc, &form, "textarea", "")?;
        textarea.set_id("pl-message");
        textarea.set_attribute("rows", "3")?;
        textarea.set_attribute("maxlength", "2000")?;
        let send = el(doc, &form, "button", "primary")?;
        send.set_attribute("type", "submit")?;
        send.set_text_content(Some(&strings.handoff_send));

        let done_view = el(doc, &card, "div", "view")?;
        let done = el(doc, &done_view, "p", "")?;

        let foot = el(doc, &card, "div", "foot")?;
        button(doc, &foot, "secondary", "talk", &strings.talk_to_person)?;

        let launcher = button(doc, &shell, "launcher", "toggle", &strings.launcher)?;
        launcher.set_attribute("aria-expanded", "false")?;
        launcher.set_attribute("aria-controls", "pl-card")?;

        let parts = Parts {
            card: html(card)?,
            heading,
            status,
            message,
            search: html(search)?,
            empty: html(empty)?,
            list,
            feedback: html(feedback)?,
            thanks: html(thanks)?,
            answer_title,
            answer_body,
            answer_more: html(answer_more)?,
            textarea: html(textarea)?,
            done,
            launcher: html(launcher)?,
            views: [
                (View::List, html(list_view)?),
                (View::Answer, html(answer_view)?),
                (View::Form, html(form.clone())?),
                (View::Done, html(done_view)?),
            ],
        };
        parts.card.set_hidden(true);

        parts.empty.set_hidden(true);
        parts.thanks.set_hidden(true);
        let listeners = listen(
            &shell,
            &form,
            &parts.textarea,
            &search_form,
            &parts.search,
            on,
        );
        body.append_child(&host)?;
        Ok(Widget {
            host,
            parts,
            strings,
            answers: RefCell::new(Vec::new()),
            current: RefCell::new(None),
            nudge: RefCell::new(None),
            _listeners: listeners,
        })
    }

    /// The element the widget lives in (its events are not the page's).
    pub fn host(&self) -> &Element {
        &self.host
    }

    /// Is the card open?
    pub fn is_open(&self) -> bool {
        !self.parts.card.hidden()
    }

    /// Show a proactive nudge; announced politely, focus stays where it is.
    pub fn show_nudge(&self, nudge: &Nudge) {
        let s = &self.strings;
        self.fill(&s.nudge_heading, &nudge.message, &nudge.answers);
        *self.nudge.borrow_mut() = Some(nudge.trigger_id.clone());
        let mut announce =
            String::with_capacity(s.nudge_announcement.len() + nudge.message.len() + 1);
        announce.push_str(&s.nudge_announcement);
        announce.push(' ');
        announce.push_str(&nudge.message);
        self.parts.status.set_text_content(Some(&announce));
    }

    /// Open the panel the visitor asked for, listing `answers`, with the
    /// search box ready (the visitor asked, so focus goes there).
    pub fn open_panel(&self, answers: &[NudgeAnswer]) {
        self.open_panel_keep_focus(answers);
        let _ = self.parts.search.focus();
    }

    /// The panel's default list, leaving focus where it is.
    pub fn open_panel_keep_focus(&self, answers: &[NudgeAnswer]) {
        let s = &self.strings;
        self.fill(&s.panel_heading, &s.page_answers, answers);
        self.nudge.borrow_mut().take();
    }

    /// The trigger whose nudge is showing, if the card shows one.
    pub fn nudge_shown(&self) -> Option<String> {
        if self.is_open() {
            self.nudge.borrow().clone()
        } else {
            None
        }
    }

    /// Show search results for `query` in the panel; stale ones are marked.
    pub fn show_results(&self, query: &str, results: &[SearchResult]) {
        let p = &self.parts;
        self.nudge.borrow_mut().take();
        self.set_open(true);
        self.set_view(View::List);
        p.heading
            .set_text_content(Some(&self.strings.panel_heading));
        p.message.set_text_content(None);
        p.list.set_text_content(None);
        if let Some(input) = p.search.dyn_ref::<web_sys::HtmlInputElement>() {
            if input.value() != query {
                input.set_value(query);
            }
        }
        if let Some(doc) = self.host.owner_document() {
            for r in results {
                if let Ok(b) = list_item(&doc, &p.list, &r.answer) {
                    if r.stale {
                        if let Ok(badge) = el(&doc, &b, "span", "badge") {
                            badge.set_text_content(Some(&self.strings.out_of_date));
                        }
                    }
                }
            }
        }
        let empty = results.is_empty() && !query.trim().is_empty();
        p.empty.set_hidden(!empty);
        if empty {
            p.empty
                .set_text_content(Some(&self.strings.no_results(query.trim())));
        }
        *self.answers.borrow_mut() = results.iter().map(|r| r.answer.clone()).collect();
    }

    /// Show one answer on its own (host `showAnswer(id)`).
    pub fn show_only(&self, answer: &NudgeAnswer) {
        self.fill(
            &self.strings.panel_heading,
            "",
            std::slice::from_ref(answer),
        );
        self.show_answer(&answer.id);
    }

    /// The answer being shown, if any.
    pub fn current_answer(&self) -> Option<String> {
        self.current.borrow().clone()
    }

    /// Thank the visitor for rating the answer.
    pub fn show_thanks(&self) {
        self.parts.feedback.set_hidden(true);
        self.parts.thanks.set_hidden(false);
    }

    fn fill(&self, heading: &str, message: &str, answers: &[NudgeAnswer]) {
        let p = &self.parts;
        p.heading.set_text_content(Some(heading));
        p.message.set_text_content(Some(message));
        p.list.set_text_content(None);
        p.empty.set_hidden(true);
        if let Some(doc) = self.host.owner_document() {
            for a in answers {
                let _ = list_item(&doc, &p.list, a);
            }
        }
        *self.answers.borrow_mut() = answers.to_vec();
        self.set_view(View::List);
        self.set_open(true);
    }

    /// Close the card; focus goes back to the launcher when it was inside.
    pub fn close(&self, restore_focus: bool) {
        self.set_open(false);
        if restore_focus {
            let _ = self.parts.launcher.focus();
        }
    }

    /// Show one answer from the current list. False when it is not listed.
    pub fn show_answer(&self, id: &str) -> bool {
        let answers = self.answers.borrow();
        let Some(a) = answers.iter().find(|a| a.id == id) else {
            return false;
        };
        let p = &self.parts;
        p.answer_title.set_text_content(Some(&a.title));
        p.answer_body.set_text_content(None);
        if let Some(doc) = self.host.owner_document() {
            let _ = super::render::body(&doc, &p.answer_body, &crate::markdown::parse(&a.body));
        }
        match &a.url {
            Some(url) if is_safe_link(url) => {
                let _ = p.answer_more.set_attribute("href", url);
                p.answer_more.set_hidden(false);
            }
            _ => p.answer_more.set_hidden(true),
        }
        p.feedback.set_hidden(false);
        p.thanks.set_hidden(true);
        *self.current.borrow_mut() = Some(a.id.clone());
        self.set_view(View::Answer);
        true
    }

    /// Back to the answer list.
    pub fn show_list(&self) {
        self.set_view(View::List);
    }

    /// Show the handoff form and put focus in it (the visitor asked for it).
    pub fn show_form(&self) {
        self.set_open(true);
        self.set_view(View::Form);
        let _ = self.parts.textarea.focus();
    }

    /// Show whether the handoff reached a person.
    pub fn show_handoff(&self, delivered: bool) {
        let s = &self.strings;
        self.show_outcome(if delivered {
            &s.handoff_sent
        } else {
            &s.handoff_failed
        });
    }

    /// Show what happened to the handoff.
    pub fn show_outcome(&self, text: &str) {
        self.parts.done.set_text_content(Some(text));
        self.parts.status.set_text_content(Some(text));
        self.set_open(true);
        self.set_view(View::Done);
    }

    fn set_view(&self, view: View) {
        for (v, e) in &self.parts.views {
            e.set_hidden(*v != view);
        }
    }

    fn set_open(&self, open: bool) {
        self.parts.card.set_hidden(!open);
        let _ = self
            .parts
            .launcher
            .set_attribute("aria-expanded", if open { "true" } else { "false" });
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.host.remove();
    }
}

/// The team's theme as custom properties on the host element (CSSOM, so no
/// inline style attribute for a strict CSP to refuse). The accent is moved
/// just enough to reach 4.5:1 against the card, and the launcher's text is
/// whichever of black or white reads better on it.
fn apply_theme(host: &Element, theme: &crate::config::Theme) -> Result<(), JsValue> {
    use crate::theme::{ensure_contrast, text_on, Rgb};
    if let Some(style) = host.dyn_ref::<HtmlElement>().map(|h| h.style()) {
        style.set_property("--pl-z", &theme.z_index.to_string())?;
        if let Some(accent) = theme.accent {
            let accent = ensure_contrast(accent, Rgb::WHITE, 4.5);
            style.set_property("--pl-accent", &accent.to_css())?;
            style.set_property("--pl-accent-text", &text_on(accent).to_css())?;
        }
    }
    if theme.left {
        host.set_attribute("data-position", "left")?;
    }
    Ok(())
}

/// Constructable stylesheets are not subject to `style-src`, so strict CSP
/// pages need no nonce; older browsers get a `<style>` element.
fn style(doc: &Document, root: &ShadowRoot) -> Result<(), JsValue> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        if sheet.replace_sync(CSS).is_ok() {
            root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
            return Ok(());
        }
    }
    let s = doc.create_element("style")?;
    s.set_text_content(Some(CSS));
    root.append_child(&s)?;
    Ok(())
}

fn list_item(doc: &Document, list: &Element, a: &NudgeAnswer) -> Result<Element, JsValue> {
    let li = el(doc, list, "li", "")?;
    let b = button(doc, &li, "", "answer", &a.title)?;
    b.set_attribute("data-id", &a.id)?;
    Ok(b)
}

fn listen(
    shell: &Element,
    form: &Element,
    textarea: &HtmlElement,
    search_form: &Element,
    search: &HtmlElement,
    on: Rc<dyn Fn(UiEvent)>,
) -> Vec<Listener> {
    let click_on = on.clone();
    let click = Listener::new(shell, "click", move |ev| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Ok(Some(b)) = target.closest("[data-action]") else {
            return;
        };
        let action = b.get_attribute("data-action").unwrap_or_default();
        let expanded = b.get_attribute("aria-expanded").as_deref() == Some("true");
        let event = match action.as_str() {
            "toggle" if expanded => UiEvent::Close,
            "toggle" => UiEvent::Open,
            "close" => UiEvent::Close,
            "answer" => UiEvent::OpenAnswer(b.get_attribute("data-id").unwrap_or_default()),
            "back" => UiEvent::Back,
            "talk" => UiEvent::Talk,
            "yes" => UiEvent::Rate(true),
            "no" => UiEvent::Rate(false),
            _ => return,
        };
        click_on(event);
    });
    let key_on = on.clone();
    let keys = Listener::new(shell, "keydown", move |ev| {
        if let Some(k) = ev.dyn_ref::<web_sys::KeyboardEvent>() {
            if k.key() == "Escape" {
                key_on(UiEvent::Close);
            }
        }
    });
    let area = textarea.clone();
    let send_on = on.clone();
    let submit = Listener::new(form, "submit", move |ev| {
        ev.prevent_default();
        let text = area
            .dyn_ref::<web_sys::HtmlTextAreaElement>()
            .map(|t| t.value())
            .unwrap_or_default();
        send_on(UiEvent::Send(text));
    });
    let value = |e: &HtmlElement| {
        e.dyn_ref::<web_sys::HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default()
    };
    let (typed_on, typed_box) = (on.clone(), search.clone());
    let typing = Listener::new(search, "input", move |_| {
        typed_on(UiEvent::Query(value(&typed_box)))
    });
    let (sent_on, sent_box) = (on.clone(), search.clone());
    let searched = Listener::new(search_form, "submit", move |ev| {
        ev.prevent_default();
        sent_on(UiEvent::Search(value(&sent_box)));
    });
    vec![click, keys, submit, typing, searched]
}
