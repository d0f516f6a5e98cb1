//! The widget: a launcher, a nudge and a panel in a Shadow DOM, so host
//! styles do not leak in and ours do not leak out. Every string is set as
//! text; nothing from config or answers becomes HTML.

use super::listener::Listener;
use crate::engine::{Nudge, NudgeAnswer};
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
    list: Element,
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
    answers: RefCell<Vec<NudgeAnswer>>,
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
    pub fn mount(doc: &Document, on: Rc<dyn Fn(UiEvent)>) -> Result<Widget, JsValue> {
        let body = doc
            .body()
            .ok_or_else(|| JsValue::from_str("the page has no <body>"))?;
        let host = doc.create_element("pathlight-widget")?;
        let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
        style(doc, &root)?;
        let shell = doc.create_element("div")?;
        shell.set_class_name("pl");
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
        close.set_attribute("aria-label", "Close help")?;

        let list_view = el(doc, &card, "div", "view")?;
        let message = el(doc, &list_view, "p", "msg")?;
        let list = el(doc, &list_view, "ul", "answers")?;

        let answer_view = el(doc, &card, "div", "view")?;
        button(doc, &answer_view, "link", "back", "← All answers")?;
        let answer_title = el(doc, &answer_view, "h3", "")?;
        let answer_body = el(doc, &answer_view, "div", "body")?;
        let answer_more = el(doc, &answer_view, "a", "")?;
        answer_more.set_attribute("rel", "noopener noreferrer")?;
        answer_more.set_attribute("target", "_blank")?;
        answer_more.set_text_content(Some("Read more"));

        let form = el(doc, &card, "form", "view")?;
        let label = el(doc, &form, "label", "")?;
        label.set_attribute("for", "pl-message")?;
        label.set_text_content(Some("What can we help you with?"));
        let textarea = el(doc, &form, "textarea", "")?;
        textarea.set_id("pl-message");
        textarea.set_attribute("rows", "3")?;
        textarea.set_attribute("maxlength", "2000")?;
        let send = el(doc, &form, "button", "primary")?;
        send.set_attribute("type", "submit")?;
        send.set_text_content(Some("Send to a person"));

        let done_view = el(doc, &card, "div", "view")?;
        let done = el(doc, &done_view, "p", "")?;

        let foot = el(doc, &card, "div", "foot")?;
        button(doc, &foot, "secondary", "talk", "Talk to a person")?;

        let launcher = button(doc, &shell, "launcher", "toggle", "Help")?;
        launcher.set_attribute("aria-expanded", "false")?;
        launcher.set_attribute("aria-controls", "pl-card")?;

        let parts = Parts {
            card: html(card)?,
            heading,
            status,
            message,
            list,
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

        let listeners = listen(&shell, &form, &parts.textarea, on);
        body.append_child(&host)?;
        Ok(Widget {
            host,
            parts,
            answers: RefCell::new(Vec::new()),
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
        self.fill("Need a hand?", &nudge.message, &nudge.answers);
        self.parts.status.set_text_content(Some(&nudge.message));
    }

    /// Open the panel the visitor asked for, listing `answers`.
    pub fn open_panel(&self, answers: &[NudgeAnswer]) {
        self.fill("How can we help?", "Answers for this page:", answers);
    }

    fn fill(&self, heading: &str, message: &str, answers: &[NudgeAnswer]) {
        let p = &self.parts;
        p.heading.set_text_content(Some(heading));
        p.message.set_text_content(Some(message));
        p.list.set_text_content(None);
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
            for para in a.body.split("\n\n").filter(|s| !s.trim().is_empty()) {
                if let Ok(e) = el(&doc, &p.answer_body, "p", "") {
                    e.set_text_content(Some(para.trim()));
                }
            }
        }
        match &a.url {
            Some(url) if is_safe_link(url) => {
                let _ = p.answer_more.set_attribute("href", url);
                p.answer_more.set_hidden(false);
            }
            _ => p.answer_more.set_hidden(true),
        }
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

fn list_item(doc: &Document, list: &Element, a: &NudgeAnswer) -> Result<(), JsValue> {
    let li = el(doc, list, "li", "")?;
    let b = button(doc, &li, "", "answer", &a.title)?;
    b.set_attribute("data-id", &a.id)?;
    Ok(())
}

fn listen(
    shell: &Element,
    form: &Element,
    textarea: &HtmlElement,
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
    let submit = Listener::new(form, "submit", move |ev| {
        ev.prevent_default();
        let text = area
            .dyn_ref::<web_sys::HtmlTextAreaElement>()
            .map(|t| t.value())
            .unwrap_or_default();
        on(UiEvent::Send(text));
    });
    vec![click, keys, submit]
}
