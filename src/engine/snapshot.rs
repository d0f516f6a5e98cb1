//! The state that outlives a page load and is shared by the visitor's tabs,
//! versioned for storage. Stored state is untrusted: [`Snapshot::decode`]
//! refuses anything it cannot read whole, and migrates older versions.

use crate::handoff::AnswerSeen;
use crate::journey::{Journey, Session, Step, StepKind, Visitor};
use crate::time::Millis;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Delivery state of the triggers, per session.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TriggerLog {
    /// Ids of triggers that fired this session.
    pub fired: Vec<String>,
    /// Answers shown, and whether they were opened.
    pub shown: Vec<AnswerSeen>,
    /// The trigger behind the last nudge.
    pub last_trigger: Option<String>,
    /// When the last nudge was shown.
    pub last_nudge_at: Option<Millis>,
    /// Firings per trigger over all sessions.
    #[serde(default)]
    pub per_visitor: BTreeMap<String, u32>,
    /// When each trigger last fired.
    #[serde(default)]
    pub last_fired: BTreeMap<String, Millis>,
    /// Triggers dismissed until a time (`u64::MAX`: for good).
    #[serde(default)]
    pub dismissed_until: BTreeMap<String, Millis>,
    /// Triggers dismissed for this session.
    #[serde(default)]
    pub dismissed_session: Vec<String>,
    /// Answers rated unhelpful this session.
    #[serde(default)]
    pub unhelpful: Vec<String>,
}

/// A custom event from `track`, kept with its properties for conditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomEvent {
    /// Event name.
    pub name: String,
    /// When.
    pub at: Millis,
    /// Properties (string values scrubbed).
    #[serde(default)]
    pub props: Map<String, Value>,
}

/// Most custom events kept with their properties.
pub const MAX_EVENTS: usize = 100;

/// Everything persisted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// Format version ([`Snapshot::VERSION`]).
    pub version: u32,
    /// Bumped on every change, so tabs can tell newer state from older.
    pub rev: u64,
    /// Who the visitor is.
    pub visitor: Visitor,
    /// The current session.
    pub session: Session,
    /// The journey.
    pub journey: Journey,
    /// Trigger delivery state.
    pub triggers: TriggerLog,
    /// Handoffs made so far (numbers the next handoff id).
    pub handoffs: u32,
    /// The last site search, for ranking answers.
    #[serde(default)]
    pub last_search: Option<String>,
    /// Recent custom events with their properties, oldest first.
    #[serde(default)]
    pub events: Vec<CustomEvent>,
}

/// Why stored state was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Not JSON, or not shaped like any version of the snapshot.
    #[error("stored state is corrupted: {0}")]
    Corrupt(String),
    /// Written by a newer release.
    #[error("stored state has version {0}, newer than this release reads")]
    TooNew(u64),
}

impl Snapshot {
    /// The snapshot format this build writes.
    pub const VERSION: u32 = 2;

    /// A fresh state for a new visitor.
    pub fn new(visitor_id: String, now: Millis) -> Snapshot {
        Snapshot {
            version: Snapshot::VERSION,
            rev: 0,
            visitor: Visitor::new(visitor_id, now),
            session: Session {
                started_at: now,
                last_activity: now,
            },
            journey: Journey::default(),
            triggers: TriggerLog::default(),
            handoffs: 0,
            last_search: None,
            events: Vec::new(),
        }
    }

