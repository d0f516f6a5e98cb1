//! The engine: events in, actions out. Pure and deterministic; the caller
//! passes the time with every call and asks [`Engine::next_wake`] when to
//! call [`Engine::tick`] next.

use crate::config::Config;
use crate::handoff::{self, AnswerSeen, HandoffInput, HandoffPayload, TriggerRef};
use crate::journey::{Event, Journey, StepKind};
use crate::knowledge::{Answer, Knowledge};
use crate::rules::{Due, Trigger};
use crate::time::Millis;
use serde::{Deserialize, Serialize};

/// What the web layer must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show a nudge.
    ShowNudge(Nudge),
    /// Deliver a handoff to the configured transport.
    Handoff(Box<HandoffPayload>),
    /// The journey changed: persist [`Engine::snapshot`].
    Persist,
}

/// A nudge to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Nudge {
    /// The trigger that fired.
    pub trigger_id: String,
    /// Its message.
    pub message: String,
    /// The answers to list (at most three).
    pub answers: Vec<NudgeAnswer>,
}

/// An answer as the widget shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NudgeAnswer {
    /// Answer id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Body text.
    pub body: String,
    /// Link for more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl From<&Answer> for NudgeAnswer {
    fn from(a: &Answer) -> Self {
        NudgeAnswer {
            id: a.id.clone(),
            title: a.title.clone(),
            body: a.body.clone(),
            url: a.url.clone(),
        }
    }
}

/// The state that outlives a page load, versioned for storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// Format version of the snapshot.
    pub version: u32,
    /// The visitor id.
    pub visitor_id: String,
    /// The journey.
    pub journey: Journey,
    /// Ids of triggers that already fired this session.
    pub fired: Vec<String>,
    /// Answers shown.
    pub shown: Vec<AnswerSeen>,
    /// The trigger behind the last nudge.
    pub last_trigger: Option<String>,
    /// When the last nudge was shown.
    #[serde(default)]
    pub last_nudge_at: Option<Millis>,
    /// Handoffs made so far (numbers the next handoff id).
    pub handoffs: u32,
}

impl Snapshot {
    /// The snapshot format this build writes and reads.
    pub const VERSION: u32 = 1;
}

/// A session ends after this long without activity.
pub const SESSION_TIMEOUT: Millis = 30 * 60 * 1000;

/// The journey engine.
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
    knowledge: Knowledge,
    state: Snapshot,
}

impl Engine {
    /// A fresh engine for `visitor_id`.
    pub fn new(config: Config, knowledge: Knowledge, visitor_id: String) -> Engine {
        Engine {
            config,
            knowledge,
            state: Snapshot {
                version: Snapshot::VERSION,
                visitor_id,
                journey: Journey::default(),
                fired: Vec::new(),
                shown: Vec::new(),
                last_trigger: None,
                last_nudge_at: None,
                handoffs: 0,
            },
        }
    }

    /// Continue from a stored snapshot at `now`. A snapshot of another
    /// version is refused (returns false) and the engine keeps its fresh
    /// state. A session idle for longer than [`SESSION_TIMEOUT`] is over: only
    /// the visitor's identity carries into the new one.
    pub fn restore(&mut self, snapshot: Snapshot, now: Millis) -> bool {
        if snapshot.version != Snapshot::VERSION {
            return false;
        }
        let last = snapshot.journey.steps().last().map_or(0, |s| s.at);
        if now.saturating_sub(last) > SESSION_TIMEOUT {
            self.state.visitor_id = snapshot.visitor_id;
            self.state.handoffs = snapshot.handoffs;
            return true;
        }
        let mut snapshot = snapshot;
        snapshot.journey.set_limit(Journey::DEFAULT_LIMIT);
        self.state = snapshot;
        true
    }

    /// The state to persist.
    pub fn snapshot(&self) -> &Snapshot {
        &self.state
    }

    /// The journey so far.
    pub fn journey(&self) -> &Journey {
        &self.state.journey
    }

    /// The visitor id.
    pub fn visitor_id(&self) -> &str {
        &self.state.visitor_id
    }

    /// Take in an event at `now`; returns what to do.
    pub fn handle(&mut self, event: Event, now: Millis) -> Vec<Action> {
        let mut actions = Vec::new();
        let j = &mut self.state.journey;
        match event {
            Event::PageView { url, title } => {
                if !j.visit(&url, &title, now) {
                    return actions;
                }
            }
            Event::Custom { name, .. } => j.push(StepKind::Custom, now, &name),
            Event::Identify(_) => j.push(StepKind::Identify, now, ""),
            Event::AnswerOpened(id) => {
                j.push(StepKind::AnswerOpened, now, &id);
                for a in self.state.shown.iter_mut().filter(|a| a.id == id) {
                    a.opened = true;
                }
            }
            Event::NudgeDismissed => j.push(StepKind::NudgeDismissed, now, ""),
            Event::HandoffRequested { message } => {
                j.push(StepKind::Handoff, now, "");
                actions.push(Action::Handoff(Box::new(self.handoff(&message, now))));
            }
        }
        actions.extend(self.evaluate(now));
        actions.push(Action::Persist);
        actions
    }

