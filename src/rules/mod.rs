//! Triggers: when a nudge shows ([`condition`]), how often it may
//! ([`Delivery`]), and the facts conditions are evaluated over.

pub mod condition;
pub mod context;
pub mod duration;
pub mod logic;
pub mod pattern;

pub use condition::{Condition, Device};

use crate::engine::snapshot::Snapshot;
use crate::journey::CurrentPage;
use crate::time::Millis;

/// What the browser says about the visitor's device and settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Env {
    /// Device class.
    pub device: Device,
    /// Preferred languages, most preferred first (`navigator.languages`).
    pub languages: Vec<String>,
    /// UTC offsets in minutes of the time zones schedules name, as the
    /// browser computed them (`Intl`), refreshed by the web layer.
    pub zone_offsets: Vec<(String, i64)>,
    /// The browser's own IANA time zone (`Asia/Jerusalem`), when known
    /// (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
    pub time_zone: Option<String>,
}

impl Default for Env {
    fn default() -> Self {
        Env {
            device: Device::Desktop,
            languages: vec!["en".into()],
            zone_offsets: Vec::new(),
            time_zone: None,
        }
    }
}

impl Env {
    /// The UTC offset of `zone` in minutes, when known.
    pub fn zone_offset(&self, zone: &str) -> Option<i64> {
        self.zone_offsets
            .iter()
            .find(|(z, _)| z == zone)
            .map(|(_, o)| *o)
    }
}

/// What conditions are evaluated over. Derived values (session counts, the
/// JSON Logic context) are computed at most once per evaluation, however
/// many triggers ask for them.
#[derive(Debug)]
pub struct Facts<'a> {
    /// The page this tab shows.
    pub page: Option<&'a CurrentPage>,
    /// The shared state: journey, visitor, session, triggers, events.
    pub state: &'a Snapshot,
    /// Device and settings.
    pub env: &'a Env,
    /// The last input (for idle).
    pub last_input: Millis,
    counts: std::cell::OnceCell<Counts>,
    logic: std::cell::OnceCell<serde_json::Value>,
}

/// Steps of each kind this session.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Page views.
    pub page_views: u32,
    /// Form errors.
    pub form_errors: u32,
    /// Rage clicks.
    pub rage_clicks: u32,
    /// Searches.
    pub searches: u32,
    /// Searches with no results.
    pub searches_no_results: u32,
}

impl<'a> Facts<'a> {
    /// Facts over this state.
    pub fn new(
        page: Option<&'a CurrentPage>,
        state: &'a Snapshot,
        env: &'a Env,
        last_input: Millis,
    ) -> Self {
        Facts {
            page,
            state,
            env,
            last_input,
            counts: std::cell::OnceCell::new(),
            logic: std::cell::OnceCell::new(),
        }
    }

    /// The steps of this session, newest first (steps are in time order, so
    /// this stops at the session start instead of scanning the whole history).
    pub fn session_steps_rev(&self) -> impl Iterator<Item = &'a crate::journey::Step> + 'a {
        let start = self.state.session.started_at;
        self.state
            .journey
            .steps()
            .iter()
            .rev()
            .take_while(move |s| s.at >= start)
    }

    /// Counts of this session's steps, computed once.
    pub fn counts(&self) -> Counts {
        *self.counts.get_or_init(|| {
            use crate::journey::StepKind;
            let mut c = Counts::default();
            for s in self.session_steps_rev() {
                match s.kind {
                    StepKind::PageView => c.page_views += 1,
                    StepKind::FormError => c.form_errors += 1,
                    StepKind::RageClick => c.rage_clicks += 1,
                    StepKind::Search => c.searches += 1,
                    StepKind::SearchNoResults => c.searches_no_results += 1,
                    _ => {}
                }
            }
            c
        })
    }

    /// The JSON Logic context at `now`, built once.
    pub fn logic_context(&self, now: Millis) -> &serde_json::Value {
        self.logic.get_or_init(|| context::build(self, now))
    }
}

/// When a condition will hold if nothing else happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// It holds now.
    Now,
    /// It will hold at this time unless something changes.
    At(Millis),
    /// It cannot come to hold by time passing alone.
    Never,
}

/// What happens when the visitor closes a trigger's nudge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDismiss {
    /// Not again this session (the default).
    Session,
    /// Never again for this visitor.
    Visitor,
    /// Not again for this long.
    For(Millis),
}

/// How often a trigger may fire.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Higher wins when several are due at once; ties go to config order.
    pub priority: i64,
    /// Least time between two firings.
    pub cooldown: Millis,
    /// Most firings per session.
    pub max_per_session: u32,
    /// Most firings per visitor, ever.
    pub max_per_visitor: u32,
    /// What closing its nudge means.
    pub on_dismiss: OnDismiss,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery {
            priority: 0,
            cooldown: 0,
            max_per_session: 1,
            max_per_visitor: u32::MAX,
            on_dismiss: OnDismiss::Session,
        }
    }
}

/// A trigger as the config defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// Its id, unique in the config.
    pub id: String,
    /// Its JSON Pointer in the config (`/triggers/3`).
    pub path: String,
    /// When it fires.
    pub when: Condition,
    /// The nudge's message.
    pub message: String,
    /// Answer ids to show, in order.
    pub answers: Vec<String>,
    /// Answer tags to pick answers by, after the listed ones.
    pub tags: Vec<String>,
    /// How often it may fire.
    pub delivery: Delivery,
}
