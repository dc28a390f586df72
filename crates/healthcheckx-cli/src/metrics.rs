//! Prometheus text (exposition format 0.0.4) of a report, for `serve`'s `/metrics`.
//!
//! Metric names follow the engine's planned renderer (`healthcheckx_up`,
//! `healthcheckx_check_up`, `healthcheckx_check_status`, `healthcheckx_check_duration_seconds`,
//! label `check`); once the engine renders Prometheus text itself, `serve` calls it instead and
//! this module goes.

use std::fmt::Write;

use healthcheckx::{Report, Status};

/// The `Content-Type` of [`prometheus`].
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The metrics of `report`.
pub fn prometheus(report: &Report) -> String {
    let mut text = String::with_capacity(256 + report.results.len() * 320);
    let up = |status: Status| u8::from(status != Status::Unhealthy);
    metric(
        &mut text,
        "healthcheckx_up",
        "gauge",
        "1 when every check is healthy or degraded, 0 when one is unhealthy.",
    );
    let _ = writeln!(text, "healthcheckx_up {}", up(report.status()));
    metric(
        &mut text,
        "healthcheckx_check_up",
        "gauge",
        "1 when the check is healthy or degraded, 0 when it is unhealthy.",
    );
    for r in &report.results {
        let _ = writeln!(
            text,
            "healthcheckx_check_up{{check=\"{}\"}} {}",
            label(&r.name),
            up(r.status)
        );
    }
    metric(
        &mut text,
        "healthcheckx_check_status",
        "gauge",
        "1 for the check's current status, 0 for the others.",
    );
    for r in &report.results {
        for status in [Status::Healthy, Status::Degraded, Status::Unhealthy] {
            let _ = writeln!(
                text,
                "healthcheckx_check_status{{check=\"{}\",status=\"{}\"}} {}",
                label(&r.name),
                status.as_str(),
                u8::from(r.status == status)
            );
        }
    }
    metric(
        &mut text,
        "healthcheckx_check_duration_seconds",
        "gauge",
        "How long the check's last run took, in seconds.",
    );
    for r in &report.results {
        let _ = writeln!(
            text,
            "healthcheckx_check_duration_seconds{{check=\"{}\"}} {}",
            label(&r.name),
            r.duration.as_secs_f64()
        );
    }
    text
}

fn metric(text: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(text, "# HELP {name} {help}");
    let _ = writeln!(text, "# TYPE {name} {kind}");
}

/// A label value escaped as the exposition format wants (`\\`, `\"`, `\n`).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use healthcheckx::CheckResult;

    use super::*;

    #[test]
    fn one_series_per_check_and_status() {
        let report = Report::new(vec![
            CheckResult {
                name: "redis".into(),
                status: Status::Unhealthy,
                message: Some("Connection refused".into()),
                duration: Duration::from_millis(1500),
            },
            CheckResult {
                name: "d\"b".into(),
                status: Status::Degraded,
                message: None,
                duration: Duration::from_millis(2),
            },
        ]);
        let text = prometheus(&report);
        for line in [
            "healthcheckx_up 0",
            "healthcheckx_check_up{check=\"redis\"} 0",
            "healthcheckx_check_up{check=\"d\\\"b\"} 1",
            "healthcheckx_check_status{check=\"redis\",status=\"unhealthy\"} 1",
            "healthcheckx_check_status{check=\"redis\",status=\"healthy\"} 0",
            "healthcheckx_check_status{check=\"d\\\"b\",status=\"degraded\"} 1",
            "healthcheckx_check_duration_seconds{check=\"redis\"} 1.5",
            "# TYPE healthcheckx_check_duration_seconds gauge",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from\n{text}"
            );
        }
        assert!(!text.contains("Connection refused"));
    }
}
