//! The trigger config document (`"version": 1`), read from untrusted JSON
//! with every problem reported at its JSON Pointer path.
//!
//! The published schema is `schema/config.v1.schema.json`; a test checks the
//! two agree on the examples.

pub mod analytics;
pub mod handoff;

pub use analytics::AnalyticsConfig;
pub use handoff::{is_webhook_url, Adapter, AgentLocale, Fallback, HandoffConfig, WebhookConfig};

use crate::error::Error;
use crate::journey::redact::QueryPolicy;
use crate::rules::{condition, duration, Delivery, OnDismiss, Trigger};
use crate::time::Millis;
use crate::validate::{parse_json, Path, Problems, Reader};
use serde_json::Value;

/// Most triggers one config may hold.
pub const MAX_TRIGGERS: usize = 1000;
/// Longest nudge message, in characters.
pub const MAX_MESSAGE: usize = 280;

/// A validated config.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// The triggers, in config order.
    pub triggers: Vec<Trigger>,
    /// How the journey is recorded.
    pub journey: JourneyConfig,
    /// Least time between any two nudges (`delivery.quietSeconds`).
    pub quiet: Millis,
    /// How the widget looks.
    pub theme: Theme,
    /// Overrides of the widget's built-in strings, per language
    /// (`"strings": {"he": {"launcher": "עזרה"}}`), validated.
    pub strings: Option<Value>,
    /// How the visitor reaches a person (`handoff`).
    pub handoff: HandoffConfig,
    /// Where analytics events go besides `on('analytics')` (`analytics`).
    pub analytics: AnalyticsConfig,
}

/// The `journey` section: how much is kept and when a session ends.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyConfig {
    /// Steps kept before the oldest fold into counters (`maxSteps`).
    pub max_steps: usize,
    /// A session ends after this long without activity (`sessionMinutes`).
    pub session_timeout: Millis,
    /// No input for this long makes the visitor idle (`idleSeconds`).
    pub idle_after: Millis,
    /// Query parameters that carry a site search (`searchParams`).
    pub search_params: Vec<String>,
    /// Which query parameter values are kept (`queryAllow`, `queryDeny`).
    pub query: QueryPolicy,
    /// Stored visitor state older than this is forgotten (`visitorDays`).
    pub visitor_retention: Millis,
}

impl Default for JourneyConfig {
    fn default() -> Self {
        JourneyConfig {
            max_steps: 500,
            session_timeout: 30 * 60 * 1000,
            idle_after: 60_000,
            search_params: vec!["q".into(), "s".into(), "search".into()],
            query: QueryPolicy::default(),
            visitor_retention: 30 * 86_400_000,
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "$schema",
    "version",
    "triggers",
    "journey",
    "delivery",
    "strings",
    "theme",
    "handoff",
    "analytics",
];

/// The `theme` section: the widget's accent colour (corrected to at least
/// 4.5:1 contrast), which side it sits on, and its stacking order.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Accent colour for the launcher, buttons and links.
    pub accent: Option<crate::theme::Rgb>,
    /// `left` or `right` (default), mirrored for right-to-left languages.
    pub left: bool,
    /// CSS `z-index` of the widget.
    pub z_index: i64,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            accent: None,
            left: false,
            z_index: 2_147_483_000,
        }
    }
}

fn theme(r: &mut Reader, at: &Path, value: &Value) -> Theme {
    let mut t = Theme::default();
    let Some(map) = r.object(at, value) else {
        return t;
    };
    r.unknown_keys(at, map, &["accent", "position", "zIndex"]);
    if let Some(s) = r.opt_string(&Path::Key(at, "accent"), map.get("accent"), 64) {
        match crate::theme::Rgb::parse(&s) {
            Ok(c) => t.accent = Some(c),
            Err(msg) => r.problem(&Path::Key(at, "accent"), msg),
        }
    }
    match map.get("position").map(|v| v.as_str()) {
        None | Some(Some("right")) => {}
        Some(Some("left")) => t.left = true,
        Some(_) => r.problem(&Path::Key(at, "position"), "expected \"left\" or \"right\""),
    }
    if let Some(v) = map.get("zIndex") {
        match v.as_i64() {
            Some(z) if (0..=2_147_483_647).contains(&z) => t.z_index = z,
            _ => r.problem(
                &Path::Key(at, "zIndex"),
                "must be a whole number between 0 and 2147483647",
            ),
        }
    }
    t
}
/// The default quiet period between two nudges.
pub const DEFAULT_QUIET: Millis = 60_000;
const JOURNEY_KEYS: &[&str] = &[
    "maxSteps",
    "sessionMinutes",
    "idleSeconds",
    "searchParams",
    "queryAllow",
    "queryDeny",
    "visitorDays",
];
const TRIGGER_KEYS: &[&str] = &[
    "id",
    "when",
    "message",
    "answers",
    "tags",
    "priority",
    "cooldown",
    "maxPerSession",
    "maxPerVisitor",
    "onDismiss",
];

