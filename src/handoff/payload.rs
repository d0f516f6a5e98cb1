//! The handoff payload (v1) types, as serialised to JSON (camelCase). The
//! published schema is `schema/handoff.v1.schema.json`.

use super::contact::Contact;
use crate::config::AgentLocale;
use crate::engine::Consent;
use crate::journey::StepKind;
use crate::rules::Device;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What the agent receives when the visitor asks for a person.
///
/// ```
/// use pathlight::handoff::HandoffPayload;
/// let p = HandoffPayload::default();
/// let json = serde_json::to_value(&p).unwrap();
/// assert_eq!(json["version"], 1);
/// assert_eq!(json["trigger"], serde_json::Value::Null);
/// assert_eq!(json["consent"], "granted");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandoffPayload {
    /// Payload format version, always 1 here.
    pub version: u32,
    /// Unique id of this handoff; also its idempotency key.
    pub id: String,
    /// When the visitor asked, RFC 3339.
    pub created_at: String,
    /// Who asked.
    pub visitor: Visitor,
    /// The trigger whose nudge led here, if any.
    pub trigger: Option<TriggerRef>,
    /// The journey, oldest step first.
    pub journey: Vec<JourneyStep>,
    /// Older steps left out (to keep the journey or the payload bounded).
    pub folded_steps: u64,
    /// The steps left out, counted by kind; the counts add up to
    /// `folded_steps`.
    #[serde(default)]
    pub folded: BTreeMap<StepKind, u64>,
    /// Answers the visitor was shown, whether they opened and rated them.
    pub answers: Vec<AnswerSeen>,
    /// The visitor's site searches, oldest first.
    #[serde(default)]
    pub searches: Vec<SearchSeen>,
    /// Form fields that rejected the visitor's input, oldest first.
    #[serde(default)]
    pub form_errors: Vec<FormErrorSeen>,
    /// What the visitor typed.
    pub message: String,
    /// How the visitor wants to be contacted.
    #[serde(default)]
    pub contact: Contact,
    /// The visitor's consent to being recorded when they asked.
    #[serde(default)]
    pub consent: Consent,
    /// A short paragraph for the agent.
    pub summary: String,
    /// The language of `summary`.
    #[serde(default)]
    pub summary_locale: AgentLocale,
}

impl Default for HandoffPayload {
    fn default() -> Self {
        HandoffPayload {
            version: 1,
            id: String::new(),
            created_at: crate::time::iso8601(0),
            visitor: Visitor::default(),
            trigger: None,
            journey: Vec::new(),
            folded_steps: 0,
            folded: BTreeMap::new(),
            answers: Vec::new(),
            searches: Vec::new(),
            form_errors: Vec::new(),
            message: String::new(),
            contact: Contact::default(),
            consent: Consent::Granted,
            summary: String::new(),
            summary_locale: AgentLocale::En,
        }
    }
}

/// The visitor.
///
/// ```
/// let v = pathlight::handoff::Visitor::default();
/// assert_eq!(serde_json::to_value(&v).unwrap()["device"], "desktop");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Visitor {
    /// Stable random id of this browser's visitor.
    pub id: String,
    /// Attributes from `identify`: strings (scrubbed), numbers and booleans.
    #[serde(default)]
    pub attributes: Map<String, Value>,
    /// The visitor's preferred language (`he-IL`).
    #[serde(default)]
    pub locale: String,
    /// The browser's IANA time zone, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Device class.
    #[serde(default)]
    pub device: DeviceClass,
}

/// The device class as the payload names it.
///
/// ```
/// use pathlight::handoff::DeviceClass;
/// use pathlight::rules::Device;
/// assert_eq!(DeviceClass::from(Device::Tablet), DeviceClass::Tablet);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceClass {
    /// A phone-sized touch screen.
    Mobile,
    /// A larger touch screen.
    Tablet,
    /// A mouse or trackpad.
    #[default]
    Desktop,
}

impl From<Device> for DeviceClass {
    fn from(d: Device) -> Self {
        match d {
            Device::Mobile => DeviceClass::Mobile,
            Device::Tablet => DeviceClass::Tablet,
            Device::Desktop => DeviceClass::Desktop,
        }
    }
}

/// The trigger that led to the handoff.
///
/// ```
/// let t = pathlight::handoff::TriggerRef { id: "pay".into(), message: "Trouble paying?".into() };
/// assert_eq!(serde_json::to_value(&t).unwrap()["id"], "pay");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriggerRef {
    /// Trigger id from the config.
    pub id: String,
    /// The message the nudge showed.
    pub message: String,
}

/// One journey step, as the agent reads it.
///
/// ```
/// use pathlight::handoff::JourneyStep;
/// use pathlight::journey::StepKind;
/// let s = JourneyStep { kind: StepKind::PageView, at: "1970-01-01T00:00:00.000Z".into(),
///     path: "/".into(), detail: String::new(), dwell_seconds: Some(12) };
/// assert_eq!(serde_json::to_string(&s).unwrap(),
///     r#"{"kind":"pageView","at":"1970-01-01T00:00:00.000Z","path":"/","dwellSeconds":12}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JourneyStep {
    /// What happened.
    pub kind: StepKind,
    /// When, RFC 3339.
    pub at: String,
    /// On which page path.
    pub path: String,
    /// Page title, event name, answer id or trigger id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// For a page view: how long the visitor stayed, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwell_seconds: Option<u64>,
}

/// An answer the visitor was shown.
///
/// ```
/// let a = pathlight::handoff::AnswerSeen { id: "a".into(), title: "A".into(),
///     trigger_id: "t".into(), opened: true, helpful: None };
/// assert_eq!(serde_json::to_string(&a).unwrap(),
///     r#"{"id":"a","title":"A","triggerId":"t","opened":true}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerSeen {
    /// Answer id.
    pub id: String,
    /// Answer title.
    pub title: String,
    /// The trigger whose nudge showed it.
    pub trigger_id: String,
    /// Whether the visitor opened it.
    pub opened: bool,
    /// How the visitor rated it, if they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helpful: Option<bool>,
}

/// A site search the visitor made.
///
/// ```
/// let s = pathlight::handoff::SearchSeen { query: "refund".into(), at: None, results: Some(0) };
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"query":"refund","results":0}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchSeen {
    /// What they searched for.
    pub query: String,
    /// When, RFC 3339; absent only for the last search when its step was
    /// folded away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// How many results it had, when known (0 for a search that found
    /// nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<u32>,
}

/// A form field that rejected the visitor's input.
///
/// ```
/// let e = pathlight::handoff::FormErrorSeen { at: "1970-01-01T00:00:00.000Z".into(),
///     path: "/checkout".into(), field: Some("payment card".into()), message: "Card declined".into() };
/// assert_eq!(serde_json::to_value(&e).unwrap()["field"], "payment card");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormErrorSeen {
    /// When, RFC 3339.
    pub at: String,
    /// On which page path.
    pub path: String,
    /// The form and field, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The error text the visitor saw.
    pub message: String,
}
