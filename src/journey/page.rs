//! The page the visitor is on, with time that only counts while it is
//! visible, and the aggregates kept per page.

use crate::time::Millis;
use serde::{Deserialize, Serialize};

/// The page the visitor is on now (per tab; not shared between tabs).
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentPage {
    /// Its path (scrubbed).
    pub path: String,
    /// Its query string (scrubbed).
    pub query: String,
    /// Its fragment (scrubbed).
    pub hash: String,
    /// Its title (scrubbed).
    pub title: String,
    /// Its main headings (scrubbed), for ranking answers.
    pub headings: Vec<String>,
    /// Where the visitor came from (scrubbed).
    pub referrer: String,
    /// When the visitor arrived.
    pub since: Millis,
    /// Visible time before `visible_since`.
    visible_ms: Millis,
    /// Since when the page has been visible; `None` while hidden.
    visible_since: Option<Millis>,
    /// When it was last hidden.
    hidden_at: Option<Millis>,
    /// The deepest scroll reached, in percent.
    pub max_scroll: u8,
    /// Form errors seen on this page view.
    pub errors: u32,
}

impl CurrentPage {
    /// A page arrived at `now`, visible.
    pub fn new(
        path: String,
        query: String,
        hash: String,
        title: String,
        referrer: String,
        now: Millis,
    ) -> Self {
        CurrentPage {
            path,
            query,
            hash,
            title,
            headings: Vec::new(),
            referrer,
            since: now,
            visible_ms: 0,
            visible_since: Some(now),
            hidden_at: None,
            max_scroll: 0,
            errors: 0,
        }
    }

    /// Time the page has been visible, at `now`.
    ///
    /// ```
    /// use pathlight::journey::CurrentPage;
    /// let mut p = CurrentPage::new("/".into(), "".into(), "".into(), "".into(), "".into(), 0);
    /// p.set_visible(false, 10_000);
    /// p.set_visible(true, 70_000);
    /// assert_eq!(p.dwell(75_000), 15_000);
    /// ```
    pub fn dwell(&self, now: Millis) -> Millis {
        self.visible_ms + self.visible_since.map_or(0, |s| now.saturating_sub(s))
    }

    /// When the visible time will reach `ms`, if the page stays visible.
    pub fn dwell_reached_at(&self, ms: Millis) -> Option<Millis> {
        let since = self.visible_since?;
        Some(since + ms.saturating_sub(self.visible_ms))
    }

    /// Is the page visible?
    pub fn is_visible(&self) -> bool {
        self.visible_since.is_some()
    }

    /// The page became visible or hidden at `now`. Returns how long it had
    /// been hidden when it becomes visible again.
    pub fn set_visible(&mut self, visible: bool, now: Millis) -> Option<Millis> {
        match (visible, self.visible_since) {
            (false, Some(s)) => {
                self.visible_ms += now.saturating_sub(s);
                self.visible_since = None;
                self.hidden_at = Some(now);
                None
            }
            (true, None) => {
                self.visible_since = Some(now);
                self.hidden_at.take().map(|h| now.saturating_sub(h))
            }
            _ => None,
        }
    }
}

/// What is kept per page path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageStats {
    /// The page path.
    pub path: String,
    /// Page views.
    pub views: u32,
    /// Visible time over all views, finished views only.
    pub dwell_ms: Millis,
    /// Deepest scroll on any view, in percent.
    pub max_scroll: u8,
    /// Form errors over all views.
    pub errors: u32,
}
