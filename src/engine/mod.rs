//! The engine: events in, actions out. Pure and deterministic; the caller
//! passes the time with every call and asks [`Engine::next_wake`] when to
//! call [`Engine::tick`] next.

pub mod snapshot;

use crate::config::{Config, HandoffConfig};
use crate::error::Error;
use crate::handoff::{self, AnswerSeen, Contact, HandoffInput, HandoffPayload, TriggerRef};
use crate::journey::redact::{scrub_text, scrub_url};
use crate::journey::url::PageUrl;
use crate::journey::{Click, CurrentPage, Event, Journey, Session, StepKind};
use crate::knowledge::{Answer, Context, Knowledge, Signal};
use crate::rules::{Due, Env, Facts, OnDismiss, Trigger};
use crate::time::Millis;
use serde::{Deserialize, Serialize};
use serde_json::Value;
pub use snapshot::Snapshot;
use snapshot::{CustomEvent, MAX_EVENTS};

/// What the web layer must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show a nudge.
    ShowNudge(Nudge),
    /// Deliver a handoff to the configured transport.
    Handoff(Box<HandoffPayload>),
    /// The shared state changed: persist [`Engine::snapshot`].
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

/// One answer found by a visitor's search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResult {
    /// The answer, in the visitor's language.
    #[serde(flatten)]
    pub answer: NudgeAnswer,
    /// It is past its review date: show it marked as possibly out of date.
    pub stale: bool,
}

/// How long a form error, event or search keeps weighing on which answers
/// a nudge proposes (its weight fades linearly to zero over this window).
const CONTEXT_WINDOW: Millis = 10 * 60 * 1000;

/// Whether the visitor agreed to be recorded (`"granted"`, `"pending"` or
/// `"denied"` in the handoff payload).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Consent {
    /// Record and persist.
    #[default]
    Granted,
    /// Record in memory only; persist nothing until granted.
    Pending,
    /// Record nothing.
    Denied,
}

/// Clicks closer than this in time and space make a rage click.
const RAGE_WINDOW: Millis = 1_000;
const RAGE_RADIUS: i32 = 30;
const RAGE_CLICKS: usize = 3;
/// A hidden tab shown again after at least this long is a return.
const RETURN_AFTER: Millis = 1_000;
/// The same form error (field and message) or search again within this
/// long is one thing reported by two sources (`invalid`, then
/// `aria-invalid`; a captured search box that also calls `search()`).
const ECHO_WITHIN: Millis = 1_000;
/// Most visitor attributes kept from `identify`.
const MAX_ATTRIBUTES: usize = 50;

/// The journey engine.
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
    knowledge: Knowledge,
    state: Snapshot,
    /// Per tab: the page this tab shows.
    page: Option<CurrentPage>,
    /// Per tab: a nudge was shown on this page view (known without
    /// comparing times, which a clock set back would break).
    nudged_page: bool,
    /// Per tab: recent clicks (time, x, y) for rage detection.
    clicks: Vec<(Millis, i32, i32)>,
    last_input: Millis,
    /// Per tab: the last keystroke in a form field.
    last_typing: Option<Millis>,
    idle: bool,
    consent: Consent,
    env: Env,
    /// The latest time seen by `handle` or `tick`.
    clock: Millis,
}

/// No nudge while the visitor typed in a field this recently.
pub const TYPING_PAUSE: Millis = 2_000;

/// Why a trigger is or is not showing, for product teams.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// Trigger id.
    pub trigger: String,
    /// `fired`, `eligible`, `waiting` or `blocked`.
    pub status: &'static str,
    /// JSON Pointer to the condition or control that decides it.
    pub path: String,
    /// In plain words.
    pub reason: String,
    /// For `waiting`: when it can fire if nothing else changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Millis>,
}

/// A delivery control's verdict on a trigger.
enum Gate {
    Open,
    Until(Millis, String, String),
    Closed(String, String),
}

impl Engine {
    /// A fresh engine for `visitor_id`, consent granted, started at time 0.
    pub fn new(config: Config, knowledge: Knowledge, visitor_id: String) -> Engine {
        Engine::start(config, knowledge, visitor_id, Consent::Granted, 0)
    }

    /// A fresh engine with the given consent, started at `now`.
    pub fn start(
        config: Config,
        knowledge: Knowledge,
        visitor_id: String,
        consent: Consent,
        now: Millis,
    ) -> Engine {
        let mut state = Snapshot::new(visitor_id, now);
        state.journey.set_limit(config.journey.max_steps);
        Engine {
            config,
            knowledge,
            consent,
            state,
            page: None,
            nudged_page: false,
            clicks: Vec::new(),
            last_input: now,
            last_typing: None,
            idle: false,
            env: Env::default(),
            clock: now,
        }
    }

