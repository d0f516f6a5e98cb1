//! Help answers: the answer document (`"version": 1`) and choosing which
//! answers a nudge shows.

use crate::error::Error;
use crate::rules::pattern::PathPattern;
use crate::rules::Trigger;
use crate::validate::{Path, Problem, Problems, Reader};
use serde::Serialize;
use serde_json::Value;

/// Most answers one document may hold.
pub const MAX_ANSWERS: usize = 2000;
/// Longest answer body, in characters.
pub const MAX_BODY: usize = 20_000;
/// Most answers a nudge shows.
pub const NUDGE_ANSWERS: usize = 3;

/// One help answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
}

/// A validated answer set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Knowledge {
    answers: Vec<Answer>,
}

const TOP_KEYS: &[&str] = &["$schema", "version", "answers"];
const ANSWER_KEYS: &[&str] = &["id", "title", "body", "url", "tags", "pages"];

impl Knowledge {
    /// Parse and validate an answer document.
    ///
    /// ```
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
    ///   {"id": "returns", "title": "How do I return an item?", "body": "Within 30 days.", "tags": ["returns"]}
    /// ]}"#).unwrap();
    /// assert_eq!(k.get("returns").unwrap().title, "How do I return an item?");
    /// ```
    pub fn from_json(text: &str) -> Result<Knowledge, Error> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::Answers(Problems(vec![Problem {
                path: String::new(),
                message: format!("is not valid JSON: {e}"),
                hint: None,
            }]))
        })?;
        Knowledge::from_value(&value)
    }

    /// Validate an already parsed answer document.
    pub fn from_value(value: &Value) -> Result<Knowledge, Error> {
        parse(value).map_err(Error::Answers)
    }

    /// All answers, in document order.
    pub fn answers(&self) -> &[Answer] {
        &self.answers
    }

    /// The answer with this id.
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.id == id)
    }

    /// The answers a nudge from `trigger` shows on `path`: the trigger's
    /// listed answers first, then answers sharing one of its tags, the ones
    /// relevant to this page first. At most [`NUDGE_ANSWERS`].
    pub fn for_trigger(&self, trigger: &Trigger, path: &str) -> Vec<&Answer> {
        let mut out: Vec<&Answer> = trigger
            .answers
            .iter()
            .filter_map(|id| self.get(id))
            .collect();
        let mut tagged: Vec<&Answer> = self
            .answers
            .iter()
            .filter(|a| a.tags.iter().any(|t| trigger.tags.contains(t)))
            .filter(|a| !out.iter().any(|o| o.id == a.id))
            .collect();
        tagged.sort_by_key(|a| !a.pages.iter().any(|p| p.matches(path)));
        out.extend(tagged);
        out.truncate(NUDGE_ANSWERS);
        out
    }
}

fn parse(value: &Value) -> Result<Knowledge, Problems> {
    let mut r = Reader::new();
    let root = Path::Root;
    let mut k = Knowledge::default();
    if let Some(top) = r.object(&root, value) {
        r.unknown_keys(&root, top, TOP_KEYS);
        r.version(&root, top.get("version"));
        let at = Path::Key(&root, "answers");
        match top.get("answers") {
            None => r.problem(&at, "is required"),
            Some(Value::Array(items)) if items.len() > MAX_ANSWERS => r.problem(
                &at,
                format!("has {} answers: at most {MAX_ANSWERS} allowed", items.len()),
            ),
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let p = Path::Index(&at, i);
                    if let Some(a) = answer(&mut r, &p, item) {
                        if k.get(&a.id).is_some() {
                            r.problem(
                                &Path::Key(&p, "id"),
                                format!("duplicate answer id `{}`", a.id),
                            );
                        }
                        k.answers.push(a);
                    }
                }
            }
            Some(other) => r.expected(&at, "an array of answers", other),
        }
    }
    r.finish(k)
}

fn answer(r: &mut Reader, at: &Path, value: &Value) -> Option<Answer> {
    let map = r.object(at, value)?;
    r.unknown_keys(at, map, ANSWER_KEYS);
    let id = r.id(&Path::Key(at, "id"), map.get("id"));
    let title = r.string(&Path::Key(at, "title"), map.get("title"), 200);
    let body = r.string(&Path::Key(at, "body"), map.get("body"), MAX_BODY);
    let url_at = Path::Key(at, "url");
    let url = r.opt_string(&url_at, map.get("url"), 2048);
    if let Some(u) = &url {
        if !(u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/')) {
            r.problem(
                &url_at,
                "must be an http(s) address or a path starting with `/`",
            );
        }
    }
    let tags = r.opt_strings(&Path::Key(at, "tags"), map.get("tags"), 64, 20);
    let pages_at = Path::Key(at, "pages");
    let mut pages = Vec::new();
    for (i, s) in r
        .opt_strings(&pages_at, map.get("pages"), 512, 50)
        .iter()
        .enumerate()
    {
        match PathPattern::parse(s) {
            Ok(p) => pages.push(p),
            Err(msg) => r.problem(&Path::Index(&pages_at, i), msg),
        }
    }
    Some(Answer {
        id: id?,
        title: title?,
        body: body?,
        url,
        tags,
        pages,
    })
}
