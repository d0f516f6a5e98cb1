//! The widget: a launcher, a nudge and a panel in a Shadow DOM, so host
//! styles do not leak in and ours do not leak out. Every string is set as
//! text; nothing from config or answers becomes HTML.
//!
//! Focus: a nudge never takes it; what the visitor opens does (the search
//! box, an answer's title, the form), and when a view change hides the
//! focused control, focus moves to what replaced it instead of falling to
//! the page. On a narrow screen the panel the visitor opened fills it and
//! keeps Tab inside. When a page element takes focus under the widget, the
//! widget moves aside (WCAG 2.2, 2.4.11 Focus Not Obscured).

use super::chat_view::ChatView;
use super::handoff_form::{Filled, Form, Known, StatusBlock};
use super::listener::Listener;
use crate::engine::{Nudge, NudgeAnswer, SearchResult};
use crate::i18n::{is_rtl, Strings};
use crate::links::is_safe_link;
use crate::transport::chat::Message;
use crate::transport::status::Status;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, HtmlElement, MediaQueryList, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

/// At or below this width the visitor's panel fills the screen.
const NARROW: &str = "(max-width: 480px)";
/// Space kept between the widget and a focused element it moved away from.
const GAP: f64 = 8.0;

#[wasm_bindgen]
extern "C" {
    /// A `DOMRect` (web-sys's own needs a feature this crate does not use).
    type Rect;
    /// Any element, for the one method below.
    type Boxed;
    #[wasm_bindgen(method, js_name = getBoundingClientRect)]
    fn bounding_rect(this: &Boxed) -> Rect;
    #[wasm_bindgen(method, getter)]
    fn left(this: &Rect) -> f64;
    #[wasm_bindgen(method, getter)]
    fn top(this: &Rect) -> f64;
    #[wasm_bindgen(method, getter)]
    fn right(this: &Rect) -> f64;
    #[wasm_bindgen(method, getter)]
    fn bottom(this: &Rect) -> f64;
}

/// An element's box in viewport coordinates.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Bounds {
    fn of(e: &Element) -> Bounds {
        let r = e.unchecked_ref::<Boxed>().bounding_rect();
        Bounds {
            left: r.left(),
            top: r.top(),
            right: r.right(),
            bottom: r.bottom(),
        }
    }

    fn is_empty(&self) -> bool {
        self.right <= self.left || self.bottom <= self.top
    }

    fn overlaps(&self, o: &Bounds) -> bool {
        self.left < o.right && o.left < self.right && self.top < o.bottom && o.top < self.bottom
    }
}

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
    /// Sent the handoff form (already checked by the browser).
    Send(Filled),
    /// Typed in the search box (results as they type).
    Query(String),
    /// Submitted the search box.
    Search(String),
    /// Answered "Was this helpful?" for the answer shown.
    Rate(bool),
    /// Sent a chat message (trimmed, not empty).
    ChatSend(String),
    /// Asked to see the conversation again.
    ShowChat,
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
    answer_title: HtmlElement,
    answer_body: Element,
    answer_more: HtmlElement,
    form: Rc<Form>,
    handoff: StatusBlock,
    chat: ChatView,
    launcher: HtmlElement,
    views: [(View, HtmlElement); 4],
}

/// The mounted widget. Dropping it removes it from the page.
pub struct Widget {
    host: Element,
    root: ShadowRoot,
    parts: Parts,
    view: Cell<View>,
    /// Matches when the screen is narrow (the panel fills it).
    narrow: Option<MediaQueryList>,
    /// Moves the widget away from the focused page element, if it covers it.
    dodge: Rc<dyn Fn()>,
    strings: Strings,
    answers: RefCell<Vec<NudgeAnswer>>,
    current: RefCell<Option<String>>,
    /// The trigger whose nudge the card shows, while it shows one.
    nudge: RefCell<Option<String>>,
    _listeners: Vec<Listener>,
}

/// A new `tag` element with `class`, appended to `parent`.
pub(super) fn el(
    doc: &Document,
    parent: &Element,
    tag: &str,
    class: &str,
) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    parent.append_child(&e)?;
    Ok(e)
}

/// `e` as an HTML element.
pub(super) fn html(e: Element) -> Result<HtmlElement, JsValue> {
    e.dyn_into::<HtmlElement>().map_err(JsValue::from)
}

