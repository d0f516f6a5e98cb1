//! Scrubbing personal data and secrets out of everything the journey
//! captures, before it is stored or sent.
//!
//! Two entry points:
//!
//! - [`scrub_text`] replaces, in free text, each
//!   - email address (also with a `%40` at sign, as inside URLs) with `[email]`,
//!   - phone number with `[phone]`,
//!   - payment card number (13 to 19 digits, Luhn-valid) with `[card]`,
//!   - JWT (`eyJ…` header, payload and signature) with `[jwt]`,
//!   - long random token (API keys, session ids, hex digests, UUIDs) with
//!     `[token]`.
//! - [`scrub_url`] keeps the scheme and host, scrubs every path segment,
//!   query value and the fragment with the text rules (also after
//!   percent-decoding), and replaces the values of sensitive query parameters
//!   (see [`QueryPolicy`]) with `[redacted]`.
//!
//! Everything is hand-written (no regex crate, to keep the browser bundle
//! small), runs in linear time, never panics on any UTF-8 input, and does not
//! allocate when nothing matches.
//!
//! # What counts as a phone number
//!
//! Numbers are everywhere in a journey (prices, years, quantities, order
//! numbers), so phone detection is deliberately conservative. A run of digits
//! separated by single spaces, dots, dashes or parentheses is a phone number
//! when it has 7 to 15 digits, its last group has at least 2 digits, it is not
//! glued to a word (`SKU-0412345678`) or a currency sign, it is not followed by
//! `%` or by more digits after `.`, `,`, `-`, `/` or `:`, and one of these holds:
//!
//! - it starts with `+` (`+44 20 7946 0958`, `+1 (415) 555-0132`);
//! - it has a parenthesised group (`(020) 7946 0958`, `(415) 555-0132`);
//! - it starts with one `0` (a national trunk prefix) and has at least 9 digits
//!   in groups of at least 2 digits with one kind of separator
//!   (`0412 345 678`, `020 7946 0958`, `06 12 34 56 78`, `07700900123`), or it
//!   starts with `00` (international prefix) and has at least 11 digits;
//! - it has a North American layout: `415-555-0132`, `415.555.0132`,
//!   `415 555 0132`, `1-800-555-0199`, `555-0132`, or exactly 10 bare digits
//!   starting with 2 to 9 (`4155550132`), or 11 starting with `1`.
//!
//! Deliberately **not** phone numbers: years (`2024`), prices (`$1,299.00`,
//! `1 299 000`), thousand-grouped numbers (`12 345 678`), dates (`2024-05-01`,
//! `01.05.2024`), times (`12:30`), version numbers (`1.2.3`), IPv4 addresses,
//! percentages, US ZIP+4 codes (`94105-1234`, `02134-1234`), bare numbers of 7
//! to 9 digits not starting with `0` (order numbers), 10-digit numbers
//! starting with `1` (Unix timestamps) and numbers starting with `000`. The
//! cost is that some real phone numbers written without a prefix (`9876 5432`,
//! `612 345 678`) are kept.
//!
//! # What counts as a card number
//!
//! 13 to 19 digits, bare or in groups of 3 to 6 digits separated by one kind
//! of separator (space or dash), starting with 2 to 6 (every major card
//! network; this keeps millisecond timestamps, which start with 1, out) and
//! passing the Luhn check. A 16-digit number failing Luhn is left alone.
//!
//! # What counts as a token
//!
//! A maximal run of `[A-Za-z0-9_-]` that is
//!
//! - a UUID (`8-4-4-4-12` hex digits), or
//! - at least 32 hex digits with at least one digit and one letter, or
//! - at least 20 characters with at least one digit, where the pieces between
//!   `-` and `_` that do not look like words (words: up to 5 characters, only
//!   digits, only lower- or upper-case letters, or a capitalised word) make up
//!   at least 12 characters and change character class often (on average
//!   every 3 characters in mixed case, every 5 in single case).
//!
//! Slugs (`spring-collection-2024-outdoor-lamps`), long words, camel-case
//! names and text in other scripts are kept. Tokens with no digit at all, or
//! standard base64 split by `+` and `/` into short pieces, are not caught by
//! the text rules (name them in the query deny-list instead).
//!
//! # URLs
//!
//! See [`scrub_url`] and [`QueryPolicy`]. In addition to the rules above, user
//! information in the authority (`https://user:pass@host`) becomes
//! `[redacted]`, a fragment shaped like a query (`#access_token=…`, as in the
//! OAuth implicit flow) gets the query treatment, and a query value that is
//! itself an `http(s)` URL (`?next=https%3A%2F%2F…`) is scrubbed as a URL.

use std::borrow::Cow;

const EMAIL: &str = "[email]";
const PHONE: &str = "[phone]";
const CARD: &str = "[card]";
const JWT: &str = "[jwt]";
const TOKEN: &str = "[token]";
const REDACTED: &str = "[redacted]";

/// How deep query values holding URLs are scrubbed as URLs.
const MAX_NESTED_URLS: u8 = 2;

// ---------------------------------------------------------------------------
// Units: one character, or one `%XX` escape.
// ---------------------------------------------------------------------------

/// One unit of text as the scanners see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum U {
    /// A plain ASCII byte.
    A(u8),
    /// A `%XX` escape, decoded.
    E(u8),
    /// A non-ASCII character.
    W(char),
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The unit starting at byte `i` and its length in bytes, or `None` at the
/// end (or, defensively, off a character boundary).
fn unit(s: &str, i: usize) -> Option<(U, usize)> {
    let b = s.as_bytes();
    let c = *b.get(i)?;
    if c == b'%' {
        let hi = b.get(i + 1).and_then(|&x| hex_val(x));
        let lo = b.get(i + 2).and_then(|&x| hex_val(x));
        if let (Some(hi), Some(lo)) = (hi, lo) {
            return Some((U::E((hi << 4) | lo), 3));
        }
    }
    if c.is_ascii() {
        return Some((U::A(c), 1));
    }
    let ch = s.get(i..)?.chars().next()?;
    Some((U::W(ch), ch.len_utf8()))
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Part of a token run: `[A-Za-z0-9_-]`.
fn is_t(u: U) -> bool {
    matches!(u, U::A(c) if is_word_byte(c))
}

/// Part of the local part of an email address.
fn is_local(u: U) -> bool {
    match u {
        U::A(c) => c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-'),
        U::E(c) => matches!(c, b'.' | b'_' | b'+' | b'-'),
        U::W(ch) => ch.is_alphanumeric(),
    }
}

fn is_at(u: U) -> bool {
    matches!(u, U::A(b'@') | U::E(b'@'))
}

fn is_plus(u: U) -> bool {
    matches!(u, U::A(b'+') | U::E(b'+'))
}

fn is_currency(ch: char) -> bool {
    matches!(
        ch,
        '€' | '£' | '¥' | '₹' | '₽' | '₩' | '₪' | '₺' | '¢' | '₫' | '₴' | '₱'
    )
}

/// Whether a number starting after `prev2 prev` is glued to what precedes it
/// (a word, a `+` already tried, a currency sign, or `1.`, `a-`, …).
fn glued(prev: Option<U>, prev2: Option<U>) -> bool {
    match prev {
        None => false,
        Some(U::A(c)) if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'+' | b'$') => true,
        Some(U::E(b'+')) => true,
        Some(U::A(c) | U::E(c)) if matches!(c, b'.' | b',' | b'-') => {
            matches!(prev2, Some(U::A(d)) if d.is_ascii_alphanumeric())
        }
        Some(U::W(ch)) => is_currency(ch),
        Some(_) => false,
    }
}

