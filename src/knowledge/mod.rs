//! Help answers: the answer document (`"version": 1`), freshness, locales,
//! search and choosing which answers a nudge shows.
//!
//! * [`Knowledge::from_json`] validates an answer document (every problem,
//!   with its JSON Pointer path) and builds the search index.
//! * [`Knowledge::search`] ranks answers for a typed question (prefix
//!   matching of the last word, one typo in longer words).
//! * [`Knowledge::suggest`] ranks answers from the journey alone (a
//!   [`Context`]): the page, form errors, the last search, recent events.
//! * [`Knowledge::select`] picks a nudge's answers for a trigger.
//!
//! Text processing lives in [`text`], the inverted index in [`index`].

mod context;
pub mod index;
mod parse;
pub mod text;

pub use context::{Context, Signal};

use crate::error::Error;
use crate::rules::pattern::PathPattern;
use crate::rules::Trigger;
use crate::time::Millis;
use crate::validate::Problems;
use index::Index;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// Most answers one document may hold.
pub const MAX_ANSWERS: usize = 2000;
/// Longest answer body, in characters.
pub const MAX_BODY: usize = 20_000;
/// Most answers a nudge shows.
pub const NUDGE_ANSWERS: usize = 3;
/// The locale of an answer document that names none.
///
/// ```
/// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": []}"#).unwrap();
/// assert_eq!(k.locale(), pathlight::knowledge::DEFAULT_LOCALE);
/// ```
pub const DEFAULT_LOCALE: &str = "en";
/// One day in milliseconds.
///
/// ```
/// assert_eq!(pathlight::knowledge::DAY_MS, 24 * 60 * 60 * 1000);
/// ```
pub const DAY_MS: Millis = 86_400_000;

/// One help answer.
///
/// ```
/// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
///   {"id": "returns", "title": "Returns", "body": "Within 30 days.",
///    "questions": ["Can I send it back?"], "reviewedAt": "2025-01-01", "reviewEveryDays": 90}
/// ]}"#).unwrap();
/// let a = k.get("returns").unwrap();
/// assert_eq!(a.questions, ["Can I send it back?"]);
/// assert_eq!(a.review_every_days, Some(90));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    /// Unique id.
    pub id: String,
    /// Title, shown in lists.
    pub title: String,
    /// Body text (a safe markdown subset; never rendered as HTML).
    pub body: String,
    /// A page with more detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Tags triggers can choose answers by.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Page patterns the answer is relevant to.
    #[serde(skip)]
    pub pages: Vec<PathPattern>,
    /// Other ways visitors ask the question this answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    /// The answer in other locales, in document order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<Translation>,
    /// When the answer was last reviewed: midnight UTC of that day.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_date"
    )]
    pub reviewed_at: Option<Millis>,
    /// How many days after `reviewed_at` the answer needs another review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_every_days: Option<u32>,
    /// The first day (midnight UTC) on which the answer is out of date.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_date"
    )]
    pub expires_at: Option<Millis>,
}

fn serialize_date<S: Serializer>(ms: &Option<Millis>, s: S) -> Result<S::Ok, S::Error> {
    match ms {
        Some(ms) => s.serialize_str(crate::time::iso8601(*ms).get(..10).unwrap_or_default()),
        None => s.serialize_none(),
    }
}

/// An answer's text in another locale.
///
/// ```
/// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [{"id": "a", "title": "Hi",
///   "body": "B", "translations": {"ms": {"title": "Hai", "body": "B", "questions": ["Apa?"]}}}]}"#).unwrap();
/// let t = &k.get("a").unwrap().translations[0];
/// assert_eq!((t.locale.as_str(), t.title.as_str()), ("ms", "Hai"));
/// assert_eq!(t.questions, ["Apa?"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Translation {
    /// The locale, as written in the document (`he`, `pt-BR`).
    pub locale: String,
    /// Translated title.
    pub title: String,
    /// Translated body.
    pub body: String,
    /// Translated alternative questions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
}

impl Translation {
    /// The text of this translation.
    fn localized(&self) -> Localized<'_> {
        Localized {
            locale: &self.locale,
            title: &self.title,
            body: &self.body,
            questions: &self.questions,
        }
    }
}

