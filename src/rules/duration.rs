//! Durations as product teams write them: `"30s"`, `"10m"`, `"2h"`, `"1d"`.

use crate::time::Millis;

/// Parse a duration. Errors say what is expected.
///
/// ```
/// use pathlight::rules::duration::parse;
/// assert_eq!(parse("30s"), Ok(30_000));
/// assert_eq!(parse("1d"), Ok(86_400_000));
/// assert!(parse("soon").is_err());
/// ```
pub fn parse(text: &str) -> Result<Millis, &'static str> {
    const HELP: &str = "expected a duration such as \"30s\", \"10m\", \"2h\" or \"7d\"";
    let t = text.trim();
    let unit = t.chars().last().ok_or(HELP)?;
    let n: u64 = t[..t.len() - unit.len_utf8()].parse().map_err(|_| HELP)?;
    let ms = match unit {
        's' => 1_000,
        'm' => 60_000,
        'h' => 3_600_000,
        'd' => 86_400_000,
        _ => return Err(HELP),
    };
    if n > 3650 * 86_400 {
        return Err("is longer than ten years");
    }
    Ok(n * ms)
}
