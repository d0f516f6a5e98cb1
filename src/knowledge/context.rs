//! Proactive ranking: which answers the visitor is likely to look for next,
//! from the journey alone.

use super::index::Query;
use super::Knowledge;
use crate::time::Millis;

/// Weight of the current page's title.
const PAGE_TITLE: f32 = 1.0;
/// Weight of the current page's headings (together).
const HEADINGS: f32 = 0.6;
/// Weight of the words in the current path.
const PATH: f32 = 0.8;
/// Weight of a form error shown just now.
const FORM_ERROR: f32 = 3.0;
/// Weight of the visitor's last search.
const LAST_SEARCH: f32 = 2.0;
/// Weight of a custom event fired just now.
const EVENT: f32 = 1.0;
/// Added when an answer shares one of the context's tags.
const TAG: f32 = 0.6;
/// Added when one of the answer's `pages` patterns matches the path.
const PAGE: f32 = 0.8;
/// Factor for answers the visitor already read in this visit.
const READ: f32 = 0.4;

/// A recent text signal (a form error message, a custom event name) with
/// its weight: 1 for just now, falling towards 0 as it gets older.
///
/// ```
/// use pathlight::knowledge::Signal;
/// let s = Signal::new("Your card was declined", 1.0);
/// assert_eq!(s.weight, 1.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    /// The text: an error message, or an event name (`card_declined`,
    /// `cardDeclined` and `card-declined` all read as "card declined").
    pub text: String,
    /// Recency weight, 0 to 1.
    pub weight: f32,
}

impl Signal {
    /// A signal with an explicit weight (clamped to 0..=1).
    ///
    /// ```
    /// assert_eq!(pathlight::knowledge::Signal::new("x", 7.0).weight, 1.0);
    /// ```
    pub fn new(text: impl Into<String>, weight: f32) -> Signal {
        Signal {
            text: text.into(),
            weight: weight.clamp(0.0, 1.0),
        }
    }

    /// A signal `age_ms` old whose weight falls linearly from 1 (now) to 0
    /// at `window_ms`.
    ///
    /// ```
    /// use pathlight::knowledge::Signal;
    /// assert_eq!(Signal::aged("x", 30_000, 120_000).weight, 0.75);
    /// assert_eq!(Signal::aged("x", 200_000, 120_000).weight, 0.0);
    /// ```
    pub fn aged(text: impl Into<String>, age_ms: Millis, window_ms: Millis) -> Signal {
        let w = if window_ms == 0 {
            0.0
        } else {
            1.0 - age_ms.min(window_ms) as f32 / window_ms as f32
        };
        Signal::new(text, w)
    }
}

/// What Pathlight knows about the visitor right now, for proactive ranking
/// ([`Knowledge::suggest`]) and nudges ([`Knowledge::select`]). Every field
/// is optional: leave out what you do not know.
///
/// ```
/// use pathlight::knowledge::{Context, Signal};
/// let ctx = Context {
///     locale: "en-GB".into(),
///     path: "/checkout".into(),
///     page_title: "Checkout".into(),
///     form_errors: vec![Signal::new("Your card was declined", 1.0)],
///     read: vec!["payment-methods".into()],
///     ..Context::default()
/// };
/// assert_eq!(ctx.headings.len(), 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// The visitor's locale (`he-IL`).
    pub locale: String,
    /// The current page's path (`/checkout/payment`).
    pub path: String,
    /// The current page's title.
    pub page_title: String,
    /// The current page's headings.
    pub headings: Vec<String>,
    /// Recent form error messages, weighted by recency.
    pub form_errors: Vec<Signal>,
    /// The visitor's last search, if any.
    pub last_search: Option<String>,
    /// Recent custom event names, weighted by recency.
    pub events: Vec<Signal>,
    /// Tags to prefer (a trigger's tags).
    pub tags: Vec<String>,
    /// Answers rated unhelpful in this visit: never suggested.
    pub unhelpful: Vec<String>,
    /// Answers already read in this visit: ranked lower.
    pub read: Vec<String>,
}

/// `cardDeclined` → `card Declined`, so camel-cased event names split.
fn split_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        out.push(c);
    }
    out
}

/// One score per answer (document order), 0 for no signal at all.
pub(crate) fn scores(k: &Knowledge, ctx: &Context) -> Vec<f32> {
    let headings = ctx.headings.join("\n");
    let events: Vec<(String, f32)> = ctx
        .events
        .iter()
        .map(|e| (split_camel(&e.text), e.weight))
        .collect();
    let mut queries = vec![
        Query::context(&ctx.page_title, PAGE_TITLE),
        Query::context(&headings, HEADINGS),
        Query::context(&ctx.path, PATH),
    ];
    for e in &ctx.form_errors {
        queries.push(Query::context(&e.text, FORM_ERROR * e.weight));
    }
    if let Some(s) = &ctx.last_search {
        queries.push(Query::context(s, LAST_SEARCH));
    }
    for (text, weight) in &events {
        queries.push(Query::context(text, EVENT * weight));
    }
    queries.retain(|q| q.weight() > 0.0);
    let locale = if ctx.locale.is_empty() {
        k.locale()
    } else {
        &ctx.locale
    };
    let mut scores = k.index.score(&queries, locale, &k.settings);
    for (score, a) in scores.iter_mut().zip(&k.answers) {
        if a.tags.iter().any(|t| ctx.tags.contains(t)) {
            *score += TAG;
        }
        if !ctx.path.is_empty() && a.pages.iter().any(|p| p.matches(&ctx.path)) {
            *score += PAGE;
        }
        if ctx.read.contains(&a.id) {
            *score *= READ;
        }
        if ctx.unhelpful.contains(&a.id) {
            *score = 0.0;
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::split_camel;

    #[test]
    fn camel_case_event_names_split() {
        assert_eq!(split_camel("cardDeclined"), "card Declined");
        assert_eq!(split_camel("card_declined"), "card_declined");
        assert_eq!(split_camel("HTTPError"), "HTTPError");
    }
}