/// An answer's text in one locale, as [`Knowledge::localized`] picks it.
///
/// ```
/// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [{"id": "a", "title": "Hi",
///   "body": "Hello", "questions": ["Hey?"]}]}"#).unwrap();
/// let l = k.localized("a", &["en-GB"]).unwrap();
/// assert_eq!((l.locale, l.title, l.body), ("en", "Hi", "Hello"));
/// assert_eq!(l.questions, ["Hey?"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Localized<'a> {
    /// The locale of this text.
    pub locale: &'a str,
    /// Title.
    pub title: &'a str,
    /// Body.
    pub body: &'a str,
    /// Alternative questions.
    pub questions: &'a [String],
}

impl Answer {
    /// A minimal answer, for building a knowledge base in code.
    ///
    /// ```
    /// let a = pathlight::knowledge::Answer::new("pin", "Forgot your PIN?", "Reset it in the app.");
    /// assert_eq!(a.id, "pin");
    /// assert!(a.questions.is_empty());
    /// ```
    pub fn new(id: &str, title: &str, body: &str) -> Answer {
        Answer {
            id: id.to_string(),
            title: title.to_string(),
            body: body.to_string(),
            url: None,
            tags: Vec::new(),
            pages: Vec::new(),
            questions: Vec::new(),
            translations: Vec::new(),
            reviewed_at: None,
            review_every_days: None,
            expires_at: None,
        }
    }

    /// When the answer goes out of date: the earlier of its review due date
    /// and `expires_at`, if it has either.
    ///
    /// ```
    /// let mut a = pathlight::knowledge::Answer::new("a", "A", "B");
    /// a.reviewed_at = Some(0);
    /// a.review_every_days = Some(2);
    /// assert_eq!(a.due_at(), Some(2 * pathlight::knowledge::DAY_MS));
    /// ```
    pub fn due_at(&self) -> Option<Millis> {
        let review = match (self.reviewed_at, self.review_every_days) {
            (Some(at), Some(days)) => Some(at.saturating_add(Millis::from(days) * DAY_MS)),
            _ => None,
        };
        match (review, self.expires_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Is the answer out of date at `now_ms`? A stale answer is never shown
    /// proactively; search shows it flagged.
    ///
    /// ```
    /// let mut a = pathlight::knowledge::Answer::new("a", "A", "B");
    /// assert!(!a.is_stale(u64::MAX));
    /// a.expires_at = Some(1_000);
    /// assert!(!a.is_stale(999));
    /// assert!(a.is_stale(1_000));
    /// ```
    pub fn is_stale(&self, now_ms: Millis) -> bool {
        self.due_at().is_some_and(|due| now_ms >= due)
    }

    /// The translation for exactly this locale (ignoring case), if any.
    ///
    /// ```
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [{"id": "a",
    ///   "title": "Hello", "body": "Hi", "translations": {"he": {"title": "שלום", "body": "היי"}}}]}"#).unwrap();
    /// assert_eq!(k.get("a").unwrap().translation("HE").unwrap().title, "שלום");
    /// ```
    pub fn translation(&self, locale: &str) -> Option<&Translation> {
        self.translations
            .iter()
            .find(|t| t.locale.eq_ignore_ascii_case(locale))
    }
}

/// A search or suggestion result.
///
/// ```
/// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
///   {"id": "a", "title": "Lost card", "body": "Freeze it.", "expiresAt": "2020-01-01"}]}"#).unwrap();
/// let hit = &k.search("lost card", "en", 1_700_000_000_000, 1)[0];
/// assert_eq!(hit.id, "a");
/// assert!(hit.score > 0.0);
/// assert!(hit.stale);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The answer's id.
    pub id: String,
    /// Relevance; only comparable within one result list.
    pub score: f32,
    /// The answer is out of date (search only: suggestions never are).
    pub stale: bool,
}

/// Field weights and ranking parameters. [`Settings::default`] is what
/// Pathlight ships, tuned on a split of Banking77's *training* questions
/// (see `docs/knowledge.md`).
///
/// ```
/// let mut k = pathlight::Knowledge::default();
/// let mut s = *k.settings();
/// s.stale_in_search = false;
/// k.set_settings(s);
/// assert!(!k.settings().stale_in_search);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Weight of a title word.
    pub title: f32,
    /// Weight of a word in the alternative questions.
    pub questions: f32,
    /// Weight of a tag word.
    pub tags: f32,
    /// Weight of a body word.
    pub body: f32,
    /// Weight of the best single matching question (or title), added to the
    /// whole-answer score.
    pub best_question: f32,
    /// BM25 term-frequency saturation.
    pub k1: f32,
    /// BM25 length normalisation, 0 to 1.
    pub b: f32,
    /// Weight of a word matched with one typo.
    pub typo: f32,
    /// Weight of a word completed from a typed prefix.
    pub prefix: f32,
    /// Search returns stale answers (flagged); when false it leaves them out.
    pub stale_in_search: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            title: 2.0,
            questions: 1.0,
            tags: 1.0,
            body: 0.5,
            best_question: 0.5,
            k1: 1.2,
            b: 0.75,
            typo: 0.5,
            prefix: 0.6,
            stale_in_search: true,
        }
    }
}

