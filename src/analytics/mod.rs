//! Analytics events: what the visitor did with Pathlight, named and shaped
//! like Segment `track` calls so teams can send them to the pipeline they
//! already run (`on('analytics', fn)`, `window.analytics.track`, or batches
//! POSTed to a URL; see `docs/server.md` for the table of events).
//!
//! Pure: the web layer says what happened and when; this module names it,
//! fills its properties and wraps it in the Segment envelope.
//!
//! ```
//! use pathlight::analytics::{Source, Track};
//!
//! let t = Track::answer_opened("card-declined", Source::Nudge, Some("payment-errors"), false);
//! assert_eq!(t.name.as_str(), "Answer Opened");
//! assert_eq!(t.properties["source"], "nudge");
//! assert_eq!(t.properties["triggerId"], "payment-errors");
//! ```

pub mod batch;

use crate::engine::{Nudge, SearchResult};
use crate::time::{iso8601, Millis};
use crate::transport::status::Status;
use serde_json::{json, Map, Value};

/// Longest search query kept in an event, in characters.
pub const MAX_QUERY: usize = 200;

/// The events Pathlight reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// A trigger's conditions and controls let it fire.
    TriggerFired,
    /// The widget showed the trigger's nudge.
    NudgeShown,
    /// The visitor closed a nudge.
    NudgeDismissed,
    /// The visitor opened an answer.
    AnswerOpened,
    /// The visitor answered "Was this helpful?".
    AnswerRated,
    /// The visitor searched the answers.
    HelpSearched,
    /// A search found nothing.
    SearchNoResults,
    /// The visitor asked for a person.
    HandoffStarted,
    /// A transport took the handoff (accepted, queued or opened).
    HandoffDelivered,
}

impl Name {
    /// Every event, in funnel order.
    pub const ALL: [Name; 9] = [
        Name::TriggerFired,
        Name::NudgeShown,
        Name::NudgeDismissed,
        Name::AnswerOpened,
        Name::AnswerRated,
        Name::HelpSearched,
        Name::SearchNoResults,
        Name::HandoffStarted,
        Name::HandoffDelivered,
    ];

    /// The event's name, in Segment's "Object Action" style.
    ///
    /// ```
    /// assert_eq!(pathlight::analytics::Name::NudgeShown.as_str(), "Nudge Shown");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Name::TriggerFired => "Trigger Fired",
            Name::NudgeShown => "Nudge Shown",
            Name::NudgeDismissed => "Nudge Dismissed",
            Name::AnswerOpened => "Answer Opened",
            Name::AnswerRated => "Answer Rated",
            Name::HelpSearched => "Help Searched",
            Name::SearchNoResults => "Search No Results",
            Name::HandoffStarted => "Handoff Started",
            Name::HandoffDelivered => "Handoff Delivered",
        }
    }
}

/// Where the visitor opened an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// From a nudge.
    Nudge,
    /// From the panel's list.
    Panel,
    /// From search results.
    Search,
    /// The host called `showAnswer(id)`.
    Api,
}

impl Source {
    /// `"nudge"`, `"panel"`, `"search"` or `"api"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Nudge => "nudge",
            Source::Panel => "panel",
            Source::Search => "search",
            Source::Api => "api",
        }
    }
}

/// One event: its name and its own properties (the envelope adds the rest).
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    /// What happened.
    pub name: Name,
    /// Its properties (camelCase keys).
    pub properties: Map<String, Value>,
}

