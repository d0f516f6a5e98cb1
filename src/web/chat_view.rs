//! The built-in chat inside the widget: the thread (a `role="log"` list, so
//! screen readers read new messages) and the message box. Every message is
//! a text node; nothing from the server is parsed as HTML.

use super::convert::call_method;
use super::listener::Listener;
use super::widget::{button, el, html, UiEvent};
use crate::i18n::Strings;
use crate::transport::chat::{From, Message, MAX_TEXT};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlTextAreaElement};

/// The chat's parts.
pub struct ChatView {
    /// The whole chat (hidden until a conversation starts).
    pub block: HtmlElement,
    list: Element,
    note: HtmlElement,
    form: HtmlElement,
    /// The message box.
    pub textarea: HtmlTextAreaElement,
    ended: HtmlElement,
    /// The ids of the messages in the list, in order.
    shown: RefCell<Vec<u64>>,
}

impl ChatView {
    /// Build the chat in `parent`, hidden.
    pub fn build(doc: &Document, parent: &Element, s: &Strings) -> Result<ChatView, JsValue> {
        let block = el(doc, parent, "section", "chat")?;
        block.set_attribute("aria-labelledby", "pl-chat-h")?;
        button(doc, &block, "link back", "answers", &s.all_answers)?;
        let h = el(doc, &block, "h3", "")?;
        h.set_id("pl-chat-h");
        h.set_text_content(Some(&s.chat_heading));
        let list = el(doc, &block, "ol", "thread")?;
        list.set_attribute("role", "log")?;
        list.set_attribute("aria-labelledby", "pl-chat-h")?;
        let note = el(doc, &block, "p", "chat-note")?;
        note.set_attribute("role", "alert")?;
        let ended = el(doc, &block, "p", "chat-ended")?;
        ended.set_text_content(Some(&s.chat_closed));
        let form = el(doc, &block, "form", "compose")?;
        let label = el(doc, &form, "label", "sr-only")?;
        label.set_attribute("for", "pl-reply")?;
        label.set_text_content(Some(&s.chat_reply));
        let textarea = el(doc, &form, "textarea", "")?;
        textarea.set_id("pl-reply");
        textarea.set_attribute("rows", "2")?;
        textarea.set_attribute("required", "")?;
        textarea.set_attribute("maxlength", &MAX_TEXT.to_string())?;
        textarea.set_attribute("placeholder", &s.chat_reply)?;
        let send = el(doc, &form, "button", "primary")?;
        send.set_attribute("type", "submit")?;
        send.set_text_content(Some(&s.chat_send));
        let v = ChatView {
            block: html(block)?,
            list,
            note: html(note)?,
            form: html(form)?,
            textarea: textarea
                .dyn_into::<HtmlTextAreaElement>()
                .map_err(JsValue::from)?,
            ended: html(ended)?,
            shown: RefCell::new(Vec::new()),
        };
        v.block.set_hidden(true);
        v.note.set_hidden(true);
        v.ended.set_hidden(true);
        Ok(v)
    }

    /// Listen for the visitor sending a message (the button, or Enter
    /// without Shift).
    pub fn listen(&self, on: Rc<dyn Fn(UiEvent)>) -> Vec<Listener> {
        let (submit_on, area) = (on.clone(), self.textarea.clone());
        let submit = Listener::new(&self.form, "submit", move |ev| {
            ev.prevent_default();
            take(&area, &submit_on);
        });
        let (key_on, area) = (on, self.textarea.clone());
        let enter = Listener::new(&self.textarea, "keydown", move |ev| {
            let Some(k) = ev.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if k.key() == "Enter" && !k.shift_key() && !k.is_composing() {
                ev.prevent_default();
                take(&area, &key_on);
            }
        });
        vec![submit, enter]
    }

    /// Show the thread: `messages`, oldest first.
    pub fn render(&self, doc: &Document, s: &Strings, messages: &[Message]) {
        self.block.set_hidden(false);
        self.note.set_hidden(true);
        let mut shown = self.shown.borrow_mut();
        // Messages only ever join the thread; rebuild when an earlier one
        // arrived late (a replay in another order).
        let keeps_order =
            shown.len() <= messages.len() && shown.iter().zip(messages).all(|(id, m)| *id == m.id);
        if !keeps_order {
            self.list.set_text_content(None);
            shown.clear();
        }
        for m in messages.iter().skip(shown.len()) {
            if item(doc, &self.list, s, m).is_ok() {
                shown.push(m.id);
            }
        }
        if let Some(last) = self.list.last_element_child() {
            let _ = call_method(
                &last,
                "scrollIntoView",
                &js_sys::Array::of1(&JsValue::FALSE),
            );
        }
    }

    /// The agent ended the conversation: no more messages can be sent.
    pub fn ended(&self) {
        self.block.set_hidden(false);
        self.ended.set_hidden(false);
        self.form.set_hidden(true);
    }

    /// `text` could not be sent: give it back, and say so.
    pub fn not_sent(&self, s: &Strings, text: &str) {
        if self.textarea.value().trim().is_empty() {
            self.textarea.set_value(text);
        }
        self.note.set_text_content(Some(&s.chat_not_sent));
        self.note.set_hidden(false);
    }

    /// Is a conversation showing?
    pub fn active(&self) -> bool {
        !self.block.hidden()
    }
}

/// Take the box's text (if any) and send it.
fn take(area: &HtmlTextAreaElement, on: &Rc<dyn Fn(UiEvent)>) {
    let text = area.value();
    if text.trim().is_empty() {
        return;
    }
    area.set_value("");
    on(UiEvent::ChatSend(text.trim().to_string()));
}

fn item(doc: &Document, list: &Element, s: &Strings, m: &Message) -> Result<(), JsValue> {
    let (class, who) = match m.from {
        From::Agent => ("agent", m.name.as_deref().unwrap_or(&s.chat_agent)),
        From::Visitor => ("visitor", &*s.chat_you),
    };
    let li = el(doc, list, "li", class)?;
    li.set_attribute("data-id", &m.id.to_string())?;
    let name = el(doc, &li, "span", "who")?;
    name.set_text_content(Some(who));
    let text = el(doc, &li, "p", "text")?;
    text.set_text_content(Some(&m.text));
    Ok(())
}
