//! Reading and validating the answer document: every problem, each with its
//! JSON Pointer path and, where one helps, a hint.

use super::{Answer, Translation, DAY_MS, MAX_ANSWERS, MAX_BODY};
use crate::rules::pattern::PathPattern;
use crate::time::Millis;
use crate::validate::{Path, Problems, Reader};
use serde_json::Value;

const TOP_KEYS: &[&str] = &["$schema", "version", "locale", "staleInSearch", "answers"];
const ANSWER_KEYS: &[&str] = &[
    "id",
    "title",
    "body",
    "url",
    "tags",
    "pages",
    "questions",
    "translations",
    "reviewedAt",
    "reviewEveryDays",
    "expiresAt",
];
const TRANSLATION_KEYS: &[&str] = &["title", "body", "questions"];
/// Longest title, in characters.
const MAX_TITLE: usize = 200;
/// Longest alternative question, in characters.
const MAX_QUESTION: usize = 500;
/// Most alternative questions per answer (and per translation).
const MAX_QUESTIONS: usize = 100;
/// Most translations per answer.
const MAX_TRANSLATIONS: usize = 50;
/// Longest review interval, in days (10 years).
const MAX_REVIEW_DAYS: u64 = 3650;

/// Validate a whole document: its default locale and its answers.
/// A parsed answer document: the untranslated text's locale, the answers,
/// and whether search may show stale answers (marked).
pub(super) type Document = (String, Vec<Answer>, bool);

pub(super) fn document(value: &Value) -> Result<Document, Problems> {
    let mut r = Reader::new();
    let root = Path::Root;
    let mut answers: Vec<Answer> = Vec::new();
    let mut locale = super::DEFAULT_LOCALE.to_string();
    let mut stale_in_search = true;
    if let Some(top) = r.object(&root, value) {
        if let Some(v) = top.get("staleInSearch") {
            match v.as_bool() {
                Some(b) => stale_in_search = b,
                None => r.expected(&Path::Key(&root, "staleInSearch"), "true or false", v),
            }
        }
        r.unknown_keys(&root, top, TOP_KEYS);
        r.version(&root, top.get("version"));
        let locale_at = Path::Key(&root, "locale");
        if let Some(l) = r.opt_string(&locale_at, top.get("locale"), 35) {
            if language_tag(&mut r, &locale_at, &l) {
                locale = l;
            }
        }
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
                    if let Some(a) = answer(&mut r, &p, item, &locale) {
                        if let Some(first) = answers.iter().position(|o| o.id == a.id) {
                            r.problem_hint(
                                &Path::Key(&p, "id"),
                                format!("duplicate answer id `{}`", a.id),
                                format!("`/answers/{first}` already uses it"),
                            );
                        }
                        answers.push(a);
                    }
                }
            }
            Some(other) => r.expected(&at, "an array of answers", other),
        }
    }
    r.finish((locale, answers, stale_in_search))
}