/// A `type=button` with `data-action`, appended to `parent`.
pub(super) fn button(
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
    /// mirrored layout. `nonce` (the page's CSP nonce) goes on the `<style>`
    /// element used where constructable stylesheets are missing.
    pub fn mount(
        doc: &Document,
        on: Rc<dyn Fn(UiEvent)>,
        strings: Strings,
        locale: &str,
        theme: &crate::config::Theme,
        handoff: &crate::config::HandoffConfig,
        nonce: Option<&str>,
    ) -> Result<Widget, JsValue> {
        let body = doc
            .body()
            .ok_or_else(|| JsValue::from_str("the page has no <body>"))?;
        let host = doc.create_element("pathlight-widget")?;
        apply_theme(&host, theme)?;
        let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
        style(doc, &root, nonce)?;
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
        let close = button(doc, &head, "icon", "close", "")?;
        close.set_attribute("aria-label", &strings.close)?;
        // The × is a picture of the name, not text to match it against.
        let x = el(doc, &close, "span", "")?;
        x.set_attribute("aria-hidden", "true")?;
        x.set_text_content(Some("×"));
        let hstatus = StatusBlock::build(doc, &card, &strings, handoff.fallback.as_ref())?;
        button(doc, &hstatus.block, "link", "chat", &strings.chat_open)?
            .toggle_attribute_with_force("hidden", true)?;

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
        answer_title.set_attribute("tabindex", "-1")?;
        let answer_body = el(doc, &answer_view, "div", "body")?;
        let answer_more = el(doc, &answer_view, "a", "more")?;
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
        thanks.set_attribute("tabindex", "-1")?;
        thanks.set_text_content(Some(&strings.feedback_thanks));

        let form = Rc::new(Form::build(doc, &card, &strings, &handoff.channels)?);
        // The status block above says everything; this view only hides the rest.
        let done_view = el(doc, &card, "div", "view done")?;
        let chat = ChatView::build(doc, &done_view, &strings)?;

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
            answer_title: html(answer_title)?,
            answer_body,
            answer_more: html(answer_more)?,
            form: form.clone(),
            handoff: hstatus,
            chat,
            launcher: html(launcher)?,
            views: [
                (View::List, html(list_view)?),
                (View::Answer, html(answer_view)?),
                (View::Form, form.form.clone()),
                (View::Done, html(done_view)?),
            ],
        };
        parts.card.set_hidden(true);

        parts.empty.set_hidden(true);
        parts.thanks.set_hidden(true);
        let narrow = doc
            .default_view()
            .and_then(|w| w.match_media(NARROW).ok().flatten());
        let host_el = html(host.clone())?;
        let dodge: Rc<dyn Fn()> = {
            let (doc, host, card, narrow) = (
                doc.clone(),
                host_el.clone(),
                parts.card.clone(),
                narrow.clone(),
            );
            Rc::new(move || dodge(&doc, &host, full_screen(&card, narrow.as_ref())))
        };
        let mut listeners = parts.chat.listen(on.clone());
        listeners.extend(listen(&shell, &form, &search_form, &parts.search, on));
        listeners.push(trap_focus(&shell, &root, &parts.card, narrow.clone()));
        listeners.extend(watch_focus(doc, dodge.clone()));
        if let Some(mq) = &narrow {
            let card = parts.card.clone();
            let mq2 = mq.clone();
            listeners.push(Listener::new(mq, "change", move |_| {
                set_modal(&card, Some(&mq2))
            }));
        }
        body.append_child(&host)?;
        Ok(Widget {
            host,
            root,
            parts,
            view: Cell::new(View::List),
            narrow,
            dodge,
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
        self.set_nudge(Some(nudge.trigger_id.clone()));
        self.fill(&s.nudge_heading, &nudge.message, &nudge.answers);
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
        self.set_nudge(None);
        self.fill(&s.panel_heading, &s.page_answers, answers);
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
        self.set_nudge(None);
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
        let had_focus = self.has_focus();
        self.parts.feedback.set_hidden(true);
        self.parts.thanks.set_hidden(false);
        self.tell(&self.parts.thanks, had_focus, &self.strings.feedback_thanks);
    }

    /// Is focus in the card?
    fn has_focus(&self) -> bool {
        self.root
            .active_element()
            .is_some_and(|a| self.parts.card.contains(Some(&a)))
    }

    /// Say `text`, shown in `target`, exactly once: when focus was in the
    /// card (on a control that just went away), focus moves to `target` and
    /// screen readers read it there; otherwise (or when `target` already
    /// has focus, so moving there again would say nothing) the polite live
    /// region says it and focus stays where the visitor is.
    fn tell(&self, target: &HtmlElement, had_focus: bool, text: &str) {
        let there = self.root.active_element().as_ref() == Some(target.unchecked_ref::<Element>());
        if had_focus && !there {
            let _ = target.focus();
        } else {
            self.parts.status.set_text_content(Some(text));
        }
    }

    /// Record which nudge the card shows (none: the visitor's own panel).
    fn set_nudge(&self, trigger: Option<String>) {
        let card = &self.parts.card;
        let _ = card
            .class_list()
            .toggle_with_force("nudge", trigger.is_some());
        *self.nudge.borrow_mut() = trigger;
        set_modal(card, self.narrow.as_ref());
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
        // A copy: moving focus below runs page listeners, which may call
        // back in (a search refills the list).
        let found = self.answers.borrow().iter().find(|a| a.id == id).cloned();
        let Some(a) = found else {
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

    /// Show the handoff form, asking only what `known` lacks, and put
    /// focus in it (the visitor asked for it).
    pub fn show_form(&self, known: Known) {
        self.parts.form.prepare(known);
        self.set_open(true);
        self.set_view(View::Form);
        let _ = self.parts.form.textarea.focus();
    }

    /// Show where the handoff stands. The first status after sending
    /// replaces the form; later ones update the status block wherever the
    /// visitor is (reading answers, or the panel closed) and are announced
    /// politely.
    pub fn show_status(&self, status: &Status) {
        let had_focus = self.has_focus();
        let text = self.parts.handoff.show(&self.strings, status);
        if self.view.get() == View::Form && !self.parts.card.hidden() {
            self.show_view(View::Done, false);
        } else {
            self.sync_status();
        }
        self.tell(&self.parts.handoff.main, had_focus, &text);
    }

    /// Show the conversation's `messages`. A `fresh` agent message opens
    /// the card on the chat if it was closed (focus stays on the page) and
    /// is announced unless the thread is in sight (its log says it).
    pub fn show_chat(&self, messages: &[Message], fresh: Option<&Message>) {
        let Some(doc) = self.host.owner_document() else {
            return;
        };
        self.parts.chat.render(&doc, &self.strings, messages);
        let Some(m) = fresh else {
            self.sync_status();
            return;
        };
        let hidden = self.parts.card.hidden();
        if hidden {
            self.set_nudge(None);
            self.set_open(true);
            self.show_view(View::Done, false);
        } else {
            self.sync_status();
        }
        if hidden || self.view.get() != View::Done {
            let who = m.name.as_deref().unwrap_or(&self.strings.chat_agent);
            let said = [who, ": ", &m.text].concat();
            self.parts.status.set_text_content(Some(&said));
        }
    }

    /// Open the card on the conversation, with focus in the message box
    /// (the visitor asked for it).
    pub fn open_chat(&self) {
        self.set_nudge(None);
        self.set_open(true);
        self.set_view(View::Done);
        let _ = self.parts.chat.textarea.focus();
    }

    /// Is a conversation under way in the card?
    pub fn chat_active(&self) -> bool {
        self.parts.chat.active()
    }

    /// The agent ended the conversation.
    pub fn chat_ended(&self) {
        self.parts.chat.ended();
    }

    /// A message could not be sent: its `text` goes back in the box.
    pub fn chat_not_sent(&self, text: &str) {
        self.parts.chat.not_sent(&self.strings, text);
    }

    /// The status block is out of the way of the form, and its "Keep
    /// reading" button only shows on the confirmation.
    fn sync_status(&self) {
        let view = self.view.get();
        let h = &self.parts.handoff;
        let asked = !h.main.text_content().unwrap_or_default().is_empty();
        let chatting = self.parts.chat.active();
        // A conversation resumed on a later page has no status line: the
        // block then only offers the way back to it.
        h.main.set_hidden(!asked);
        let something = asked || (chatting && view != View::Done);
        h.block.set_hidden(!something || view == View::Form);
        if let Ok(Some(keep)) = h.block.query_selector("[data-action=keep]") {
            // The chat has its own way back to the answers.
            let _ = keep.toggle_attribute_with_force("hidden", view != View::Done || chatting);
        }
        if let Ok(Some(chat)) = h.block.query_selector("[data-action=chat]") {
            let away = !self.parts.chat.active() || view == View::Done;
            let _ = chat.toggle_attribute_with_force("hidden", away);
        }
    }

    /// Show `view`. When the card held focus and the view changes, focus
    /// goes to the new view's first stop rather than falling to the page.
    fn set_view(&self, view: View) {
        self.show_view(view, true);
    }

    fn show_view(&self, view: View, refocus: bool) {
        let had_focus = refocus && self.has_focus();
        let was = self.view.replace(view);
        for (v, e) in &self.parts.views {
            e.set_hidden(*v != view);
        }
        self.sync_status();
        if !had_focus || was == view {
            return;
        }
        let p = &self.parts;
        let target = match view {
            View::List => self.opened_button().unwrap_or_else(|| p.search.clone()),
            View::Answer => p.answer_title.clone(),
            View::Form => p.form.textarea.clone(),
            View::Done => p.handoff.main.clone(),
        };
        let _ = target.focus();
    }

    /// The list's button for the answer last opened, if listed.
    fn opened_button(&self) -> Option<HtmlElement> {
        let current = self.current.borrow().clone()?;
        let buttons = self.parts.list.query_selector_all("button").ok()?;
        (0..buttons.length())
            .filter_map(|i| buttons.item(i)?.dyn_into::<HtmlElement>().ok())
            .find(|b| b.get_attribute("data-id").as_deref() == Some(current.as_str()))
    }

    fn set_open(&self, open: bool) {
        self.parts.card.set_hidden(!open);
        let _ = self
            .parts
            .launcher
            .set_attribute("aria-expanded", if open { "true" } else { "false" });
        // The card's size changed: it may now cover the focused element.
        (self.dodge)();
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.host.remove();
    }
}

/// The team's theme as custom properties on the host element (CSSOM, so no
/// inline style attribute for a strict CSP to refuse). The accent is moved
/// just enough to reach 4.5:1 against the light card and, for dark mode,
/// against the dark one; the text on it is whichever of black or white
/// reads better.
fn apply_theme(host: &Element, theme: &crate::config::Theme) -> Result<(), JsValue> {
    if let Some(style) = host.dyn_ref::<HtmlElement>().map(|h| h.style()) {
        style.set_property("--pl-z", &theme.z_index.to_string())?;
        if let Some(accent) = theme.accent {
            let a = crate::theme::accents(accent);
            style.set_property("--pl-accent", &a.light.to_css())?;
            style.set_property("--pl-accent-text", &a.light_text.to_css())?;
            style.set_property("--pl-accent-dark", &a.dark.to_css())?;
            style.set_property("--pl-accent-dark-text", &a.dark_text.to_css())?;
        }
    }
    if theme.left {
        host.set_attribute("data-position", "left")?;
    }
    Ok(())
}

/// A constructable stylesheet adopted by the shadow root: not subject to
/// `style-src`, so strict CSP pages need no nonce for it. Where the browser
/// cannot construct or adopt one, a `<style>` element, carrying the page's
/// `nonce` when given (without it a strict `style-src` refuses the styles).
fn style(doc: &Document, root: &ShadowRoot, nonce: Option<&str>) -> Result<(), JsValue> {
    let adoptable =
        js_sys::Reflect::has(root, &JsValue::from_str("adoptedStyleSheets")).unwrap_or(false);
    if adoptable {
        if let Ok(sheet) = web_sys::CssStyleSheet::new() {
            // Set through Reflect: a polyfill's setter may throw.
            if sheet.replace_sync(CSS).is_ok()
                && js_sys::Reflect::set(
                    root,
                    &"adoptedStyleSheets".into(),
                    &js_sys::Array::of1(&sheet),
                )
                .unwrap_or(false)
            {
                return Ok(());
            }
        }
    }
    let s = doc.create_element("style")?;
    if let Some(nonce) = nonce {
        s.set_attribute("nonce", nonce)?;
    }
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
    form: &Rc<Form>,
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
            "back" | "keep" | "answers" => UiEvent::Back,
            "chat" => UiEvent::ShowChat,
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
    let (send_on, sent) = (on.clone(), form.clone());
    let submit = Listener::new(&form.form, "submit", move |ev| {
        ev.prevent_default();
        if let Some(filled) = sent.read() {
            send_on(UiEvent::Send(filled));
        }
    });
    let changed = form.clone();
    let channel = Listener::new(&form.form, "change", move |_| changed.update());
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
    vec![click, keys, submit, channel, typing, searched]
}

/// Does the card fill the screen (the visitor's own panel on a narrow one)?
fn full_screen(card: &HtmlElement, narrow: Option<&MediaQueryList>) -> bool {
    narrow.is_some_and(MediaQueryList::matches) && !card.class_list().contains("nudge")
}

/// A card that fills the screen is modal: the page behind it is out of
/// reach, for assistive technology too.
fn set_modal(card: &HtmlElement, narrow: Option<&MediaQueryList>) {
    let _ = if full_screen(card, narrow) {
        card.set_attribute("aria-modal", "true")
    } else {
        card.remove_attribute("aria-modal")
    };
}

/// The card's controls that Tab reaches now, in order.
fn tab_stops(card: &HtmlElement) -> Vec<HtmlElement> {
    let Ok(found) = card.query_selector_all(
        "button, a[href], input, textarea, select, [tabindex]:not([tabindex='-1'])",
    ) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|e| !e.has_attribute("disabled") && !Bounds::of(e).is_empty())
        .collect()
}

/// On a narrow screen the open panel keeps focus: Tab from its last control
/// goes to its first, Shift+Tab from its first to its last.
fn trap_focus(
    shell: &Element,
    root: &ShadowRoot,
    card: &HtmlElement,
    narrow: Option<MediaQueryList>,
) -> Listener {
    let (root, card) = (root.clone(), card.clone());
    Listener::new(shell, "keydown", move |ev| {
        let Some(k) = ev.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if k.key() != "Tab" || card.hidden() || !full_screen(&card, narrow.as_ref()) {
            return;
        }
        let stops = tab_stops(&card);
        let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
            return;
        };
        let active = root.active_element();
        let at = |e: &HtmlElement| active.as_ref() == Some(e.unchecked_ref::<Element>());
        let inside = active.as_ref().is_some_and(|a| card.contains(Some(a)));
        let next = if k.shift_key() && (!inside || at(first)) {
            last
        } else if !k.shift_key() && (!inside || at(last)) {
            first
        } else {
            return;
        };
        ev.prevent_default();
        let _ = next.focus();
    })
}

/// Re-place the widget whenever focus moves in the page (once the browser
/// has scrolled the newly focused element into view) and when a scroll ends.
fn watch_focus(doc: &Document, dodge: Rc<dyn Fn()>) -> Vec<Listener> {
    let pending: Rc<RefCell<Option<super::timer::Timeout>>> = Rc::default();
    let later = move || {
        let d = dodge.clone();
        let timer = super::timer::Timeout::new(0, move || d());
        if timer.is_none() {
            dodge(); // no timers: at once
        }
        if let Ok(mut slot) = pending.try_borrow_mut() {
            *slot = timer;
        }
    };
    ["focusin", "focusout", "scrollend"]
        .into_iter()
        .map(|kind| {
            let later = later.clone();
            Listener::with(doc, kind, true, true, move |_| later())
        })
        .collect()
}

/// Keep the widget off the focused page element (WCAG 2.2, 2.4.11): at
/// home when it covers nothing; else on the other side; else lifted above
/// the element; else, when nowhere is free, faded and click-through until
/// focus moves on. While focus is in the widget itself it stays put, so it
/// never jumps away from the visitor using it.
fn dodge(doc: &Document, host: &HtmlElement, full_screen: bool) {
    let active = doc.active_element();
    if active.as_ref() == Some(host.unchecked_ref::<Element>()) {
        if host.get_attribute("data-dodge").as_deref() == Some("fade") {
            let _ = host.remove_attribute("data-dodge");
        }
        return;
    }
    let _ = host.remove_attribute("data-dodge");
    let _ = host.style().remove_property("--pl-lift");
    let page_root = |e: &Element| {
        doc.body()
            .is_some_and(|b| b.unchecked_ref::<Element>() == e)
            || doc.document_element().as_ref() == Some(e)
    };
    let Some(focused) = active.filter(|e| !page_root(e)) else {
        return;
    };
    if full_screen {
        return; // the visitor's own panel, closed with Escape
    }
    let target = Bounds::of(&focused);
    let home = Bounds::of(host);
    if target.is_empty() || !target.overlaps(&home) {
        return;
    }
    let width = doc
        .document_element()
        .map(|e| f64::from(e.client_width()))
        .unwrap_or(0.0);
    let flipped = Bounds {
        left: width - home.right,
        right: width - home.left,
        ..home
    };
    if !target.overlaps(&flipped) {
        let _ = host.set_attribute("data-dodge", "flip");
        return;
    }
    let lift = home.bottom - target.top + GAP;
    if home.top - lift >= 0.0 {
        let _ = host
            .style()
            .set_property("--pl-lift", &format!("{}px", lift.ceil()));
        return;
    }
    let _ = host.set_attribute("data-dodge", "fade");
}
