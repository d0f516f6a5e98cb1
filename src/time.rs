//! Time as the engine sees it: milliseconds since the Unix epoch, always
//! passed in by the caller. Nothing here reads a clock.

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = u64;

/// Format `ms` as an RFC 3339 UTC timestamp with millisecond precision.
///
/// ```
/// assert_eq!(pathlight::time::iso8601(0), "1970-01-01T00:00:00.000Z");
/// assert_eq!(pathlight::time::iso8601(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
/// ```
pub fn iso8601(ms: Millis) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60,
        ms % 1000
    )
}

/// Proleptic Gregorian date from days since the epoch (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A duration for people: "45 s", "3 min", "2 h 5 min".
///
/// ```
/// assert_eq!(pathlight::time::human_duration(125_000), "2 min");
/// assert_eq!(pathlight::time::human_duration(7_500_000), "2 h 5 min");
/// ```
pub fn human_duration(ms: Millis) -> String {
    let s = ms / 1000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        _ if (s % 3600) / 60 == 0 => format!("{} h", s / 3600),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_day_and_year_end() {
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(1_735_689_599_999), "2024-12-31T23:59:59.999Z");
    }
}
