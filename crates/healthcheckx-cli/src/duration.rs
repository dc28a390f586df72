//! Durations as people write them: `2` or `2.5` (seconds), `500ms`, `3s`, `1m`.

use std::time::Duration;

/// Parses a positive duration: a number of seconds, or a number followed by `ms`, `s` or `m`.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else {
        (text, 1.0)
    };
    let invalid = || format!("invalid duration \"{text}\" (expected e.g. 2, 2.5, 500ms, 3s, 1m)");
    let value: f64 = number.trim().parse().map_err(|_| invalid())?;
    seconds(value * scale).ok_or_else(invalid)
}

/// A positive, finite number of seconds (at most a day) as a duration.
pub fn seconds(value: f64) -> Option<Duration> {
    if value.is_finite() && value > 0.0 && value <= 86_400.0 {
        Some(Duration::from_secs_f64(value))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("3s"), Ok(Duration::from_secs(3)));
        assert_eq!(parse(" 1m "), Ok(Duration::from_secs(60)));
    }

    #[test]
    fn rejects_what_is_not_a_positive_duration() {
        for bad in ["", "0", "-1", "abc", "1h", "nan", "inf", "1e9", "ms"] {
            let err = parse(bad).expect_err(bad);
            assert!(err.contains("invalid duration"), "{bad}: {err}");
        }
    }
}
