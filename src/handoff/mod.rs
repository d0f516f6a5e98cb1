//! The handoff payload (v1) an agent receives, and its one-paragraph summary.
//! The published schema is `schema/handoff.v1.schema.json`.
//!
//! - [`payload`]: the payload types, as serialised (camelCase JSON).
//! - [`contact`]: the channel the visitor chose and their details.
//! - `collect`: what the payload takes from the journey and the visitor.
//! - [`summary`](mod@summary): the agent summary, in the agent's language.
//! - [`bound`]: keeping the serialised payload within `handoff.maxBytes`.
//! - [`text`]: scrubbing, cleaning and cutting the payload's strings.
//!
//! Every string from the visitor or the page is scrubbed of emails, phones,
//! cards and tokens ([`text::clean`]); the contact's name, email and phone
//! are not, as the visitor gave them to be contacted.

pub mod bound;
mod collect;
pub mod contact;
pub mod payload;
pub mod summary;
pub mod text;
mod words;

pub use bound::{fit, json_size};
pub use collect::STEP_KINDS;
pub use contact::{Channel, Contact};
pub use payload::{
    AnswerSeen, DeviceClass, FormErrorSeen, HandoffPayload, JourneyStep, SearchSeen, TriggerRef,
    Visitor,
};
pub use summary::{summary, SummaryInput};

use crate::config::handoff::DEFAULT_PAYLOAD_BYTES;
use crate::config::AgentLocale;
use crate::engine::Consent;
use crate::journey::{CurrentPage, Journey};
use crate::rules::Device;
use crate::time::{iso8601, Millis};
use text::{clean, clip};

/// Longest visitor or handoff id kept, in bytes.
const MAX_VISITOR_ID: usize = 128;
/// Longest locale or time zone kept, in bytes.
const MAX_TAG: usize = 64;
/// Longest trigger message kept, in bytes.
const MAX_TRIGGER_MESSAGE: usize = 400;

/// Everything the payload is built from; start from [`HandoffInput::new`].
///
/// ```
/// use pathlight::handoff::{build, HandoffInput};
/// use pathlight::journey::{Journey, Visitor};
/// let (v, j) = (Visitor::new("v1".into(), 0), Journey::default());
/// let input = HandoffInput { locale: "tr-TR", time_zone: Some("Europe/Istanbul"), ..HandoffInput::new("v1-1".into(), &v, &j, 0) };
/// assert_eq!(build(input).visitor.time_zone.as_deref(), Some("Europe/Istanbul"));
/// ```
pub struct HandoffInput<'a> {
    /// The payload id (the idempotency key).
    pub id: String,
    /// Who asks: id and `identify` attributes.
    pub visitor: &'a crate::journey::Visitor,
    /// The visitor's preferred language.
    pub locale: &'a str,
    /// The browser's IANA time zone, when known.
    pub time_zone: Option<&'a str>,
    /// Device class.
    pub device: Device,
    /// The journey.
    pub journey: &'a Journey,
    /// The page the visitor asked from.
    pub page: Option<&'a CurrentPage>,
    /// Answers shown so far, oldest first.
    pub answers: &'a [AnswerSeen],
    /// The last nudge's trigger.
    pub trigger: Option<TriggerRef>,
    /// The engine's last site search.
    pub last_search: Option<&'a str>,
    /// What the visitor typed.
    pub message: &'a str,
    /// How the visitor wants to be contacted, as they gave it (cleaned and
    /// completed from `identify` attributes here).
    pub contact: Contact,
    /// Consent when the visitor asked. When denied, attributes are left out.
    pub consent: Consent,
    /// The language of the summary.
    pub agent_locale: AgentLocale,
    /// The largest serialised payload, in bytes.
    pub max_bytes: usize,
    /// A gap between page views longer than this is not dwell time.
    pub session_timeout: Millis,
    /// Now.
    pub now: Millis,
}

