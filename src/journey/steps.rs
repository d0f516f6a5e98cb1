//! The ordered, bounded list of steps. When the bound is reached the oldest
//! steps fold into per-kind counters, so totals stay right.

use super::page::PageStats;
use crate::time::Millis;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of step a journey holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    /// A page view.
    PageView,
    /// A click on a link or button.
    Click,
    /// Three or more clicks within a second and 30 px.
    RageClick,
    /// A form field rejected the input.
    FormError,
    /// A form was submitted.
    FormSubmit,
    /// A site search.
    Search,
    /// A site search that found nothing.
    SearchNoResults,
    /// The pointer left through the top of the window.
    ExitIntent,
    /// No input for the idle threshold.
    Idle,
    /// The visitor came back to a tab that was hidden.
    Returned,
    /// A custom event.
    Custom,
    /// An `identify` call.
    Identify,
    /// A nudge was shown.
    NudgeShown,
    /// An answer was opened.
    AnswerOpened,
    /// An answer was rated helpful or not.
    Feedback,
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
    /// A short description: page title, element name, error text, search
    /// query, event name, answer id or trigger id (scrubbed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// Most distinct page paths kept in [`Journey::pages`].
pub const MAX_PAGES: usize = 200;

/// The bounded, ordered journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journey {
    steps: Vec<Step>,
    /// Steps dropped to stay in bounds, by kind.
    #[serde(default)]
    folded: BTreeMap<StepKind, u64>,
    /// Aggregates per page path, most recently viewed last.
    #[serde(default)]
    pages: Vec<PageStats>,
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
            folded: BTreeMap::new(),
            pages: Vec::new(),
            limit: limit.max(1),
        }
    }

    /// The steps kept, oldest first.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// How many steps were folded away in all.
    pub fn folded(&self) -> u64 {
        self.folded.values().sum()
    }

    /// How many steps of `kind` happened, folded ones included.
    ///
    /// ```
    /// use pathlight::journey::{Journey, StepKind};
    /// let mut j = Journey::new(2);
    /// for t in 0..5 { j.push(StepKind::Click, t, "/", "Buy"); }
    /// assert_eq!(j.steps().len(), 2);
    /// assert_eq!(j.count(StepKind::Click), 5);
    /// ```
    pub fn count(&self, kind: StepKind) -> u64 {
        let kept = self.steps.iter().filter(|s| s.kind == kind).count() as u64;
        kept + self.folded.get(&kind).copied().unwrap_or(0)
    }

    /// Per-page aggregates, most recently viewed last.
    pub fn pages(&self) -> &[PageStats] {
        &self.pages
    }

    /// The bound on kept steps.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Set the bound (after restoring a snapshot, say), folding if needed.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit.max(1);
        self.fold();
    }

    /// Append a step.
    pub fn push(&mut self, kind: StepKind, at: Millis, path: &str, detail: &str) {
        self.steps.push(Step {
            kind,
            at,
            path: path.to_string(),
            detail: detail.to_string(),
        });
        self.fold();
    }

    fn fold(&mut self) {
        if self.steps.len() > self.limit {
            let extra = self.steps.len() - self.limit;
            for s in self.steps.drain(..extra) {
                *self.folded.entry(s.kind).or_insert(0) += 1;
            }
        }
    }

    /// Keep at most [`MAX_PAGES`] page stats, dropping the least recently
    /// viewed (for stored journeys, which may hold anything).
    pub(crate) fn bound_pages(&mut self) {
        let extra = self.pages.len().saturating_sub(MAX_PAGES);
        self.pages.drain(..extra);
    }

    /// The stats for `path`, created (and the oldest dropped past
    /// [`MAX_PAGES`]) if needed.
    pub fn page_stats(&mut self, path: &str) -> &mut PageStats {
        let i = match self.pages.iter().position(|p| p.path == path) {
            Some(i) => i,
            None => {
                if self.pages.len() >= MAX_PAGES {
                    self.pages.remove(0);
                }
                self.pages.push(PageStats {
                    path: path.to_string(),
                    views: 0,
                    dwell_ms: 0,
                    max_scroll: 0,
                    errors: 0,
                });
                self.pages.len() - 1
            }
        };
        &mut self.pages[i]
    }

    /// Merge another tab's journey: steps united in time order (identical
    /// steps once), folded counts and page stats the larger of the two.
    /// Returns true when ours held a step or a count theirs did not.
    pub fn merge(&mut self, theirs: &Journey, limit: usize) -> bool {
        let mut ours_extra = self.steps.iter().any(|s| !theirs.steps.contains(s));
        let mut all: Vec<Step> = self
            .steps
            .drain(..)
            .chain(theirs.steps.iter().cloned())
            .collect();
        all.sort_by(|a, b| {
            (a.at, a.kind, &a.path, &a.detail).cmp(&(b.at, b.kind, &b.path, &b.detail))
        });
        all.dedup();
        self.steps = all;
        for (kind, n) in &theirs.folded {
            let mine = self.folded.entry(*kind).or_insert(0);
            *mine = (*mine).max(*n);
        }
        ours_extra |= self
            .folded
            .iter()
            .any(|(k, n)| theirs.folded.get(k).is_none_or(|t| n > t));
        for p in &theirs.pages {
            let mine = self.page_stats(&p.path);
            ours_extra |=
                mine.views > p.views || mine.dwell_ms > p.dwell_ms || mine.errors > p.errors;
            mine.views = mine.views.max(p.views);
            mine.dwell_ms = mine.dwell_ms.max(p.dwell_ms);
            mine.max_scroll = mine.max_scroll.max(p.max_scroll);
            mine.errors = mine.errors.max(p.errors);
        }
        ours_extra |= self
            .pages
            .iter()
            .any(|p| !theirs.pages.iter().any(|t| t.path == p.path));
        self.set_limit(limit);
        ours_extra
    }

    /// The time of the last step, if any.
    pub fn last_at(&self) -> Option<Millis> {
        self.steps.last().map(|s| s.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_folds_oldest_into_per_kind_counters() {
        let mut j = Journey::new(3);
        j.push(StepKind::PageView, 0, "/a", "");
        j.push(StepKind::Click, 1, "/a", "Buy");
        j.push(StepKind::PageView, 2, "/b", "");
        j.push(StepKind::FormError, 3, "/b", "Required");
        j.push(StepKind::PageView, 4, "/c", "");
        let paths: Vec<_> = j.steps().iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, ["/b", "/b", "/c"]);
        assert_eq!(j.folded(), 2);
        assert_eq!(j.count(StepKind::PageView), 3);
        assert_eq!(j.count(StepKind::Click), 1);
        assert_eq!(j.count(StepKind::FormError), 1);
    }

    #[test]
    fn page_stats_are_bounded() {
        let mut j = Journey::default();
        for i in 0..(MAX_PAGES + 5) {
            j.page_stats(&format!("/p{i}")).views += 1;
        }
        assert_eq!(j.pages().len(), MAX_PAGES);
        assert_eq!(j.pages()[0].path, "/p5");
    }
}
