//! Which link targets from answers and config may be followed: web, mail and
//! phone links, and same-site paths. Everything else (`javascript:`,
//! `data:`, `vbscript:`, protocol-relative `//host`) is refused.

/// Is `url` safe to put in an `href`?
///
/// ```
/// use pathlight::links::is_safe_link;
/// assert!(is_safe_link("https://help.example/returns"));
/// assert!(is_safe_link("/shipping"));
/// assert!(!is_safe_link(" JavaScript:alert(1)"));
/// assert!(!is_safe_link("//evil.example"));
/// ```
pub fn is_safe_link(url: &str) -> bool {
    let u = url.trim_start();
    // Compare bytes: slicing the str could cut a multi-byte character.
    let has = |prefix: &str| {
        u.as_bytes()
            .get(..prefix.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|p| has(p))
        || (u.starts_with('/') && !u.starts_with("//") && !u.starts_with("/\\"))
}

#[cfg(test)]
mod tests {
    use super::is_safe_link;

    #[test]
    fn table() {
        let cases = [
            ("https://a.example", true),
            ("HTTP://a.example", true),
            ("mailto:help@a.example", true),
            ("tel:+442079460958", true),
            ("/help?q=1", true),
            ("javascript:alert(1)", false),
            ("data:text/html,<script>", false),
            ("vbscript:x", false),
            ("//evil.example", false),
            ("/\\evil.example", false),
            ("help", false),
            ("", false),
            ("ftp://a.example", false),
            ("https:/é", false),
            ("ééé", false),
            ("tel:", true),
        ];
        for (url, want) in cases {
            assert_eq!(is_safe_link(url), want, "{url}");
        }
    }
}
