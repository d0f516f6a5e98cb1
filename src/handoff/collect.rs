//! What the payload collects from the journey and the visitor: the steps
//! with page dwell times, the per-kind counts of folded steps, searches,
//! form errors, answers and attributes, every string cleaned
//! ([`clean`]: scrubbed, no control characters, capped).

use super::payload::{AnswerSeen, FormErrorSeen, JourneyStep, SearchSeen};
use super::text::{clean, clip};
use crate::journey::{CurrentPage, Journey, Step, StepKind};
use crate::time::{iso8601, Millis};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Longest step path or detail, in bytes.
pub const MAX_STEP_TEXT: usize = 256;
/// Longest search query, form error text, answer title or attribute value,
/// in bytes.
pub const MAX_TEXT: usize = 256;
/// Longest id (answer, trigger) or attribute name, in bytes.
pub const MAX_ID: usize = 64;
/// Most entries kept in each of `searches`, `formErrors` and `answers`
/// (the newest) before the size bound even applies.
pub const MAX_LIST: usize = 50;

/// Every [`StepKind`], in declaration order (the order of the handoff
/// schema's `stepKind` enum).
///
/// ```
/// use pathlight::handoff::STEP_KINDS;
/// let names: Vec<String> = STEP_KINDS.iter()
///     .map(|k| serde_json::to_value(k).unwrap().as_str().unwrap().to_string()).collect();
/// assert_eq!(names[0], "pageView");
/// assert_eq!(names.last().map(String::as_str), Some("handoff"));
/// ```
pub const STEP_KINDS: [StepKind; 17] = [
    StepKind::PageView,
    StepKind::Click,
    StepKind::RageClick,
    StepKind::FormError,
    StepKind::FormSubmit,
    StepKind::Search,
    StepKind::SearchNoResults,
    StepKind::ExitIntent,
    StepKind::Idle,
    StepKind::Returned,
    StepKind::Custom,
    StepKind::Identify,
    StepKind::NudgeShown,
    StepKind::AnswerOpened,
    StepKind::Feedback,
    StepKind::NudgeDismissed,
    StepKind::Handoff,
];

/// The position of `kind` in [`STEP_KINDS`]. The match is exhaustive, so a
/// new step kind does not compile until it is listed there too.
const fn position(kind: StepKind) -> usize {
    match kind {
        StepKind::PageView => 0,
        StepKind::Click => 1,
        StepKind::RageClick => 2,
        StepKind::FormError => 3,
        StepKind::FormSubmit => 4,
        StepKind::Search => 5,
        StepKind::SearchNoResults => 6,
        StepKind::ExitIntent => 7,
        StepKind::Idle => 8,
        StepKind::Returned => 9,
        StepKind::Custom => 10,
        StepKind::Identify => 11,
        StepKind::NudgeShown => 12,
        StepKind::AnswerOpened => 13,
        StepKind::Feedback => 14,
        StepKind::NudgeDismissed => 15,
        StepKind::Handoff => 16,
    }
}

/// The journey's kept steps as the agent reads them. A page view's dwell
/// is the time until the next page view (unless that is more than
/// `session_timeout` later: the visitor left), or for the page the visitor
/// is on, its visible time so far.
pub fn steps(
    journey: &Journey,
    page: Option<&CurrentPage>,
    session_timeout: Millis,
    now: Millis,
) -> Vec<JourneyStep> {
    let mut next_view: Option<Millis> = None;
    let mut out: Vec<JourneyStep> = journey
        .steps()
        .iter()
        .rev()
        .map(|s| {
            let dwell = if s.kind == StepKind::PageView {
                let d = match next_view {
                    Some(next) => {
                        let gap = next.saturating_sub(s.at);
                        (gap <= session_timeout).then_some(gap / 1000)
                    }
                    None => page
                        .filter(|p| p.path == s.path && p.since == s.at)
                        .map(|p| p.dwell(now) / 1000),
                };
                next_view = Some(s.at);
                d
            } else {
                None
            };
            JourneyStep {
                kind: s.kind,
                at: iso8601(s.at),
                path: clean(&s.path, MAX_STEP_TEXT),
                detail: clean(&s.detail, MAX_STEP_TEXT),
                dwell_seconds: dwell,
            }
        })
        .collect();
    out.reverse();
    out
}

