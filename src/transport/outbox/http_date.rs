//! `Retry-After` values: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
//! HTTP-dates come in the preferred IMF-fixdate and, because a recipient
//! must accept them, the obsolete RFC 850 and asctime formats. The calendar
//! arithmetic is Howard Hinnant's `days_from_civil`, so no date crate is
//! needed.

use crate::time::Millis;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The delay a `Retry-After` value asks for, in milliseconds from `now`:
/// delay-seconds (`"120"`) or an HTTP-date. A date in the past means "now"
/// (`Some(0)`); anything unreadable is `None`. Huge values saturate; the
/// outbox caps every delay at [`super::MAX_DELAY`] anyway.
///
/// ```
/// use pathlight::transport::outbox::parse_retry_after;
/// let now = 1_445_412_480_000; // Wed, 21 Oct 2015 07:28:00 GMT
/// assert_eq!(parse_retry_after("30", now), Some(30_000));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:29:00 GMT", now), Some(60_000));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(0));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: Millis) -> Option<Millis> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        let secs = v.bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
        return Some(secs.saturating_mul(1000));
    }
    parse_http_date(v, now).map(|at| at.saturating_sub(now))
}

/// An HTTP-date as milliseconds since the epoch (dates before 1970 give 0).
/// `now` only matters for the RFC 850 format's two-digit year, which is read
/// as the latest such year not more than 50 years after `now`'s year. The
/// weekday name is not checked against the date.
///
/// ```
/// use pathlight::transport::outbox::parse_http_date;
/// let now = 1_700_000_000_000;
/// let t = Some(784_111_777_000);
/// assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", now), t);
/// assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now), t);
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994", now), t);
/// assert_eq!(parse_http_date("Sun, 31 Nov 1994 08:49:37 GMT", now), None);
/// ```
pub fn parse_http_date(value: &str, now: Millis) -> Option<Millis> {
    let v = value.trim();
    let (year, month, day, time) = match v.split_once(',') {
        Some((weekday, rest)) => {
            if !is_name(weekday) {
                return None;
            }
            let mut words = rest.split_ascii_whitespace();
            let first = words.next()?;
            let date = if first.contains('-') {
                // RFC 850: "06-Nov-94 08:49:37 GMT"
                let mut parts = first.split('-');
                let day = number(parts.next()?, 1, 2)?;
                let month = month(parts.next()?)?;
                let yy = parts.next()?;
                if parts.next().is_some() || yy.len() != 2 {
                    return None;
                }
                (full_year(number(yy, 2, 2)?, now), month, day)
            } else {
                // IMF-fixdate: "06 Nov 1994 08:49:37 GMT"
                let day = number(first, 1, 2)?;
                let month = month(words.next()?)?;
                (i64::from(number(words.next()?, 4, 4)?), month, day)
            };
            let time = clock(words.next()?)?;
            if !is_gmt(words.next()?) || words.next().is_some() {
                return None;
            }
            (date.0, date.1, date.2, time)
        }
        None => {
            // asctime: "Sun Nov  6 08:49:37 1994"
            let mut words = v.split_ascii_whitespace();
            if !is_name(words.next()?) {
                return None;
            }
            let month = month(words.next()?)?;
            let day = number(words.next()?, 1, 2)?;
            let time = clock(words.next()?)?;
            let year = i64::from(number(words.next()?, 4, 4)?);
            if words.next().is_some() {
                return None;
            }
            (year, month, day, time)
        }
    };
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let secs = days_from_civil(year, month, day) * DAY + time;
    Some(u64::try_from(secs).unwrap_or(0).saturating_mul(1000))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, the inverse of the formatter's `civil_from_days`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The latest year ending in `yy` that is not more than 50 years after the
/// year of `now` (RFC 9110 §5.6.7).
fn full_year(yy: u32, now: Millis) -> i64 {
    let days = i64::try_from(now / 1000).unwrap_or(i64::MAX) / DAY;
    let this_year = 1970 + days.saturating_mul(400) / 146_097;
    let mut year = this_year - this_year.rem_euclid(100) + i64::from(yy);
    if year > this_year + 50 {
        year -= 100;
    } else if year + 100 <= this_year + 50 {
        year += 100;
    }
    year
}

/// `hh:mm:ss` as seconds into the day (a leap second, `:60`, is accepted).
fn clock(text: &str) -> Option<i64> {
    let mut parts = text.split(':');
    let h = number(parts.next()?, 2, 2)?;
    let m = number(parts.next()?, 2, 2)?;
    let s = number(parts.next()?, 2, 2)?;
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(i64::from(h * 3600 + m * 60 + s))
}

fn month(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let i = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(name))?;
    u32::try_from(i + 1).ok()
}

/// A decimal number of `min..=max` digits (at most 4, so it fits).
fn number(text: &str, min: usize, max: usize) -> Option<u32> {
    if text.len() < min || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_name(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 3 && t.bytes().all(|b| b.is_ascii_alphabetic())
}

fn is_gmt(zone: &str) -> bool {
    zone.eq_ignore_ascii_case("GMT") || zone.eq_ignore_ascii_case("UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_at_known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    #[test]
    fn two_digit_years() {
        let now = 1_700_000_000_000; // 2023
        assert_eq!(full_year(94, now), 1994);
        assert_eq!(full_year(23, now), 2023);
        assert_eq!(full_year(73, now), 2073);
        assert_eq!(full_year(74, now), 1974);
    }
}
