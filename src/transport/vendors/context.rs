//! Reading the handoff payload (v1, as untrusted JSON) and fitting values
//! into a vendor's limits: keys in the allowed charset and length, values
//! cut on character boundaries with "…", extra attributes dropped (ours
//! first: handoff id, summary, trigger, pages viewed).
//!
//! Lengths are counted in UTF-16 code units, as JavaScript's `length` counts
//! them, so an emoji counts as two.

use serde_json::{Map, Value};

/// How a vendor allows attribute keys to be spelled.
///
/// ```
/// use pathlight::transport::vendors::{KeyStyle, Vendor};
/// assert_eq!(Vendor::Crisp.limits().keys, KeyStyle::SnakeOrDash);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStyle {
    /// Lower-case ASCII letters, digits and `_`.
    Snake,
    /// Lower-case ASCII letters, digits and `-`.
    Kebab,
    /// Lower-case ASCII letters, digits, `_` and `-`.
    SnakeOrDash,
    /// Free text, as a person would label it ("Pages viewed").
    Label,
}

/// The attribute limits one adapter keeps to.
///
/// ```
/// use pathlight::transport::vendors::Vendor;
/// let l = Vendor::HelpScout.limits();
/// assert_eq!((l.max_attributes, l.max_key, l.max_value), (20, 100, 10_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most attributes in one call.
    pub max_attributes: usize,
    /// Longest key, in UTF-16 code units.
    pub max_key: usize,
    /// Longest string value, in UTF-16 code units.
    pub max_value: usize,
    /// The allowed key spelling.
    pub keys: KeyStyle,
    /// Whether numbers and booleans must be sent as strings.
    pub strings_only: bool,
}

/// `text` cut to at most `max` UTF-16 code units on a character boundary,
/// ending in "…" when it was cut.
///
/// ```
/// use pathlight::transport::vendors::truncate;
/// assert_eq!(truncate("Checkout", 20), "Checkout");
/// assert_eq!(truncate("Checkout failed", 9), "Checkout…");
/// assert_eq!(truncate("ab😀cd", 4), "ab…"); // the emoji is two units and would not fit
/// assert_eq!(truncate("anything", 0), "");
/// ```
pub fn truncate(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        if used + ch.len_utf16() > max - 1 {
            break;
        }
        used += ch.len_utf16();
        out.push(ch);
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push('…');
    out
}

/// One attribute before fitting: a snake_case key, a human label, a value.
pub(crate) struct Field {
    pub key: String,
    pub label: String,
    pub value: Value,
}

impl Field {
    fn new(key: &str, label: &str, value: Value) -> Field {
        Field {
            key: key.to_string(),
            label: label.to_string(),
            value,
        }
    }
}

/// What the plans use from the payload; every field optional.
#[derive(Default)]
pub(crate) struct Context {
    pub handoff_id: Option<String>,
    pub summary: Option<String>,
    pub message: Option<String>,
    pub trigger_id: Option<String>,
    pub visitor_id: Option<String>,
    pub locale: Option<String>,
    pub device: Option<String>,
    pub channel: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub preferred_time: Option<String>,
    pub pages_viewed: Option<u64>,
    pub answers_shown: u64,
    pub answers_opened: u64,
    pub attributes: Vec<(String, Value)>,
}

/// The trimmed, non-empty string at `path`.
fn text(payload: &Value, path: &[&str]) -> Option<String> {
    let mut v = payload;
    for key in path {
        v = v.get(key)?;
    }
    let s = v.as_str()?.trim();
    (!s.is_empty()).then(|| s.to_string())
}

