//! Trigger conditions: the readable shorthands product teams write in
//! `when`, combinable with `all` / `any` / `not`, plus JSON Logic for
//! anything else. Each condition keeps its JSON Pointer path so the engine
//! can say which one holds a trigger back.
//!
//! Evaluation answers [`Due`]: holds now, will hold at a known time if
//! nothing else changes (dwell, time on site, idle, schedules), or cannot
//! come to hold by time alone. The engine's next wake-up falls out of it.

use super::logic;
use super::pattern::PathPattern;
use super::{Due, Facts};
use crate::journey::StepKind;
use crate::time::Millis;
use crate::validate::{closest, Path, Reader};
use serde_json::Value;

/// Deepest nesting of `all` / `any` / `not` accepted.
pub const MAX_NESTING: usize = 16;

/// A condition and where it is in the config.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// JSON Pointer to it in the config.
    pub path: String,
    /// What it tests.
    pub test: Test,
}

/// Device classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// A phone-sized touch screen.
    Mobile,
    /// A larger touch screen.
    Tablet,
    /// A mouse or trackpad.
    Desktop,
}

/// A comparison on a visitor attribute or event property.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueTest {
    /// Equal to this JSON value.
    Equals(Value),
    /// Equal to one of these.
    In(Vec<Value>),
    /// A number greater than.
    Gt(f64),
    /// A number at least.
    Gte(f64),
    /// A number less than.
    Lt(f64),
    /// A number at most.
    Lte(f64),
    /// Present (true) or absent (false).
    Exists(bool),
}

/// What a condition tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// The path matches one of the patterns.
    Page(Vec<PathPattern>),
    /// Query parameters present (`None`) or equal to a value.
    Query(Vec<(String, Option<String>)>),
    /// The fragment matches (a `*` glob).
    Hash(String),
    /// The referrer matches (a `*` glob on the whole address).
    Referrer(String),
    /// UTM parameters of the current address (`source` for `utm_source`).
    Utm(Vec<(String, String)>),
    /// The title matches (a case-insensitive `*` glob).
    Title(String),
    /// Visible time on this page, in seconds.
    DwellSeconds(u64),
    /// Time since the session started, in seconds.
    SiteSeconds(u64),
    /// Deepest scroll on this page, in percent.
    ScrollPercent(u8),
    /// Exit intent was shown on this page view.
    ExitIntent(bool),
    /// No input for at least this many seconds.
    IdleSeconds(u64),
    /// At least this many visits (sessions).
    Visits(u32),
    /// A returning (true) or new (false) visitor.
    Returning(bool),
    /// At least this many page views this session.
    PagesViewed(u32),
    /// These pages, in this order, within the window.
    Sequence(Vec<PathPattern>, Millis),
    /// A custom event, at least `count` times, with matching properties.
    Event {
        /// Event name.
        name: String,
        /// At least this many.
        count: u32,
        /// Property filters.
        filters: Vec<(String, ValueTest)>,
    },
    /// Visitor attributes from `identify`.
    Visitor(Vec<(String, ValueTest)>),
    /// One of these device classes.
    Device(Vec<Device>),
    /// The visitor's language starts with one of these (`he` matches `he-IL`).
    Language(Vec<String>),
    /// Form errors this session, optionally for one form or field.
    FormErrors {
        /// At least this many.
        count: u32,
        /// Only this form.
        form: Option<String>,
        /// Only this field.
        field: Option<String>,
    },
    /// At least this many rage clicks this session.
    RageClicks(u32),
    /// Site searches this session; `no_results` counts only empty ones.
    Searches {
        /// At least this many.
        count: u32,
        /// Only searches with no results.
        no_results: bool,
    },
    /// Answers already seen (shown), opened, or rated unhelpful.
    Answer {
        /// Which answer.
        id: String,
        /// Seen, opened or unhelpful.
        what: AnswerWhat,
    },
    /// Open hours: days and times in a named IANA time zone.
    Schedule(Schedule),
    /// JSON Logic over the documented context, and the clock-driven
    /// values of the context it reads (for waking up when they change).
    Logic(Value, Clocks),
}

