//! Splitting a page address into the parts triggers look at, without a URL
//! crate: the browser already normalised it.

/// The parts of a page address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageUrl {
    /// The path, always starting with `/`.
    pub path: String,
    /// The query string without `?` (empty when there is none).
    pub query: String,
    /// The fragment without `#` (empty when there is none).
    pub hash: String,
}

impl PageUrl {
    /// Split an absolute URL (`https://host/path?q#h`) or a path (`/path?q`).
    ///
    /// ```
    /// use pathlight::journey::url::PageUrl;
    /// let u = PageUrl::parse("https://shop.example/checkout/pay?step=2#card");
    /// assert_eq!((u.path.as_str(), u.query.as_str(), u.hash.as_str()), ("/checkout/pay", "step=2", "card"));
    /// ```
    pub fn parse(url: &str) -> PageUrl {
        let rest = match url.find("://") {
            Some(i) => {
                let after = &url[i + 3..];
                match after.find(['/', '?', '#']) {
                    Some(j) => &after[j..],
                    None => "",
                }
            }
            None => url,
        };
        let (rest, hash) = rest.split_once('#').unwrap_or((rest, ""));
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            let mut p = String::with_capacity(path.len() + 1);
            p.push('/');
            p.push_str(path);
            p
        };
        PageUrl {
            path,
            query: query.to_string(),
            hash: hash.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_all_shapes() {
        let cases = [
            ("https://a.example", "/", "", ""),
            ("https://a.example?x=1", "/", "x=1", ""),
            ("http://a.example:8080/p/q#top", "/p/q", "", "top"),
            ("/cart?coupon=A#x?y", "/cart", "coupon=A", "x?y"),
            ("cart", "/cart", "", ""),
        ];
        for (url, path, query, hash) in cases {
            let u = PageUrl::parse(url);
            assert_eq!(
                (u.path.as_str(), u.query.as_str(), u.hash.as_str()),
                (path, query, hash),
                "{url}"
            );
        }
    }
}
