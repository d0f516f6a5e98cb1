//! The documented object JSON Logic rules are evaluated over:
//!
//! ```text
//! page     { path, query: {name: value}, hash, title, referrer, dwellSeconds, scrollPercent, formErrors }
//! journey  { pageViews, formErrors, rageClicks, searches, searchesNoResults, lastSearch, steps }
//!          (counts are this session's, like the conditions' counts)
//! visitor  { visits, returning, attributes, device, language }
//! session  { seconds, pageViews }
//! time     { now (ms since the epoch), hourUtc, weekdayUtc (0 = Monday) }
//! event    { name, props }  (the most recent custom event this session, or null)
//! ```

use super::condition::{query_value, Device};
use super::Facts;
use crate::time::Millis;
use serde_json::{json, Map, Value};

/// Build the context at `now`.
pub fn build(f: &Facts, now: Millis) -> Value {
    let state = f.state;
    let start = state.session.started_at;
    let c = f.counts();
    let session_views = c.page_views;
    let page = f.page.map_or(Value::Null, |p| {
        let mut query = Map::new();
        for pair in p.query.split('&').filter(|x| !x.is_empty()) {
            let k = pair.split_once('=').map_or(pair, |(k, _)| k);
            query.insert(k.to_string(), Value::String(query_value(&p.query, k).unwrap_or_default()));
        }
        json!({
            "path": p.path, "query": query, "hash": p.hash, "title": p.title, "referrer": p.referrer,
            "dwellSeconds": p.dwell(now) / 1000, "scrollPercent": p.max_scroll, "formErrors": p.errors,
        })
    });
    let event = state
        .events
        .iter()
        .rev()
        .find(|e| e.at >= start)
        .map_or(Value::Null, |e| json!({ "name": e.name, "props": e.props }));
    let device = match f.env.device {
        Device::Mobile => "mobile",
        Device::Tablet => "tablet",
        Device::Desktop => "desktop",
    };
    let days = (now / 86_400_000) as i64;
    json!({
        "page": page,
        "journey": {
            "pageViews": c.page_views, "formErrors": c.form_errors,
            "rageClicks": c.rage_clicks, "searches": c.searches,
            "searchesNoResults": c.searches_no_results, "lastSearch": state.last_search,
            "steps": state.journey.steps().len(),
        },
        "visitor": {
            "visits": state.visitor.visits, "returning": state.visitor.is_returning(),
            "attributes": state.visitor.attributes, "device": device,
            "language": f.env.languages.first(),
        },
        "session": { "seconds": now.saturating_sub(start) / 1000, "pageViews": session_views },
        "time": { "now": now, "hourUtc": (now / 3_600_000) % 24, "weekdayUtc": (days + 3).rem_euclid(7) },
        "event": event,
    })
}
