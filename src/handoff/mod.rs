//! The handoff payload (v1) an agent receives, and its one-paragraph summary.
//! The published schema is `schema/handoff.v1.schema.json`.

use crate::journey::{CurrentPage, Journey, StepKind};
use crate::time::{human_duration, iso8601, Millis};
use serde::{Deserialize, Serialize};

/// What the agent receives when the visitor asks for a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Older steps left out to keep the payload bounded.
    pub folded_steps: u64,
    /// Answers the visitor was shown, and whether they opened them.
    pub answers: Vec<AnswerSeen>,
    /// What the visitor typed.
    pub message: String,
    /// A short paragraph for the agent.
    pub summary: String,
}

/// The visitor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visitor {
    /// Stable random id of this browser's visitor.
    pub id: String,
}

/// The trigger that led to the handoff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriggerRef {
    /// Trigger id from the config.
    pub id: String,
    /// The message the nudge showed.
    pub message: String,
}

/// One journey step, as the agent reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JourneyStep {
    /// What happened.
    pub kind: StepKind,
    /// When, RFC 3339.
    pub at: String,
    /// On which page path.
    pub path: String,
    /// Page title, event name, answer id or trigger id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// An answer the visitor was shown.
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

/// Everything the payload is built from.
pub struct HandoffInput<'a> {
    /// The payload id.
    pub id: String,
    /// The visitor id.
    pub visitor_id: &'a str,
    /// The journey.
    pub journey: &'a Journey,
    /// The page the visitor asked from.
    pub page: Option<&'a CurrentPage>,
    /// Answers shown so far.
    pub answers: &'a [AnswerSeen],
    /// The last nudge's trigger.
    pub trigger: Option<TriggerRef>,
    /// What the visitor typed.
    pub message: &'a str,
    /// Now.
    pub now: Millis,
}

/// Build the payload.
pub fn build(input: HandoffInput) -> HandoffPayload {
    let journey: Vec<JourneyStep> = input
        .journey
        .steps()
        .iter()
        .map(|s| JourneyStep {
            kind: s.kind,
            at: iso8601(s.at),
            path: s.path.clone(),
            detail: s.detail.clone(),
        })
        .collect();
    let summary = summary(
        input.journey,
        input.page,
        input.answers,
        input.message,
        input.now,
    );
    HandoffPayload {
        version: 1,
        id: input.id,
        created_at: iso8601(input.now),
        visitor: Visitor {
            id: input.visitor_id.to_string(),
        },
        trigger: input.trigger,
        journey,
        folded_steps: input.journey.folded(),
        answers: input.answers.to_vec(),
        message: input.message.to_string(),
        summary,
    }
}

/// One paragraph an agent reads in seconds.
///
/// ```
/// use pathlight::journey::{CurrentPage, Journey, StepKind};
/// let mut j = Journey::default();
/// j.push(StepKind::PageView, 0, "/", "Home");
/// j.push(StepKind::PageView, 60_000, "/checkout", "Checkout");
/// let page = CurrentPage::new("/checkout".into(), "".into(), "".into(), "".into(), "".into(), 60_000);
/// let s = pathlight::handoff::summary(&j, Some(&page), &[], "My card fails", 180_000);
/// assert_eq!(s, "Viewed 2 pages in 3 min: / → /checkout (now on /checkout for 2 min). Asks: \"My card fails\"");
/// ```
pub fn summary(
    journey: &Journey,
    page: Option<&CurrentPage>,
    answers: &[AnswerSeen],
    message: &str,
    now: Millis,
) -> String {
    let pages: Vec<&str> = journey
        .steps()
        .iter()
        .filter(|s| s.kind == StepKind::PageView)
        .map(|s| s.path.as_str())
        .collect();
    let mut out = String::new();
    let start = journey.steps().first().map_or(now, |s| s.at);
    let n = journey.count(StepKind::PageView);
    let noun = if n == 1 { "page" } else { "pages" };
    out.push_str(&format!(
        "Viewed {n} {noun} in {}",
        human_duration(now.saturating_sub(start))
    ));
    if !pages.is_empty() {
        let shown: Vec<&str> = pages.iter().rev().take(6).rev().copied().collect();
        let lead = if pages.len() > shown.len() {
            "… → "
        } else {
            ""
        };
        out.push_str(&format!(": {lead}{}", shown.join(" → ")));
    }
    if let Some(p) = page {
        out.push_str(&format!(
            " (now on {} for {})",
            p.path,
            human_duration(now.saturating_sub(p.since))
        ));
    }
    out.push('.');
    if !answers.is_empty() {
        let opened: Vec<String> = answers
            .iter()
            .filter(|a| a.opened)
            .map(|a| format!("'{}'", a.title))
            .collect();
        out.push_str(&format!(
            " Was shown {} answer{}",
            answers.len(),
            if answers.len() == 1 { "" } else { "s" }
        ));
        if opened.is_empty() {
            out.push_str(" and opened none.");
        } else {
            out.push_str(&format!(", read {}.", opened.join(", ")));
        }
    }
    if !message.trim().is_empty() {
        out.push_str(&format!(" Asks: \"{}\"", message.trim()));
    }
    out
}