/// A validated answer set and its search index.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    answers: Vec<Answer>,
    locale: String,
    index: Index,
    settings: Settings,
}

impl PartialEq for Knowledge {
    fn eq(&self, other: &Self) -> bool {
        self.answers == other.answers
            && self.locale() == other.locale()
            && self.settings == other.settings
    }
}

impl Knowledge {
    /// Parse and validate an answer document, then index it.
    ///
    /// ```
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
    ///   {"id": "returns", "title": "How do I return an item?", "body": "Within 30 days.", "tags": ["returns"]}
    /// ]}"#).unwrap();
    /// assert_eq!(k.get("returns").unwrap().title, "How do I return an item?");
    /// ```
    pub fn from_json(text: &str) -> Result<Knowledge, Error> {
        let value =
            crate::validate::parse_json(text).map_err(|p| Error::Answers(Problems(vec![p])))?;
        Knowledge::from_value(&value)
    }

    /// Validate an already parsed answer document, then index it.
    ///
    /// ```
    /// let err = pathlight::Knowledge::from_value(&serde_json::json!({"version": 1})).unwrap_err();
    /// assert_eq!(err.problems().unwrap().0[0].path, "/answers");
    /// ```
    pub fn from_value(value: &Value) -> Result<Knowledge, Error> {
        let (locale, answers, stale_in_search) = parse::document(value).map_err(Error::Answers)?;
        let mut k = Knowledge::from_answers(locale, answers);
        if !stale_in_search {
            let mut s = *k.settings();
            s.stale_in_search = false;
            k.set_settings(s);
        }
        Ok(k)
    }

    /// A knowledge base from answers built in code (not validated), their
    /// untranslated text in `locale`.
    ///
    /// ```
    /// use pathlight::knowledge::{Answer, Knowledge};
    /// let k = Knowledge::from_answers("en".into(), vec![Answer::new("a", "Lost card", "Freeze it.")]);
    /// assert_eq!(k.search("lost", "en", 0, 5)[0].id, "a");
    /// ```
    pub fn from_answers(locale: String, answers: Vec<Answer>) -> Knowledge {
        let mut k = Knowledge {
            answers,
            locale,
            index: Index::default(),
            settings: Settings::default(),
        };
        k.index = Index::build(&k.answers, k.locale());
        k.index.prepare(&k.settings);
        k
    }

    /// All answers, in document order.
    ///
    /// ```
    /// assert!(pathlight::Knowledge::default().answers().is_empty());
    /// ```
    pub fn answers(&self) -> &[Answer] {
        &self.answers
    }