fn answer(r: &mut Reader, at: &Path, value: &Value, locale: &str) -> Option<Answer> {
    let map = r.object(at, value)?;
    r.unknown_keys(at, map, ANSWER_KEYS);
    let id = r.id(&Path::Key(at, "id"), map.get("id"));
    let title = text(r, &Path::Key(at, "title"), map.get("title"), MAX_TITLE);
    let body = text(r, &Path::Key(at, "body"), map.get("body"), MAX_BODY);
    let url_at = Path::Key(at, "url");
    let url = r.opt_string(&url_at, map.get("url"), 2048);
    if let Some(u) = &url {
        // The widget only links what `is_safe_link` accepts (it refuses
        // protocol-relative `//host`); of those, answers link web pages.
        let web = u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/');
        if !(web && crate::links::is_safe_link(u)) {
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
    let questions = questions(r, &Path::Key(at, "questions"), map.get("questions"));
    let translations = translations(
        r,
        &Path::Key(at, "translations"),
        map.get("translations"),
        locale,
    );
    let reviewed_at = date(r, &Path::Key(at, "reviewedAt"), map.get("reviewedAt"));
    let every_at = Path::Key(at, "reviewEveryDays");
    let every = r
        .opt_uint(&every_at, map.get("reviewEveryDays"), 1, MAX_REVIEW_DAYS)
        .map(|d| d as u32);
    if every.is_some() && !map.contains_key("reviewedAt") {
        r.problem_hint(
            &every_at,
            "needs `reviewedAt`",
            "add \"reviewedAt\": \"YYYY-MM-DD\", the day the answer was last checked".into(),
        );
    }
    let expires_at_path = Path::Key(at, "expiresAt");
    let expires_at = date(r, &expires_at_path, map.get("expiresAt"));
    if let (Some(reviewed), Some(expires)) = (reviewed_at, expires_at) {
        if expires <= reviewed {
            r.problem(&expires_at_path, "must be after `reviewedAt`");
        }
    }
    Some(Answer {
        id: id?,
        title: title?,
        body: body?,
        url,
        tags,
        pages,
        questions,
        translations: translations?,
        reviewed_at,
        review_every_days: every,
        expires_at,
    })
}

/// A required, non-blank string.
fn text(r: &mut Reader, at: &Path, value: Option<&Value>, max: usize) -> Option<String> {
    let s = r.string(at, value, max)?;
    if s.trim().is_empty() {
        r.problem(at, "must not be empty");
        return None;
    }
    Some(s)
}

fn questions(r: &mut Reader, at: &Path, value: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = value else {
        return r.opt_strings(at, value, MAX_QUESTION, MAX_QUESTIONS);
    };
    let all = r.opt_strings(at, value, MAX_QUESTION, MAX_QUESTIONS);
    for (i, q) in items.iter().enumerate() {
        if q.as_str().is_some_and(|s| s.trim().is_empty()) {
            r.problem(&Path::Index(at, i), "must not be empty");
        }
    }
    all.into_iter().filter(|q| !q.trim().is_empty()).collect()
}

/// Is `tag` a plausible BCP 47 language tag? Reports a problem if not.
fn language_tag(r: &mut Reader, at: &Path, tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    let ok = (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !ok {
        let hint = if tag.contains('_') {
            format!("write `{}`", tag.replace('_', "-"))
        } else {
            "for example `he`, `he-IL` or `pt-BR`".to_string()
        };
        r.problem_hint(at, "must be a language tag", hint);
    }
    ok
}

fn translations(
    r: &mut Reader,
    at: &Path,
    value: Option<&Value>,
    default: &str,
) -> Option<Vec<Translation>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let Value::Object(map) = value else {
        r.expected(at, "an object of translations by locale", value);
        return None;
    };
    if map.len() > MAX_TRANSLATIONS {
        r.problem(
            at,
            format!(
                "has {} translations: at most {MAX_TRANSLATIONS} allowed",
                map.len()
            ),
        );
        return None;
    }
    let mut out: Vec<Translation> = Vec::new();
    let mut ok = true;
    for (locale, v) in map {
        let p = Path::Key(at, locale);
        if !language_tag(r, &p, locale) {
            ok = false;
            continue;
        }
        if locale.eq_ignore_ascii_case(default) {
            r.problem_hint(
                &p,
                format!("is the document's own locale `{default}`"),
                "the answer's `title` and `body` are already in it".into(),
            );
            ok = false;
            continue;
        }
        if let Some(other) = out.iter().find(|t| t.locale.eq_ignore_ascii_case(locale)) {
            r.problem(
                &p,
                format!("duplicate locale: `{}` is the same", other.locale),
            );
            ok = false;
            continue;
        }
        let Some(m) = r.object(&p, v) else {
            ok = false;
            continue;
        };
        r.unknown_keys(&p, m, TRANSLATION_KEYS);
        let title = text(r, &Path::Key(&p, "title"), m.get("title"), MAX_TITLE);
        let body = text(r, &Path::Key(&p, "body"), m.get("body"), MAX_BODY);
        let questions = questions(r, &Path::Key(&p, "questions"), m.get("questions"));
        match (title, body) {
            (Some(title), Some(body)) => out.push(Translation {
                locale: locale.clone(),
                title,
                body,
                questions,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// An optional `YYYY-MM-DD` date: midnight UTC of that day.
fn date(r: &mut Reader, at: &Path, value: Option<&Value>) -> Option<Millis> {
    let s = r.opt_string(at, value, 40)?;
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    let (Some(y), Some(m), Some(d), true) = (digits(0..4), digits(5..7), digits(8..10), shape)
    else {
        let hint = if b.len() > 10 && b.get(10) == Some(&b'T') {
            format!("dates are whole days (UTC): write `{}`", &s[..10])
        } else {
            "for example `2025-06-30`".into()
        };
        r.problem_hint(at, "must be a date written `YYYY-MM-DD`", hint);
        return None;
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        r.problem(at, format!("`{s}` is not a calendar date"));
        return None;
    }
    if y < 1970 {
        r.problem(at, "must be 1970 or later");
        return None;
    }
    Some(days_from_civil(y, m, d) * DAY_MS)
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date on or after it (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: u32, m: u32, d: u32) -> u64 {
    let y = u64::from(if m <= 2 { y - 1 } else { y });
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = u64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + u64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::days_from_civil;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 1, 2) * 86_400_000, 1_704_153_600_000);
    }
}
