//! Text for the payload: scrubbed of personal data, free of control
//! characters, and cut to a byte budget on a character boundary.

use crate::journey::redact::scrub_text;

/// Marks text that was cut.
///
/// ```
/// assert_eq!(pathlight::handoff::text::ELLIPSIS.len(), 3);
/// ```
pub const ELLIPSIS: &str = "…";

/// The longest prefix of `s` of at most `max` bytes, ending on a character
/// boundary.
///
/// ```
/// assert_eq!(pathlight::handoff::text::prefix("ağb", 2), "a");
/// assert_eq!(pathlight::handoff::text::prefix("ağb", 3), "ağ");
/// ```
pub fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `s` in at most `max` bytes: whole when it fits, else cut on a character
/// boundary and ended with "…".
///
/// ```
/// use pathlight::handoff::text::clip;
/// assert_eq!(clip("hello", 5), "hello");
/// assert_eq!(clip("hello world", 8), "hello…");
/// assert_eq!(clip("שלום", 6), "ש…");
/// ```
pub fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    if max < ELLIPSIS.len() {
        return prefix(s, max).to_string();
    }
    let mut out = prefix(s, max - ELLIPSIS.len()).trim_end().to_string();
    out.push_str(ELLIPSIS);
    out
}

/// Untrusted text as the payload carries it: scrubbed of emails, phones,
/// cards and tokens (before cutting, so no secret is cut in half and
/// missed), control characters as spaces, at most `max` bytes.
///
/// ```
/// use pathlight::handoff::text::clean;
/// assert_eq!(clean("mail jo@shop.example\nnow", 100), "mail [email] now");
/// ```
pub fn clean(s: &str, max: usize) -> String {
    // Long text is scrubbed only as far as it can be kept: a head of four
    // times the budget plus a margin. A secret cut at the head's end is
    // never kept, as long as the scrubbed head still runs past the budget
    // by more than any secret's length; otherwise scrub it all.
    if s.len() > 4 * max + MARGIN {
        let head = scrub_text(prefix(s, 4 * max + MARGIN));
        if head.len() >= max + MARGIN {
            return plain(&head, max);
        }
    }
    plain(&scrub_text(s), max)
}

/// Longer than any email address, phone or card number the scrubber finds
/// (a cut token is still a token).
const MARGIN: usize = 512;

/// Scrubbed text with control characters as spaces, cut to `max` bytes.
fn plain(scrubbed: &str, max: usize) -> String {
    if scrubbed.chars().any(char::is_control) {
        let plain: String = scrubbed
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        clip(&plain, max)
    } else {
        clip(scrubbed, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_scrubbed_as_far_as_it_is_kept() {
        let card = "4111 1111 1111 1111";
        // A card at the start, and one cut by the head's end.
        let mut s = format!("{card} ");
        s.push_str(&"word ".repeat(200));
        let cut_at = 4 * 100 + MARGIN - 8;
        while s.len() < cut_at {
            s.push('w');
        }
        s.push_str(card);
        s.push_str(&" tail".repeat(100));
        let out = clean(&s, 100);
        assert!(out.starts_with("[card] word"), "{out}");
        assert!(out.len() <= 100 && out.ends_with(ELLIPSIS));
        assert!(!out.contains("4111"));
        // Text that scrubs down to little is scrubbed whole.
        let many = format!("{card} ").repeat(200);
        let out = clean(&many, 100);
        assert!(!out.contains("4111") && out.starts_with("[card] [card]"));
    }
}