/// The values of the JSON Logic context that change with time alone, as a
/// rule may read them: found once, when the config is read, by the names
/// the rule holds (a literal `"dwellSeconds"` anywhere counts, so a rule is
/// never under-woken; a `var` whose name is computed reads them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clocks {
    /// `page.dwellSeconds`: changes each visible second.
    pub dwell: bool,
    /// `session.seconds`: each second.
    pub session: bool,
    /// `time.now`: re-checked each second.
    pub now: bool,
    /// `time.hourUtc`: each hour.
    pub hour: bool,
    /// `time.weekdayUtc`: each day.
    pub day: bool,
}

impl Clocks {
    /// The clock-driven values `rule` may read.
    ///
    /// ```
    /// use pathlight::rules::condition::Clocks;
    /// use serde_json::json;
    /// let c = Clocks::of(&json!({">=": [{"var": "page.dwellSeconds"}, 30]}));
    /// assert_eq!(c, Clocks { dwell: true, ..Clocks::default() });
    /// assert_eq!(Clocks::of(&json!({"==": [{"var": "page.path"}, "/"]})), Clocks::default());
    /// assert!(Clocks::of(&json!({"var": {"cat": ["ti", "me.now"]}})).now);
    /// ```
    pub fn of(rule: &Value) -> Clocks {
        let mut c = Clocks::default();
        c.scan(rule);
        c
    }

    fn all() -> Clocks {
        Clocks {
            dwell: true,
            session: true,
            now: true,
            hour: true,
            day: true,
        }
    }

    // The rule's depth is bounded: by `check` in a config, by the JSON
    // parser's 128 levels otherwise.
    fn scan(&mut self, v: &Value) {
        match v {
            Value::String(s) => self.name(s),
            Value::Array(items) => items.iter().for_each(|x| self.scan(x)),
            Value::Object(map) => {
                for (op, arg) in map {
                    // A variable whose name is computed may read anything.
                    let names_a_var = matches!(op.as_str(), "var" | "val");
                    let literal = match arg {
                        Value::Array(items) => items.first().is_none_or(|x| !x.is_object()),
                        x => !x.is_object(),
                    };
                    if names_a_var && !literal {
                        *self = Clocks::all();
                    }
                    self.scan(arg);
                }
            }
            _ => {}
        }
    }

    fn name(&mut self, path: &str) {
        // The leaf of `a.b.c`; a whole object (`page`, `time`, `""`) holds
        // its clocks too.
        let leaf = path.rsplit('.').next().unwrap_or(path);
        match leaf {
            "dwellSeconds" => self.dwell = true,
            "seconds" => self.session = true,
            "now" => self.now = true,
            "hourUtc" => self.hour = true,
            "weekdayUtc" => self.day = true,
            "page" => self.dwell = true,
            "session" => self.session = true,
            "time" => {
                self.now = true;
                self.hour = true;
                self.day = true;
            }
            "" => *self = Clocks::all(),
            _ => {}
        }
    }

    /// The next moment after `now` when a value read may change by time
    /// alone, if any: the rule is evaluated again then.
    fn next_change(&self, f: &Facts, now: Millis) -> Option<Millis> {
        const SEC: Millis = 1_000;
        const HOUR: Millis = 3_600_000;
        const DAY: Millis = 86_400_000;
        let next = |unit: Millis, since: Millis| {
            let elapsed = now.saturating_sub(since);
            since.saturating_add((elapsed / unit).saturating_add(1).saturating_mul(unit))
        };
        let dwell = f.page.filter(|_| self.dwell).and_then(|p| {
            let d = p.dwell(now);
            p.dwell_reached_at((d / SEC).saturating_add(1).saturating_mul(SEC))
        });
        let session = self.session.then(|| next(SEC, f.state.session.started_at));
        let clock = self.now.then(|| now.saturating_add(SEC));
        let hour = self.hour.then(|| next(HOUR, 0));
        let day = self.day.then(|| next(DAY, 0));
        [dwell, session, clock, hour, day]
            .into_iter()
            .flatten()
            .min()
    }
}

/// What about an answer a condition asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerWhat {
    /// It was shown in a nudge.
    Seen,
    /// The visitor opened it.
    Opened,
    /// The visitor rated it unhelpful.
    Unhelpful,
}