impl<'a> HandoffInput<'a> {
    /// An input with defaults: English locale and summary, desktop, no
    /// page, answers, trigger, search or message, a chat contact, consent
    /// granted, the default size bound and a 30-minute session.
    ///
    /// ```
    /// use pathlight::handoff::{build, HandoffInput};
    /// use pathlight::journey::{Journey, StepKind, Visitor};
    /// let visitor = Visitor::new("v1".into(), 0);
    /// let mut j = Journey::default();
    /// j.push(StepKind::PageView, 0, "/help", "Help");
    /// let p = build(HandoffInput { message: "Hi", ..HandoffInput::new("v1-1".into(), &visitor, &j, 65_000) });
    /// assert_eq!(p.journey[0].dwell_seconds, None);
    /// assert_eq!(p.summary, "Viewed 1 page in 1 min. Asks: \"Hi\"");
    /// ```
    pub fn new(
        id: String,
        visitor: &'a crate::journey::Visitor,
        journey: &'a Journey,
        now: Millis,
    ) -> Self {
        HandoffInput {
            id,
            visitor,
            locale: "en",
            time_zone: None,
            device: Device::Desktop,
            journey,
            page: None,
            answers: &[],
            trigger: None,
            last_search: None,
            message: "",
            contact: Contact::default(),
            consent: Consent::Granted,
            agent_locale: AgentLocale::En,
            max_bytes: DEFAULT_PAYLOAD_BYTES,
            session_timeout: 30 * 60_000,
            now,
        }
    }
}

/// Build the payload: every string cleaned, the contact completed from
/// `identify` attributes, the summary written, then cut to `max_bytes`
/// ([`fit`]).
///
/// ```
/// use pathlight::handoff::{build, Channel, Contact, HandoffInput};
/// use pathlight::journey::{Journey, Visitor};
/// let mut visitor = Visitor::new("v1".into(), 0);
/// visitor.attributes.insert("email".into(), "dana@shop.example".into());
/// let j = Journey::default();
/// let p = build(HandoffInput {
///     contact: Contact::new(Channel::Email),
///     message: "Refund to 4111 1111 1111 1111?",
///     ..HandoffInput::new("v1-1".into(), &visitor, &j, 0)
/// });
/// assert_eq!(p.contact.email.as_deref(), Some("dana@shop.example"));
/// assert_eq!(p.visitor.attributes["email"], "[email]");
/// assert_eq!(p.message, "Refund to [card]?");
/// ```
pub fn build(input: HandoffInput) -> HandoffPayload {
    let j = input.journey;
    let summary = summary::summary(
        &SummaryInput {
            journey: j,
            page: input.page,
            answers: input.answers,
            trigger: input.trigger.as_ref().map(|t| t.id.as_str()),
            message: input.message,
            now: input.now,
        },
        input.agent_locale,
    );
    let attributes = if input.consent == Consent::Denied {
        serde_json::Map::new()
    } else {
        collect::attributes(&input.visitor.attributes)
    };
    let folded = collect::folded(j);
    let mut p = HandoffPayload {
        version: 1,
        id: clip(&input.id, MAX_VISITOR_ID + 16),
        created_at: iso8601(input.now),
        visitor: Visitor {
            id: clip(&input.visitor.id, MAX_VISITOR_ID),
            attributes,
            locale: clean(input.locale, MAX_TAG),
            time_zone: input
                .time_zone
                .map(|z| clean(z, MAX_TAG))
                .filter(|z| !z.is_empty()),
            device: input.device.into(),
        },
        trigger: input.trigger.map(|t| TriggerRef {
            id: clip(&t.id, collect::MAX_ID),
            message: clean(&t.message, MAX_TRIGGER_MESSAGE),
        }),
        journey: collect::steps(j, input.page, input.session_timeout, input.now),
        folded_steps: folded.values().sum(),
        folded,
        answers: collect::answers(input.answers),
        searches: collect::searches(j.steps(), input.last_search),
        form_errors: collect::form_errors(j.steps()),
        message: clean(input.message.trim(), input.max_bytes),
        contact: input
            .contact
            .cleaned()
            .filled_from(&input.visitor.attributes),
        consent: input.consent,
        summary,
        summary_locale: input.agent_locale,
    };
    fit(&mut p, input.max_bytes);
    p
}
