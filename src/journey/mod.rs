//! The visitor's journey: the events the engine accepts, and the bounded,
//! ordered list of steps it keeps.

pub mod redact;
pub mod url;

use crate::time::Millis;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::PageUrl;

/// Something that happened, as the web layer or the host reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The visitor is now on a page (first load or a route change).
    PageView {
        /// The full address.
        url: String,
        /// The document title.
        title: String,
    },
    /// A custom event from `track(name, props)`.
    Custom {
        /// Event name.
        name: String,
        /// Event properties.
        props: Map<String, Value>,
    },
    /// Visitor attributes from `identify(attributes)`.
    Identify(Map<String, Value>),
    /// The visitor opened an answer.
    AnswerOpened(String),
    /// The visitor closed the nudge.
    NudgeDismissed,
    /// The visitor asked for a person, with what they typed.
    HandoffRequested {
        /// The visitor's own words (may be empty).
        message: String,
    },
}

impl Event {
    /// A page view of `url` titled `title`.
    pub fn page_view(url: &str, title: &str) -> Event {
        Event::PageView {
            url: url.to_string(),
            title: title.to_string(),
        }
    }
}

/// What kind of step a journey holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    /// A page view.
    PageView,
    /// A custom event.
    Custom,
    /// An `identify` call.
    Identify,
    /// A nudge was shown.
    NudgeShown,
    /// An answer was opened.
    AnswerOpened,
    /// The nudge was dismissed.
    NudgeDismissed,
    /// The visitor asked for a person.
    Handoff,
}

/// One step of the journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// What happened.
    pub kind: StepKind,
    /// When, in ms since the epoch.
    pub at: Millis,
    /// The page path it happened on.
    pub path: String,
    /// A short description: page title, event name, answer id, trigger id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// The page the visitor is on now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentPage {
    /// Its path.
    pub path: String,
    /// Its query string.
    #[serde(default)]
    pub query: String,
    /// Its fragment.
    #[serde(default)]
    pub hash: String,
    /// Its title.
    #[serde(default)]
    pub title: String,
    /// When the visitor arrived, ms since the epoch.
    pub since: Millis,
}

/// The bounded, ordered journey. When the bound is reached the oldest steps
/// are dropped and counted in `folded`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journey {
    steps: Vec<Step>,
    /// How many of the oldest steps were dropped to stay in bounds.
    #[serde(default)]
    pub folded: u64,
    /// The page the visitor is on.
    #[serde(default)]
    pub page: Option<CurrentPage>,
    #[serde(skip, default = "default_limit")]
    limit: usize,
}

fn default_limit() -> usize {
    Journey::DEFAULT_LIMIT
}

impl Default for Journey {
    fn default() -> Self {
        Journey::new(Journey::DEFAULT_LIMIT)
    }
}

impl Journey {
    /// Steps kept before the oldest fold away.
    pub const DEFAULT_LIMIT: usize = 500;

    /// An empty journey keeping at most `limit` steps (at least 1).
    pub fn new(limit: usize) -> Journey {
        Journey {
            steps: Vec::new(),
            folded: 0,
            page: None,
            limit: limit.max(1),
        }
    }

    /// The steps kept, oldest first.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Set the bound (after restoring a snapshot, say), folding if needed.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit.max(1);
        self.fold();
    }

    /// Append a step on the current page.
    pub fn push(&mut self, kind: StepKind, at: Millis, detail: &str) {
        let path = self
            .page
            .as_ref()
            .map(|p| p.path.clone())
            .unwrap_or_default();
        self.steps.push(Step {
            kind,
            at,
            path,
            detail: detail.to_string(),
        });
        self.fold();
    }

    fn fold(&mut self) {
        if self.steps.len() > self.limit {
            let extra = self.steps.len() - self.limit;
            self.steps.drain(..extra);
            self.folded += extra as u64;
        }
    }

    /// Record a page view. Returns false (and records nothing) when it is the
    /// page the visitor is already on, so one navigation counts once.
    pub fn visit(&mut self, url: &str, title: &str, at: Millis) -> bool {
        let u = PageUrl::parse(url);
        if let Some(p) = &self.page {
            if p.path == u.path && p.query == u.query && p.hash == u.hash {
                return false;
            }
        }
        self.page = Some(CurrentPage {
            path: u.path,
            query: u.query,
            hash: u.hash,
            title: title.to_string(),
            since: at,
        });
        self.push(StepKind::PageView, at, title);
        true
    }

    /// Milliseconds on the current page at `now` (0 when on no page).
    pub fn dwell(&self, now: Millis) -> Millis {
        self.page
            .as_ref()
            .map_or(0, |p| now.saturating_sub(p.since))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_folds_oldest_and_counts_them() {
        let mut j = Journey::new(3);
        for i in 0..5 {
            j.visit(&format!("/p{i}"), "", i);
        }
        let paths: Vec<_> = j.steps().iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, ["/p2", "/p3", "/p4"]);
        assert_eq!(j.folded, 2);
    }

    #[test]
    fn same_page_counts_once() {
        let mut j = Journey::default();
        assert!(j.visit("https://a.example/x", "X", 1));
        assert!(!j.visit("https://a.example/x", "X", 2));
        assert!(j.visit("https://a.example/x#b", "X", 3));
        assert_eq!(j.steps().len(), 2);
        assert_eq!(j.dwell(10), 7);
    }
}