    /// Tell the engine about the device, languages and time zones.
    pub fn set_env(&mut self, env: Env) {
        self.env = env;
    }

    /// Continue from stored state at `now`. A session idle for longer than
    /// the session timeout is over: the visitor and the journey carry into a
    /// new session, the per-session trigger state does not.
    ///
    /// State untouched for longer than the visitor retention (30 days by
    /// default) is not restored: the visitor starts afresh.
    pub fn restore(&mut self, snapshot: Snapshot, now: Millis) {
        if now.saturating_sub(snapshot.session.last_activity)
            > self.config.journey.visitor_retention
        {
            return;
        }
        let mut snapshot = snapshot;
        snapshot.journey.set_limit(self.config.journey.max_steps);
        self.state = snapshot;
        self.roll_session(now);
    }

    /// Merge the shared state another tab saved, keeping this tab's page.
    /// Returns true when ours held something theirs did not, so ours should
    /// be saved for them in turn. Merging is a union (steps by time, fired
    /// triggers, answers shown; the older visitor identity wins), so tabs
    /// converge whatever order their saves arrive in.
    pub fn merge(&mut self, theirs: Snapshot) -> bool {
        self.state.merge(theirs, self.config.journey.max_steps)
    }

    /// The visitor left this page and came back to the same document (the
    /// browser restored it from its back/forward cache): the page is left
    /// (its dwell counted), so the next page view, even of the same
    /// address, is a new visit.
    pub fn leave_page(&mut self, now: Millis) {
        self.leave(now);
    }

    /// The state to persist (shared between tabs).
    pub fn snapshot(&self) -> &Snapshot {
        &self.state
    }

    /// The journey so far.
    pub fn journey(&self) -> &Journey {
        &self.state.journey
    }

    /// The page this tab shows.
    pub fn page(&self) -> Option<&CurrentPage> {
        self.page.as_ref()
    }

    /// The visitor id.
    pub fn visitor_id(&self) -> &str {
        &self.state.visitor.id
    }

    /// Is the visitor idle (no input for the idle threshold)?
    pub fn is_idle(&self) -> bool {
        self.idle
    }

    /// Current consent.
    pub fn consent(&self) -> Consent {
        self.consent
    }

    /// Change consent. Granting persists what was kept in memory; denying
    /// drops the journey recorded so far.
    pub fn set_consent(&mut self, consent: Consent, now: Millis) -> Vec<Action> {
        self.consent = consent;
        match consent {
            Consent::Granted => {
                self.state.rev += 1;
                vec![Action::Persist]
            }
            Consent::Denied => {
                let id = self.state.visitor.id.clone();
                self.state = Snapshot::new(id, now);
                self.state.journey.set_limit(self.config.journey.max_steps);
                Vec::new()
            }
            Consent::Pending => Vec::new(),
        }
    }

    /// Forget everything about the visitor; continue as `new_visitor_id`.
    pub fn forget(&mut self, new_visitor_id: String, now: Millis) {
        self.state = Snapshot::new(new_visitor_id, now);
        self.state.journey.set_limit(self.config.journey.max_steps);
        self.clicks.clear();
    }

    /// Take in an event at `now`; returns what to do.
    pub fn handle(&mut self, event: Event, now: Millis) -> Vec<Action> {
        self.roll_session(now);
        let changed = self.ingest(event, now);
        let mut actions = Vec::new();
        if let Some(handoff) = changed.handoff {
            actions.push(Action::Handoff(Box::new(handoff)));
        }
        actions.extend(self.evaluate(now));
        if changed.recorded || !actions.is_empty() {
            self.touch(now, &mut actions);
        }
        actions
    }

    /// Let time pass to `now`: marks the visitor idle and fires the triggers
    /// whose time has come.
    pub fn tick(&mut self, now: Millis) -> Vec<Action> {
        self.clock = self.clock.max(now);
        let mut recorded = false;
        if !self.idle
            && now
                >= self
                    .last_input
                    .saturating_add(self.config.journey.idle_after)
        {
            self.idle = true;
            recorded = self.record(StepKind::Idle, now, "");
        }
        let mut actions = self.evaluate(now);
        if recorded || !actions.is_empty() {
            self.touch(now, &mut actions);
        }
        actions
    }