impl Config {
    /// Parse and validate a JSON string.
    ///
    /// ```
    /// let err = pathlight::Config::from_json(r#"{"version": 1, "triggers": [{"id": "a", "whenn": {}}]}"#)
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("/triggers/0/whenn: unknown key `whenn` (did you mean `when`?)"));
    /// ```
    pub fn from_json(text: &str) -> Result<Config, Error> {
        let value = parse_json(text).map_err(|p| Error::Config(Problems(vec![p])))?;
        Config::from_value(&value)
    }

    /// Validate an already parsed document.
    pub fn from_value(value: &Value) -> Result<Config, Error> {
        parse(value).map_err(Error::Config)
    }
}

impl Config {
    /// The IANA time zones the triggers' schedules name.
    pub fn zones(&self) -> Vec<String> {
        fn walk(c: &crate::rules::Condition, out: &mut Vec<String>) {
            use crate::rules::condition::Test;
            match &c.test {
                Test::All(items) | Test::Any(items) => items.iter().for_each(|i| walk(i, out)),
                Test::Not(inner) => walk(inner, out),
                Test::Schedule(s) if !out.contains(&s.zone) => out.push(s.zone.clone()),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for t in &self.triggers {
            walk(&t.when, &mut out);
        }
        out
    }
}

/// Every problem in `value` as a config; empty when it is valid.
pub fn validate(value: &Value) -> Problems {
    parse(value).err().unwrap_or_default()
}

fn parse(value: &Value) -> Result<Config, Problems> {
    let mut r = Reader::new();
    let root = Path::Root;
    let mut config = Config {
        quiet: DEFAULT_QUIET,
        ..Config::default()
    };
    if let Some(top) = r.object(&root, value) {
        r.unknown_keys(&root, top, TOP_KEYS);
        r.version(&root, top.get("version"));
        let at = Path::Key(&root, "triggers");
        match top.get("triggers") {
            None => r.problem(&at, "is required (use [] for none)"),
            Some(Value::Array(items)) if items.len() > MAX_TRIGGERS => r.problem(
                &at,
                format!(
                    "has {} triggers: at most {MAX_TRIGGERS} allowed",
                    items.len()
                ),
            ),
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(t) = trigger(&mut r, &Path::Index(&at, i), item) {
                        config.triggers.push(t);
                    }
                }
                duplicate_ids(&mut r, &at, items);
            }
            Some(other) => r.expected(&at, "an array of triggers", other),
        }
        if let Some(v) = top.get("theme") {
            config.theme = theme(&mut r, &Path::Key(&root, "theme"), v);
        }
        if let Some(v) = top.get("strings") {
            let problems = crate::i18n::check_strings(v, &Path::Key(&root, "strings"));
            if problems.is_empty() {
                config.strings = Some(v.clone());
            }
            for p in problems.0 {
                r.push(p);
            }
        }
        if let Some(v) = top.get("delivery") {
            let at = Path::Key(&root, "delivery");
            if let Some(map) = r.object(&at, v) {
                r.unknown_keys(&at, map, &["quietSeconds"]);
                if let Some(n) = r.opt_uint(
                    &Path::Key(&at, "quietSeconds"),
                    map.get("quietSeconds"),
                    0,
                    86_400,
                ) {
                    config.quiet = n * 1000;
                }
            }
        }
        if let Some(v) = top.get("journey") {
            config.journey = journey(&mut r, &Path::Key(&root, "journey"), v);
        }
        if let Some(v) = top.get("handoff") {
            config.handoff = handoff::parse(&mut r, &Path::Key(&root, "handoff"), v);
        }
        if let Some(v) = top.get("analytics") {
            config.analytics = analytics::parse(&mut r, &Path::Key(&root, "analytics"), v);
        }
    }
    r.finish(config)
}

fn journey(r: &mut Reader, at: &Path, value: &Value) -> JourneyConfig {
    let mut j = JourneyConfig::default();
    let Some(map) = r.object(at, value) else {
        return j;
    };
    r.unknown_keys(at, map, JOURNEY_KEYS);
    if let Some(n) = r.opt_uint(&Path::Key(at, "maxSteps"), map.get("maxSteps"), 10, 5000) {
        j.max_steps = n as usize;
    }
    if let Some(n) = r.opt_uint(
        &Path::Key(at, "sessionMinutes"),
        map.get("sessionMinutes"),
        1,
        1440,
    ) {
        j.session_timeout = n * 60_000;
    }
    if let Some(n) = r.opt_uint(
        &Path::Key(at, "idleSeconds"),
        map.get("idleSeconds"),
        5,
        3600,
    ) {
        j.idle_after = n * 1000;
    }
    if let Some(n) = r.opt_uint(
        &Path::Key(at, "visitorDays"),
        map.get("visitorDays"),
        1,
        400,
    ) {
        j.visitor_retention = n * 86_400_000;
    }
    let deny = r.opt_strings(&Path::Key(at, "queryDeny"), map.get("queryDeny"), 64, 100);
    j.query.deny.extend(deny);
    if map.contains_key("queryAllow") {
        j.query.allow =
            Some(r.opt_strings(&Path::Key(at, "queryAllow"), map.get("queryAllow"), 64, 100));
    }
    if map.contains_key("searchParams") {
        j.search_params = r.opt_strings(
            &Path::Key(at, "searchParams"),
            map.get("searchParams"),
            64,
            20,
        );
    }
    j
}

