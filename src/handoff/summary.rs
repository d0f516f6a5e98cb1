//! The agent summary: one paragraph read in five seconds, in the agent's
//! language. It says how long and how widely the visitor browsed, the page
//! they kept coming back to, the form errors they hit, the answers they read
//! and how they rated them, the searches that found nothing, the trigger
//! that led here and what they asked.

use super::payload::AnswerSeen;
use super::text::clean;
use super::words::{fill, plural, span, words, Words};
use crate::config::AgentLocale;
use crate::journey::redact::scrub_text;
use crate::journey::{CurrentPage, Journey, StepKind};
use crate::time::Millis;

/// Longest path, title, query or error text quoted in a summary, in bytes.
const MAX_PART: usize = 80;
/// Longest message quoted in a summary, in bytes.
const MAX_MESSAGE: usize = 200;
/// Most items listed per kind (error texts, answers, searches).
const MAX_ITEMS: usize = 2;

/// What a summary is written from (see [`summary()`] for a full example).
///
/// ```
/// use pathlight::handoff::{summary, SummaryInput};
/// let j = pathlight::journey::Journey::default();
/// let input = SummaryInput { journey: &j, page: None, answers: &[], trigger: None, message: "", now: 0 };
/// assert_eq!(summary(&input, Default::default()), "");
/// ```
pub struct SummaryInput<'a> {
    /// The journey.
    pub journey: &'a Journey,
    /// The page the visitor asked from.
    pub page: Option<&'a CurrentPage>,
    /// Answers shown so far, oldest first.
    pub answers: &'a [AnswerSeen],
    /// The id of the trigger whose nudge led here.
    pub trigger: Option<&'a str>,
    /// What the visitor typed.
    pub message: &'a str,
    /// Now.
    pub now: Millis,
}

/// One paragraph an agent reads in seconds, in `locale`; every part is
/// scrubbed of personal data.
///
/// ```
/// use pathlight::config::AgentLocale;
/// use pathlight::handoff::{summary, SummaryInput};
/// use pathlight::journey::{CurrentPage, Journey, StepKind};
/// let mut j = Journey::default();
/// j.push(StepKind::PageView, 0, "/", "Home");
/// j.push(StepKind::PageView, 60_000, "/checkout", "Checkout");
/// j.push(StepKind::FormError, 90_000, "/checkout", "payment card: Card declined");
/// let page = CurrentPage::new("/checkout".into(), "".into(), "".into(), "".into(), "".into(), 60_000);
/// let input = SummaryInput { journey: &j, page: Some(&page), answers: &[], trigger: Some("pay"),
///     message: "My card fails", now: 180_000 };
/// assert_eq!(summary(&input, AgentLocale::En),
///     "Viewed 2 pages in 3 min, now on /checkout. 1 form error: 'Card declined'. \
///      Came from trigger 'pay'. Asks: \"My card fails\"");
/// assert_eq!(summary(&input, AgentLocale::Ms),
///     "Melihat 2 halaman dalam 3 min, kini di /checkout. 1 ralat borang: 'Card declined'. \
///      Datang daripada pencetus 'pay'. Bertanya: \"My card fails\"");
/// ```
pub fn summary(input: &SummaryInput, locale: AgentLocale) -> String {
    let w = words(locale);
    let mut out: Vec<String> = Vec::new();
    if let Some(s) = pages(input, locale, w) {
        out.push(s);
    }
    if let Some(s) = form_errors(input.journey, locale, w) {
        out.push(s);
    }
    let read = input
        .answers
        .iter()
        .filter(|a| a.opened || a.helpful.is_some())
        .collect::<Vec<_>>();
    for a in read.iter().skip(read.len().saturating_sub(MAX_ITEMS)) {
        let template = match a.helpful {
            Some(true) => w.read_helpful,
            Some(false) => w.read_unhelpful,
            None => w.read,
        };
        out.push(fill(template, &[("title", &quote(w, &a.title))]));
    }
    let empty = newest_distinct(input.journey, StepKind::SearchNoResults, |d| d);
    if !empty.is_empty() {
        out.push(fill(w.no_results, &[("list", &list(w, &empty))]));
    }
    if let Some(id) = input.trigger {
        out.push(fill(w.trigger, &[("id", &quote(w, id))]));
    }
    let message = input.message.trim();
    if !message.is_empty() {
        out.push(fill(w.asks, &[("message", &clean(message, MAX_MESSAGE))]));
    }
    scrub_text(&out.join(" ")).into_owned()
}

/// "Viewed 5 pages in 12 min, /checkout 3 times, now on /cart."
fn pages(input: &SummaryInput, locale: AgentLocale, w: &Words) -> Option<String> {
    let j = input.journey;
    let views = j.count(StepKind::PageView);
    if views == 0 {
        return None;
    }
    let start = j.steps().first().map_or(input.now, |s| s.at);
    let n = views.to_string();
    let took = span(w, input.now.saturating_sub(start));
    let mut s = fill(
        w.pages[plural(locale, views)],
        &[("n", &n), ("span", &took)],
    );
    // The most viewed page (the last listed of equals), when seen twice or more.
    let top = j
        .pages()
        .iter()
        .max_by_key(|p| p.views)
        .filter(|p| p.views >= 2);
    if let Some(p) = top {
        let k = p.views.to_string();
        let path = clean(&p.path, MAX_PART);
        let form = plural(locale, u64::from(p.views));
        s.push_str(&fill(w.repeat[form], &[("path", &path), ("k", &k)]));
    }
    if let Some(page) = input.page {
        if top.is_none_or(|t| t.path != page.path) {
            let path = clean(&page.path, MAX_PART);
            s.push_str(&fill(w.now_on, &[("path", &path)]));
        }
    }
    s.push('.');
    Some(s)
}

/// "2 form errors: 'Card declined', 'Expired card'." (newest texts first).
fn form_errors(j: &Journey, locale: AgentLocale, w: &Words) -> Option<String> {
    let count = j.count(StepKind::FormError);
    // "form field: message": the message is what the visitor read.
    let texts = newest_distinct(j, StepKind::FormError, |d| {
        d.split_once(": ").map_or(d, |(_, m)| m)
    });
    if count == 0 || texts.is_empty() {
        return None;
    }
    let k = count.to_string();
    let form = w.form_errors[plural(locale, count)];
    Some(fill(form, &[("k", &k), ("list", &list(w, &texts))]))
}

/// The distinct details of `kind`'s steps, newest first, at most
/// [`MAX_ITEMS`], each cut to [`MAX_PART`].
fn newest_distinct(j: &Journey, kind: StepKind, part: fn(&str) -> &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in j.steps().iter().rev().filter(|s| s.kind == kind) {
        let text = clean(part(&s.detail).trim(), MAX_PART);
        if !text.is_empty() && !out.contains(&text) {
            out.push(text);
            if out.len() == MAX_ITEMS {
                break;
            }
        }
    }
    out
}

fn quote(w: &Words, s: &str) -> String {
    let s = clean(s, MAX_PART);
    let mut out = String::with_capacity(s.len() + 4);
    out.push_str(w.quote.0);
    out.push_str(&s);
    out.push_str(w.quote.1);
    out
}

fn list(w: &Words, items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(w, i)).collect();
    quoted.join(", ")
}