    /// When the engine next needs a [`tick`](Engine::tick), if ever: the
    /// earliest moment a time-based condition or control can let a trigger
    /// fire, or the idle threshold passes.
    pub fn next_wake(&self) -> Option<Millis> {
        let now = self.clock;
        let idle = (!self.idle).then(|| {
            self.last_input
                .saturating_add(self.config.journey.idle_after)
        });
        let facts = self.facts();
        let trigger = self
            .config
            .triggers
            .iter()
            .filter_map(|t| {
                let gate_at = match self.gate(t, now) {
                    Gate::Closed(..) => return None,
                    Gate::Until(at, ..) => at,
                    Gate::Open => now,
                };
                match t.when.due(&facts, now) {
                    Due::Never => None,
                    Due::Now => Some(gate_at),
                    Due::At(at) => Some(at.max(gate_at)),
                }
            })
            .min();
        [idle, trigger].into_iter().flatten().min()
    }

    /// For every trigger, at `now`: fired, eligible, waiting (until when) or
    /// blocked, and by which condition or control, with its config path.
    pub fn explain(&self, now: Millis) -> Vec<Explanation> {
        let facts = self.facts();
        self.config
            .triggers
            .iter()
            .map(|t| {
                let shown = self
                    .state
                    .triggers
                    .fired
                    .iter()
                    .filter(|id| **id == t.id)
                    .count();
                let blocker = t
                    .when
                    .blocking(&facts, now)
                    .map(|c| (c, c.due(&facts, now)));
                let (status, path, reason, at) = match (self.gate(t, now), blocker) {
                    (Gate::Closed(path, why), _) if shown > 0 => ("fired", path, why, None),
                    (_, Some((c, Due::Never))) => (
                        "blocked",
                        c.path.clone(),
                        "this condition does not hold".into(),
                        None,
                    ),
                    (Gate::Closed(path, why), _) => ("blocked", path, why, None),
                    (Gate::Until(at, path, why), _) => ("waiting", path, why, Some(at)),
                    (Gate::Open, Some((c, Due::At(at)))) => (
                        "waiting",
                        c.path.clone(),
                        "waiting for this condition".into(),
                        Some(at),
                    ),
                    (Gate::Open, _) => (
                        "eligible",
                        t.when.path.clone(),
                        "every condition holds".into(),
                        None,
                    ),
                };
                Explanation {
                    trigger: t.id.clone(),
                    status,
                    path,
                    reason,
                    at,
                }
            })
            .collect()
    }

