//! Page path patterns: `/checkout`, `/checkout/*`, `/products/:id`,
//! `/help/**`, `/blog/2024-*`.
//!
//! A pattern is matched segment by segment. In a segment, `*` matches any run
//! of characters within that segment and `:name` matches one whole segment
//! (naming it). A segment that is exactly `**` matches any number of
//! segments, including none. A trailing `/` is ignored on both sides.

/// A compiled path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    source: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// `**`
    Any,
    /// `:name`
    Named,
    /// literal text with `*` wildcards, split at the wildcards
    Glob(Vec<String>),
}

impl PathPattern {
    /// Compile a pattern. Errors say what is wrong in plain words.
    ///
    /// ```
    /// use pathlight::rules::pattern::PathPattern;
    /// let p = PathPattern::parse("/products/:id").unwrap();
    /// assert!(p.matches("/products/blue-mug"));
    /// assert!(!p.matches("/products/blue-mug/reviews"));
    /// assert!(PathPattern::parse("checkout").is_err());
    /// ```
    pub fn parse(source: &str) -> Result<PathPattern, &'static str> {
        if !source.starts_with('/') {
            return Err("a page pattern must start with `/`");
        }
        let mut segments = Vec::new();
        for seg in split(source) {
            if seg == "**" {
                segments.push(Segment::Any);
            } else if let Some(name) = seg.strip_prefix(':') {
                if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    return Err("a named segment is `:` followed by letters, digits or `_`");
                }
                segments.push(Segment::Named);
            } else if seg.contains("**") {
                return Err("`**` must be a whole segment, as in `/help/**`");
            } else {
                segments.push(Segment::Glob(seg.split('*').map(str::to_string).collect()));
            }
        }
        Ok(PathPattern {
            source: source.to_string(),
            segments,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Does `path` (no query, no fragment) match?
    pub fn matches(&self, path: &str) -> bool {
        let parts: Vec<&str> = split(path).collect();
        match_from(&self.segments, &parts)
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn match_from(pattern: &[Segment], parts: &[&str]) -> bool {
    match pattern.split_first() {
        None => parts.is_empty(),
        Some((Segment::Any, rest)) => (0..=parts.len()).any(|i| match_from(rest, &parts[i..])),
        Some((seg, rest)) => match parts.split_first() {
            Some((part, more)) => seg_matches(seg, part) && match_from(rest, more),
            None => false,
        },
    }
}

fn seg_matches(seg: &Segment, part: &str) -> bool {
    match seg {
        Segment::Any | Segment::Named => true,
        Segment::Glob(pieces) => glob(pieces, part),
    }
}

/// `pieces` are the literal runs between `*`s.
fn glob(pieces: &[String], text: &str) -> bool {
    let [first, middle @ .., last] = pieces else {
        return pieces.first().is_some_and(|p| p == text);
    };
    let Some(mut rest) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    for piece in middle {
        match rest.find(piece.as_str()) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("/", "/", true),
            ("/", "/cart", false),
            ("/checkout", "/checkout/", true),
            ("/checkout/*", "/checkout/pay", true),
            ("/checkout/*", "/checkout", false),
            ("/checkout/**", "/checkout", true),
            ("/checkout/**", "/checkout/a/b", true),
            ("/**/pay", "/checkout/a/pay", true),
            ("/**/pay", "/checkout/a/payment", false),
            ("/products/:id", "/products/mug", true),
            ("/blog/2024-*", "/blog/2024-05-01", true),
            ("/blog/2024-*", "/blog/2023-05-01", false),
            ("/a*b*c", "/abc", true),
            ("/a*b*c", "/aXbYc", true),
            ("/a*b*c", "/acb", false),
            ("/ab*ba", "/aba", false),
        ];
        for (pat, path, want) in cases {
            assert_eq!(
                PathPattern::parse(pat).unwrap().matches(path),
                want,
                "{pat} vs {path}"
            );
        }
    }

    #[test]
    fn rejects_bad_patterns() {
        assert!(PathPattern::parse("checkout").is_err());
        assert!(PathPattern::parse("/a**").is_err());
        assert!(PathPattern::parse("/:").is_err());
    }
}