/// How many steps of each kind the journey folded away (kinds with none
/// are left out).
pub fn folded(journey: &Journey) -> BTreeMap<StepKind, u64> {
    let mut kept = [0u64; STEP_KINDS.len()];
    for s in journey.steps() {
        kept[position(s.kind)] += 1;
    }
    STEP_KINDS
        .iter()
        .filter_map(|k| {
            let n = journey.count(*k).saturating_sub(kept[position(*k)]);
            (n > 0).then_some((*k, n))
        })
        .collect()
}

/// The searches, oldest first: each `search` step, with `results: 0` when a
/// `searchNoResults` step for the same query follows it; then the engine's
/// last search if no kept step holds it. At most [`MAX_LIST`], the newest.
pub fn searches(steps: &[Step], last_search: Option<&str>) -> Vec<SearchSeen> {
    let mut out: Vec<SearchSeen> = Vec::new();
    for s in steps {
        let no_results = match s.kind {
            StepKind::Search => false,
            StepKind::SearchNoResults => true,
            _ => continue,
        };
        let query = clean(&s.detail, MAX_TEXT);
        match out.last_mut() {
            Some(last) if no_results && last.query == query && last.results.is_none() => {
                last.results = Some(0);
            }
            _ => out.push(SearchSeen {
                query,
                at: Some(iso8601(s.at)),
                results: no_results.then_some(0),
            }),
        }
    }
    if let Some(q) = last_search.map(|q| clean(q, MAX_TEXT)) {
        if !q.is_empty() && !out.iter().any(|s| s.query == q) {
            out.push(SearchSeen {
                query: q,
                at: None,
                results: None,
            });
        }
    }
    newest(out)
}

/// The form errors, oldest first, at most [`MAX_LIST`] (the newest). A step
/// detail reads "form field: message".
pub fn form_errors(steps: &[Step]) -> Vec<FormErrorSeen> {
    let out = steps
        .iter()
        .filter(|s| s.kind == StepKind::FormError)
        .map(|s| {
            let (field, message) = match s.detail.split_once(": ") {
                Some((f, m)) => (f.trim(), m),
                None => ("", s.detail.as_str()),
            };
            FormErrorSeen {
                at: iso8601(s.at),
                path: clean(&s.path, MAX_STEP_TEXT),
                field: (!field.is_empty()).then(|| clean(field, MAX_TEXT)),
                message: clean(message, MAX_TEXT),
            }
        })
        .collect();
    newest(out)
}

/// The answers shown, titles cleaned, at most [`MAX_LIST`] (the newest).
pub fn answers(shown: &[AnswerSeen]) -> Vec<AnswerSeen> {
    let from = shown.len().saturating_sub(MAX_LIST);
    shown[from..]
        .iter()
        .map(|a| AnswerSeen {
            id: clip(&a.id, MAX_ID),
            title: clean(&a.title, MAX_TEXT),
            trigger_id: clip(&a.trigger_id, MAX_ID),
            opened: a.opened,
            helpful: a.helpful,
        })
        .collect()
}

/// The `identify` attributes the payload carries: strings (cleaned),
/// numbers and booleans; other values are left out.
pub fn attributes(attrs: &Map<String, Value>) -> Map<String, Value> {
    attrs
        .iter()
        .filter_map(|(k, v)| {
            let v = match v {
                Value::String(s) => Value::String(clean(s, MAX_TEXT)),
                Value::Number(_) | Value::Bool(_) => v.clone(),
                _ => return None,
            };
            Some((clip(k, MAX_ID), v))
        })
        .collect()
}

fn newest<T>(mut list: Vec<T>) -> Vec<T> {
    let extra = list.len().saturating_sub(MAX_LIST);
    list.drain(..extra);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_kinds_are_listed_in_position_order() {
        for (i, k) in STEP_KINDS.iter().enumerate() {
            assert_eq!(position(*k), i, "{k:?}");
        }
    }

    #[test]
    fn a_search_with_no_results_is_one_entry() {
        let mut j = Journey::default();
        j.push(StepKind::Search, 1_000, "/", "refund");
        j.push(StepKind::SearchNoResults, 1_000, "/", "refund");
        j.push(StepKind::Search, 2_000, "/", "shipping");
        let s = searches(j.steps(), Some("shipping"));
        let got: Vec<_> = s.iter().map(|s| (s.query.as_str(), s.results)).collect();
        assert_eq!(got, [("refund", Some(0)), ("shipping", None)]);
    }
}
