//! Walking an untrusted JSON document while collecting *every* problem, each
//! with its JSON Pointer path, a plain message and, where one helps, a hint.
//!
//! Config and answer parsing both read through [`Reader`], so they report
//! errors the same way: unknown keys are errors with a "did you mean" hint,
//! wrong types name what was expected.

use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// JSON Pointer (RFC 6901) to the offending value, e.g. `/triggers/0/when`.
    pub path: String,
    /// What is wrong, in plain language.
    pub message: String,
    /// A suggestion, e.g. ``did you mean `dwellSeconds`?``.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Every problem found in a document, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// True when nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The problems found.
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let path = if p.path.is_empty() { "/" } else { &p.path };
            write!(f, "{path}: {}", p.message)?;
            if let Some(h) = &p.hint {
                write!(f, " ({h})")?;
            }
        }
        Ok(())
    }
}

/// The largest config or answer document accepted, in bytes of JSON text
/// (the browser, the validator CLI and the native API agree on it).
pub const MAX_DOCUMENT: usize = 2 * 1024 * 1024;

/// A problem about the document as a whole (path `""`).
pub fn whole(message: impl Into<String>) -> Problem {
    Problem {
        path: String::new(),
        message: message.into(),
        hint: None,
    }
}

/// Parse untrusted JSON text. serde_json stops at 128 levels of nesting, so
/// no document can overflow the stack; that case gets its own message.
///
/// ```
/// use pathlight::validate::parse_json;
/// assert!(parse_json("{\"a\": 1}").is_ok());
/// assert!(parse_json("{").unwrap_err().message.starts_with("is not valid JSON"));
/// assert_eq!(parse_json(&"[".repeat(200)).unwrap_err().message, "is nested too deeply (more than 128 levels)");
/// ```
pub fn parse_json(text: &str) -> Result<Value, Problem> {
    serde_json::from_str(text).map_err(|e| {
        if e.to_string().contains("recursion limit") {
            whole("is nested too deeply (more than 128 levels)")
        } else {
            whole(format!("is not valid JSON: {e}"))
        }
    })
}

/// Collects problems while a document is read.
#[derive(Debug, Default)]
pub struct Reader {
    problems: Vec<Problem>,
}

/// A JSON Pointer under construction. Cheap to extend: paths are only turned
/// into strings when a problem is recorded.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    /// The document root.
    Root,
    /// A key below a parent.
    Key(&'a Path<'a>, &'a str),
    /// An array index below a parent.
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// The pointer as a string, escaping `~` and `/` as RFC 6901 says.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write(out);
                out.push('/');
                for c in key.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push('/');
                out.push_str(&i.to_string());
            }
        }
    }
}

