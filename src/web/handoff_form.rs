//! The handoff form and the handoff status, inside the widget's card.
//!
//! The form offers the channels the config enables (a radio group, hidden
//! when there is only one) and asks only for what the chosen channel needs
//! and the visitor has not told yet through `identify`: an email address
//! for email, a phone number for SMS and callback (required, checked by the
//! browser's own validation), a name when unknown (optional), and a
//! preferred time for a callback (optional).
//!
//! The status block sits above the views so that it stays in sight while
//! the visitor keeps reading answers: "Sending…", the queue position and
//! expected wait, the team's reason for declining, or an apology with the
//! alternative channels the config names.

use super::convert::call_method;
use super::widget::{button, el, html};
use crate::config::Fallback;
use crate::handoff::Channel;
use crate::i18n::Strings;
use crate::transport::status::Status;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

/// What the visitor filled in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filled {
    /// Their question.
    pub message: String,
    /// The channel they chose.
    pub channel: Channel,
    /// Their name, when asked and given.
    pub name: Option<String>,
    /// Their email address, when asked.
    pub email: Option<String>,
    /// Their phone number, when asked.
    pub phone: Option<String>,
    /// When to call, when asked and given.
    pub preferred_time: Option<String>,
}

/// What `identify` already told about the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Known {
    /// A name is known.
    pub name: bool,
    /// An email address is known.
    pub email: bool,
    /// A phone number is known.
    pub phone: bool,
}

struct Row {
    row: HtmlElement,
    input: HtmlInputElement,
}

/// The form's parts.
pub struct Form {
    /// The `<form>` (the card's form view).
    pub form: HtmlElement,
    /// The question box.
    pub textarea: HtmlElement,
    radios: Vec<(Channel, HtmlInputElement)>,
    name: Row,
    email: Row,
    phone: Row,
    time: Row,
    known: std::cell::Cell<Known>,
}

fn channel_label(s: &Strings, c: Channel) -> &str {
    match c {
        Channel::Chat => &s.channel_chat,
        Channel::Email => &s.channel_email,
        Channel::Sms => &s.channel_sms,
        Channel::Callback => &s.channel_callback,
    }
}

fn row(
    doc: &Document,
    form: &Element,
    id: &str,
    label: &str,
    kind: &str,
    auto: &str,
) -> Result<Row, JsValue> {
    let row = el(doc, form, "div", "field")?;
    let l = el(doc, &row, "label", "")?;
    l.set_attribute("for", id)?;
    l.set_text_content(Some(label));
    let input = el(doc, &row, "input", "")?;
    input.set_id(id);
    input.set_attribute("type", kind)?;
    input.set_attribute("autocomplete", auto)?;
    input.set_attribute("maxlength", "200")?;
    Ok(Row {
        row: html(row)?,
        input: input.dyn_into().map_err(JsValue::from)?,
    })
}

impl Form {
    /// Build the form in `card`, offering `channels` (in config order; the
    /// first is chosen at first).
    pub fn build(
        doc: &Document,
        card: &Element,
        s: &Strings,
        channels: &[Channel],
    ) -> Result<Form, JsValue> {
        let form = el(doc, card, "form", "view handoff")?;
        form.set_attribute("novalidate", "")?;
        let label = el(doc, &form, "label", "")?;
        label.set_attribute("for", "pl-message")?;
        label.set_text_content(Some(&s.handoff_label));
        let textarea = el(doc, &form, "textarea", "")?;
        textarea.set_id("pl-message");
        textarea.set_attribute("rows", "3")?;
        textarea.set_attribute("maxlength", "2000")?;
        let group = el(doc, &form, "div", "channels")?;
        group.set_attribute("role", "radiogroup")?;
        group.set_attribute("aria-labelledby", "pl-channels")?;
        let legend = el(doc, &group, "p", "legend")?;
        legend.set_id("pl-channels");
        legend.set_text_content(Some(&s.channel_legend));
        let mut radios = Vec::new();
        for (i, c) in channels.iter().enumerate() {
            let l = el(doc, &group, "label", "choice")?;
            let r = el(doc, &l, "input", "")?;
            r.set_attribute("type", "radio")?;
            r.set_attribute("name", "pl-channel")?;
            r.set_attribute("value", c.as_str())?;
            let r: HtmlInputElement = r.dyn_into().map_err(JsValue::from)?;
            r.set_checked(i == 0);
            let t = el(doc, &l, "span", "")?;
            t.set_text_content(Some(channel_label(s, *c)));
            radios.push((*c, r));
        }
        if channels.len() < 2 {
            group.set_attribute("hidden", "")?;
        }
        let name = row(doc, &form, "pl-name", &s.handoff_name, "text", "name")?;
        let email = row(doc, &form, "pl-email", &s.handoff_email, "email", "email")?;
        let phone = row(doc, &form, "pl-phone", &s.handoff_phone, "tel", "tel")?;
        let time = row(doc, &form, "pl-time", &s.handoff_time, "text", "off")?;
        let send = el(doc, &form, "button", "primary")?;
        send.set_attribute("type", "submit")?;
        send.set_text_content(Some(&s.handoff_send));
        let f = Form {
            form: html(form)?,
            textarea: html(textarea)?,
            radios,
            name,
            email,
            phone,
            time,
            known: std::cell::Cell::new(Known::default()),
        };
        f.update();
        Ok(f)
    }

