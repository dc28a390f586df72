//! The verdict of a check and of a whole run.

use std::fmt;
use std::time::Duration;

/// Health of one service, or of the whole set.
///
/// Ordered from best to worst, so the overall status of a run is the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The service answered a real round trip.
    Healthy,
    /// Impaired but usable: a non-critical check failed, or a check reported a warning.
    Degraded,
    /// The service did not answer correctly within its deadline.
    Unhealthy,
}

impl Status {
    /// The lowercase name used in JSON and in the Python `HealthStatus` enum.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Healthy => "healthy",
            Status::Degraded => "degraded",
            Status::Unhealthy => "unhealthy",
        }
    }

    /// Parses `healthy`, `degraded` or `unhealthy`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "healthy" => Some(Status::Healthy),
            "degraded" => Some(Status::Degraded),
            "unhealthy" => Some(Status::Unhealthy),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of one check in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// The name the check was registered under.
    pub name: String,
    /// Its verdict.
    pub status: Status,
    /// One line saying why, when the check is not healthy (or when it reported a note).
    pub message: Option<String>,
    /// Wall time of the check, failures and timeouts included.
    pub duration: Duration,
}

impl CheckResult {
    /// Duration in milliseconds, as reported in JSON.
    pub fn duration_ms(&self) -> f64 {
        self.duration.as_secs_f64() * 1000.0
    }
}

/// Overall status of a set of results: any unhealthy → unhealthy, any degraded → degraded, else
/// healthy (an empty set is healthy).
pub fn overall_status<'a>(results: impl IntoIterator<Item = &'a CheckResult>) -> Status {
    results
        .into_iter()
        .map(|r| r.status)
        .max()
        .unwrap_or(Status::Healthy)
}

/// What a check reports when it completes without a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// All good; no message.
    Healthy,
    /// Usable but impaired, with the reason.
    Degraded(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(status: Status) -> CheckResult {
        CheckResult {
            name: "x".into(),
            status,
            message: None,
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn overall_is_the_worst() {
        assert_eq!(overall_status([]), Status::Healthy);
        let set = [result(Status::Healthy), result(Status::Degraded)];
        assert_eq!(overall_status(&set), Status::Degraded);
        let set = [result(Status::Unhealthy), result(Status::Degraded)];
        assert_eq!(overall_status(&set), Status::Unhealthy);
    }

    #[test]
    fn names_round_trip() {
        for s in [Status::Healthy, Status::Degraded, Status::Unhealthy] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(s.to_string(), s.as_str());
        }
        assert_eq!(Status::parse("ok"), None);
    }
}
