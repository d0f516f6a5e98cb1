//! Triggers and the conditions that decide when they fire.

pub mod logic;
pub mod pattern;

use crate::journey::{CurrentPage, Journey};
use crate::time::Millis;
use pattern::PathPattern;

/// What conditions are evaluated over.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The page this tab shows.
    pub page: Option<&'a CurrentPage>,
    /// The shared journey.
    pub journey: &'a Journey,
}

/// A condition over the journey. Several keys in one `when` object all have
/// to hold ([`Condition::All`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every condition holds.
    All(Vec<Condition>),
    /// The current page path matches.
    Page(PathPattern),
    /// The current page has been visible at least this many seconds.
    DwellSeconds(u64),
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

impl Condition {
    /// Evaluate at `now`.
    pub fn due(&self, facts: &Facts, now: Millis) -> Due {
        match self {
            Condition::Page(p) => match facts.page {
                Some(page) if p.matches(&page.path) => Due::Now,
                _ => Due::Never,
            },
            Condition::DwellSeconds(s) => match facts.page {
                None => Due::Never,
                Some(page) => {
                    let need = s.saturating_mul(1000);
                    if page.dwell(now) >= need {
                        Due::Now
                    } else {
                        // Hidden pages gain no time: only a return can help.
                        page.dwell_reached_at(need).map_or(Due::Never, Due::At)
                    }
                }
            },
            Condition::All(items) => {
                let mut due = Due::Now;
                for c in items {
                    match (c.due(facts, now), due) {
                        (Due::Never, _) => return Due::Never,
                        (Due::At(t), Due::At(u)) => due = Due::At(t.max(u)),
                        (Due::At(t), Due::Now) => due = Due::At(t),
                        _ => {}
                    }
                }
                due
            }
        }
    }
}

/// A trigger as the config defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// Its id, unique in the config.
    pub id: String,
    /// When it fires.
    pub when: Condition,
    /// The nudge's message.
    pub message: String,
    /// Answer ids to show, in order.
    pub answers: Vec<String>,
    /// Answer tags to pick answers by, after the listed ones.
    pub tags: Vec<String>,
    /// Higher wins when several are due at once.
    pub priority: i64,
}