/// Whether a number may end at `end`: not glued to a word, a percent sign or
/// a currency sign, and not continued by digits after `.`, `,`, `-`, `/`, `:`.
fn trail_ok(s: &str, end: usize) -> bool {
    match unit(s, end) {
        None => true,
        Some((U::A(c), _)) if c.is_ascii_alphanumeric() || c == b'_' || c == b'%' => false,
        Some((U::A(c) | U::E(c), len)) if matches!(c, b'.' | b',' | b'-' | b'/' | b':') => {
            !matches!(unit(s, end + len), Some((U::A(d), _)) if d.is_ascii_digit())
        }
        Some((U::W(ch), _)) => !is_currency(ch),
        Some(_) => true,
    }
}

/// The end of the run of `[A-Za-z0-9_-]` starting at `i`.
fn word_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_word_byte(c)) {
        i += 1;
    }
    i
}

// ---------------------------------------------------------------------------
// Output: borrowed until the first replacement.
// ---------------------------------------------------------------------------

struct Out<'a> {
    src: &'a str,
    buf: Option<String>,
    copied: usize,
}

impl<'a> Out<'a> {
    fn new(src: &'a str) -> Self {
        Out {
            src,
            buf: None,
            copied: 0,
        }
    }

    /// Replace `src[start..end]` with `marker`. Ranges come in order.
    fn emit(&mut self, start: usize, end: usize, marker: &str) {
        let src = self.src;
        let buf = self
            .buf
            .get_or_insert_with(|| String::with_capacity(src.len()));
        if let Some(kept) = src.get(self.copied..start) {
            buf.push_str(kept);
        }
        buf.push_str(marker);
        self.copied = end;
    }