impl Context {
    /// Read what the plans need; anything missing or ill-typed is skipped.
    pub fn read(payload: &Value) -> Context {
        let journey = payload.get("journey").and_then(Value::as_array);
        let pages_viewed = journey.map(|steps| {
            steps
                .iter()
                .filter(|s| s.get("kind").and_then(Value::as_str) == Some("pageView"))
                .count() as u64
        });
        let answers = payload
            .get("answers")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let answers_opened = answers
            .iter()
            .filter(|a| a.get("opened").and_then(Value::as_bool) == Some(true))
            .count() as u64;
        let attributes = payload
            .get("visitor")
            .and_then(|v| v.get("attributes"))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Context {
            handoff_id: text(payload, &["id"]),
            summary: text(payload, &["summary"]),
            message: text(payload, &["message"]),
            trigger_id: text(payload, &["trigger", "id"]),
            visitor_id: text(payload, &["visitor", "id"]),
            locale: text(payload, &["visitor", "locale"]),
            device: text(payload, &["visitor", "device"]),
            channel: text(payload, &["contact", "channel"]),
            name: text(payload, &["contact", "name"]),
            email: text(payload, &["contact", "email"]).filter(|e| plausible_email(e)),
            phone: text(payload, &["contact", "phone"]),
            preferred_time: text(payload, &["contact", "preferredTime"]),
            pages_viewed,
            answers_shown: answers.len() as u64,
            answers_opened,
            attributes,
        }
    }

    /// The attributes to attach, most important first: ours (handoff id,
    /// summary, trigger, pages viewed), the contact details when the vendor
    /// has no identity call of its own (`contact`), then the visitor's.
    pub fn fields(&self, contact: bool) -> Vec<Field> {
        let mut out = Vec::new();
        add(
            &mut out,
            "pathlight_handoff_id",
            "Handoff id",
            &self.handoff_id,
        );
        add(&mut out, "pathlight_summary", "Summary", &self.summary);
        add(&mut out, "pathlight_trigger", "Trigger", &self.trigger_id);
        if let Some(n) = self.pages_viewed {
            out.push(Field::new(
                "pathlight_pages_viewed",
                "Pages viewed",
                n.into(),
            ));
        }
        if contact {
            add(
                &mut out,
                "pathlight_contact_email",
                "Contact email",
                &self.email,
            );
            add(
                &mut out,
                "pathlight_contact_name",
                "Contact name",
                &self.name,
            );
            add(
                &mut out,
                "pathlight_contact_phone",
                "Contact phone",
                &self.phone,
            );
        }
        add(
            &mut out,
            "pathlight_preferred_time",
            "Preferred time",
            &self.preferred_time,
        );
        add(
            &mut out,
            "pathlight_channel",
            "Preferred channel",
            &self.channel,
        );
        if self.answers_shown > 0 {
            let read = format!("{} of {} read", self.answers_opened, self.answers_shown);
            out.push(Field::new("pathlight_answers", "Answers", read.into()));
        }
        add(&mut out, "pathlight_locale", "Locale", &self.locale);
        add(&mut out, "pathlight_device", "Device", &self.device);
        add(
            &mut out,
            "pathlight_visitor_id",
            "Visitor id",
            &self.visitor_id,
        );
        // Namespaced: a host attribute named `email`, `name` or `hash` must
        // not land on a key the vendor reserves for verified identity.
        for (key, value) in &self.attributes {
            out.push(Field::new(&format!("visitor_{key}"), key, value.clone()));
        }
        out
    }

    /// The message to prefill, within `max` UTF-16 code units.
    pub fn message_within(&self, max: usize) -> Option<String> {
        self.message.as_deref().map(|m| truncate(m, max))
    }
}

/// Push a text field when there is a value.
fn add(out: &mut Vec<Field>, key: &str, label: &str, value: &Option<String>) {
    if let Some(v) = value {
        out.push(Field::new(key, label, Value::String(v.clone())));
    }
}