    /// The channel chosen now.
    pub fn channel(&self) -> Channel {
        self.radios
            .iter()
            .find(|(_, r)| r.checked())
            .or(self.radios.first())
            .map(|(c, _)| *c)
            .unwrap_or_default()
    }

    /// Remember what is known, and show the fields still needed.
    pub fn prepare(&self, known: Known) {
        self.known.set(known);
        self.update();
    }

    /// Show and require the fields the chosen channel needs.
    pub fn update(&self) {
        let k = self.known.get();
        let c = self.channel();
        let show = |r: &Row, shown: bool, required: bool| {
            r.row.set_hidden(!shown);
            r.input.set_required(shown && required);
        };
        show(&self.name, !k.name, false);
        show(&self.email, c == Channel::Email && !k.email, true);
        let phone = matches!(c, Channel::Sms | Channel::Callback);
        show(&self.phone, phone && !k.phone, true);
        show(&self.time, c == Channel::Callback, false);
    }

    /// Check the fields (the browser says what is wrong, at the field) and
    /// read them. `None` when something required is missing or malformed.
    pub fn read(&self) -> Option<Filled> {
        // The browser says what is wrong, at the field; if a page's script
        // broke reportValidity, checkValidity (or, failing both, the engine's
        // own check of the contact) decides.
        let form: &JsValue = self.form.as_ref();
        let check = |m| {
            call_method(form, m, &js_sys::Array::new())
                .ok()
                .and_then(|v| v.as_bool())
        };
        if !check("reportValidity")
            .or_else(|| check("checkValidity"))
            .unwrap_or(true)
        {
            return None;
        }
        let value = |r: &Row| {
            let v = r.input.value();
            (!r.row.hidden() && !v.trim().is_empty()).then(|| v.trim().to_string())
        };
        Some(Filled {
            message: self
                .textarea
                .dyn_ref::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default(),
            channel: self.channel(),
            name: value(&self.name),
            email: value(&self.email),
            phone: value(&self.phone),
            preferred_time: value(&self.time),
        })
    }
}

/// The handoff status block.
pub struct StatusBlock {
    /// The block (hidden until a handoff is asked for).
    pub block: HtmlElement,
    /// The main line; takes focus when the view changes under the visitor.
    pub main: HtmlElement,
    detail: HtmlElement,
    fallback: HtmlElement,
}

impl StatusBlock {
    /// Build the block in `card`, with the alternative channels from the
    /// config (shown only when a handoff fails).
    pub fn build(
        doc: &Document,
        card: &Element,
        s: &Strings,
        fb: Option<&Fallback>,
    ) -> Result<StatusBlock, JsValue> {
        let block = el(doc, card, "div", "hstatus")?;
        let main = el(doc, &block, "p", "hmain")?;
        main.set_attribute("tabindex", "-1")?;
        let detail = el(doc, &block, "p", "hdetail")?;
        let fallback = el(doc, &block, "ul", "fallback")?;
        if let Some(fb) = fb {
            let link = |before: &str, text: &str, href: &str| -> Result<(), JsValue> {
                let li = el(doc, &fallback, "li", "")?;
                if !before.is_empty() {
                    li.append_with_str_2(before, " ")?;
                }
                let a = el(doc, &li, "a", "")?;
                a.set_attribute("href", href)?;
                a.set_attribute("rel", "noopener noreferrer")?;
                a.set_text_content(Some(text));
                Ok(())
            };
            if let Some(email) = &fb.email {
                link(&s.fallback_email, email, &format!("mailto:{email}"))?;
            }
            if let Some(phone) = &fb.phone {
                let dial: String = phone
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect();
                link(&s.fallback_phone, phone, &format!("tel:{dial}"))?;
            }
            if let Some(url) = fb.url.as_deref().filter(|u| crate::links::is_safe_link(u)) {
                link("", &s.fallback_form, url)?;
            }
        }
        button(doc, &block, "link", "keep", &s.keep_reading)?;
        let b = StatusBlock {
            block: html(block)?,
            main: html(main)?,
            detail: html(detail)?,
            fallback: html(fallback)?,
        };
        b.block.set_hidden(true);
        Ok(b)
    }

    /// Show `status`; returns the main line's text (to announce).
    pub fn show(&self, s: &Strings, status: &Status) -> String {
        let (main, detail, failed) = match status {
            Status::Sending => (s.handoff_sending.to_string(), String::new(), false),
            Status::Accepted => (s.handoff_sent.to_string(), String::new(), false),
            Status::Opened => (s.handoff_opened.to_string(), String::new(), false),
            Status::Queued {
                position,
                wait_seconds,
            } => {
                let main = match position {
                    Some(p) => s.queued(*p),
                    None => s.handoff_sent.to_string(),
                };
                (
                    main,
                    wait_seconds.map(|w| s.wait(w)).unwrap_or_default(),
                    false,
                )
            }
            Status::Rejected { reason } => (s.rejected(reason), String::new(), true),
            Status::Retrying { .. } => (s.handoff_retrying.to_string(), String::new(), false),
            Status::Failed { .. } => (s.handoff_failed.to_string(), String::new(), true),
        };
        self.main.set_text_content(Some(&main));
        self.detail.set_text_content(Some(&detail));
        self.detail.set_hidden(detail.is_empty());
        self.fallback
            .set_hidden(!failed || self.fallback.child_element_count() == 0);
        self.block.set_hidden(false);
        if detail.is_empty() {
            main
        } else {
            main + " " + &detail
        }
    }
}