    fn finish(self) -> Cow<'a, str> {
        match self.buf {
            None => Cow::Borrowed(self.src),
            Some(mut buf) => {
                if let Some(rest) = self.src.get(self.copied..) {
                    buf.push_str(rest);
                }
                Cow::Owned(buf)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

/// Replace emails, phone numbers, card numbers, JWTs and long random tokens
/// in `text` with `[email]`, `[phone]`, `[card]`, `[jwt]` and `[token]`.
///
/// Runs in linear time, never panics, and returns [`Cow::Borrowed`] (without
/// allocating) when nothing was replaced. Scrubbing twice gives the same
/// result as scrubbing once. The module documentation lists exactly which
/// numbers count as phone and card numbers and which runs count as tokens.
///
/// ```
/// use std::borrow::Cow;
/// use pathlight::journey::redact::scrub_text;
///
/// assert_eq!(
///     scrub_text("Mail jo+news@mail.example.co.uk or call +44 20 7946 0958"),
///     "Mail [email] or call [phone]"
/// );
/// assert_eq!(scrub_text("Card 4111 1111 1111 1111, exp 12/27"), "Card [card], exp 12/27");
/// // Prices, years, dates and versions are kept, without allocating.
/// let kept = scrub_text("Lamp $1,299.00, since 2024-05-01, app 1.2.3");
/// assert!(matches!(kept, Cow::Borrowed(_)));
/// ```
pub fn scrub_text(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut out = Out::new(text);
    // The two units before `i`, as the output will show them: `None` at the
    // start and right after a replacement (whose marker ends in `]`).
    let mut prev: Option<U> = None;
    let mut prev2: Option<U> = None;
    // No email can start before this position (a failed scan got there).
    let mut email_dead = 0;
    let mut i = 0;
    while let Some((u, len)) = unit(text, i) {
        if i >= email_dead && is_local(u) && !prev.is_some_and(is_local) {
            match match_email(text, i) {
                Ok(end) => {
                    out.emit(i, end, EMAIL);
                    (i, prev, prev2) = (end, None, None);
                    continue;
                }
                Err(dead) => email_dead = dead,
            }
        }
        if is_t(u) && !prev.is_some_and(is_t) {
            let run_end = word_end(b, i);
            let found = match_jwt(b, i, run_end)
                .map(|end| (end, JWT))
                .or_else(|| {
                    let digit_start = matches!(u, U::A(c) if c.is_ascii_digit());
                    if digit_start && !glued(prev, prev2) {
                        match_card(text, i)
                            .map(|end| (end, CARD))
                            .or_else(|| match_phone(text, i).map(|end| (end, PHONE)))
                    } else {
                        None
                    }
                })
                .or_else(|| is_token(b.get(i..run_end)?).then_some((run_end, TOKEN)));
            if let Some((end, marker)) = found {
                out.emit(i, end, marker);
                (i, prev, prev2) = (end, None, None);
                continue;
            }
            // Nothing starts inside a run: skip it.
            let last = b.get(run_end.wrapping_sub(1)).map(|&c| U::A(c));
            let before_last = if run_end - i >= 2 {
                b.get(run_end - 2).map(|&c| U::A(c))
            } else {
                prev
            };
            (i, prev, prev2) = (run_end, last, before_last);
            continue;
        }
        if (is_plus(u) || u == U::A(b'(')) && !glued(prev, prev2) {
            if let Some(end) = match_phone(text, i) {
                out.emit(i, end, PHONE);
                (i, prev, prev2) = (end, None, None);
                continue;
            }
        }
        (i, prev, prev2) = (i + len, Some(u), prev);
    }
    out.finish()
}

/// An email address starting at `i`: `Ok(end)`, or `Err(pos)` where no email
/// can start before `pos`.
fn match_email(s: &str, i: usize) -> Result<usize, usize> {
    let mut p = i;
    let mut has_alnum = false;
    while let Some((u, len)) = unit(s, p) {
        if !is_local(u) {
            break;
        }
        has_alnum |= matches!(u, U::A(c) if c.is_ascii_alphanumeric()) || matches!(u, U::W(_));
        p += len;
    }
    let at = p;
    match unit(s, at) {
        Some((u, len)) if is_at(u) && has_alnum => p = at + len,
        _ => return Err(at),
    }
    // The domain: at least two labels, the last starting with a letter.
    let mut labels = 0;
    let mut end = p;
    let mut tld_ok = false;
    loop {
        let start = p;
        let mut chars = 0;
        let mut first_alpha = false;
        while let Some((u, len)) = unit(s, p) {
            let ok = match u {
                U::A(c) => c.is_ascii_alphanumeric() || c == b'-',
                U::W(ch) => ch.is_alphanumeric(),
                U::E(_) => false,
            };
            if !ok {
                break;
            }
            if chars == 0 {
                first_alpha = matches!(u, U::A(c) if c.is_ascii_alphabetic())
                    || matches!(u, U::W(ch) if ch.is_alphabetic());
            }
            chars += 1;
            p += len;
        }
        if p == start {
            break;
        }
        labels += 1;
        end = p;
        tld_ok = first_alpha && chars >= 2;
        let dot = s.as_bytes().get(p) == Some(&b'.');
        let label_next = match unit(s, p + 1) {
            Some((U::A(c), _)) => c.is_ascii_alphanumeric(),
            Some((U::W(ch), _)) => ch.is_alphanumeric(),
            _ => false,
        };
        if !(dot && label_next) {
            break;
        }
        p += 1;
    }
    if labels >= 2 && tld_ok {
        Ok(end)
    } else {
        Err(at)
    }
}

/// A JWT starting at `i` (whose first run ends at `run_end`).
fn match_jwt(b: &[u8], i: usize, run_end: usize) -> Option<usize> {
    if !b.get(i..)?.starts_with(b"eyJ") || run_end - i < 10 || b.get(run_end) != Some(&b'.') {
        return None;
    }
    let payload_end = word_end(b, run_end + 1);
    if payload_end - (run_end + 1) < 2 || b.get(payload_end) != Some(&b'.') {
        return None;
    }
    // The signature may be empty (unsigned tokens); JWE adds segments.
    let mut end = word_end(b, payload_end + 1);
    while b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(|&c| is_word_byte(c)) {
        end = word_end(b, end + 1);
    }
    Some(end)
}

/// A separator inside a phone or card number, normalised.
fn number_sep(u: U) -> Option<u8> {
    match u {
        U::A(b' ') | U::E(b' ') | U::W('\u{a0}') | U::W('\u{202f}') => Some(b' '),
        U::A(b'-') => Some(b'-'),
        U::A(b'.') => Some(b'.'),
        _ => None,
    }
}

const MAX_CARD: usize = 19;

/// A Luhn-valid card number starting at `i`.
fn match_card(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut digits = [0u8; MAX_CARD];
    let mut n = 0;
    // Per group: where it ends, the digits so far, whether all groups so far
    // have 3 to 6 digits.
    let mut ends = [0usize; MAX_CARD];
    let mut counts = [0usize; MAX_CARD];
    let mut shaped = [false; MAX_CARD];
    let mut groups = 0;
    let mut all_shaped = true;
    let mut sep = 0u8;
    let mut p = i;
    loop {
        let start = p;
        while let Some(&c) = b.get(p) {
            if !c.is_ascii_digit() || n == MAX_CARD {
                break;
            }
            digits[n] = c - b'0';
            n += 1;
            p += 1;
        }
        if b.get(p).is_some_and(u8::is_ascii_digit) {
            break; // too many digits: this group does not count
        }
        all_shaped &= (3..=6).contains(&(p - start));
        ends[groups] = p;
        counts[groups] = n;
        shaped[groups] = all_shaped;
        groups += 1;
        if !all_shaped {
            break; // no longer prefix can be valid
        }
        let Some((u, len)) = unit(s, p) else { break };
        match number_sep(u) {
            Some(x) if x != b'.' && (sep == 0 || sep == x) => sep = x,
            _ => break,
        }
        if !b.get(p + len).is_some_and(u8::is_ascii_digit) || groups == MAX_CARD {
            break;
        }
        p += len;
    }
    (0..groups).rev().find_map(|g| {
        let count = counts[g];
        let ok = (13..=MAX_CARD).contains(&count)
            && (2..=6).contains(&digits[0])
            && (g == 0 || shaped[g])
            && luhn(&digits[..count])
            && trail_ok(s, ends[g]);
        ok.then_some(ends[g])
    })
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| {
            let d = u32::from(d);
            if k % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

const MAX_PHONE: usize = 15;
const MAX_GROUPS: usize = 16;

/// The shape of a digit sequence, group by group.
struct Shape {
    plus: bool,
    lens: [u8; MAX_GROUPS],
    /// Normalised separator before each group (0 for none).
    seps: [u8; MAX_GROUPS],
    /// Bit `g` set when group `g` is in parentheses.
    parens: u32,
    /// The first three digits (0 when there are fewer).
    lead: [u8; 3],
}

/// A phone number starting at `i` (a digit, `+` or `(`).
fn match_phone(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut shape = Shape {
        plus: false,
        lens: [0; MAX_GROUPS],
        seps: [0; MAX_GROUPS],
        parens: 0,
        lead: [0; 3],
    };
    let mut ends = [0usize; MAX_GROUPS];
    let mut groups = 0;
    let mut total = 0;
    let mut p = i;
    if let Some((u, len)) = unit(s, p) {
        if is_plus(u) {
            shape.plus = true;
            p += len;
        }
    }
    let mut sep = 0u8;
    while groups < MAX_GROUPS {
        let paren = b.get(p) == Some(&b'(');
        let mut q = if paren { p + 1 } else { p };
        let start = q;
        while let Some(&c) = b.get(q) {
            if !c.is_ascii_digit() || total + (q - start) == MAX_PHONE {
                break;
            }
            if let Some(slot) = shape.lead.get_mut(total + (q - start)) {
                *slot = c;
            }
            q += 1;
        }
        let count = q - start;
        if count == 0 || b.get(q).is_some_and(u8::is_ascii_digit) {
            break; // no digits, or too many
        }
        if count == 1 && !shape.plus && (groups > 0 || paren) {
            break; // only `+` numbers have one-digit groups after the first
        }
        if paren {
            if count > 5 || b.get(q) != Some(&b')') {
                break;
            }
            q += 1;
            shape.parens |= 1 << groups;
        }
        shape.lens[groups] = count as u8;
        shape.seps[groups] = sep;
        ends[groups] = q;
        groups += 1;
        total += count;
        // One separator, then digits or `(`.
        sep = 0;
        let mut r = q;
        if let Some((u, len)) = unit(s, r) {
            if let Some(x) = number_sep(u) {
                sep = x;
                r += len;
            }
        }
        match b.get(r) {
            Some(&c) if c.is_ascii_digit() && (sep != 0 || paren) => p = r,
            Some(&b'(') => p = r,
            _ => break,
        }
    }
    (1..=groups).rev().find_map(|k| {
        let last_is_paren = shape.parens & (1 << (k - 1)) != 0;
        (!last_is_paren && phone_ok(&shape, k) && trail_ok(s, ends[k - 1])).then_some(ends[k - 1])
    })
}

/// Whether the first `k` groups of `shape` make a phone number.
fn phone_ok(shape: &Shape, k: usize) -> bool {
    let lens = &shape.lens[..k];
    let seps = &shape.seps[1..k];
    let digits: usize = lens.iter().map(|&l| usize::from(l)).sum();
    if !(7..=MAX_PHONE).contains(&digits) || lens.last().is_some_and(|&l| l < 2) {
        return false;
    }
    if shape.plus {
        return true;
    }
    let mask = (1u32 << k) - 1;
    let date_like = matches!(lens, [4, 2, 2, ..] | [2, 2, 4, ..]) && shape.parens & 0b111 == 0;
    if date_like {
        return false;
    }
    if shape.parens & mask != 0 {
        // `(020) 7946 0958`, `(415) 555-0132`: no one-digit groups.
        return lens.iter().all(|&l| l >= 2);
    }
    let one_sep = seps.windows(2).all(|w| w[0] == w[1]);
    let [d0, d1, d2] = shape.lead;
    if d0 == b'0' {
        if d1 == b'0' {
            return d2 != b'0' && digits >= 11 && one_sep;
        }
        if k == 1 {
            return (9..=11).contains(&digits);
        }
        return digits >= 9 && one_sep && lens != [5, 4] && lens.iter().all(|&l| l >= 2);
    }
    if k == 1 {
        return (digits == 10 && d0 >= b'2') || (digits == 11 && d0 == b'1' && d1 >= b'2');
    }
    if !one_sep {
        return false;
    }
    match lens {
        [3, 3, 4] => d0 >= b'2',
        [1, 3, 3, 4] => d0 == b'1' && d1 >= b'2',
        [3, 4] => d0 >= b'2' && matches!(seps, [b'-' | b'.']),
        _ => false,
    }
}

/// Whether a maximal run of `[A-Za-z0-9_-]` is a random token.
fn is_token(run: &[u8]) -> bool {
    let n = run.len();
    if n < 20 {
        return false;
    }
    if n == 36 && is_uuid(run) {
        return true;
    }
    let has_digit = run.iter().any(u8::is_ascii_digit);
    if !has_digit {
        return false;
    }
    if n >= 32 && run.iter().all(u8::is_ascii_hexdigit) && run.iter().any(u8::is_ascii_alphabetic) {
        return true;
    }
    // Score the pieces that do not look like words.
    let mut mass = 0;
    let mut score = 0;
    let mut letters = false;
    for piece in run.split(|&c| c == b'-' || c == b'_') {
        if word_like(piece) {
            continue;
        }
        mass += piece.len();
        let upper = piece.iter().any(u8::is_ascii_uppercase);
        let lower = piece.iter().any(u8::is_ascii_lowercase);
        letters |= upper || lower;
        let weight = if upper && lower { 3 } else { 5 };
        score += weight * segments(piece);
    }
    letters && mass >= 12 && score >= mass
}

fn is_uuid(run: &[u8]) -> bool {
    run.iter().enumerate().all(|(k, c)| {
        if matches!(k, 8 | 13 | 18 | 23) {
            *c == b'-'
        } else {
            c.is_ascii_hexdigit()
        }
    })
}

/// A piece of a run that reads like a word or a plain number.
fn word_like(piece: &[u8]) -> bool {
    if piece.len() <= 5 || piece.iter().all(u8::is_ascii_digit) {
        return true;
    }
    let all_lower = piece.iter().all(u8::is_ascii_lowercase);
    let all_upper = piece.iter().all(u8::is_ascii_uppercase);
    let capitalised = piece.first().is_some_and(u8::is_ascii_uppercase)
        && piece.iter().skip(1).all(u8::is_ascii_lowercase);
    all_lower || all_upper || capitalised
}

/// How many camel-case segments (`get`, `User`, `HTTP`, `2`) a piece has.
fn segments(piece: &[u8]) -> usize {
    #[derive(PartialEq, Clone, Copy)]
    enum C {
        Digit,
        Lower,
        Upper,
    }
    let class = |c: u8| {
        if c.is_ascii_digit() {
            C::Digit
        } else if c.is_ascii_lowercase() {
            C::Lower
        } else {
            C::Upper
        }
    };
    let mut count = 0;
    let mut prev: Option<C> = None;
    for (k, &c) in piece.iter().enumerate() {
        let cur = class(c);
        let next = piece.get(k + 1).map(|&x| class(x));
        let starts = match (prev, cur) {
            (None, _) => true,
            (Some(p), C::Digit) => p != C::Digit,
            (Some(p), C::Lower) => p == C::Digit,
            (Some(p), C::Upper) => p != C::Upper || next == Some(C::Lower),
        };
        if starts {
            count += 1;
        }
        prev = Some(cur);
    }
    count
}

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

/// Which query parameters have their values replaced by `[redacted]`.
///
/// Names are matched case-insensitively and ignoring `-` and `_`, so the
/// entry `api_key` also covers `apikey`, `API-Key` and `apiKey`; a name such as
/// `user[email]` is also matched by its last bracketed part (`email`).
///
/// - `deny`: names whose values are always redacted. [`Default`] uses
///   [`QueryPolicy::DEFAULT_DENY`].
/// - `allow`: when set, *only* these names keep their values; every other
///   parameter is redacted too. A name on both lists is redacted.
///
/// Values that are kept are still scrubbed with the text rules.
///
/// ```
/// use pathlight::journey::redact::{scrub_url, QueryPolicy};
///
/// let default = QueryPolicy::default();
/// assert_eq!(
///     scrub_url("https://shop.example/reset?Token=abc&step=2", &default),
///     "https://shop.example/reset?Token=[redacted]&step=2"
/// );
///
/// let strict = QueryPolicy::allow_only(["q", "page"]);
/// assert_eq!(
///     scrub_url("/search?q=lamps&page=2&ref=newsletter", &strict),
///     "/search?q=lamps&page=2&ref=[redacted]"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPolicy {
    /// Parameter names whose values are always redacted.
    pub deny: Vec<String>,
    /// When `Some`, only these parameters keep their values.
    pub allow: Option<Vec<String>>,
}

impl Default for QueryPolicy {
    fn default() -> Self {
        QueryPolicy {
            deny: Self::DEFAULT_DENY.iter().map(|s| s.to_string()).collect(),
            allow: None,
        }
    }
}

impl QueryPolicy {
    /// The default deny-list.
    ///
    /// ```
    /// use pathlight::journey::redact::QueryPolicy;
    /// assert!(QueryPolicy::DEFAULT_DENY.contains(&"access_token"));
    /// assert_eq!(QueryPolicy::default().deny.len(), QueryPolicy::DEFAULT_DENY.len());
    /// ```
    pub const DEFAULT_DENY: &'static [&'static str] = &[
        "email",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "client_secret",
        "key",
        "api_key",
        "apikey",
        "auth",
        "code",
        "otp",
        "session",
        "sid",
        "phone",
        "tel",
        "mobile",
        "card",
        "cvv",
        "cvc",
        "ssn",
        "signature",
    ];

    /// The default deny-list plus an allow-list: only the parameters named
    /// in `names` keep their (text-scrubbed) values.
    ///
    /// ```
    /// use pathlight::journey::redact::{scrub_url, QueryPolicy};
    /// let policy = QueryPolicy::allow_only(["utm_source"]);
    /// assert_eq!(
    ///     scrub_url("/?utm_source=mail&uid=77", &policy),
    ///     "/?utm_source=mail&uid=[redacted]"
    /// );
    /// ```
    pub fn allow_only<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        QueryPolicy {
            allow: Some(names.into_iter().map(Into::into).collect()),
            ..QueryPolicy::default()
        }
    }

    /// The default deny-list extended with `names`.
    ///
    /// ```
    /// use pathlight::journey::redact::{scrub_url, QueryPolicy};
    /// let policy = QueryPolicy::deny_also(["customer_ref"]);
    /// assert_eq!(
    ///     scrub_url("/orders?customerRef=C-1&email=x", &policy),
    ///     "/orders?customerRef=[redacted]&email=[redacted]"
    /// );
    /// ```
    pub fn deny_also<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut policy = QueryPolicy::default();
        policy.deny.extend(names.into_iter().map(Into::into));
        policy
    }

    /// Whether the value of the parameter `name` (already percent-decoded)
    /// is redacted.
    ///
    /// ```
    /// use pathlight::journey::redact::QueryPolicy;
    /// let policy = QueryPolicy::default();
    /// assert!(policy.redacts("Access-Token"));
    /// assert!(policy.redacts("user[email]"));
    /// assert!(!policy.redacts("page"));
    /// ```
    pub fn redacts(&self, name: &str) -> bool {
        let leaf = bracket_leaf(name);
        let listed = |list: &[String]| {
            list.iter()
                .any(|entry| same_name(entry, name) || leaf.is_some_and(|l| same_name(entry, l)))
        };
        if listed(&self.deny) {
            return true;
        }
        self.allow.as_deref().is_some_and(|allow| !listed(allow))
    }
}

/// `email` for `user[email]`, `emails` for `emails[]`.
fn bracket_leaf(name: &str) -> Option<&str> {
    let inner = name.strip_suffix(']')?;
    let open = inner.rfind('[')?;
    let leaf = inner.get(open + 1..)?;
    if leaf.is_empty() {
        inner.get(..open)
    } else {
        Some(leaf)
    }
}

/// Case-insensitive comparison ignoring `-` and `_`.
fn same_name(a: &str, b: &str) -> bool {
    fn key(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(|&c| c != b'-' && c != b'_')
            .map(|c| c.to_ascii_lowercase())
    }
    key(a).eq(key(b))
}

/// Where a component sits in the URL: decides how `+` decodes and which
/// characters are written back unescaped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// A path or fragment segment.
    Segment,
    /// A query name or value.
    Query,
}