    /// Let time pass to `now`: fires the triggers whose time has come.
    pub fn tick(&mut self, now: Millis) -> Vec<Action> {
        let mut actions = self.evaluate(now);
        if !actions.is_empty() {
            actions.push(Action::Persist);
        }
        actions
    }

    /// When the engine next needs a [`tick`](Engine::tick), if ever.
    pub fn next_wake(&self) -> Option<Millis> {
        if self.nudged_this_page() {
            return None;
        }
        self.pending()
            .filter_map(|t| match t.when.due(&self.state.journey, 0) {
                Due::At(at) => Some(at),
                _ => None,
            })
            .min()
    }

    /// Triggers that have not fired yet this session.
    fn pending(&self) -> impl Iterator<Item = &Trigger> {
        self.config
            .triggers
            .iter()
            .filter(|t| !self.state.fired.contains(&t.id))
    }

    /// At most one nudge per page view: a second one would replace the
    /// first while the visitor may still be reading it.
    fn nudged_this_page(&self) -> bool {
        match (&self.state.journey.page, self.state.last_nudge_at) {
            (Some(page), Some(at)) => at >= page.since,
            _ => false,
        }
    }

    fn evaluate(&mut self, now: Millis) -> Vec<Action> {
        if self.nudged_this_page() {
            return Vec::new();
        }
        let journey = &self.state.journey;
        let mut best: Option<&Trigger> = None;
        for t in self.pending() {
            if t.when.due(journey, now) == Due::Now && best.is_none_or(|b| t.priority > b.priority)
            {
                best = Some(t);
            }
        }
        let Some(trigger) = best.cloned() else {
            return Vec::new();
        };
        vec![Action::ShowNudge(self.fire(&trigger, now))]
    }

    fn fire(&mut self, trigger: &Trigger, now: Millis) -> Nudge {
        let path = self
            .state
            .journey
            .page
            .as_ref()
            .map_or("/", |p| p.path.as_str());
        let answers: Vec<NudgeAnswer> = self
            .knowledge
            .for_trigger(trigger, path)
            .into_iter()
            .map(NudgeAnswer::from)
            .collect();
        for a in &answers {
            if !self.state.shown.iter().any(|s| s.id == a.id) {
                self.state.shown.push(AnswerSeen {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    trigger_id: trigger.id.clone(),
                    opened: false,
                });
            }
        }
        self.state.fired.push(trigger.id.clone());
        self.state.last_trigger = Some(trigger.id.clone());
        self.state.last_nudge_at = Some(now);
        self.state
            .journey
            .push(StepKind::NudgeShown, now, &trigger.id);
        Nudge {
            trigger_id: trigger.id.clone(),
            message: trigger.message.clone(),
            answers,
        }
    }

    /// The answers for the help panel when the visitor opens it themselves:
    /// the last nudge's answers, else every answer relevant to this page,
    /// else the first answers.
    pub fn panel_answers(&self) -> Vec<NudgeAnswer> {
        let path = self
            .state
            .journey
            .page
            .as_ref()
            .map_or("/", |p| p.path.as_str());
        let all = self.knowledge.answers();
        let mut picked: Vec<_> = all
            .iter()
            .filter(|a| a.pages.iter().any(|p| p.matches(path)))
            .collect();
        if picked.is_empty() {
            picked = all.iter().collect();
        }
        picked.into_iter().take(5).map(NudgeAnswer::from).collect()
    }

    fn handoff(&mut self, message: &str, now: Millis) -> HandoffPayload {
        self.state.handoffs += 1;
        let trigger = self.state.last_trigger.as_ref().and_then(|id| {
            self.config
                .triggers
                .iter()
                .find(|t| &t.id == id)
                .map(|t| TriggerRef {
                    id: t.id.clone(),
                    message: t.message.clone(),
                })
        });
        handoff::build(HandoffInput {
            id: format!("{}-{}", self.state.visitor_id, self.state.handoffs),
            visitor_id: &self.state.visitor_id,
            journey: &self.state.journey,
            answers: &self.state.shown,
            trigger,
            message,
            now,
        })
    }
}