    fn facts(&self) -> Facts<'_> {
        Facts::new(self.page.as_ref(), &self.state, &self.env, self.last_input)
    }

    /// What the delivery controls say about `t` at `now`.
    fn gate(&self, t: &Trigger, now: Millis) -> Gate {
        let log = &self.state.triggers;
        let d = &t.delivery;
        let key = |k: &str| format!("{}/{k}", t.path);
        let this_session = log.fired.iter().filter(|id| **id == t.id).count() as u32;
        if this_session >= d.max_per_session {
            let why = format!(
                "shown {this_session} of at most {} time(s) this session",
                d.max_per_session
            );
            return Gate::Closed(key("maxPerSession"), why);
        }
        let ever = log.per_visitor.get(&t.id).copied().unwrap_or(0);
        if ever >= d.max_per_visitor {
            let why = format!(
                "shown {ever} of at most {} time(s) to this visitor",
                d.max_per_visitor
            );
            return Gate::Closed(key("maxPerVisitor"), why);
        }
        if log.dismissed_session.contains(&t.id) {
            return Gate::Closed(
                key("onDismiss"),
                "dismissed by the visitor this session".into(),
            );
        }
        if let Some(until) = log.dismissed_until.get(&t.id).copied() {
            if until == Millis::MAX {
                return Gate::Closed(key("onDismiss"), "dismissed by the visitor for good".into());
            }
            if now < until {
                return Gate::Until(until, key("onDismiss"), "dismissed by the visitor".into());
            }
        }
        if self.nudged_this_page() {
            return Gate::Closed(
                t.path.clone(),
                "a nudge was already shown on this page view".into(),
            );
        }
        let mut wait: Option<(Millis, String, String)> = None;
        let mut later = |at: Millis, path: String, why: &str| {
            if at > now && wait.as_ref().is_none_or(|(w, ..)| at > *w) {
                wait = Some((at, path, why.to_string()));
            }
        };
        if let Some(last) = log.last_fired.get(&t.id) {
            later(
                last.saturating_add(d.cooldown),
                key("cooldown"),
                "cooling down since it last fired",
            );
        }
        if let Some(last) = log.last_nudge_at {
            later(
                last.saturating_add(self.config.quiet),
                "/delivery/quietSeconds".into(),
                "quiet period after the last nudge",
            );
        }
        if let Some(typed) = self.last_typing {
            later(
                typed.saturating_add(TYPING_PAUSE),
                t.path.clone(),
                "the visitor is typing",
            );
        }
        match wait {
            Some((at, path, why)) => Gate::Until(at, path, why),
            None => Gate::Open,
        }
    }

    /// Note activity and ask for the shared state to be persisted.
    fn touch(&mut self, now: Millis, actions: &mut Vec<Action>) {
        self.state.session.last_activity = now;
        self.state.rev += 1;
        if self.consent == Consent::Granted {
            actions.push(Action::Persist);
        }
    }

    fn roll_session(&mut self, now: Millis) {
        if self.state.rev == 0 {
            // Nothing recorded yet: the session starts with the first event.
            self.state.session = Session {
                started_at: now,
                last_activity: now,
            };
            return;
        }
        let s = &self.state.session;
        if now.saturating_sub(s.last_activity) > self.config.journey.session_timeout {
            self.state.session = Session {
                started_at: now,
                last_activity: now,
            };
            self.state.visitor.visits = self.state.visitor.visits.saturating_add(1);
            let log = &mut self.state.triggers;
            log.fired.clear();
            log.dismissed_session.clear();
            log.unhelpful.clear();
        }
    }

    /// Record a step unless consent was denied. Returns whether it was.
    /// The detail is scrubbed of personal data first.
    fn record(&mut self, kind: StepKind, now: Millis, detail: &str) -> bool {
        if self.consent == Consent::Denied {
            return false;
        }
        let path = self.page.as_ref().map_or("", |p| p.path.as_str());
        self.state
            .journey
            .push(kind, now, path, &scrub_text(detail));
        true
    }

    /// Was a `kind` step with this `detail` recorded within
    /// [`ECHO_WITHIN`]? (One thing reported twice by two sources.)
    fn echoed(&self, kind: StepKind, detail: &str, now: Millis) -> bool {
        let detail = scrub_text(detail);
        self.state
            .journey
            .steps()
            .iter()
            .rev()
            .take_while(|s| now.saturating_sub(s.at) < ECHO_WITHIN)
            .any(|s| s.kind == kind && s.detail == detail)
    }

    fn ingest(&mut self, event: Event, now: Millis) -> Ingested {
        let mut out = Ingested::default();
        self.clock = self.clock.max(now);
        if is_input(&event) {
            self.last_input = now;
            self.idle = false;
        }
        match event {
            Event::PageView {
                url,
                title,
                referrer,
            } => out.recorded = self.visit(&url, &title, &referrer, now),
            Event::Title(title) => {
                if let Some(p) = &mut self.page {
                    p.title = scrub_text(&title).into_owned();
                }
            }
            Event::Headings(headings) => {
                if let Some(p) = &mut self.page {
                    p.headings = headings
                        .iter()
                        .take(8)
                        .map(|h| scrub_text(h).into_owned())
                        .collect();
                }
            }
            Event::Visibility(visible) => {
                let away = self.page.as_mut().and_then(|p| p.set_visible(visible, now));
                if let Some(ms) = away.filter(|ms| *ms >= RETURN_AFTER) {
                    let detail = crate::time::human_duration(ms);
                    out.recorded = self.record(StepKind::Returned, now, &detail);
                }
            }
            Event::Scroll(depth) => {
                let depth = depth.min(100);
                if let Some(p) = &mut self.page {
                    if depth > p.max_scroll {
                        p.max_scroll = depth;
                        let path = p.path.clone();
                        let stats = self.state.journey.page_stats(&path);
                        stats.max_scroll = stats.max_scroll.max(depth);
                    }
                }
            }
            Event::Click(click) => out.recorded = self.click(click, now),
            Event::FormError {
                form,
                field,
                message,
            } => {
                let mut detail =
                    String::with_capacity(form.len() + field.len() + message.len() + 4);
                if !form.is_empty() {
                    detail.push_str(&form);
                    detail.push(' ');
                }
                detail.push_str(&field);
                if !message.is_empty() {
                    detail.push_str(": ");
                    detail.push_str(&message);
                }
                // One failure seen twice (the `invalid` event, then the page
                // marking the field `aria-invalid`) is one error.
                if self.echoed(StepKind::FormError, &detail, now) {
                    return out;
                }
                if let Some(p) = &mut self.page {
                    p.errors += 1;
                    let path = p.path.clone();
                    self.state.journey.page_stats(&path).errors += 1;
                }
                out.recorded = self.record(StepKind::FormError, now, &detail);
            }
            Event::FormSubmit { form } => {
                out.recorded = self.record(StepKind::FormSubmit, now, &form)
            }
            Event::Search { query, results } => {
                // A page's search box that also calls `search()`: one search.
                if self.echoed(StepKind::Search, &query, now) {
                    let empty =
                        results == Some(0) && !self.echoed(StepKind::SearchNoResults, &query, now);
                    if empty {
                        out.recorded = self.record(StepKind::SearchNoResults, now, &query);
                    }
                    return out;
                }
                out.recorded = self.record(StepKind::Search, now, &query);
                if results == Some(0) {
                    self.record(StepKind::SearchNoResults, now, &query);
                }
                self.state.last_search = Some(scrub_text(&query).into_owned());
            }
            Event::SearchResults(n) => {
                let last_is_search = self
                    .state
                    .journey
                    .steps()
                    .last()
                    .is_some_and(|s| s.kind == StepKind::Search);
                if n == 0 && last_is_search {
                    let q = self.state.last_search.clone().unwrap_or_default();
                    out.recorded = self.record(StepKind::SearchNoResults, now, &q);
                }
            }
            Event::ExitIntent => {
                let path = self.page.as_ref().map(|p| p.path.clone());
                let seen = self
                    .state
                    .journey
                    .steps()
                    .iter()
                    .rev()
                    .take_while(|s| s.kind != StepKind::PageView)
                    .any(|s| s.kind == StepKind::ExitIntent);
                if path.is_some() && !seen {
                    out.recorded = self.record(StepKind::ExitIntent, now, "");
                }
            }
            Event::PageHide => {
                if let Some(p) = &mut self.page {
                    p.set_visible(false, now);
                }
                out.recorded = true;
            }
            Event::Input => {}
            Event::Custom { name, props } => {
                out.recorded = self.record(StepKind::Custom, now, &name);
                if out.recorded {
                    let props = props
                        .into_iter()
                        .map(|(k, v)| match v {
                            Value::String(s) => (k, Value::String(scrub_text(&s).into_owned())),
                            v => (k, v),
                        })
                        .collect();
                    let name = scrub_text(&name).into_owned();
                    self.state.events.push(CustomEvent {
                        name,
                        at: now,
                        props,
                    });
                    let extra = self.state.events.len().saturating_sub(MAX_EVENTS);
                    self.state.events.drain(..extra);
                }
            }
            Event::Typing => self.last_typing = Some(now),
            Event::AnswerRated { id, helpful } => {
                let detail = if helpful { "helpful" } else { "unhelpful" };
                let mut line = String::with_capacity(id.len() + 12);
                line.push_str(&id);
                line.push_str(": ");
                line.push_str(detail);
                out.recorded = self.record(StepKind::Feedback, now, &line);
                let log = &mut self.state.triggers;
                for a in log.shown.iter_mut().filter(|a| a.id == id) {
                    a.helpful = Some(helpful);
                }
                if !helpful && !log.unhelpful.contains(&id) {
                    log.unhelpful.push(id);
                }
            }
            Event::Identify(attrs) => {
                let a = &mut self.state.visitor.attributes;
                for (k, v) in attrs {
                    if a.len() < MAX_ATTRIBUTES || a.contains_key(&k) {
                        a.insert(k, v);
                    }
                }
                out.recorded = self.record(StepKind::Identify, now, "");
            }
            Event::AnswerOpened(id) => {
                out.recorded = self.record(StepKind::AnswerOpened, now, &id);
                for a in self.state.triggers.shown.iter_mut().filter(|a| a.id == id) {
                    a.opened = true;
                }
            }
            Event::NudgeDismissed => {
                let trigger = self.state.triggers.last_trigger.clone().unwrap_or_default();
                out.recorded = self.record(StepKind::NudgeDismissed, now, &trigger);
                let on_dismiss = self
                    .config
                    .triggers
                    .iter()
                    .find(|t| t.id == trigger)
                    .map(|t| t.delivery.on_dismiss);
                let log = &mut self.state.triggers;
                match on_dismiss {
                    Some(OnDismiss::Session) => log.dismissed_session.push(trigger),
                    Some(OnDismiss::Visitor) => {
                        log.dismissed_until.insert(trigger, Millis::MAX);
                    }
                    Some(OnDismiss::For(ms)) => {
                        log.dismissed_until.insert(trigger, now.saturating_add(ms));
                    }
                    None => {}
                }
            }
            Event::HandoffRequested { message, contact } => {
                // A disabled channel is refused here too; callers learn why
                // from `check_contact` / `request_handoff`.
                if self.check_contact(&contact).is_ok() {
                    self.record(StepKind::Handoff, now, "");
                    out.recorded = true;
                    out.handoff = Some(self.handoff(&message, contact, now));
                }
            }
        }
        out
    }

    fn visit(&mut self, url: &str, title: &str, referrer: &str, now: Millis) -> bool {
        let policy = &self.config.journey.query;
        let u = PageUrl::parse(&scrub_url(url, policy));
        let title = scrub_text(title);
        let referrer = scrub_url(referrer, policy);
        if let Some(p) = &mut self.page {
            if p.path == u.path && p.query == u.query && p.hash == u.hash {
                p.title = title.into_owned();
                return false;
            }
        }
        self.leave(now);
        let search = search_query(&u.query, &self.config.journey.search_params);
        let page = CurrentPage::new(
            u.path,
            u.query,
            u.hash,
            title.to_string(),
            referrer.to_string(),
            now,
        );
        self.state.journey.page_stats(&page.path).views += 1;
        self.page = Some(page);
        self.nudged_page = false;
        let recorded = self.record(StepKind::PageView, now, &title);
        if let Some(q) = search {
            self.record(StepKind::Search, now, &q);
            self.state.last_search = Some(q);
        }
        recorded
    }

    /// Add the page being left to its stats.
    fn leave(&mut self, now: Millis) {
        if let Some(p) = self.page.take() {
            let dwell = p.dwell(now);
            self.state.journey.page_stats(&p.path).dwell_ms += dwell;
        }
    }

    fn click(&mut self, click: Click, now: Millis) -> bool {
        self.clicks
            .retain(|(at, _, _)| now.saturating_sub(*at) <= RAGE_WINDOW);
        self.clicks.push((now, click.x, click.y));
        let near = self
            .clicks
            .iter()
            .filter(|(_, x, y)| {
                (x - click.x).abs() <= RAGE_RADIUS && (y - click.y).abs() <= RAGE_RADIUS
            })
            .count();
        if near >= RAGE_CLICKS {
            self.clicks.clear();
            let detail = if click.label.is_empty() {
                &click.selector
            } else {
                &click.label
            };
            return self.record(StepKind::RageClick, now, detail);
        }
        if click.interactive {
            self.record(StepKind::Click, now, &click.label)
        } else {
            false
        }
    }

    /// At most one nudge per page view: a second one would replace the
    /// first while the visitor may still be reading it. Another tab's
    /// nudge since this page opened counts too.
    fn nudged_this_page(&self) -> bool {
        match (&self.page, self.state.triggers.last_nudge_at) {
            (Some(_), _) if self.nudged_page => true,
            (Some(page), Some(at)) => at >= page.since,
            _ => false,
        }
    }

    fn evaluate(&mut self, now: Millis) -> Vec<Action> {
        self.clock = self.clock.max(now);
        let facts = self.facts();
        let mut best: Option<&Trigger> = None;
        for t in &self.config.triggers {
            let better = best.is_none_or(|b| t.delivery.priority > b.delivery.priority);
            if better
                && matches!(self.gate(t, now), Gate::Open)
                && t.when.due(&facts, now) == Due::Now
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
        let ctx = self.context(now);
        let answers: Vec<NudgeAnswer> = self
            .knowledge
            .select(trigger, &ctx, now)
            .into_iter()
            .map(|a| self.localize(a))
            .collect();
        let log = &mut self.state.triggers;
        for a in &answers {
            if !log.shown.iter().any(|s| s.id == a.id) {
                log.shown.push(AnswerSeen {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    trigger_id: trigger.id.clone(),
                    opened: false,
                    helpful: None,
                });
            }
        }
        log.fired.push(trigger.id.clone());
        *log.per_visitor.entry(trigger.id.clone()).or_insert(0) += 1;
        log.last_fired.insert(trigger.id.clone(), now);
        log.last_trigger = Some(trigger.id.clone());
        log.last_nudge_at = Some(now);
        self.nudged_page = self.page.is_some();
        self.record(StepKind::NudgeShown, now, &trigger.id);
        Nudge {
            trigger_id: trigger.id.clone(),
            message: trigger.message.clone(),
            answers,
        }
    }

    /// The answers for the help panel when the visitor opens it themselves:
    /// ranked by the journey's context (never stale ones), else those
    /// relevant to this page, else the first fresh ones.
    pub fn panel_answers(&self) -> Vec<NudgeAnswer> {
        let now = self.clock;
        let ctx = self.context(now);
        let mut picked: Vec<&Answer> = self
            .knowledge
            .suggest(&ctx, now, 5)
            .iter()
            .filter_map(|h| self.knowledge.get(&h.id))
            .collect();
        if picked.is_empty() {
            let fresh = self.knowledge.answers().iter().filter(|a| !a.is_stale(now));
            let on_page: Vec<&Answer> = fresh
                .clone()
                .filter(|a| a.pages.iter().any(|p| p.matches(&ctx.path)))
                .collect();
            picked = if on_page.is_empty() {
                fresh.collect()
            } else {
                on_page
            };
        }
        picked
            .into_iter()
            .take(5)
            .map(|a| self.localize(a))
            .collect()
    }

    /// Search the answers for what the visitor typed, in their language,
    /// and record the search in the journey (a search that finds nothing
    /// becomes the "search with no results" step triggers react to). Stale
    /// answers are returned flagged, never hidden, so a visitor looking for
    /// them still finds them.
    pub fn search(
        &mut self,
        query: &str,
        now: Millis,
        k: usize,
    ) -> (Vec<SearchResult>, Vec<Action>) {
        let results = self.find(query, now, k);
        let n = u32::try_from(results.len()).unwrap_or(u32::MAX);
        let actions = self.handle(
            Event::Search {
                query: query.to_string(),
                results: Some(n),
            },
            now,
        );
        (results, actions)
    }

    /// Search without recording it: results as the visitor types.
    pub fn find(&self, query: &str, now: Millis, k: usize) -> Vec<SearchResult> {
        let locale = self.env.languages.first().cloned().unwrap_or_default();
        self.knowledge
            .search(query, &locale, now, k)
            .iter()
            .filter_map(|h| {
                let a = self.knowledge.get(&h.id)?;
                Some(SearchResult {
                    answer: self.localize(a),
                    stale: h.stale,
                })
            })
            .collect()
    }

    /// Is answer `id` past its review or expiry date at `now`?
    pub fn is_stale(&self, id: &str, now: Millis) -> bool {
        self.knowledge.get(id).is_some_and(|a| a.is_stale(now))
    }

    /// An answer by id, in the visitor's language (for `showAnswer(id)`).
    pub fn answer(&self, id: &str) -> Option<NudgeAnswer> {
        self.knowledge.get(id).map(|a| self.localize(a))
    }

    /// An answer in the visitor's language (falling back as the answer
    /// document says).
    fn localize(&self, a: &Answer) -> NudgeAnswer {
        let locales: Vec<&str> = self.env.languages.iter().map(String::as_str).collect();
        let (title, body) = match self.knowledge.localized(&a.id, &locales) {
            Some(l) => (l.title.to_string(), l.body.to_string()),
            None => (a.title.clone(), a.body.clone()),
        };
        NudgeAnswer {
            id: a.id.clone(),
            title,
            body,
            url: a.url.clone(),
        }
    }

    /// What the journey says about what the visitor needs now, for ranking.
    pub fn context(&self, now: Millis) -> Context {
        let start = now.saturating_sub(CONTEXT_WINDOW);
        let steps = self.state.journey.steps();
        let recent = |kind: StepKind| -> Vec<Signal> {
            steps
                .iter()
                .filter(|s| s.kind == kind && s.at >= start)
                .map(|s| {
                    // "form field: message" -> the message carries the meaning.
                    let text = s
                        .detail
                        .rsplit_once(": ")
                        .map_or(s.detail.as_str(), |(_, m)| m);
                    Signal::aged(text, now.saturating_sub(s.at), CONTEXT_WINDOW)
                })
                .collect()
        };
        let log = &self.state.triggers;
        Context {
            locale: self.env.languages.first().cloned().unwrap_or_default(),
            path: self
                .page
                .as_ref()
                .map(|p| p.path.clone())
                .unwrap_or_default(),
            page_title: self
                .page
                .as_ref()
                .map(|p| p.title.clone())
                .unwrap_or_default(),
            headings: self
                .page
                .as_ref()
                .map(|p| p.headings.clone())
                .unwrap_or_default(),
            form_errors: recent(StepKind::FormError),
            last_search: self.state.last_search.clone(),
            events: recent(StepKind::Custom),
            tags: Vec::new(),
            unhelpful: log.unhelpful.clone(),
            read: log
                .shown
                .iter()
                .filter(|a| a.opened)
                .map(|a| a.id.clone())
                .collect(),
        }
    }

    /// The `handoff` section of the config: enabled channels, agent
    /// language, size bound, webhook, adapter and fallback.
    ///
    /// ```
    /// use pathlight::{Config, Engine, Knowledge};
    /// let e = Engine::new(Config::default(), Knowledge::default(), "v".into());
    /// assert_eq!(e.handoff_config().max_bytes, 32_768);
    /// ```
    pub fn handoff_config(&self) -> &HandoffConfig {
        &self.config.handoff
    }

    /// Check a handoff's contact before sending it: its channel must be one
    /// of `handoff.channels`. The chosen channel is never replaced by
    /// another; a disabled one is an [`Error::ChannelDisabled`] (and
    /// [`Engine::handle`] ignores a [`Event::HandoffRequested`] carrying
    /// it, so the web layer calls this first to tell the host why).
    ///
    /// ```
    /// use pathlight::handoff::{Channel, Contact};
    /// use pathlight::{Config, Engine, Knowledge};
    /// let e = Engine::new(Config::default(), Knowledge::default(), "v".into());
    /// assert!(e.check_contact(&Contact::new(Channel::Email)).is_ok());
    /// let err = e.check_contact(&Contact::new(Channel::Sms)).unwrap_err();
    /// assert_eq!(err.to_string(),
    ///     "channel 'sms' is not enabled in handoff.channels; enabled: chat, email");
    /// ```
    pub fn check_contact(&self, contact: &Contact) -> Result<(), Error> {
        let h = &self.config.handoff;
        if h.allows(contact.channel) {
            Ok(())
        } else {
            Err(Error::ChannelDisabled {
                channel: contact.channel,
                enabled: h.channels.clone(),
            })
        }
    }

    /// The visitor asks for a person: [`Engine::check_contact`], then
    /// handle [`Event::HandoffRequested`]. The actions include
    /// [`Action::Handoff`] with the payload.
    ///
    /// ```
    /// use pathlight::handoff::{Channel, Contact};
    /// use pathlight::{Action, Config, Engine, Event, Knowledge};
    /// let mut e = Engine::new(Config::default(), Knowledge::default(), "v".into());
    /// e.handle(Event::page_view("/checkout", "Checkout"), 1_000);
    /// let actions = e.request_handoff("Card fails", Contact::new(Channel::Chat), 5_000).unwrap();
    /// assert!(matches!(&actions[0], Action::Handoff(p) if p.message == "Card fails"));
    /// assert!(e.request_handoff("", Contact::new(Channel::Callback), 6_000).is_err());
    /// ```
    pub fn request_handoff(
        &mut self,
        message: &str,
        contact: Contact,
        now: Millis,
    ) -> Result<Vec<Action>, Error> {
        self.check_contact(&contact)?;
        Ok(self.handle(
            Event::HandoffRequested {
                message: message.to_string(),
                contact,
            },
            now,
        ))
    }

    fn handoff(&mut self, message: &str, contact: Contact, now: Millis) -> HandoffPayload {
        self.state.handoffs += 1;
        let trigger = self.state.triggers.last_trigger.as_ref().and_then(|id| {
            self.config
                .triggers
                .iter()
                .find(|t| &t.id == id)
                .map(|t| TriggerRef {
                    id: t.id.clone(),
                    message: t.message.clone(),
                })
        });
        let h = &self.config.handoff;
        handoff::build(HandoffInput {
            id: format!("{}-{}", self.state.visitor.id, self.state.handoffs),
            visitor: &self.state.visitor,
            locale: self.env.languages.first().map_or("", String::as_str),
            time_zone: self.env.time_zone.as_deref(),
            device: self.env.device,
            journey: &self.state.journey,
            page: self.page.as_ref(),
            answers: &self.state.triggers.shown,
            trigger,
            last_search: self.state.last_search.as_deref(),
            message,
            contact,
            consent: self.consent,
            agent_locale: h.agent_locale,
            max_bytes: h.max_bytes,
            session_timeout: self.config.journey.session_timeout,
            now,
        })
    }
}

/// The value of the first search parameter present in `query`, decoded.
fn search_query(query: &str, params: &[String]) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        if !params.iter().any(|p| p == k) {
            return None;
        }
        let v = percent_decode(&v.replace('+', " "));
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// Decode `%XX` escapes; invalid ones and invalid UTF-8 are kept as they are.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Events that show the visitor is active (not idle).
fn is_input(event: &Event) -> bool {
    matches!(
        event,
        Event::PageView { .. }
            | Event::Visibility(true)
            | Event::Click(_)
            | Event::FormSubmit { .. }
            | Event::Search { .. }
            | Event::Input
            | Event::Typing
            | Event::AnswerOpened(_)
            | Event::AnswerRated { .. }
            | Event::NudgeDismissed
            | Event::HandoffRequested { .. }
    )
}

#[derive(Default)]
struct Ingested {
    recorded: bool,
    handoff: Option<HandoffPayload>,
}