/// Business hours in a named time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// IANA zone, e.g. `Europe/London`.
    pub zone: String,
    /// Days it is open, 0 = Monday.
    pub days: [bool; 7],
    /// Opening minute of the day.
    pub from: u32,
    /// Closing minute of the day (exclusive).
    pub to: u32,
}

const KEYS: &[&str] = &[
    "all",
    "any",
    "not",
    "page",
    "query",
    "hash",
    "referrer",
    "utm",
    "title",
    "dwellSeconds",
    "siteSeconds",
    "scrollPercent",
    "exitIntent",
    "idleSeconds",
    "visits",
    "returning",
    "pagesViewed",
    "sequence",
    "event",
    "visitor",
    "device",
    "language",
    "formErrors",
    "rageClicks",
    "searches",
    "answer",
    "schedule",
    "logic",
];

/// Parse a `when` object at `at`: every key must hold.
pub fn parse(r: &mut Reader, at: &Path, value: &Value, depth: usize) -> Option<Condition> {
    let path = at.render();
    if depth > MAX_NESTING {
        r.problem(
            at,
            format!("conditions are nested more than {MAX_NESTING} levels deep"),
        );
        return None;
    }
    let map = r.object(at, value)?;
    if map.is_empty() {
        r.problem_hint(
            at,
            "needs at least one condition",
            "for example {\"page\": \"/checkout\"}".into(),
        );
        return None;
    }
    let mut all = Vec::new();
    let mut ok = true;
    for (key, v) in map {
        let p = Path::Key(at, key);
        if !KEYS.contains(&key.as_str()) {
            let message = format!("unknown condition `{key}`");
            match closest(key, KEYS) {
                Some(k) => r.problem_hint(&p, message, format!("did you mean `{k}`?")),
                None => r.problem_hint(
                    &p,
                    message,
                    "see the config schema for the conditions".into(),
                ),
            }
            ok = false;
            continue;
        }
        match leaf(r, &p, key, v, depth) {
            Some(test) => all.push(Condition {
                path: p.render(),
                test,
            }),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if all.len() == 1 {
        return all.pop();
    }
    Some(Condition {
        path,
        test: Test::All(all),
    })
}

fn list(r: &mut Reader, at: &Path, v: &Value, depth: usize) -> Option<Vec<Condition>> {
    let Value::Array(items) = v else {
        r.expected(at, "an array of conditions", v);
        return None;
    };
    if items.is_empty() {
        r.problem(at, "needs at least one condition");
        return None;
    }
    let parsed: Vec<Option<Condition>> = items
        .iter()
        .enumerate()
        .map(|(i, c)| parse(r, &Path::Index(at, i), c, depth + 1))
        .collect();
    parsed.into_iter().collect()
}

fn uint(r: &mut Reader, at: &Path, v: &Value, max: u64) -> Option<u64> {
    r.opt_uint(at, Some(v), 0, max)
}

fn boolean(r: &mut Reader, at: &Path, v: &Value) -> Option<bool> {
    match v.as_bool() {
        Some(b) => Some(b),
        None => {
            r.expected(at, "true or false", v);
            None
        }
    }
}

fn string(r: &mut Reader, at: &Path, v: &Value, max: usize) -> Option<String> {
    r.string(at, Some(v), max)
}

fn strings(r: &mut Reader, at: &Path, v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(_) => {
            let out = r.opt_strings(at, Some(v), 512, 50);
            (!out.is_empty()).then_some(out)
        }
        other => {
            r.expected(at, "a string or an array of strings", other);
            None
        }
    }
}

fn patterns(r: &mut Reader, at: &Path, v: &Value) -> Option<Vec<PathPattern>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (i, s) in strings(r, at, v)?.iter().enumerate() {
        let p = if v.is_array() {
            Path::Index(at, i)
        } else {
            *at
        };
        match PathPattern::parse(s) {
            Ok(pat) => out.push(pat),
            Err(msg) => {
                r.problem(&p, msg);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn leaf(r: &mut Reader, at: &Path, key: &str, v: &Value, depth: usize) -> Option<Test> {
    Some(match key {
        "all" => Test::All(list(r, at, v, depth)?),
        "any" => Test::Any(list(r, at, v, depth)?),
        "not" => Test::Not(Box::new(parse(r, at, v, depth + 1)?)),
        "page" => Test::Page(patterns(r, at, v)?),
        "query" => {
            let map = r.object(at, v)?;
            let mut out = Vec::new();
            for (k, val) in map {
                match val {
                    Value::Bool(true) => out.push((k.clone(), None)),
                    Value::String(s) => out.push((k.clone(), Some(s.clone()))),
                    Value::Number(n) => out.push((k.clone(), Some(n.to_string()))),
                    other => r.expected(
                        &Path::Key(at, k),
                        "a string, a number, or true for \"present\"",
                        other,
                    ),
                }
            }
            Test::Query(out)
        }
        "hash" => Test::Hash(string(r, at, v, 512)?),
        "referrer" => Test::Referrer(string(r, at, v, 512)?),
        "utm" => {
            let map = r.object(at, v)?;
            r.unknown_keys(
                at,
                map,
                &["source", "medium", "campaign", "term", "content"],
            );
            let mut out = Vec::new();
            for (k, val) in map {
                if let Some(s) = string(r, &Path::Key(at, k), val, 200) {
                    out.push((k.clone(), s));
                }
            }
            Test::Utm(out)
        }
        "title" => Test::Title(string(r, at, v, 512)?),
        "dwellSeconds" => Test::DwellSeconds(uint(r, at, v, 86_400)?),
        "siteSeconds" => Test::SiteSeconds(uint(r, at, v, 86_400)?),
        "scrollPercent" => Test::ScrollPercent(uint(r, at, v, 100)? as u8),
        "exitIntent" => Test::ExitIntent(boolean(r, at, v)?),
        "idleSeconds" => Test::IdleSeconds(uint(r, at, v, 86_400)?),
        "visits" => Test::Visits(uint(r, at, v, 100_000)? as u32),
        "returning" => Test::Returning(boolean(r, at, v)?),
        "pagesViewed" => Test::PagesViewed(uint(r, at, v, 100_000)? as u32),
        "sequence" => {
            let map = r.object(at, v)?;
            r.unknown_keys(at, map, &["pages", "withinSeconds"]);
            let pages_at = Path::Key(at, "pages");
            let pages = match map.get("pages") {
                Some(p @ Value::Array(items)) if items.len() >= 2 => patterns(r, &pages_at, p)?,
                Some(_) => {
                    r.problem(&pages_at, "needs at least two page patterns, in order");
                    return None;
                }
                None => {
                    r.problem(&pages_at, "is required");
                    return None;
                }
            };
            let within = match map.get("withinSeconds") {
                Some(w) => uint(r, &Path::Key(at, "withinSeconds"), w, 30 * 86_400)? * 1000,
                None => u64::MAX,
            };
            Test::Sequence(pages, within)
        }
        "event" => {
            let (name, count, filters) = match v {
                Value::String(s) => (s.clone(), 1, Vec::new()),
                _ => {
                    let map = r.object(at, v)?;
                    r.unknown_keys(at, map, &["name", "count", "where"]);
                    let name = r.string(&Path::Key(at, "name"), map.get("name"), 100)?;
                    let count = r
                        .opt_uint(&Path::Key(at, "count"), map.get("count"), 1, 10_000)
                        .unwrap_or(1) as u32;
                    let filters = match map.get("where") {
                        Some(w) => value_tests(r, &Path::Key(at, "where"), w)?,
                        None => Vec::new(),
                    };
                    (name, count, filters)
                }
            };
            Test::Event {
                name,
                count,
                filters,
            }
        }
        "visitor" => Test::Visitor(value_tests(r, at, v)?),
        "device" => {
            let mut out = Vec::new();
            for s in strings(r, at, v)? {
                match s.as_str() {
                    "mobile" => out.push(Device::Mobile),
                    "tablet" => out.push(Device::Tablet),
                    "desktop" => out.push(Device::Desktop),
                    _ => r.problem(
                        at,
                        format!("unknown device `{s}`: expected mobile, tablet or desktop"),
                    ),
                }
            }
            Test::Device(out)
        }
        "language" => Test::Language(
            strings(r, at, v)?
                .into_iter()
                .map(|s| s.to_ascii_lowercase())
                .collect(),
        ),
        "formErrors" => match v {
            Value::Number(_) => Test::FormErrors {
                count: uint(r, at, v, 10_000)? as u32,
                form: None,
                field: None,
            },
            _ => {
                let map = r.object(at, v)?;
                r.unknown_keys(at, map, &["count", "form", "field"]);
                Test::FormErrors {
                    count: r
                        .opt_uint(&Path::Key(at, "count"), map.get("count"), 1, 10_000)
                        .unwrap_or(1) as u32,
                    form: r.opt_string(&Path::Key(at, "form"), map.get("form"), 200),
                    field: r.opt_string(&Path::Key(at, "field"), map.get("field"), 200),
                }
            }
        },
        "rageClicks" => Test::RageClicks(uint(r, at, v, 10_000)? as u32),
        "searches" => {
            let map = r.object(at, v)?;
            r.unknown_keys(at, map, &["count", "noResults"]);
            Test::Searches {
                count: r
                    .opt_uint(&Path::Key(at, "count"), map.get("count"), 1, 10_000)
                    .unwrap_or(1) as u32,
                no_results: match map.get("noResults") {
                    Some(b) => boolean(r, &Path::Key(at, "noResults"), b)?,
                    None => false,
                },
            }
        }
        "answer" => {
            let map = r.object(at, v)?;
            r.unknown_keys(at, map, &["seen", "opened", "unhelpful"]);
            let found = [
                ("seen", AnswerWhat::Seen),
                ("opened", AnswerWhat::Opened),
                ("unhelpful", AnswerWhat::Unhelpful),
            ]
            .into_iter()
            .find_map(|(k, w)| map.get(k).map(|v| (k, w, v)));
            let Some((k, what, id)) = found else {
                r.problem_hint(
                    at,
                    "needs one of `seen`, `opened`, `unhelpful`",
                    "for example {\"opened\": \"card-declined\"}".into(),
                );
                return None;
            };
            Test::Answer {
                id: string(r, &Path::Key(at, k), id, 64)?,
                what,
            }
        }
        "schedule" => Test::Schedule(schedule(r, at, v)?),
        "logic" => match logic::check(v) {
            Ok(()) => Test::Logic(v.clone(), Clocks::of(v)),
            Err(e) => {
                let p = format!("{}{}", at.render(), e.path());
                let msg = e.to_string();
                match e.hint() {
                    Some(h) => r.problem_at_hint(p, msg, h),
                    None => r.problem_at_hint(p, msg, "see docs/jsonlogic.md".into()),
                }
                return None;
            }
        },
        _ => return None,
    })
}

fn value_tests(r: &mut Reader, at: &Path, v: &Value) -> Option<Vec<(String, ValueTest)>> {
    let map = r.object(at, v)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (k, t) in map {
        match value_test(r, &Path::Key(at, k), t) {
            Some(t) => out.push((k.clone(), t)),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn value_test(r: &mut Reader, at: &Path, v: &Value) -> Option<ValueTest> {
    let Value::Object(m) = v else {
        return Some(ValueTest::Equals(v.clone()));
    };
    const OPS: &[&str] = &["equals", "in", "gt", "gte", "lt", "lte", "exists"];
    r.unknown_keys(at, m, OPS);
    let (op, arg) = m.iter().next()?;
    let p = Path::Key(at, op);
    let num = |r: &mut Reader| match arg.as_f64() {
        Some(n) => Some(n),
        None => {
            r.expected(&p, "a number", arg);
            None
        }
    };
    Some(match op.as_str() {
        "equals" => ValueTest::Equals(arg.clone()),
        "in" => match arg {
            Value::Array(items) => ValueTest::In(items.clone()),
            other => {
                r.expected(&p, "an array of values", other);
                return None;
            }
        },
        "gt" => ValueTest::Gt(num(r)?),
        "gte" => ValueTest::Gte(num(r)?),
        "lt" => ValueTest::Lt(num(r)?),
        "lte" => ValueTest::Lte(num(r)?),
        "exists" => ValueTest::Exists(boolean(r, &p, arg)?),
        _ => return None,
    })
}

fn minutes(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
}

fn schedule(r: &mut Reader, at: &Path, v: &Value) -> Option<Schedule> {
    let map = r.object(at, v)?;
    r.unknown_keys(at, map, &["timeZone", "days", "from", "to"]);
    let zone = r.string(&Path::Key(at, "timeZone"), map.get("timeZone"), 64)?;
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut days = [false; 7];
    let days_at = Path::Key(at, "days");
    match map.get("days") {
        None => days = [true, true, true, true, true, false, false],
        Some(d) => {
            for (i, name) in r.opt_strings(&days_at, Some(d), 16, 7).iter().enumerate() {
                match DAYS.iter().position(|x| x == name) {
                    Some(j) => days[j] = true,
                    None => r.problem(
                        &Path::Index(&days_at, i),
                        format!("unknown day `{name}`: use mon, tue, wed, thu, fri, sat, sun"),
                    ),
                }
            }
        }
    }
    let time = |r: &mut Reader, key: &str, default: u32| -> Option<u32> {
        match map.get(key) {
            None => Some(default),
            Some(Value::String(s)) => match minutes(s) {
                Some(m) => Some(m),
                None => {
                    r.problem(
                        &Path::Key(at, key),
                        "expected a time such as \"09:00\" or \"17:30\"",
                    );
                    None
                }
            },
            Some(other) => {
                r.expected(&Path::Key(at, key), "a time such as \"09:00\"", other);
                None
            }
        }
    };
    let from = time(r, "from", 9 * 60)?;
    let to = time(r, "to", 17 * 60)?;
    if from >= to {
        r.problem(
            &Path::Key(at, "to"),
            "must be later than `from` (overnight hours: use two schedules in `any`)",
        );
        return None;
    }
    Some(Schedule {
        zone,
        days,
        from,
        to,
    })
}

impl Condition {
    /// Whether it holds at `now`, or when it will.
    pub fn due(&self, f: &Facts, now: Millis) -> Due {
        let held = |b: bool| if b { Due::Now } else { Due::Never };
        let at = |t: Millis| if now >= t { Due::Now } else { Due::At(t) };
        match &self.test {
            Test::All(items) => {
                let mut due = Due::Now;
                for c in items {
                    match (c.due(f, now), due) {
                        (Due::Never, _) => return Due::Never,
                        (Due::At(t), Due::At(u)) => due = Due::At(t.max(u)),
                        (Due::At(t), Due::Now) => due = Due::At(t),
                        _ => {}
                    }
                }
                due
            }
            Test::Any(items) => {
                let mut best = Due::Never;
                for c in items {
                    match (c.due(f, now), best) {
                        (Due::Now, _) => return Due::Now,
                        (Due::At(t), Due::At(u)) => best = Due::At(t.min(u)),
                        (Due::At(t), Due::Never) => best = Due::At(t),
                        _ => {}
                    }
                }
                best
            }
            Test::Not(c) => held(c.due(f, now) != Due::Now),
            Test::DwellSeconds(s) => match f.page {
                None => Due::Never,
                Some(p) if p.dwell(now) >= s * 1000 => Due::Now,
                Some(p) => p.dwell_reached_at(s * 1000).map_or(Due::Never, Due::At),
            },
            Test::SiteSeconds(s) => at(f.state.session.started_at.saturating_add(s * 1000)),
            Test::IdleSeconds(s) => at(f.last_input.saturating_add(s * 1000)),
            Test::Schedule(s) => schedule_due(s, f, now),
            // A rule over clock-driven values may come to hold by time
            // alone: look again when one of them changes.
            Test::Logic(_, clocks) => match self.holds(f, now) {
                true => Due::Now,
                false => clocks.next_change(f, now).map_or(Due::Never, Due::At),
            },
            _ => held(self.holds(f, now)),
        }
    }

    /// The leaf condition that keeps this one from holding now, if any.
    pub fn blocking<'a>(&'a self, f: &Facts, now: Millis) -> Option<&'a Condition> {
        if self.due(f, now) == Due::Now {
            return None;
        }
        match &self.test {
            // The most telling blocker first: one that time alone cannot
            // fix and that is not itself about time, then any other.
            Test::All(items) => {
                let never = |c: &&Condition| c.due(f, now) == Due::Never;
                items
                    .iter()
                    .filter(never)
                    .find(|c| !c.is_timed())
                    .or_else(|| items.iter().find(never))
                    .or_else(|| items.iter().find(|c| c.due(f, now) != Due::Now))
                    .and_then(|c| c.blocking(f, now))
            }
            _ => Some(self),
        }
    }

    fn is_timed(&self) -> bool {
        matches!(
            self.test,
            Test::DwellSeconds(_) | Test::SiteSeconds(_) | Test::IdleSeconds(_) | Test::Schedule(_)
        )
    }

    fn holds(&self, f: &Facts, now: Millis) -> bool {
        let journey = &f.state.journey;
        let page = f.page;
        match &self.test {
            Test::Page(ps) => page.is_some_and(|p| ps.iter().any(|pat| pat.matches(&p.path))),
            Test::Query(qs) => page.is_some_and(|p| {
                qs.iter().all(|(k, want)| match query_value(&p.query, k) {
                    Some(v) => want.as_ref().is_none_or(|w| *w == v),
                    None => false,
                })
            }),
            Test::Hash(g) => page.is_some_and(|p| glob(g, &p.hash, false)),
            Test::Referrer(g) => page.is_some_and(|p| glob(g, &p.referrer, true)),
            Test::Utm(us) => page.is_some_and(|p| {
                us.iter().all(|(k, want)| {
                    let key = format!("utm_{k}");
                    query_value(&p.query, &key).is_some_and(|v| v.eq_ignore_ascii_case(want))
                })
            }),
            Test::Title(g) => {
                page.is_some_and(|p| glob(&g.to_lowercase(), &p.title.to_lowercase(), false))
            }
            Test::ScrollPercent(n) => page.is_some_and(|p| p.max_scroll >= *n),
            Test::ExitIntent(want) => {
                let seen = page.is_some_and(|p| {
                    journey
                        .steps()
                        .iter()
                        .rev()
                        .take_while(|s| s.at >= p.since)
                        .any(|s| s.kind == StepKind::ExitIntent)
                });
                seen == *want
            }
            Test::Visits(n) => f.state.visitor.visits >= *n,
            Test::Returning(want) => f.state.visitor.is_returning() == *want,
            Test::PagesViewed(n) => f.counts().page_views >= *n,
            Test::Sequence(pages, within) => sequence(f, pages, *within, now),
            Test::Event {
                name,
                count,
                filters,
            } => {
                let n = f
                    .state
                    .events
                    .iter()
                    .filter(|e| &e.name == name && e.at >= f.state.session.started_at)
                    .filter(|e| filters.iter().all(|(k, t)| t.matches(e.props.get(k))))
                    .take(*count as usize)
                    .count();
                n as u32 >= *count
            }
            Test::Visitor(tests) => tests
                .iter()
                .all(|(k, t)| t.matches(f.state.visitor.attributes.get(k))),
            Test::Device(ds) => ds.contains(&f.env.device),
            Test::Language(ls) => f.env.languages.iter().take(1).any(|l| {
                let l = l.to_ascii_lowercase();
                ls.iter()
                    .any(|want| l == *want || l.starts_with(&format!("{want}-")))
            }),
            Test::FormErrors {
                count,
                form: None,
                field: None,
            } => f.counts().form_errors >= *count,
            Test::FormErrors { count, form, field } => {
                let n = f
                    .session_steps_rev()
                    .filter(|s| s.kind == StepKind::FormError)
                    .filter(|s| {
                        form.as_ref()
                            .is_none_or(|x| s.detail.starts_with(x.as_str()))
                    })
                    .filter(|s| field.as_ref().is_none_or(|x| s.detail.contains(x.as_str())))
                    // Enough is enough: stop at `count` matches.
                    .take(*count as usize)
                    .count();
                n as u32 >= *count
            }
            Test::RageClicks(n) => f.counts().rage_clicks >= *n,
            Test::Searches { count, no_results } => {
                let c = f.counts();
                (if *no_results {
                    c.searches_no_results
                } else {
                    c.searches
                }) >= *count
            }
            Test::Answer { id, what } => {
                let shown = f.state.triggers.shown.iter().find(|a| &a.id == id);
                match what {
                    AnswerWhat::Seen => shown.is_some(),
                    AnswerWhat::Opened => shown.is_some_and(|a| a.opened),
                    AnswerWhat::Unhelpful => f.state.triggers.unhelpful.contains(id),
                }
            }
            Test::Logic(rule, _) => {
                logic::apply(rule, f.logic_context(now)).is_ok_and(|v| truthy(&v))
            }
            Test::All(_)
            | Test::Any(_)
            | Test::Not(_)
            | Test::DwellSeconds(_)
            | Test::SiteSeconds(_)
            | Test::IdleSeconds(_)
            | Test::Schedule(_) => self.due(f, now) == Due::Now,
        }
    }
}

impl ValueTest {
    /// Does `value` pass?
    pub fn matches(&self, value: Option<&Value>) -> bool {
        match (self, value) {
            (ValueTest::Exists(want), v) => v.is_some_and(|v| !v.is_null()) == *want,
            (_, None) => false,
            (ValueTest::Equals(w), Some(v)) => loose_eq(w, v),
            (ValueTest::In(ws), Some(v)) => ws.iter().any(|w| loose_eq(w, v)),
            (ValueTest::Gt(n), Some(v)) => v.as_f64().is_some_and(|x| x > *n),
            (ValueTest::Gte(n), Some(v)) => v.as_f64().is_some_and(|x| x >= *n),
            (ValueTest::Lt(n), Some(v)) => v.as_f64().is_some_and(|x| x < *n),
            (ValueTest::Lte(n), Some(v)) => v.as_f64().is_some_and(|x| x <= *n),
        }
    }
}

/// Numbers compare by value (1 equals 1.0); everything else exactly.
fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0 && !x.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(_) => true,
    }
}

fn sequence(f: &Facts, pages: &[PathPattern], within: Millis, now: Millis) -> bool {
    // Walk page views backwards matching the last pattern first, so the most
    // recent completion is found; it must end on the latest page view.
    let mut views = f
        .state
        .journey
        .steps()
        .iter()
        .rev()
        .filter(|s| s.kind == StepKind::PageView);
    let Some(last) = views.next() else {
        return false;
    };
    let Some((final_pattern, earlier)) = pages.split_last() else {
        return false;
    };
    if !final_pattern.matches(&last.path) {
        return false;
    }
    let mut want = earlier.len();
    let mut first_at = last.at;
    for v in views {
        if want == 0 || now.saturating_sub(v.at) > within {
            break;
        }
        if earlier[want - 1].matches(&v.path) {
            want -= 1;
            first_at = v.at;
        }
    }
    want == 0 && now.saturating_sub(first_at) <= within
}

/// The decoded value of query parameter `key`.
pub fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| v.replace('+', " "))
    })
}

