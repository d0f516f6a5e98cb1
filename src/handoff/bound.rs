//! Keeping a payload within its byte budget (`handoff.maxBytes`), so it
//! always fits in one `sendBeacon`.
//!
//! The payload is serialised once to measure it. When it is too big, the
//! oldest journey steps fold into the per-kind `folded` counts, then the
//! oldest entries of the longest of `searches`, `formErrors` and `answers`
//! go, then the message is cut (on a character boundary, ending in "…").
//! Each round removes at least what is over, measured per item, so a
//! 500-step journey takes a few serialisations, not hundreds. If that is
//! still not enough (huge attributes or contact details), the summary, the
//! attributes, the trigger message and the contact details are cut in turn;
//! the newest step is kept unless nothing else is left to cut.

use super::payload::HandoffPayload;
use super::text::{prefix, ELLIPSIS};
use serde::Serialize;

/// Counts bytes written.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of `value` serialised as compact JSON, in bytes.
///
/// ```
/// assert_eq!(pathlight::handoff::json_size(&serde_json::json!({"a": [1, 2]})), 11);
/// ```
pub fn json_size<T: Serialize + ?Sized>(value: &T) -> usize {
    let mut c = Counter(0);
    match serde_json::to_writer(&mut c, value) {
        Ok(()) => c.0,
        // Payload types always serialise; if one ever did not, treat it as
        // too big so every cut is tried.
        Err(_) => usize::MAX,
    }
}

/// Cut `p` until it serialises to at most `max` bytes (see the module
/// docs for the order). `foldedSteps` stays the sum of `folded`.
///
/// ```
/// use pathlight::handoff::{fit, json_size, HandoffPayload};
/// let mut p = HandoffPayload { message: "x".repeat(10_000), ..HandoffPayload::default() };
/// fit(&mut p, 4096);
/// assert!(json_size(&p) <= 4096);
/// assert!(p.message.ends_with('…'));
/// ```
pub fn fit(p: &mut HandoffPayload, max: usize) {
    let mut total = json_size(p);
    if total <= max {
        return;
    }
    fold_oldest(p, max, &mut total, 1);
    cap_lists(p, max, &mut total);
    squeeze(p, max, &mut total, |p| Some(&mut p.message));
    squeeze(p, max, &mut total, |p| Some(&mut p.summary));
    if total > max && !p.visitor.attributes.is_empty() {
        p.visitor.attributes.clear();
        total = json_size(p);
    }
    squeeze(p, max, &mut total, |p| {
        p.trigger.as_mut().map(|t| &mut t.message)
    });
    squeeze(p, max, &mut total, |p| p.contact.preferred_time.as_mut());
    squeeze(p, max, &mut total, |p| p.contact.name.as_mut());
    squeeze(p, max, &mut total, |p| {
        p.journey.last_mut().map(|s| &mut s.detail)
    });
    fold_oldest(p, max, &mut total, 0);
    squeeze(p, max, &mut total, |p| p.contact.email.as_mut());
    squeeze(p, max, &mut total, |p| p.contact.phone.as_mut());
    let c = &mut p.contact;
    for field in [
        &mut c.name,
        &mut c.preferred_time,
        &mut c.email,
        &mut c.phone,
    ] {
        if field.as_deref() == Some("") {
            *field = None;
        }
    }
}

/// Fold the oldest steps into `folded`, keeping at least `keep` steps.
fn fold_oldest(p: &mut HandoffPayload, max: usize, total: &mut usize, keep: usize) {
    while *total > max && p.journey.len() > keep {
        let excess = *total - max;
        let (mut freed, mut k) = (0, 0);
        while freed < excess && k < p.journey.len() - keep {
            freed += json_size(&p.journey[k]) + 1;
            k += 1;
        }
        for s in p.journey.drain(..k) {
            *p.folded.entry(s.kind).or_insert(0) += 1;
            p.folded_steps += 1;
        }
        *total = json_size(p);
    }
}

/// Drop the oldest entries of the longest list until the payload fits.
fn cap_lists(p: &mut HandoffPayload, max: usize, total: &mut usize) {
    while *total > max {
        let sizes = [
            json_size(&p.searches),
            json_size(&p.form_errors),
            json_size(&p.answers),
        ];
        let lens = [p.searches.len(), p.form_errors.len(), p.answers.len()];
        let Some(longest) = (0..3).filter(|i| lens[*i] > 0).max_by_key(|i| sizes[*i]) else {
            return;
        };
        let excess = *total - max;
        match longest {
            0 => drop_oldest(&mut p.searches, excess),
            1 => drop_oldest(&mut p.form_errors, excess),
            _ => drop_oldest(&mut p.answers, excess),
        }
        *total = json_size(p);
    }
}

/// Drop the oldest entries of `list` worth at least `excess` bytes (or all).
fn drop_oldest<T: Serialize>(list: &mut Vec<T>, excess: usize) {
    let (mut freed, mut k) = (0, 0);
    while freed < excess && k < list.len() {
        freed += json_size(&list[k]) + 1;
        k += 1;
    }
    list.drain(..k);
}

/// Cut the string `pick` chooses until the payload fits or it is empty.
fn squeeze(
    p: &mut HandoffPayload,
    max: usize,
    total: &mut usize,
    pick: impl Fn(&mut HandoffPayload) -> Option<&mut String>,
) {
    while *total > max {
        let Some(s) = pick(p).filter(|s| !s.is_empty()) else {
            return;
        };
        shorten(s, *total - max);
        *total = json_size(p);
    }
}

/// Remove at least `excess` bytes from `s` (plus room for "…"); empty it
/// when that is all of it. Always makes `s` shorter.
fn shorten(s: &mut String, excess: usize) {
    let target = s.len().saturating_sub(excess + ELLIPSIS.len());
    if target == 0 {
        s.clear();
        return;
    }
    let mut cut = prefix(s, target).to_string();
    cut.push_str(ELLIPSIS);
    *s = cut;
}