fn props(pairs: Value) -> Map<String, Value> {
    match pairs {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl Track {
    fn new(name: Name, properties: Value) -> Track {
        Track {
            name,
            properties: props(properties),
        }
    }

    /// The engine chose `nudge`'s trigger.
    pub fn trigger_fired(nudge: &Nudge) -> Track {
        Track::new(Name::TriggerFired, nudge_props(nudge))
    }

    /// The widget showed `nudge`.
    pub fn nudge_shown(nudge: &Nudge) -> Track {
        Track::new(Name::NudgeShown, nudge_props(nudge))
    }

    /// The visitor closed the nudge of `trigger`.
    pub fn nudge_dismissed(trigger: &str) -> Track {
        Track::new(Name::NudgeDismissed, json!({ "triggerId": trigger }))
    }

    /// The visitor opened answer `id` from `source`; `trigger` when it came
    /// from a nudge; `stale` when it was past its review date.
    pub fn answer_opened(id: &str, source: Source, trigger: Option<&str>, stale: bool) -> Track {
        let mut t = Track::new(
            Name::AnswerOpened,
            json!({ "answerId": id, "source": source.as_str(), "stale": stale }),
        );
        if let Some(trigger) = trigger {
            t.properties.insert("triggerId".into(), trigger.into());
        }
        t
    }

    /// The visitor rated answer `id`; `trigger` when it came from a nudge.
    pub fn answer_rated(id: &str, helpful: bool, trigger: Option<&str>) -> Track {
        let mut t = Track::new(
            Name::AnswerRated,
            json!({ "answerId": id, "helpful": helpful }),
        );
        if let Some(trigger) = trigger {
            t.properties.insert("triggerId".into(), trigger.into());
        }
        t
    }

    /// The visitor searched for `query` and got `results`: "Help
    /// Searched", and also "Search No Results" when there were none. The
    /// query is scrubbed of emails, card numbers and other personal data.
    ///
    /// ```
    /// use pathlight::analytics::Track;
    /// let t = Track::searched("refund to jo@example.com", &[]);
    /// assert_eq!(t.len(), 2);
    /// assert_eq!(t[1].properties["query"], "refund to [email]");
    /// ```
    pub fn searched(query: &str, results: &[SearchResult]) -> Vec<Track> {
        let clean = crate::journey::redact::scrub_text(query.trim());
        let q: String = clean.chars().take(MAX_QUERY).collect();
        let stale: Vec<&str> = results
            .iter()
            .filter(|r| r.stale)
            .map(|r| r.answer.id.as_str())
            .collect();
        let mut out = vec![Track::new(
            Name::HelpSearched,
            json!({ "query": q, "results": results.len(), "staleResults": stale }),
        )];
        if results.is_empty() {
            out.push(Track::new(Name::SearchNoResults, json!({ "query": q })));
        }
        out
    }

    /// The visitor asked for a person (handoff `id`, over `channel`).
    pub fn handoff_started(id: &str, channel: &str, trigger: Option<&str>) -> Track {
        Track::new(
            Name::HandoffStarted,
            json!({ "handoffId": id, "channel": channel, "triggerId": trigger }),
        )
    }

    /// A transport took handoff `id`: only `Accepted`, `Queued` and
    /// `Opened` count as delivered.
    ///
    /// ```
    /// use pathlight::analytics::Track;
    /// use pathlight::transport::status::Status;
    /// assert!(Track::handoff_delivered("h1", &Status::Sending).is_none());
    /// let t = Track::handoff_delivered("h1", &Status::Opened).unwrap();
    /// assert_eq!(t.properties["status"], "opened");
    /// ```
    pub fn handoff_delivered(id: &str, status: &Status) -> Option<Track> {
        let s = match status {
            Status::Accepted => "accepted",
            Status::Queued { .. } => "queued",
            Status::Opened => "opened",
            _ => return None,
        };
        Some(Track::new(
            Name::HandoffDelivered,
            json!({ "handoffId": id, "status": s }),
        ))
    }
}

fn nudge_props(nudge: &Nudge) -> Value {
    let ids: Vec<&str> = nudge.answers.iter().map(|a| a.id.as_str()).collect();
    json!({ "triggerId": nudge.trigger_id, "answerIds": ids })
}

/// Who and where, for the envelope.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    /// The visitor's anonymous id.
    pub visitor_id: String,
    /// When the visitor's session started (epoch ms): with the visitor id,
    /// the session's id.
    pub session_started: Millis,
    /// The page's path (scrubbed).
    pub path: String,
    /// The page's title (scrubbed).
    pub title: String,
    /// The widget's language.
    pub locale: String,
}

/// `track` wrapped as a Segment `track` message at `now`; `seq` makes the
/// `messageId` unique within this page load (`page_load` tells loads apart).
///
/// ```
/// use pathlight::analytics::{envelope, Context, Track};
/// let ctx = Context { visitor_id: "v1".into(), session_started: 1_000, path: "/checkout".into(),
///                     title: "Checkout".into(), locale: "en".into() };
/// let m = envelope(&Track::nudge_dismissed("t1"), &ctx, 0, "p9", 7);
/// assert_eq!(m["type"], "track");
/// assert_eq!(m["event"], "Nudge Dismissed");
/// assert_eq!(m["anonymousId"], "v1");
/// assert_eq!(m["messageId"], "v1-p9-7");
/// assert_eq!(m["timestamp"], "1970-01-01T00:00:00.000Z");
/// assert_eq!(m["properties"]["sessionId"], "v1-1000");
/// assert_eq!(m["context"]["page"]["path"], "/checkout");
/// ```
pub fn envelope(track: &Track, ctx: &Context, now: Millis, page_load: &str, seq: u64) -> Value {
    let mut properties = track.properties.clone();
    let session = [ctx.visitor_id.as_str(), &ctx.session_started.to_string()].join("-");
    properties.insert("sessionId".into(), session.into());
    let message_id = [ctx.visitor_id.as_str(), page_load, &seq.to_string()].join("-");
    json!({
        "type": "track",
        "event": track.name.as_str(),
        "messageId": message_id,
        "anonymousId": ctx.visitor_id,
        "timestamp": iso8601(now),
        "properties": properties,
        "context": {
            "page": { "path": ctx.path, "title": ctx.title },
            "locale": ctx.locale,
            "library": { "name": "pathlight", "version": env!("CARGO_PKG_VERSION") },
        },
    })
}
