//! The analytics summary: the funnel, how many sessions served themselves,
//! each trigger's numbers, searches that found nothing, stale answers.

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// The most distinct no-result queries listed.
const MAX_QUERIES: usize = 50;

/// One stored event, as the summary reads it.
pub struct Row {
    /// The event name (`Answer Opened`).
    pub event: String,
    /// `properties.sessionId`.
    pub session_id: Option<String>,
    /// The event's properties.
    pub properties: Value,
}

/// `GET /api/analytics/summary`'s body.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Trigger fired → nudge shown → answer opened → rated helpful → handoff.
    pub funnel: Vec<Step>,
    /// Sessions that opened an answer, and how many of them needed no person.
    pub resolution: Resolution,
    /// Per trigger, most fired first.
    pub triggers: Vec<TriggerStats>,
    /// Searches that found nothing, most frequent first.
    pub no_results: Vec<QueryCount>,
    /// Answers marked stale that visitors opened or were shown.
    pub stale: Vec<StaleAnswer>,
    /// Events in the window.
    pub events: u64,
}

/// A funnel step.
#[derive(Debug, Serialize, PartialEq)]
pub struct Step {
    /// Its label.
    pub step: &'static str,
    /// Events of that kind.
    pub count: u64,
}

/// Self-service among sessions that opened an answer.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    /// Sessions that opened an answer.
    pub sessions: u64,
    /// Of them, the ones without a handoff.
    pub self_served: u64,
    /// Of them, the ones with a handoff.
    pub handed_off: u64,
    /// `selfServed / sessions` (0 when none).
    pub rate: f64,
}

/// One trigger's numbers.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct TriggerStats {
    /// The trigger id.
    pub id: String,
    /// `Trigger Fired` events.
    pub fired: u64,
    /// `Nudge Shown` events.
    pub shown: u64,
    /// `Answer Opened` from its nudges.
    pub opened: u64,
    /// `Answer Rated` helpful.
    pub helpful: u64,
    /// `Answer Rated` not helpful.
    pub unhelpful: u64,
    /// `Nudge Dismissed` events.
    pub dismissed: u64,
    /// `Handoff Started` from its nudges.
    pub handoffs: u64,
    /// `opened / shown` (0 when never shown).
    pub conversion: f64,
}

/// A search that found nothing.
#[derive(Debug, Serialize, PartialEq)]
pub struct QueryCount {
    /// The query, trimmed and lowercased.
    pub query: String,
    /// How often.
    pub count: u64,
}

/// An answer marked stale.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StaleAnswer {
    /// The answer id.
    pub answer_id: String,
    /// `Answer Opened` with `stale: true`.
    pub opened: u64,
    /// `Help Searched` listing it in `staleResults`.
    pub in_results: u64,
}

fn text<'a>(properties: &'a Value, key: &str) -> Option<&'a str> {
    properties
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Summarises the events (already limited to the window).
pub fn summarize(rows: &[Row]) -> Summary {
    let (mut fired, mut shown, mut opened, mut helpful, mut handoffs) = (0, 0, 0, 0, 0);
    let mut triggers: BTreeMap<String, TriggerStats> = BTreeMap::new();
    let mut opened_sessions: HashSet<&str> = HashSet::new();
    let mut handoff_sessions: HashSet<&str> = HashSet::new();
    let mut no_results: BTreeMap<String, u64> = BTreeMap::new();
    let mut stale: BTreeMap<String, (u64, u64)> = BTreeMap::new();

    for row in rows {
        let p = &row.properties;
        let mut trigger = |f: fn(&mut TriggerStats)| {
            if let Some(id) = text(p, "triggerId") {
                f(triggers.entry(id.to_owned()).or_default());
            }
        };
        match row.event.as_str() {
            "Trigger Fired" => {
                fired += 1;
                trigger(|t| t.fired += 1);
            }
            "Nudge Shown" => {
                shown += 1;
                trigger(|t| t.shown += 1);
            }
            "Nudge Dismissed" => trigger(|t| t.dismissed += 1),
            "Answer Opened" => {
                opened += 1;
                trigger(|t| t.opened += 1);
                if let Some(session) = row.session_id.as_deref() {
                    opened_sessions.insert(session);
                }
                if p.get("stale") == Some(&Value::Bool(true)) {
                    if let Some(answer) = text(p, "answerId") {
                        stale.entry(answer.to_owned()).or_default().0 += 1;
                    }
                }
            }
            "Answer Rated" => match p.get("helpful") {
                Some(Value::Bool(true)) => {
                    helpful += 1;
                    trigger(|t| t.helpful += 1);
                }
                Some(Value::Bool(false)) => trigger(|t| t.unhelpful += 1),
                _ => {}
            },
            "Help Searched" => {
                let ids = p.get("staleResults").and_then(Value::as_array);
                let unique: HashSet<&str> = ids
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                for answer in unique.into_iter().filter(|a| !a.is_empty()) {
                    stale.entry(answer.to_owned()).or_default().1 += 1;
                }
            }
            "Search No Results" => {
                let query = text(p, "query")
                    .map(|q| q.trim().to_lowercase())
                    .unwrap_or_default();
                if !query.is_empty() {
                    *no_results.entry(query).or_default() += 1;
                }
            }
            "Handoff Started" => {
                handoffs += 1;
                trigger(|t| t.handoffs += 1);
                if let Some(session) = row.session_id.as_deref() {
                    handoff_sessions.insert(session);
                }
            }
            _ => {}
        }
    }

    let sessions = opened_sessions.len() as u64;
    let handed_off = opened_sessions.intersection(&handoff_sessions).count() as u64;
    let self_served = sessions - handed_off;

    let mut triggers: Vec<TriggerStats> = triggers
        .into_iter()
        .map(|(id, t)| TriggerStats {
            id,
            conversion: ratio(t.opened, t.shown),
            ..t
        })
        .collect();
    triggers.sort_by(|a, b| {
        b.fired
            .cmp(&a.fired)
            .then(b.shown.cmp(&a.shown))
            .then(a.id.cmp(&b.id))
    });

    let mut no_results: Vec<QueryCount> = no_results
        .into_iter()
        .map(|(query, count)| QueryCount { query, count })
        .collect();
    no_results.sort_by(|a, b| b.count.cmp(&a.count).then(a.query.cmp(&b.query)));
    no_results.truncate(MAX_QUERIES);

    let mut stale: Vec<StaleAnswer> = stale
        .into_iter()
        .map(|(answer_id, (opened, in_results))| StaleAnswer {
            answer_id,
            opened,
            in_results,
        })
        .collect();
    stale.sort_by(|a, b| {
        (b.opened + b.in_results)
            .cmp(&(a.opened + a.in_results))
            .then(a.answer_id.cmp(&b.answer_id))
    });

    let step = |step, count| Step { step, count };
    Summary {
        funnel: vec![
            step("Trigger fired", fired),
            step("Nudge shown", shown),
            step("Answer opened", opened),
            step("Rated helpful", helpful),
            step("Handoff", handoffs),
        ],
        resolution: Resolution {
            sessions,
            self_served,
            handed_off,
            rate: ratio(self_served, sessions),
        },
        triggers,
        no_results,
        stale,
        events: rows.len() as u64,
    }
}