/// Enough of an email address to hand to a vendor's identity call: a
/// truncated or malformed address is dropped, never cut.
fn plausible_email(e: &str) -> bool {
    e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && e.split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

/// `key` in the vendor's key style, at most `max` long; empty if nothing
/// usable is left.
pub(crate) fn key_in_style(key: &str, style: KeyStyle, max: usize) -> String {
    if style == KeyStyle::Label {
        let words: Vec<&str> = key.split_whitespace().collect();
        let clean: String = words
            .join(" ")
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        return truncate(&clean, max);
    }
    let sep = if style == KeyStyle::Kebab { '-' } else { '_' };
    let mut out = String::new();
    let mut gap = false;
    for c in key.chars().map(|c| c.to_ascii_lowercase()) {
        let kept = c.is_ascii_lowercase()
            || c.is_ascii_digit()
            || (style == KeyStyle::SnakeOrDash && (c == '_' || c == '-'));
        if !kept {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(sep);
        }
        gap = false;
        out.push(c);
    }
    out.truncate(max); // ASCII only: bytes are characters
    out.trim_end_matches(['_', '-']).to_string()
}

/// `value` as the vendor accepts it, or `None` for nothing worth sending.
fn value_within(value: &Value, limits: &Limits) -> Option<Value> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) => s.trim().to_string(),
        Value::Number(_) | Value::Bool(_) if !limits.strings_only => return Some(value.clone()),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) | Value::Object(_) => serde_json::to_string(value).ok()?,
    };
    let text = truncate(&text, limits.max_value);
    (!text.is_empty()).then_some(Value::String(text))
}

/// The fields as one attribute object within `limits`: keys restyled and
/// de-duplicated (the first wins), values cut, the rest dropped once
/// `max_attributes` is reached.
pub(crate) fn fit(fields: &[Field], limits: &Limits) -> Map<String, Value> {
    let mut out = Map::new();
    for field in fields {
        if out.len() >= limits.max_attributes {
            break;
        }
        let raw = if limits.keys == KeyStyle::Label {
            &field.label
        } else {
            &field.key
        };
        let key = key_in_style(raw, limits.keys, limits.max_key);
        if key.is_empty() || out.contains_key(&key) {
            continue;
        }
        if let Some(value) = value_within(&field.value, limits) {
            out.insert(key, value);
        }
    }
    out
}

/// Only the fields with these keys, in their order of priority.
pub(crate) fn only(fields: Vec<Field>, keys: &[&str]) -> Vec<Field> {
    fields
        .into_iter()
        .filter(|f| keys.contains(&f.key.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_take_each_style() {
        assert_eq!(key_in_style("Plan Name!", KeyStyle::Snake, 64), "plan_name");
        assert_eq!(key_in_style("Plan Name!", KeyStyle::Kebab, 64), "plan-name");
        assert_eq!(
            key_in_style("a_b-c d", KeyStyle::SnakeOrDash, 64),
            "a_b-c_d"
        );
        assert_eq!(
            key_in_style("  Plan \n Name ", KeyStyle::Label, 64),
            "Plan Name"
        );
        assert_eq!(key_in_style("größe", KeyStyle::Snake, 64), "gr_e");
        assert_eq!(key_in_style("!!!", KeyStyle::Snake, 64), "");
        assert_eq!(key_in_style("abc_def", KeyStyle::Snake, 4), "abc");
    }

    #[test]
    fn emails_are_kept_whole_or_dropped() {
        assert!(plausible_email("ada@example.com"));
        assert!(!plausible_email("ada@localhost"));
        assert!(!plausible_email("ada lovelace@example.com"));
        assert!(!plausible_email(&format!(
            "{}@example.com",
            "a".repeat(260)
        )));
    }

    #[test]
    fn strings_only_vendors_get_text() {
        let limits = Limits {
            max_attributes: 5,
            max_key: 10,
            max_value: 4,
            keys: KeyStyle::Snake,
            strings_only: true,
        };
        assert_eq!(value_within(&Value::from(12), &limits), Some("12".into()));
        assert_eq!(
            value_within(&Value::from(true), &limits),
            Some("true".into())
        );
        assert_eq!(value_within(&Value::from("  "), &limits), None);
        assert_eq!(
            value_within(&Value::from("abcdef"), &limits),
            Some("abc…".into())
        );
    }
}
