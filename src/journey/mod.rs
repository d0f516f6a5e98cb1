//! The visitor's journey: the events the engine accepts, the bounded,
//! ordered list of steps it keeps, the page the visitor is on, per-page
//! aggregates, the session and the visitor.

pub mod event;
pub mod page;
pub mod redact;
pub mod steps;
pub mod url;

pub use event::{Click, Event};
pub use page::{CurrentPage, PageStats};
pub use steps::{Journey, Step, StepKind};

use crate::time::Millis;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A session ends after this long without activity.
pub const SESSION_TIMEOUT: Millis = 30 * 60 * 1000;

/// One visit: it ends after [`SESSION_TIMEOUT`] without activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// When it started.
    pub started_at: Millis,
    /// The last step's time.
    pub last_activity: Millis,
}

/// Who the visitor is, across sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Visitor {
    /// A random id, stable for this browser.
    pub id: String,
    /// When first seen.
    pub first_seen: Millis,
    /// How many sessions so far, this one included.
    pub visits: u32,
    /// Attributes from `identify`.
    #[serde(default)]
    pub attributes: Map<String, Value>,
}

impl Visitor {
    /// A visitor seen for the first time at `now`.
    pub fn new(id: String, now: Millis) -> Visitor {
        Visitor {
            id,
            first_seen: now,
            visits: 1,
            attributes: Map::new(),
        }
    }

    /// Has this visitor been here in an earlier session?
    pub fn is_returning(&self) -> bool {
        self.visits > 1
    }
}