/// Scrub `url` for storage: the scheme, host and port are kept, user
/// information becomes `[redacted]`, every path segment and every query
/// name, value and fragment is scrubbed with [`scrub_text`] (also after
/// percent-decoding, so `john%40example.com` is caught), and the values of
/// parameters that `policy` redacts become `[redacted]` (the name stays).
///
/// When nothing sensitive is present the result is byte-identical to `url`
/// (same order, same encoding). A component that had to change is written
/// back percent-encoded, with the markers left readable.
///
/// ```
/// use pathlight::journey::redact::{scrub_url, QueryPolicy};
///
/// let policy = QueryPolicy::default();
/// assert_eq!(
///     scrub_url(
///         "https://shop.example/account/jane.doe%40mail.example/orders?sort=new&session=9f8e7d",
///         &policy
///     ),
///     "https://shop.example/account/[email]/orders?sort=new&session=[redacted]"
/// );
/// let plain = "https://shop.example/p/spring-collection-2024?page=2#reviews";
/// assert_eq!(scrub_url(plain, &policy), plain);
/// ```
pub fn scrub_url(url: &str, policy: &QueryPolicy) -> String {
    let mut out = String::with_capacity(url.len() + 8);
    url_into(url, policy, 0, &mut out);
    out
}

fn url_into(url: &str, policy: &QueryPolicy, depth: u8, out: &mut String) {
    let mut rest = url;
    if let Some((auth_start, auth_end)) = authority(url) {
        let (Some(head), Some(auth), Some(tail)) = (
            url.get(..auth_start),
            url.get(auth_start..auth_end),
            url.get(auth_end..),
        ) else {
            out.push_str(url);
            return;
        };
        out.push_str(head);
        match auth.rfind('@') {
            Some(at) if at > 0 => {
                out.push_str(REDACTED);
                out.push_str(auth.get(at..).unwrap_or_default());
            }
            _ => out.push_str(auth),
        }
        rest = tail;
    }
    let (main, fragment) = match rest.split_once('#') {
        Some((m, f)) => (m, Some(f)),
        None => (rest, None),
    };
    let (path, query) = match main.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (main, None),
    };
    segments_into(path, out);
    if let Some(query) = query {
        out.push('?');
        query_into(query, policy, depth, out);
    }
    if let Some(fragment) = fragment {
        out.push('#');
        if let Some((route, query)) = fragment.split_once('?') {
            segments_into(route, out);
            out.push('?');
            query_into(query, policy, depth, out);
        } else if fragment.contains('=') {
            query_into(fragment, policy, depth, out);
        } else {
            segments_into(fragment, out);
        }
    }
}