/// The JSON type name used in messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Reader {
    /// A reader with no problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record a problem at `path`.
    pub fn problem(&mut self, path: &Path, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.render(),
            message: message.into(),
            hint: None,
        });
    }

    /// Record a problem with a hint.
    pub fn problem_hint(&mut self, path: &Path, message: impl Into<String>, hint: String) {
        self.problems.push(Problem {
            path: path.render(),
            message: message.into(),
            hint: Some(hint),
        });
    }

    /// Record a problem found by another checker.
    pub fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// Record a problem at an already rendered JSON Pointer.
    pub fn problem_at_hint(&mut self, path: String, message: impl Into<String>, hint: String) {
        self.problems.push(Problem {
            path,
            message: message.into(),
            hint: Some(hint),
        });
    }

    /// Record that `value` at `path` should have been `expected`.
    pub fn expected(&mut self, path: &Path, expected: &str, value: &Value) {
        self.problem(
            path,
            format!("expected {expected}, got {}", type_name(value)),
        );
    }

    /// The object at `path`, or a problem.
    pub fn object<'v>(&mut self, path: &Path, value: &'v Value) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(m) => Some(m),
            other => {
                self.expected(path, "an object", other);
                None
            }
        }
    }

    /// Report every key of `map` not in `known`, with the closest known key
    /// as a hint.
    pub fn unknown_keys(&mut self, path: &Path, map: &Map<String, Value>, known: &[&str]) {
        for key in map.keys() {
            if known.contains(&key.as_str()) {
                continue;
            }
            let at = Path::Key(path, key);
            let message = format!("unknown key `{key}`");
            match closest(key, known) {
                Some(k) => self.problem_hint(&at, message, format!("did you mean `{k}`?")),
                None => {
                    self.problem_hint(&at, message, format!("allowed keys: {}", known.join(", ")))
                }
            }
        }
    }

    /// A required string of at most `max` characters.
    pub fn string(&mut self, path: &Path, value: Option<&Value>, max: usize) -> Option<String> {
        match value {
            None => {
                self.problem(path, "is required");
                None
            }
            Some(v) => self.opt_string(path, Some(v), max),
        }
    }

    /// An optional string of at most `max` characters.
    pub fn opt_string(&mut self, path: &Path, value: Option<&Value>, max: usize) -> Option<String> {
        match value? {
            Value::String(s) if s.chars().count() > max => {
                self.problem(path, format!("is too long: at most {max} characters"));
                None
            }
            Value::String(s) => Some(s.clone()),
            other => {
                self.expected(path, "a string", other);
                None
            }
        }
    }

    /// A non-empty identifier: letters, digits, `-`, `_`, `.`, at most 64.
    pub fn id(&mut self, path: &Path, value: Option<&Value>) -> Option<String> {
        let s = self.string(path, value, 64)?;
        let ok = !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Some(s)
        } else {
            self.problem(path, "must be 1 to 64 letters, digits, `-`, `_` or `.`");
            None
        }
    }

    /// An optional whole number within `min..=max`.
    pub fn opt_uint(
        &mut self,
        path: &Path,
        value: Option<&Value>,
        min: u64,
        max: u64,
    ) -> Option<u64> {
        let v = value?;
        match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(_) => {
                self.problem(path, format!("must be between {min} and {max}"));
                None
            }
            None if v.is_number() => {
                self.problem(
                    path,
                    format!("must be a whole number between {min} and {max}"),
                );
                None
            }
            None => {
                self.expected(path, "a number", v);
                None
            }
        }
    }

    /// An optional array of strings, each at most `max` characters, at most
    /// `max_items` of them.
    pub fn opt_strings(
        &mut self,
        path: &Path,
        value: Option<&Value>,
        max: usize,
        max_items: usize,
    ) -> Vec<String> {
        let Some(v) = value else { return Vec::new() };
        let Value::Array(items) = v else {
            self.expected(path, "an array of strings", v);
            return Vec::new();
        };
        if items.len() > max_items {
            self.problem(
                path,
                format!("has {} items: at most {max_items} allowed", items.len()),
            );
            return Vec::new();
        }
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.opt_string(&Path::Index(path, i), Some(item), max))
            .collect()
    }

    /// Check the document's `version` field, which must equal `1`.
    pub fn version(&mut self, path: &Path, value: Option<&Value>) {
        let at = Path::Key(path, "version");
        match value {
            None => self.problem_hint(&at, "is required", "add \"version\": 1".into()),
            Some(v) if v.as_u64() == Some(1) => {}
            Some(v) => self.problem_hint(
                &at,
                format!("unsupported version {v}"),
                "this release reads version 1".into(),
            ),
        }
    }

    /// Finish: `Ok` when no problem was recorded.
    pub fn finish<T>(self, value: T) -> Result<T, Problems> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(Problems(self.problems))
        }
    }
}

/// The known key closest to `key`: equal ignoring case, a likely typo (small
/// edit distance), or a known key that `key` is the start of (`dwel` ->
/// `dwellSeconds`).
pub fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = key.to_lowercase();
    let typo = known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k);
    typo.or_else(|| {
        (lower.chars().count() >= 3)
            .then(|| {
                known
                    .iter()
                    .find(|k| k.to_lowercase().starts_with(&lower))
                    .copied()
            })
            .flatten()
    })
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_tilde_and_slash() {
        let root = Path::Root;
        let a = Path::Key(&root, "a/b~c");
        let b = Path::Index(&a, 3);
        assert_eq!(b.render(), "/a~1b~0c/3");
    }

    #[test]
    fn closest_key_suggests_typos_only() {
        let known = ["maxPerSession", "dwellSeconds", "page"];
        assert_eq!(closest("maxPerSesion", &known), Some("maxPerSession"));
        assert_eq!(closest("DwellSeconds", &known), Some("dwellSeconds"));
        assert_eq!(closest("dwel", &known), Some("dwellSeconds"));
        assert_eq!(closest("colour", &known), None);
        assert_eq!(closest("pa", &known), None);
    }
}