    /// Merge another tab's state into this one (see [`crate::Engine::merge`]).
    /// Returns true when this one held something `theirs` did not.
    pub fn merge(&mut self, theirs: Snapshot, limit: usize) -> bool {
        let mut ours_extra = false;
        // The visitor: the older identity wins; attributes are united.
        let theirs_older = (theirs.visitor.first_seen, &theirs.visitor.id)
            < (self.visitor.first_seen, &self.visitor.id);
        if theirs.visitor.id != self.visitor.id && !theirs_older {
            ours_extra = true;
        }
        let mut attributes = theirs.visitor.attributes.clone();
        for (k, v) in &self.visitor.attributes {
            if !attributes.contains_key(k) {
                attributes.insert(k.clone(), v.clone());
                ours_extra = true;
            }
        }
        let visits = self.visitor.visits.max(theirs.visitor.visits);
        ours_extra |= self.visitor.visits > theirs.visitor.visits;
        if theirs_older {
            self.visitor = theirs.visitor.clone();
        }
        self.visitor.attributes = attributes;
        self.visitor.visits = visits;

        ours_extra |= self.journey.merge(&theirs.journey, limit);

        let log = &mut self.triggers;
        for id in &theirs.triggers.fired {
            if !log.fired.contains(id) {
                log.fired.push(id.clone());
            }
        }
        ours_extra |= log
            .fired
            .iter()
            .any(|id| !theirs.triggers.fired.contains(id));
        for a in &theirs.triggers.shown {
            match log.shown.iter_mut().find(|s| s.id == a.id) {
                Some(s) => s.opened |= a.opened,
                None => log.shown.push(a.clone()),
            }
        }
        ours_extra |= log.shown.iter().any(|s| {
            !theirs
                .triggers
                .shown
                .iter()
                .any(|a| a.id == s.id && a.opened == s.opened)
        });
        for (id, n) in &theirs.triggers.per_visitor {
            let mine = log.per_visitor.entry(id.clone()).or_insert(0);
            *mine = (*mine).max(*n);
        }
        for (id, t) in &theirs.triggers.last_fired {
            let mine = log.last_fired.entry(id.clone()).or_insert(0);
            *mine = (*mine).max(*t);
        }
        for (id, t) in &theirs.triggers.dismissed_until {
            let mine = log.dismissed_until.entry(id.clone()).or_insert(0);
            *mine = (*mine).max(*t);
        }
        for (mine, theirs) in [
            (
                &mut log.dismissed_session,
                &theirs.triggers.dismissed_session,
            ),
            (&mut log.unhelpful, &theirs.triggers.unhelpful),
        ] {
            for id in theirs {
                if !mine.contains(id) {
                    mine.push(id.clone());
                }
            }
        }
        for e in &theirs.events {
            if !self.events.contains(e) {
                self.events.push(e.clone());
            }
        }
        self.events.sort_by_key(|e| e.at);
        let extra = self.events.len().saturating_sub(MAX_EVENTS);
        self.events.drain(..extra);
        let log = &mut self.triggers;
        if theirs.triggers.last_nudge_at > log.last_nudge_at {
            log.last_nudge_at = theirs.triggers.last_nudge_at;
            log.last_trigger = theirs.triggers.last_trigger.clone();
        }

        ours_extra |= self.handoffs > theirs.handoffs;
        self.handoffs = self.handoffs.max(theirs.handoffs);
        if theirs.session.last_activity > self.session.last_activity {
            self.last_search = theirs.last_search.clone().or(self.last_search.take());
        }
        self.session.started_at = self.session.started_at.min(theirs.session.started_at);
        self.session.last_activity = self.session.last_activity.max(theirs.session.last_activity);
        self.rev = self.rev.max(theirs.rev) + 1;
        ours_extra
    }

    /// Serialise for storage.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Read stored state, migrating older versions. Stored state may hold
    /// anything: page stats and custom events past their bounds are cut
    /// (oldest first) here; steps are folded to the config's bound when an
    /// engine restores or merges it.
    ///
    /// ```
    /// use pathlight::engine::snapshot::{Snapshot, SnapshotError};
    /// assert!(matches!(Snapshot::decode("{\"version\": 2, \"rev\": "), Err(SnapshotError::Corrupt(_))));
    /// assert_eq!(Snapshot::decode("{\"version\": 9}"), Err(SnapshotError::TooNew(9)));
    /// let s = Snapshot::new("v".into(), 0);
    /// assert_eq!(Snapshot::decode(&s.encode()), Ok(s));
    /// ```
    pub fn decode(text: &str) -> Result<Snapshot, SnapshotError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
        let version = value.get("version").and_then(Value::as_u64);
        let mut s: Snapshot = match version {
            Some(1) => migrate_v1(value)?,
            Some(2) => {
                serde_json::from_value(value).map_err(|e| SnapshotError::Corrupt(e.to_string()))?
            }
            Some(v) if v > u64::from(Snapshot::VERSION) => return Err(SnapshotError::TooNew(v)),
            _ => return Err(SnapshotError::Corrupt("no known version".into())),
        };
        s.journey.bound_pages();
        let extra = s.events.len().saturating_sub(MAX_EVENTS);
        s.events.drain(..extra);
        Ok(s)
    }
}

/// Version 1 (the walking skeleton's format) kept the visitor id, a flat
/// journey and the trigger state at the top level.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct V1 {
    visitor_id: String,
    journey: V1Journey,
    fired: Vec<String>,
    shown: Vec<AnswerSeen>,
    last_trigger: Option<String>,
    #[serde(default)]
    last_nudge_at: Option<Millis>,
    handoffs: u32,
}

#[derive(Deserialize)]
struct V1Journey {
    steps: Vec<Step>,
}

fn migrate_v1(value: Value) -> Result<Snapshot, SnapshotError> {
    let v1: V1 =
        serde_json::from_value(value).map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
    let first = v1.journey.steps.first().map_or(0, |s| s.at);
    let last = v1.journey.steps.last().map_or(0, |s| s.at);
    let mut s = Snapshot::new(v1.visitor_id, first);
    s.session = Session {
        started_at: first,
        last_activity: last,
    };
    for step in v1.journey.steps {
        if step.kind == StepKind::PageView {
            s.journey.page_stats(&step.path).views += 1;
        }
        s.journey.push(step.kind, step.at, &step.path, &step.detail);
    }
    s.triggers = TriggerLog {
        fired: v1.fired,
        shown: v1.shown,
        last_trigger: v1.last_trigger,
        last_nudge_at: v1.last_nudge_at,
        ..TriggerLog::default()
    };
    s.handoffs = v1.handoffs;
    Ok(s)
}