/// The byte range of the authority (`host:port`, maybe with user info) when
/// `url` has one (`scheme://…` or `//…`).
fn authority(url: &str) -> Option<(usize, usize)> {
    let start = if url.starts_with("//") {
        2
    } else {
        let colon = url.find("://")?;
        let scheme = url.get(..colon)?.as_bytes();
        let valid = scheme.first().is_some_and(u8::is_ascii_alphabetic)
            && scheme
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
        if !valid {
            return None;
        }
        colon + 3
    };
    let end = url
        .get(start..)?
        .find(['/', '?', '#'])
        .map_or(url.len(), |j| start + j);
    Some((start, end))
}

fn segments_into(path: &str, out: &mut String) {
    for (k, segment) in path.split('/').enumerate() {
        if k > 0 {
            out.push('/');
        }
        component_into(segment, Part::Segment, out);
    }
}

fn query_into(query: &str, policy: &QueryPolicy, depth: u8, out: &mut String) {
    for (k, pair) in query.split('&').enumerate() {
        if k > 0 {
            out.push('&');
        }
        let Some((name, value)) = pair.split_once('=') else {
            component_into(pair, Part::Query, out);
            continue;
        };
        component_into(name, Part::Query, out);
        out.push('=');
        if value.is_empty() {
            continue;
        }
        let decoded_name = if name.contains(['%', '+']) {
            decode(name, true).map_or(Cow::Borrowed(name), Cow::Owned)
        } else {
            Cow::Borrowed(name)
        };
        if policy.redacts(&decoded_name) {
            out.push_str(REDACTED);
        } else {
            value_into(value, policy, depth, out);
        }
    }
}

/// A kept query value: scrubbed as a URL when it holds one, else as text.
fn value_into(value: &str, policy: &QueryPolicy, depth: u8, out: &mut String) {
    if depth < MAX_NESTED_URLS {
        let encoded = value.contains(['%', '+']);
        let decoded = if encoded {
            decode(value, true).map_or(Cow::Borrowed(value), Cow::Owned)
        } else {
            Cow::Borrowed(value)
        };
        let is_url = decoded
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
            || decoded
                .get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("http://"));
        if is_url {
            let mut inner = String::with_capacity(decoded.len());
            url_into(&decoded, policy, depth + 1, &mut inner);
            if inner == *decoded {
                out.push_str(value);
            } else if encoded {
                encode_into(&inner, Part::Query, out);
            } else {
                out.push_str(&inner);
            }
            return;
        }
    }
    component_into(value, Part::Query, out);
}