fn duplicate_ids(r: &mut Reader, at: &Path, items: &[Value]) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(id) = item.get("id").and_then(Value::as_str) {
            if seen.contains(&id) {
                let p = Path::Index(at, i);
                r.problem(&Path::Key(&p, "id"), format!("duplicate trigger id `{id}`"));
            }
            seen.push(id);
        }
    }
}

fn trigger(r: &mut Reader, at: &Path, value: &Value) -> Option<Trigger> {
    let map = r.object(at, value)?;
    r.unknown_keys(at, map, TRIGGER_KEYS);
    let id = r.id(&Path::Key(at, "id"), map.get("id"));
    let when = match map.get("when") {
        None => {
            r.problem(&Path::Key(at, "when"), "is required");
            None
        }
        Some(v) => condition::parse(r, &Path::Key(at, "when"), v, 0),
    };
    let message = r.string(&Path::Key(at, "message"), map.get("message"), MAX_MESSAGE);
    let answers = r.opt_strings(&Path::Key(at, "answers"), map.get("answers"), 64, 20);
    let tags = r.opt_strings(&Path::Key(at, "tags"), map.get("tags"), 64, 20);
    let delivery = delivery(r, at, map);
    if map.get("answers").is_none() && map.get("tags").is_none() {
        r.problem_hint(
            at,
            "a trigger needs `answers` or `tags` to choose what to show",
            "add \"answers\": [\"an-answer-id\"]".into(),
        );
    }
    Some(Trigger {
        id: id?,
        path: at.render(),
        when: when?,
        message: message?,
        answers,
        tags,
        delivery: delivery?,
    })
}

/// A trigger's delivery controls: `priority`, `cooldown`, `maxPerSession`,
/// `maxPerVisitor`, `onDismiss`.
fn delivery(r: &mut Reader, at: &Path, map: &serde_json::Map<String, Value>) -> Option<Delivery> {
    let mut d = Delivery::default();
    let mut ok = true;
    if let Some(v) = map.get("priority") {
        match v.as_i64() {
            Some(n) if (-1000..=1000).contains(&n) => d.priority = n,
            _ => {
                r.problem(
                    &Path::Key(at, "priority"),
                    "must be a whole number between -1000 and 1000",
                );
                ok = false;
            }
        }
    }
    if let Some(v) = map.get("cooldown") {
        let p = Path::Key(at, "cooldown");
        match v.as_str().map(duration::parse) {
            Some(Ok(ms)) => d.cooldown = ms,
            Some(Err(msg)) => {
                r.problem(&p, msg);
                ok = false;
            }
            None => {
                r.expected(&p, "a duration such as \"30s\", \"10m\" or \"1d\"", v);
                ok = false;
            }
        }
    }
    if let Some(n) = r.opt_uint(
        &Path::Key(at, "maxPerSession"),
        map.get("maxPerSession"),
        1,
        1000,
    ) {
        d.max_per_session = n as u32;
    }
    if let Some(n) = r.opt_uint(
        &Path::Key(at, "maxPerVisitor"),
        map.get("maxPerVisitor"),
        1,
        100_000,
    ) {
        d.max_per_visitor = n as u32;
    }
    if let Some(v) = map.get("onDismiss") {
        let p = Path::Key(at, "onDismiss");
        d.on_dismiss = match v.as_str() {
            Some("session") => OnDismiss::Session,
            Some("visitor") => OnDismiss::Visitor,
            Some(s) => match duration::parse(s) {
                Ok(ms) => OnDismiss::For(ms),
                Err(_) => {
                    r.problem_hint(
                        &p,
                        format!("unknown value `{s}`"),
                        "use \"session\", \"visitor\" or a duration such as \"7d\"".into(),
                    );
                    ok = false;
                    OnDismiss::Session
                }
            },
            None => {
                r.expected(&p, "\"session\", \"visitor\" or a duration", v);
                ok = false;
                OnDismiss::Session
            }
        };
    }
    ok.then_some(d)
}
