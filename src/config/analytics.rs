//! The `analytics` section of the config: where Pathlight's analytics
//! events go besides `on('analytics', fn)`: Segment's `analytics.track`
//! on the page, and batches POSTed to a URL.

use super::handoff::is_webhook_url;
use crate::time::Millis;
use crate::validate::{Path, Reader};
use serde_json::Value;

/// The keys of the `analytics` section.
///
/// ```
/// assert!(pathlight::config::analytics::ANALYTICS_KEYS.contains(&"batchSize"));
/// ```
pub const ANALYTICS_KEYS: &[&str] = &["url", "segment", "batchSize", "flushSeconds"];

/// The `analytics` section.
///
/// ```
/// let c = pathlight::Config::from_json(r#"{"version": 1, "triggers": [],
///   "analytics": {"url": "/api/analytics", "segment": true, "batchSize": 10}}"#).unwrap();
/// assert_eq!(c.analytics.url.as_deref(), Some("/api/analytics"));
/// assert!(c.analytics.segment);
/// assert_eq!((c.analytics.batch_size, c.analytics.flush), (10, 5_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsConfig {
    /// Where batches of events are POSTed (`{"batch": [...], "sentAt"}`).
    pub url: Option<String>,
    /// Also call `window.analytics.track(event, properties)` when present.
    pub segment: bool,
    /// A batch is sent once it holds this many events (`batchSize`, 1–100,
    /// default 20)…
    pub batch_size: usize,
    /// …or this long after its first event (`flushSeconds`, 1–300, default 5).
    pub flush: Millis,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        AnalyticsConfig {
            url: None,
            segment: false,
            batch_size: 20,
            flush: 5_000,
        }
    }
}

/// Read the `analytics` section at `at`, recording every problem in `r`.
pub(crate) fn parse(r: &mut Reader, at: &Path, value: &Value) -> AnalyticsConfig {
    let mut a = AnalyticsConfig::default();
    let Some(map) = r.object(at, value) else {
        return a;
    };
    r.unknown_keys(at, map, ANALYTICS_KEYS);
    let p = Path::Key(at, "url");
    if let Some(url) = r.opt_string(&p, map.get("url"), 2048) {
        if is_webhook_url(&url) {
            a.url = Some(url);
        } else {
            r.problem_hint(
                &p,
                "is not an analytics address",
                "use https://…, http://localhost… while developing, or a /path on this site".into(),
            );
        }
    }
    match map.get("segment") {
        None => {}
        Some(Value::Bool(b)) => a.segment = *b,
        Some(v) => r.expected(&Path::Key(at, "segment"), "true or false", v),
    }
    if let Some(n) = r.opt_uint(&Path::Key(at, "batchSize"), map.get("batchSize"), 1, 100) {
        a.batch_size = n as usize;
    }
    if let Some(n) = r.opt_uint(
        &Path::Key(at, "flushSeconds"),
        map.get("flushSeconds"),
        1,
        300,
    ) {
        a.flush = n * 1000;
    }
    a
}