/// Scrub one component as it is, then percent-decoded; write it back
/// unchanged when neither pass found anything.
fn component_into(raw: &str, part: Part, out: &mut String) {
    let plus_is_space = part == Part::Query;
    let first = scrub_text(raw);
    if first.contains('%') || (plus_is_space && first.contains('+')) {
        if let Some(decoded) = decode(&first, plus_is_space) {
            if let Cow::Owned(second) = scrub_text(&decoded) {
                encode_into(&second, part, out);
                return;
            }
        }
    }
    out.push_str(&first);
}

/// Percent-decode `s` (and `+` to space when `plus_is_space`); `None` when
/// the result is not UTF-8.
fn decode(s: &str, plus_is_space: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match (c, unit(s, i)) {
            (b'%', Some((U::E(x), 3))) => {
                bytes.push(x);
                i += 3;
            }
            (b'+', _) if plus_is_space => {
                bytes.push(b' ');
                i += 1;
            }
            _ => {
                bytes.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// Write `s` percent-encoded for `part`, keeping markers readable.
fn encode_into(s: &str, part: Part, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &c in s.as_bytes() {
        let keep = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.' | b'_' | b'~' | b'[' | b']' | b'!' | b'$' | b'\''
            )
            || matches!(c, b'(' | b')' | b'*' | b',' | b';')
            || (part == Part::Segment && matches!(c, b'&' | b'+' | b'=' | b':' | b'@'));
        if keep {
            out.push(char::from(c));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(c >> 4)]));
            out.push(char::from(HEX[usize::from(c & 15)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a case feeds: [`scrub_text`] or [`scrub_url`] (default policy).
    #[derive(Clone, Copy, Debug)]
    enum In {
        Text,
        Url,
    }
    use In::{Text, Url};

    /// (input kind, input, exact expected output, secrets that must be gone).
    /// A case with no secrets is a non-match and must come back unchanged.
    type Case = (In, &'static str, &'static str, &'static [&'static str]);

    const JWT_HS256: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    const CASES: &[Case] = &[
        // --- emails -------------------------------------------------------
        (Text, "Contact name+tag@sub.example.co.uk today", "Contact [email] today", &["name+tag", "sub.example.co.uk"]),
        (Text, "jane.doe@example.com", "[email]", &["jane.doe", "example.com"]),
        (Text, "Email: JOHN_SMITH99@Example.ORG.", "Email: [email].", &["JOHN_SMITH99"]),
        (Text, "john%40example.com", "[email]", &["john", "example.com"]),
        (Text, "jane%2Bnews%40mail.example.com", "[email]", &["jane", "news", "mail.example"]),
        (Text, "mailto:support-team@shop.example?subject=Hi", "mailto:[email]?subject=Hi", &["support-team"]),
        (Text, "<a.b-c@mail.example.de>, x@y.example", "<[email]>, [email]", &["a.b-c", "mail.example.de", "x@y"]),
        (Text, "Schreib an jürgen.müller@bücher.de bitte", "Schreib an [email] bitte", &["jürgen", "bücher"]),
        // --- phones -------------------------------------------------------
        (Text, "Call +44 20 7946 0958 now", "Call [phone] now", &["7946 0958"]),
        (Text, "+1 (415) 555-0132", "[phone]", &["555-0132"]),
        (Text, "Office (020) 7946 0958", "Office [phone]", &["7946 0958"]),
        (Text, "Call me: 415-555-0132!", "Call me: [phone]!", &["555-0132"]),
        (Text, "mobile 0412 345 678.", "mobile [phone].", &["0412 345 678"]),
        (Text, "Ring 07700900123 or 07700 900123", "Ring [phone] or [phone]", &["07700900123", "900123"]),
        (Text, "tel:+14155550132", "tel:[phone]", &["4155550132"]),
        (Text, "415.555.0132 / 1-800-555-0199", "[phone] / [phone]", &["555.0132", "555-0199"]),
        (Text, "Portable : 06 12 34 56 78 ou +33 6 12 34 56 78", "Portable : [phone] ou [phone]", &["12 34 56 78"]),
        (Text, "Büro +49 30 1234567, mobil +44 (0) 20 7946 0958", "Büro [phone], mobil [phone]", &["1234567", "7946"]),
        (Text, "My number is 4155550132, thanks", "My number is [phone], thanks", &["4155550132"]),
        (Text, "電話03-1234-5678です", "電話[phone]です", &["1234-5678"]),
        (Text, "Позвоните +7 495 123-45-67 сегодня", "Позвоните [phone] сегодня", &["123-45-67"]),
        // --- cards --------------------------------------------------------
        (Text, "Card 4111 1111 1111 1111 exp 12/27", "Card [card] exp 12/27", &["4111 1111 1111 1111"]),
        (Text, "4111-1111-1111-1111", "[card]", &["4111-1111"]),
        (Text, "MC 5555555555554444; Amex 3782 822463 10005", "MC [card]; Amex [card]", &["5555555555554444", "822463"]),
        (Text, "Discover 6011111111111117.", "Discover [card].", &["6011111111111117"]),
        // --- JWTs and tokens ----------------------------------------------
        (Text, "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "Authorization: Bearer [jwt]", &[JWT_HS256, "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"]),
        (Text, "unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMifQ. ok", "unsigned [jwt] ok", &["eyJzdWIiOiJhYmMifQ"]),
        (Text, "api key sk_live_4eC39HqLyjWDarjtT1zdp7dc", "api key [token]", &["4eC39HqLyjWDarjtT1zdp7dc"]),
        (Text, "sha 8f14e45fceea167a5a36dedd4bea2543", "sha [token]", &["8f14e45fceea167a5a36dedd4bea2543"]),
        (Text, "session 550e8400-e29b-41d4-a716-446655440000 expired", "session [token] expired", &["550e8400", "446655440000"]),
        (Text, "PHPSESSID=el4ukv0kqbvoirg7nkp4dncpk3;", "PHPSESSID=[token];", &["el4ukv0kqbvoirg7nkp4dncpk3"]),
        (Text, "token ghp_16C7e42F292c6912E7710c838347Ae178B4a here", "token [token] here", &["16C7e42F292c6912E7710c838347Ae178B4a"]),
        (Text, "Reset code: 9C1185A5C5E9FC54612808977EE8F548B2258D31", "Reset code: [token]", &["9C1185A5C5E9FC54612808977EE8F548B2258D31"]),
        (Text, "Hi, I'm jane@example.com, +44 7700 900123, card 4111111111111111", "Hi, I'm [email], [phone], card [card]", &["jane@", "900123", "4111111111111111"]),
        // --- kept: ordinary numbers ---------------------------------------
        (Text, "Spring sale 2024: lamps from $1,299.00 (save 15%)", "Spring sale 2024: lamps from $1,299.00 (save 15%)", &[]),
        (Text, "Delivered 2024-05-01 at 12:30, order #48213", "Delivered 2024-05-01 at 12:30, order #48213", &[]),
        (Text, "Version 1.2.3 / build 10.0.19045.2965", "Version 1.2.3 / build 10.0.19045.2965", &[]),
        (Text, "Order 12345678 shipped to SW1A 1AA on 01.05.2024", "Order 12345678 shipped to SW1A 1AA on 01.05.2024", &[]),
        (Text, "Population 8 336 817, budget € 1 299 000", "Population 8 336 817, budget € 1 299 000", &[]),
        (Text, "ZIP 94105-1234 and 02134-1234", "ZIP 94105-1234 and 02134-1234", &[]),
        (Text, "Server 192.168.100.200 replied", "Server 192.168.100.200 replied", &[]),
        (Text, "ts 1714567890 / 1714567890123", "ts 1714567890 / 1714567890123", &[]),
        (Text, "Card 4111 1111 1111 1112 declined (4111111111111112)", "Card 4111 1111 1111 1112 declined (4111111111111112)", &[]),
        (Text, "Rated 4.8/5 by 12,345 customers, top 10 2024 picks", "Rated 4.8/5 by 12,345 customers, top 10 2024 picks", &[]),
        (Text, "ISBN 978-3-16-148410-0, SKU-0412345678, 0.5 0.25 0.125 0.0625", "ISBN 978-3-16-148410-0, SKU-0412345678, 0.5 0.25 0.125 0.0625", &[]),
        (Text, "Ticket $4155550132 and ₪ 2,500", "Ticket $4155550132 and ₪ 2,500", &[]),
        // --- kept: words, slugs, other scripts ----------------------------
        (Text, "spring-collection-2024-outdoor-lamps", "spring-collection-2024-outdoor-lamps", &[]),
        (Text, "iphone-15-pro-max-256gb-blue x86_64-unknown-linux-gnu", "iphone-15-pro-max-256gb-blue x86_64-unknown-linux-gnu", &[]),
        (Text, "getUserProfileById2AndMore Donaudampfschifffahrtsgesellschaftskapitän", "getUserProfileById2AndMore Donaudampfschifffahrtsgesellschaftskapitän", &[]),
        (Text, "שלום, ההזמנה שלי 48213 לא הגיעה", "שלום, ההזמנה שלי 48213 לא הגיעה", &[]),
        (Text, "Siparişim İstanbul'a ulaşmadı, ödeme 1.299,00 ₺", "Siparişim İstanbul'a ulaşmadı, ödeme 1.299,00 ₺", &[]),
        (Text, "Заказ №48213 не доставлен, звоните в офис", "Заказ №48213 не доставлен, звоните в офис", &[]),
        (Text, "Love it 😍🔥 5 stars ⭐⭐⭐⭐⭐ @team", "Love it 😍🔥 5 stars ⭐⭐⭐⭐⭐ @team", &[]),
        (Text, "Meet @ 10am, ping user@localhost or a@b", "Meet @ 10am, ping user@localhost or a@b", &[]),
        // --- URLs ---------------------------------------------------------
        (Url, "https://shop.example/p/spring-collection-2024-outdoor-lamps?color=green&size=xl#reviews", "https://shop.example/p/spring-collection-2024-outdoor-lamps?color=green&size=xl#reviews", &[]),
        (Url, "https://shop.example/s?q=caf%C3%A9+cr%C3%A8me&page=2&ts=1714567890123", "https://shop.example/s?q=caf%C3%A9+cr%C3%A8me&page=2&ts=1714567890123", &[]),
        (Url, "https://shop.example/search?q=%D7%A9%D7%9C%D7%95%D7%9D&utm_campaign=spring_sale_2024&gclid=EAIaIQobChMI8bK2", "https://shop.example/search?q=%D7%A9%D7%9C%D7%95%D7%9D&utm_campaign=spring_sale_2024&gclid=EAIaIQobChMI8bK2", &[]),
        (Url, "/orders/48213?step=2&&flag#section-2", "/orders/48213?step=2&&flag#section-2", &[]),
        (Url, "https://shop.example/account/jane.doe%40example.com/orders", "https://shop.example/account/[email]/orders", &["jane.doe", "example.com/"]),
        (Url, "https://shop.example/users/jane.doe@example.com/profile?tab=orders", "https://shop.example/users/[email]/profile?tab=orders", &["jane.doe"]),
        (Url, "https://shop.example/invite/jane.doe%2540example.com", "https://shop.example/invite/[email]", &["jane.doe"]),
        (Url, "https://shop.example/reset?token=abc123&email=jane%40example.com", "https://shop.example/reset?token=[redacted]&email=[redacted]", &["abc123", "jane"]),
        (Url, "HTTPS://Shop.Example/Account?EMAIL=Jane@Example.com&Pass=x&ApiKey=k1", "HTTPS://Shop.Example/Account?EMAIL=[redacted]&Pass=[redacted]&ApiKey=[redacted]", &["Jane", "=x", "k1"]),
        (Url, "https://shop.example/callback?code=4%2F0AX4XfWh&state=xyz", "https://shop.example/callback?code=[redacted]&state=xyz", &["0AX4XfWh"]),
        (Url, "https://api.example/v1/items?api_key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY&page=2", "https://api.example/v1/items?api_key=[redacted]&page=2", &["AIzaSy"]),
        (Url, "https://shop.example/search?q=call+me+0412+345+678", "https://shop.example/search?q=call%20me%20[phone]", &["0412", "345+678"]),
        (Url, "https://shop.example/search?q=jane%2Bnews%40example.com&sort=price", "https://shop.example/search?q=[email]&sort=price", &["jane", "news"]),
        (Url, "/contact?msg=Ring%20me%20on%20%2B44%2020%207946%200958%20please", "/contact?msg=Ring%20me%20on%20[phone]%20please", &["7946"]),
        (Url, "/checkout?step=2&phone=%2B44%2020%207946%200958", "/checkout?step=2&phone=[redacted]", &["7946"]),
        (Url, "/pay?card=4111111111111111&amount=1299.00&currency=EUR", "/pay?card=[redacted]&amount=1299.00&currency=EUR", &["4111111111111111"]),
        (Url, "/pay?cc_number=4111+1111+1111+1111&amount=12.00", "/pay?cc_number=[card]&amount=12.00", &["4111+1111"]),
        (Url, "https://shop.example/orders/550e8400-e29b-41d4-a716-446655440000/invoice", "https://shop.example/orders/[token]/invoice", &["550e8400"]),
        (Url, "https://shop.example/verify/8f14e45fceea167a5a36dedd4bea2543?lang=en", "https://shop.example/verify/[token]?lang=en", &["8f14e45f"]),
        (Url, "/login;jsessionid=8F14E45FCEEA167A5A36DEDD4BEA2543?next=%2Faccount", "/login;jsessionid=[token]?next=%2Faccount", &["8F14E45F"]),
        (Url, "https://jane:hunter2@shop.example:8443/admin", "https://[redacted]@shop.example:8443/admin", &["jane", "hunter2"]),
        (Url, "https://shop.example/cb#access_token=ya29.a0AfH6SMBx&token_type=Bearer&expires_in=3599", "https://shop.example/cb#access_token=[redacted]&token_type=Bearer&expires_in=3599", &["ya29"]),
        (Url, "https://shop.example/#/account/jane%40example.com?tab=2&sid=77", "https://shop.example/#/account/[email]?tab=2&sid=[redacted]", &["jane", "=77"]),
        (Url, "/orders?user[email]=jane%40example.com&user[name]=Jane", "/orders?user[email]=[redacted]&user[name]=Jane", &["jane%40"]),
        (Url, "/auth?redirect_uri=https%3A%2F%2Fshop.example%2Freset%3Ftoken%3Dabc123%26lang%3Den", "/auth?redirect_uri=https%3A%2F%2Fshop.example%2Freset%3Ftoken%3D[redacted]%26lang%3Den", &["abc123"]),
        (Url, "https://shop.example/u/jane%40example.com/reset?t=9c1185a5c5e9fc54612808977ee8f548b2258d31&lang=en", "https://shop.example/u/[email]/reset?t=[token]&lang=en", &["jane", "9c1185a5"]),
        (Url, "https://shop.example/track?ref=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "https://shop.example/track?ref=[jwt]", &["SflKxwRJ"]),
        (Url, "mailto:jane@example.com", "mailto:[email]", &["jane"]),
    ];

    fn run(kind: In, input: &str) -> String {
        match kind {
            Text => scrub_text(input).into_owned(),
            Url => scrub_url(input, &QueryPolicy::default()),
        }
    }

    #[test]
    fn table() {
        assert!(CASES.len() >= 60, "{} cases", CASES.len());
        let mut failures = Vec::new();
        for &(kind, input, expected, _) in CASES {
            let got = run(kind, input);
            if got != expected {
                failures.push(format!("{kind:?} {input}\n   got {got}\n  want {expected}"));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn secrets_never_survive() {
        for &(kind, input, _, secrets) in CASES {
            let got = run(kind, input);
            for secret in secrets {
                assert!(input.contains(secret), "bad case: {secret} not in {input}");
                assert!(!got.contains(secret), "{secret} survived in {got}");
            }
        }
    }

    #[test]
    fn non_matches_are_borrowed_and_identical() {
        for &(kind, input, expected, secrets) in CASES {
            if !secrets.is_empty() {
                continue;
            }
            assert_eq!(input, expected, "a non-match must be unchanged");
            match kind {
                Text => assert!(matches!(scrub_text(input), Cow::Borrowed(_)), "{input}"),
                Url => assert_eq!(scrub_url(input, &QueryPolicy::default()), input),
            }
        }
    }

    #[test]
    fn idempotent() {
        for &(kind, input, _, _) in CASES {
            let once = run(kind, input);
            assert_eq!(run(kind, &once), once, "{input}");
            if let Text = kind {
                assert!(matches!(scrub_text(&once), Cow::Borrowed(_)), "{input}");
            }
        }
    }

    #[test]
    fn query_policies() {
        let url = "/s?q=lamps&page=2&ref=mail&Email=j%40x.example&session=abc";
        let allow = QueryPolicy::allow_only(["q", "page", "email"]);
        assert_eq!(
            scrub_url(url, &allow),
            "/s?q=lamps&page=2&ref=[redacted]&Email=[redacted]&session=[redacted]"
        );
        let deny = QueryPolicy::deny_also(["ref"]);
        assert_eq!(
            scrub_url(url, &deny),
            "/s?q=lamps&page=2&ref=[redacted]&Email=[redacted]&session=[redacted]"
        );
        let none = QueryPolicy {
            deny: Vec::new(),
            allow: None,
        };
        // Without a deny-list the text rules still catch the email.
        assert_eq!(
            scrub_url(url, &none),
            "/s?q=lamps&page=2&ref=mail&Email=[email]&session=abc"
        );
        // Allowed values are still scrubbed, and empty values stay empty.
        assert_eq!(
            scrub_url("/s?q=jo%40x.example&token=&page=", &allow),
            "/s?q=[email]&token=&page="
        );
        // Encoded names are matched decoded.
        assert_eq!(
            scrub_url("/s?access%5Ftoken=abc&api-key=k", &QueryPolicy::default()),
            "/s?access%5Ftoken=[redacted]&api-key=[redacted]"
        );
        assert!(QueryPolicy::default().redacts("email[]"));
        assert!(QueryPolicy::default().redacts("accessToken"));
        assert!(!QueryPolicy::default().redacts("keyword"));
        assert!(!QueryPolicy::default().redacts("token_type"));
    }

    #[test]
    fn adversarial_inputs_finish_without_panicking() {
        let big = 100 * 1024;
        let mut inputs: Vec<String> = vec![
            "7".repeat(big),
            "4111 ".repeat(big / 5),
            "@".repeat(big),
            ".".repeat(big),
            "%".repeat(big),
            "%40".repeat(big / 3),
            "a@".repeat(big / 2),
            "a.".repeat(big / 2),
            "a-".repeat(big / 2),
            "eyJ".repeat(big / 3),
            "eyJhbGciOiJ.".repeat(big / 12),
            "+(".repeat(big / 2),
            "(1) ".repeat(big / 4),
            "0 ".repeat(big / 2),
            "1-".repeat(big / 2),
            "x1Y2".repeat(big / 4),
            "😍@".repeat(big / 5),
            "ש1".repeat(big / 3),
            format!("{}@example.com", "a".repeat(big)),
            format!("a@{}", "b.".repeat(big / 2)),
            "%2B1%20".repeat(big / 7),
            "\u{a0}1".repeat(big / 3),
        ];
        // Pseudo-random mixes of the characters the scanners care about.
        let alphabet: Vec<char> = "0123456789 +-.()@%_aZeyJ/?&=#:,$€\u{a0}שğ😍x4"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200 {
            let mut s = String::new();
            for _ in 0..500 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            inputs.push(s);
        }
        let policy = QueryPolicy::default();
        for input in &inputs {
            let once = scrub_text(input);
            assert_eq!(
                scrub_text(&once),
                once,
                "text not idempotent on {input:.80}"
            );
            let _ = scrub_url(input, &policy);
        }
        for input in &inputs[inputs.len() - 200..] {
            let url = format!("https://h.example/{input}?q={input}#{input}");
            let once = scrub_url(&url, &policy);
            assert_eq!(
                scrub_url(&once, &policy),
                once,
                "url not idempotent on {url:.80}"
            );
        }
    }

    #[test]
    fn every_char_boundary_prefix_is_safe() {
        let text = "Jürgen ✉ jürgen@bücher.de ☎ +49 30 1234567 😍 4111 1111 1111 1111 שלום";
        for (k, _) in text.char_indices() {
            let head = &text[..k];
            let tail = &text[k..];
            assert_eq!(scrub_text(&scrub_text(head)), scrub_text(head));
            assert_eq!(scrub_text(&scrub_text(tail)), scrub_text(tail));
        }
    }
}
