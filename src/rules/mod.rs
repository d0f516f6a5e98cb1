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
}

impl Default for Env {
    fn default() -> Self {
        Env {
            device: Device::Desktop,
            languages: vec!["en".into()],
            zone_offsets: Vec::new(),
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

/// What conditions are evaluated over.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The page this tab shows.
    pub page: Option<&'a CurrentPage>,
    /// The shared state: journey, visitor, session, triggers, events.
    pub state: &'a Snapshot,
    /// Device and settings.
    pub env: &'a Env,
    /// The last input (for idle).
    pub last_input: Millis,
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