/// `*` matches any run of characters; a pattern without `*` must match
/// exactly, or, when `contains` is set, appear anywhere.
pub fn glob(pattern: &str, text: &str, contains: bool) -> bool {
    if !pattern.contains('*') {
        return if contains {
            text.contains(pattern)
        } else {
            text == pattern
        };
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = parts.split_first().unwrap_or((&"", &[]));
    let Some(mut t) = text.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return true;
    };
    for piece in middle {
        match t.find(piece) {
            Some(i) => t = &t[i + piece.len()..],
            None => return false,
        }
    }
    t.len() >= last.len() && t.ends_with(last)
}

fn schedule_due(s: &Schedule, f: &Facts, now: Millis) -> Due {
    let Some(offset) = f.env.zone_offset(&s.zone) else {
        return Due::Never; // unknown zone: closed, never guessed
    };
    let local = now as i64 + offset * 60_000;
    let day_ms = 86_400_000i64;
    let days = local.div_euclid(day_ms);
    let minute = (local.rem_euclid(day_ms) / 60_000) as u32;
    let weekday = (days + 3).rem_euclid(7) as usize; // 1970-01-01 was a Thursday (index 3)
    if s.days[weekday] && minute >= s.from && minute < s.to {
        return Due::Now;
    }
    // The next opening, assuming the offset holds (the web layer refreshes it).
    for ahead in 0..8i64 {
        let d = (weekday as i64 + ahead).rem_euclid(7) as usize;
        if !s.days[d] || (ahead == 0 && minute >= s.from) {
            continue;
        }
        let open_local = (days + ahead) * day_ms + i64::from(s.from) * 60_000;
        let open_utc = open_local - offset * 60_000;
        return Due::At(open_utc.max(0) as Millis);
    }
    Due::Never
}

/// The conditions' keys, for documentation and hints.
pub fn keys() -> &'static [&'static str] {
    KEYS
}