    /// The answer with this id.
    ///
    /// ```
    /// assert!(pathlight::Knowledge::default().get("nope").is_none());
    /// ```
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.id == id)
    }

    /// The locale of the answers' untranslated text (`"locale"` in the
    /// document, else [`DEFAULT_LOCALE`]).
    ///
    /// ```
    /// assert_eq!(pathlight::Knowledge::default().locale(), "en");
    /// ```
    pub fn locale(&self) -> &str {
        if self.locale.is_empty() {
            DEFAULT_LOCALE
        } else {
            &self.locale
        }
    }

    /// The search index (for its size and statistics).
    ///
    /// ```
    /// assert_eq!(pathlight::Knowledge::default().index().heap_bytes(), 0);
    /// ```
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The ranking settings in use.
    ///
    /// ```
    /// assert!(pathlight::Knowledge::default().settings().stale_in_search);
    /// ```
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Change the ranking settings (no re-indexing needed).
    ///
    /// ```
    /// let mut k = pathlight::Knowledge::default();
    /// let mut s = *k.settings();
    /// s.title = 3.0;
    /// k.set_settings(s);
    /// assert_eq!(k.settings().title, 3.0);
    /// ```
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
        self.index.prepare(&self.settings);
    }

    /// Add an answer, or replace the one with the same id (keeping its
    /// place), and update the index. Returns the replaced answer.
    ///
    /// ```
    /// use pathlight::knowledge::{Answer, Knowledge};
    /// let mut k = Knowledge::default();
    /// assert!(k.upsert(Answer::new("a", "Lost card", "Freeze it.")).is_none());
    /// assert!(k.upsert(Answer::new("a", "Stolen card", "Freeze it.")).is_some());
    /// assert_eq!(k.search("stolen", "en", 0, 5)[0].id, "a");
    /// assert!(k.search("lost", "en", 0, 5).is_empty());
    /// ```
    pub fn upsert(&mut self, answer: Answer) -> Option<Answer> {
        let locale = self.locale().to_string();
        let old = match self.answers.iter().position(|a| a.id == answer.id) {
            Some(i) => {
                self.index.replace(i, &answer, &locale);
                Some(std::mem::replace(&mut self.answers[i], answer))
            }
            None => {
                self.index.push(&answer, &locale);
                self.answers.push(answer);
                None
            }
        };
        self.index.prepare(&self.settings);
        old
    }

    /// Remove the answer with this id and update the index.
    ///
    /// ```
    /// use pathlight::knowledge::{Answer, Knowledge};
    /// let mut k = Knowledge::from_answers("en".into(), vec![
    ///     Answer::new("a", "Lost card", "Freeze it."), Answer::new("b", "Lost phone", "Log out.")]);
    /// assert!(k.remove("a").is_some());
    /// assert_eq!(k.search("lost", "en", 0, 5).len(), 1);
    /// ```
    pub fn remove(&mut self, id: &str) -> Option<Answer> {
        let i = self.answers.iter().position(|a| a.id == id)?;
        self.index.delete(i);
        self.index.prepare(&self.settings);
        Some(self.answers.remove(i))
    }

    /// The answers out of date at `now_ms`, in document order, for teams to
    /// review.
    ///
    /// ```
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
    ///   {"id": "old", "title": "Old", "body": "B", "expiresAt": "2024-01-01"},
    ///   {"id": "new", "title": "New", "body": "B"}]}"#).unwrap();
    /// let jan_2 = 1_704_153_600_000;
    /// assert_eq!(k.stale(jan_2)[0].id, "old");
    /// assert_eq!(k.stale(0).len(), 0);
    /// ```
    pub fn stale(&self, now_ms: Millis) -> Vec<&Answer> {
        self.answers.iter().filter(|a| a.is_stale(now_ms)).collect()
    }

    /// The answer's text for a visitor who prefers `locales` (most preferred
    /// first, as in `navigator.languages`). Each locale is tried along its
    /// fallback chain (`he-IL`, then `he`, then any `he-*`); the document's
    /// default text is used when none matches.
    ///
    /// ```
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [{"id": "a",
    ///   "title": "Hello", "body": "Hi", "translations": {"he": {"title": "שלום", "body": "היי"}}}]}"#).unwrap();
    /// assert_eq!(k.localized("a", &["he-IL"]).unwrap().title, "שלום");
    /// assert_eq!(k.localized("a", &["fr-CA", "en"]).unwrap().title, "Hello");
    /// assert_eq!(k.localized("a", &[]).unwrap().locale, "en");
    /// ```
    pub fn localized(&self, id: &str, locales: &[&str]) -> Option<Localized<'_>> {
        let a = self.get(id)?;
        let base = Localized {
            locale: self.locale(),
            title: &a.title,
            body: &a.body,
            questions: &a.questions,
        };
        for want in locales {
            let mut tag: &str = want;
            loop {
                if same_language_tag(tag, self.locale()) {
                    return Some(base);
                }
                if let Some(t) = a.translation(tag) {
                    return Some(t.localized());
                }
                match tag.rfind('-') {
                    Some(cut) => tag = &tag[..cut],
                    None => break,
                }
            }
            // `he` also takes `he-IL` when that is the only Hebrew text.
            if let Some(t) = a
                .translations
                .iter()
                .find(|t| primary(&t.locale).eq_ignore_ascii_case(tag))
            {
                return Some(t.localized());
            }
            if primary(self.locale()).eq_ignore_ascii_case(tag) {
                return Some(base);
            }
        }
        Some(base)
    }

    /// Rank answers for a visitor's typed question. The last word counts as a
    /// prefix while the visitor is still typing it (no space or punctuation
    /// after it); words of 5 or more letters also match with one typo. Stale
    /// answers come back flagged (or not at all when
    /// [`Settings::stale_in_search`] is off). At most `k` hits, best first.
    ///
    /// ```
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
    ///   {"id": "declined", "title": "Why was my card declined?", "body": "Check the address."},
    ///   {"id": "refund", "title": "How do refunds work?", "body": "Within 5 days."}]}"#).unwrap();
    /// assert_eq!(k.search("card declnied", "en", 0, 3)[0].id, "declined");
    /// assert_eq!(k.search("refu", "en", 0, 3)[0].id, "refund");
    /// ```
    pub fn search(&self, query: &str, locale: &str, now_ms: Millis, k: usize) -> Vec<Hit> {
        let prefix = query
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric());
        let q = index::Query::new(query, prefix, 1.0);
        let scores = self.index.score(&[q], locale, &self.settings);
        let stale_ok = self.settings.stale_in_search;
        self.top(scores, k, |a| stale_ok || !a.is_stale(now_ms), now_ms)
    }

    /// Rank answers from the journey alone: what the visitor is likely to
    /// look for next. Stale answers and answers rated unhelpful are never
    /// suggested; answers already read rank lower. Only answers with some
    /// signal (a matching word, tag or page) are returned.
    ///
    /// ```
    /// use pathlight::knowledge::{Context, Signal};
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
    ///   {"id": "declined", "title": "Why was my card declined?", "body": "Check the address.", "pages": ["/checkout"]},
    ///   {"id": "methods", "title": "Which payment methods work?", "body": "Visa.", "pages": ["/checkout"]}]}"#).unwrap();
    /// let ctx = Context {
    ///     path: "/checkout".into(),
    ///     form_errors: vec![Signal::new("Your card was declined", 1.0)],
    ///     ..Context::default()
    /// };
    /// assert_eq!(k.suggest(&ctx, 0, 3)[0].id, "declined");
    /// ```
    pub fn suggest(&self, ctx: &Context, now_ms: Millis, k: usize) -> Vec<Hit> {
        let scores = context::scores(self, ctx);
        self.top(scores, k, |a| !a.is_stale(now_ms), now_ms)
    }

    fn top(
        &self,
        scores: Vec<f32>,
        k: usize,
        keep: impl Fn(&Answer) -> bool,
        now_ms: Millis,
    ) -> Vec<Hit> {
        let ranked = index::top_k(
            scores
                .into_iter()
                .enumerate()
                .filter(|&(i, s)| s > 0.0 && self.answers.get(i).is_some_and(&keep))
                .map(|(i, s)| (i as u32, s)),
            k,
        );
        ranked
            .into_iter()
            .map(|(i, score)| {
                let a = &self.answers[i as usize];
                Hit {
                    id: a.id.clone(),
                    score,
                    stale: a.is_stale(now_ms),
                }
            })
            .collect()
    }

    /// The answers a nudge from `trigger` shows on `path`: the trigger's
    /// listed answers first, then answers sharing one of its tags, the ones
    /// relevant to this page first. At most [`NUDGE_ANSWERS`]. This does not
    /// know the time, so it cannot leave out stale answers: prefer
    /// [`Knowledge::select`].
    ///
    /// ```
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
    ///   {"id": "a", "title": "A", "body": "B", "tags": ["pay"]},
    ///   {"id": "b", "title": "B", "body": "B", "tags": ["pay"], "pages": ["/checkout"]}]}"#).unwrap();
    /// let when = pathlight::rules::Condition { path: "/when".into(), test: pathlight::rules::condition::Test::All(vec![]) };
    /// let t = pathlight::rules::Trigger { id: "t".into(), path: "/triggers/0".into(), when,
    ///     message: "m".into(), answers: vec![], tags: vec!["pay".into()], delivery: Default::default() };
    /// let ids: Vec<_> = k.for_trigger(&t, "/checkout").iter().map(|a| a.id.as_str()).collect();
    /// assert_eq!(ids, ["b", "a"]);
    /// ```
    pub fn for_trigger(&self, trigger: &Trigger, path: &str) -> Vec<&Answer> {
        let ctx = Context {
            path: path.to_string(),
            ..Context::default()
        };
        self.pick(trigger, &ctx, None)
    }

    /// The answers a nudge from `trigger` shows given the visitor's context
    /// at `now_ms`: the trigger's listed answers first, then answers sharing
    /// one of its tags ranked by [`Knowledge::suggest`]'s signals; a trigger
    /// with neither lists the best suggestions. Stale answers and answers
    /// rated unhelpful are left out. At most [`NUDGE_ANSWERS`].
    ///
    /// ```
    /// use pathlight::knowledge::Context;
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
    ///   {"id": "a", "title": "A", "body": "B", "tags": ["pay"], "expiresAt": "2020-01-01"},
    ///   {"id": "b", "title": "B", "body": "B", "tags": ["pay"]}]}"#).unwrap();
    /// let when = pathlight::rules::Condition { path: "/when".into(), test: pathlight::rules::condition::Test::All(vec![]) };
    /// let t = pathlight::rules::Trigger { id: "t".into(), path: "/triggers/0".into(), when,
    ///     message: "m".into(), answers: vec!["a".into()], tags: vec!["pay".into()], delivery: Default::default() };
    /// let now = 1_700_000_000_000;
    /// let ids: Vec<_> = k.select(&t, &Context::default(), now).iter().map(|a| a.id.as_str()).collect();
    /// assert_eq!(ids, ["b"]);
    /// ```
    pub fn select(&self, trigger: &Trigger, ctx: &Context, now_ms: Millis) -> Vec<&Answer> {
        self.pick(trigger, ctx, Some(now_ms))
    }

    fn pick(&self, trigger: &Trigger, ctx: &Context, now_ms: Option<Millis>) -> Vec<&Answer> {
        let ok = |a: &Answer| {
            now_ms.is_none_or(|now| !a.is_stale(now)) && !ctx.unhelpful.contains(&a.id)
        };
        let mut out: Vec<&Answer> = Vec::new();
        for a in trigger.answers.iter().filter_map(|id| self.get(id)) {
            if ok(a) && !out.iter().any(|o| o.id == a.id) {
                out.push(a);
            }
        }
        if out.len() >= NUDGE_ANSWERS {
            out.truncate(NUDGE_ANSWERS);
            return out;
        }
        let untagged = trigger.tags.is_empty();
        if untagged && !trigger.answers.is_empty() {
            return out;
        }
        let mut ctx = ctx.clone();
        ctx.tags.extend(trigger.tags.iter().cloned());
        let scores = context::scores(self, &ctx);
        let rest = index::top_k(
            self.answers
                .iter()
                .enumerate()
                .filter(|(_, a)| ok(a) && !out.iter().any(|o| o.id == a.id))
                .filter(|(_, a)| untagged || a.tags.iter().any(|t| trigger.tags.contains(t)))
                .map(|(i, _)| (i as u32, scores.get(i).copied().unwrap_or(0.0)))
                .filter(|&(_, s)| !untagged || s > 0.0),
            NUDGE_ANSWERS - out.len(),
        );
        out.extend(rest.into_iter().map(|(i, _)| &self.answers[i as usize]));
        out.truncate(NUDGE_ANSWERS);
        out
    }
}

/// The primary language subtag of a locale (`he` of `he-IL`).
fn primary(locale: &str) -> &str {
    locale.split(['-', '_']).next().unwrap_or(locale)
}

fn same_language_tag(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}
