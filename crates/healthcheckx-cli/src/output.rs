//! The guide's lines that `check` prints: name, coloured status, duration, message (the other
//! formats come from the engine's renderer, `healthcheckx::render`).

use std::io::{self, Write};

use healthcheckx::{Report, Status};

/// The status word, in colour when asked (green, yellow, red).
pub fn status_word(status: Status, color: bool) -> String {
    if !color {
        return status.as_str().to_string();
    }
    let code = match status {
        Status::Healthy => "32",
        Status::Degraded => "33",
        Status::Unhealthy => "31",
    };
    format!("\u{1b}[{code}m{}\u{1b}[0m", status.as_str())
}

/// One line per check: `redis: unhealthy (2001.20ms) - Connection refused`.
pub fn write_lines(out: &mut dyn Write, report: &Report, color: bool) -> io::Result<()> {
    for r in &report.results {
        let message = r
            .message
            .as_deref()
            .filter(|m| !m.is_empty())
            .map(|m| format!(" - {m}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}: {} ({:.2}ms){message}",
            r.name,
            status_word(r.status, color),
            r.duration_ms()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use healthcheckx::CheckResult;

    use super::*;

    fn report() -> Report {
        Report::new(vec![
            CheckResult {
                name: "redis".into(),
                status: Status::Unhealthy,
                message: Some("Connection refused".into()),
                duration: Duration::from_micros(2_001_204),
            },
            CheckResult {
                name: "database".into(),
                status: Status::Healthy,
                message: None,
                duration: Duration::from_micros(38_700),
            },
        ])
    }

    #[test]
    fn the_guides_lines() {
        let mut out = Vec::new();
        write_lines(&mut out, &report(), false).expect("ok");
        assert_eq!(
            String::from_utf8(out).expect("ok"),
            "redis: unhealthy (2001.20ms) - Connection refused\ndatabase: healthy (38.70ms)\n"
        );
        let mut out = Vec::new();
        write_lines(&mut out, &report(), true).expect("ok");
        assert!(String::from_utf8(out)
            .expect("ok")
            .contains("\u{1b}[31munhealthy\u{1b}[0m"));
    }
}
