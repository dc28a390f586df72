//! Disk: free space above a threshold.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crate::check::{Check, CheckFuture};
use crate::error::{strip_os_error, CheckError, ConfigError};
use crate::status::Outcome;

/// Free space of the file system holding `path`: below `min_free_percent` unhealthy, below
/// `warn_percent` degraded.
///
/// "Free" is the space an unprivileged process can still write (`f_bavail`), as a share of the
/// file system's size (`f_blocks`): the figures of Python's `shutil.disk_usage`. Blocks reserved
/// for root count as used, since the application cannot have them.
pub struct DiskCheck {
    path: String,
    min_free_percent: f64,
    warn_percent: Option<f64>,
    /// Held by the `statvfs` call in flight. `statvfs` blocks, and on a hung network file system it
    /// blocks for good: the call runs on a blocking thread, and a run that finds the previous call
    /// still stuck waits for it (and times out) instead of piling up one stuck thread per run.
    in_flight: Arc<tokio::sync::Mutex<()>>,
}

impl DiskCheck {
    /// A check of the file system holding `path`.
    pub fn new(
        path: &str,
        min_free_percent: f64,
        warn_percent: Option<f64>,
    ) -> Result<Self, ConfigError> {
        let problem = |p: String| ConfigError::new("disk", p);
        if path.trim().is_empty() {
            return Err(problem("path must not be empty".into()));
        }
        if path.contains('\0') {
            return Err(problem("path must not contain a NUL character".into()));
        }
        let percent = |name: &str, value: f64| {
            if value.is_finite() && (0.0..=100.0).contains(&value) {
                Ok(value)
            } else {
                Err(problem(format!(
                    "{name} must be between 0 and 100, not {value}"
                )))
            }
        };
        let min_free_percent = percent("min_free_percent", min_free_percent)?;
        let warn_percent = warn_percent
            .map(|w| percent("warn_percent", w))
            .transpose()?;
        if let Some(warn) = warn_percent {
            // Below `min` is unhealthy before it is degraded: a lower warning could never show.
            if warn < min_free_percent {
                return Err(problem(format!(
                    "warn_percent ({}) must not be below min_free_percent ({})",
                    threshold(warn),
                    threshold(min_free_percent)
                )));
            }
        }
        Ok(Self {
            path: path.to_string(),
            min_free_percent,
            warn_percent,
            in_flight: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    fn describe(&self, err: &io::Error) -> CheckError {
        match err.kind() {
            io::ErrorKind::NotFound => CheckError::NotFound {
                kind: "path",
                name: self.path.clone(),
            },
            _ => CheckError::Io(format!(
                "{} for \"{}\"",
                strip_os_error(&err.to_string()),
                self.path
            )),
        }
    }
}

/// Free space as a percentage of the file system's size, or `None` when it reports no size
/// (pseudo file systems such as `/proc`).
fn free_percent(blocks: u64, available: u64) -> Option<f64> {
    if blocks == 0 {
        return None;
    }
    // Both counts are in the same unit (`f_frsize`), so the unit cancels out.
    Some(available.min(blocks) as f64 * 100.0 / blocks as f64)
}

/// The verdict for `free` percent against the thresholds.
fn judge(
    free: f64,
    min_free_percent: f64,
    warn_percent: Option<f64>,
) -> Result<Outcome, CheckError> {
    // Rounded down, so that `9.96` is not shown as `10.0% free` next to a minimum of 10%.
    let shown = (free * 10.0).floor() / 10.0;
    if free < min_free_percent {
        return Err(CheckError::Service(format!(
            "{shown:.1}% free (minimum {}%)",
            threshold(min_free_percent)
        )));
    }
    match warn_percent {
        Some(warn) if free < warn => Ok(Outcome::Degraded(format!(
            "{shown:.1}% free (warn below {}%)",
            threshold(warn)
        ))),
        _ => Ok(Outcome::Healthy),
    }
}

/// A threshold as the user wrote it: `20`, `12.5`.
fn threshold(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Check for DiskCheck {
    fn kind(&self) -> &'static str {
        "disk"
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            let guard = Arc::clone(&self.in_flight).lock_owned().await;
            let path = self.path.clone();
            let stats = tokio::task::spawn_blocking(move || {
                let stats = rustix::fs::statvfs(path.as_str());
                drop(guard);
                stats
            })
            .await
            .map_err(|_| CheckError::Io("the file system query was cancelled".into()))?
            .map_err(|errno| self.describe(&io::Error::from(errno)))?;
            let Some(free) = free_percent(stats.f_blocks, stats.f_bavail) else {
                return Err(CheckError::Service(format!(
                    "the file system of \"{}\" reports no size",
                    self.path
                )));
            };
            judge(free, self.min_free_percent, self.warn_percent)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<Outcome, CheckError>) -> String {
        match result {
            Ok(Outcome::Healthy) => "healthy".into(),
            Ok(Outcome::Degraded(m)) => format!("degraded: {m}"),
            Err(e) => format!("unhealthy: {e}"),
        }
    }

    #[test]
    fn thresholds_decide_the_verdict() {
        assert_eq!(message(judge(50.0, 10.0, None)), "healthy");
        assert_eq!(message(judge(50.0, 10.0, Some(20.0))), "healthy");
        assert_eq!(
            message(judge(12.34, 10.0, Some(20.0))),
            "degraded: 12.3% free (warn below 20%)"
        );
        assert_eq!(
            message(judge(4.25, 10.0, Some(20.0))),
            "unhealthy: 4.2% free (minimum 10%)"
        );
        assert_eq!(
            message(judge(9.96, 10.0, None)),
            "unhealthy: 9.9% free (minimum 10%)"
        );
        assert_eq!(message(judge(10.0, 10.0, None)), "healthy");
        assert_eq!(
            message(judge(0.0, 12.5, None)),
            "unhealthy: 0.0% free (minimum 12.5%)"
        );
        assert_eq!(message(judge(0.0, 0.0, None)), "healthy");
    }

    #[test]
    fn free_space_is_available_blocks_over_size() {
        assert_eq!(free_percent(1000, 250), Some(25.0));
        assert_eq!(free_percent(1000, 0), Some(0.0));
        assert_eq!(free_percent(0, 0), None);
        assert_eq!(free_percent(10, 20), Some(100.0));
    }

    #[test]
    fn bad_thresholds_are_configuration_errors() {
        let err = |path: &str, min: f64, warn: Option<f64>| match DiskCheck::new(path, min, warn) {
            Ok(_) => panic!("{path} {min} {warn:?} accepted"),
            Err(e) => e.to_string(),
        };
        assert_eq!(
            err("/", 10.0, Some(5.0)),
            "check \"disk\": warn_percent (5) must not be below min_free_percent (10)"
        );
        assert!(err("/", 120.0, None).contains("min_free_percent must be between 0 and 100"));
        assert!(err("/", f64::NAN, None).contains("min_free_percent"));
        assert!(err("/", 10.0, Some(-1.0)).contains("warn_percent must be between 0 and 100"));
        assert!(err("", 10.0, None).contains("path must not be empty"));
        assert!(DiskCheck::new("/", 10.0, Some(10.0)).is_ok());
        assert!(DiskCheck::new("relative/dir", 0.0, Some(100.0)).is_ok());
        assert_eq!(threshold(20.0), "20");
        assert_eq!(threshold(12.5), "12.5");
    }

    #[tokio::test]
    async fn a_missing_path_is_reported_by_name() {
        let check = DiskCheck::new("/nonexistent/healthcheckx", 10.0, None).expect("valid");
        assert_eq!(
            message(check.check(Duration::from_secs(1)).await),
            "unhealthy: path \"/nonexistent/healthcheckx\" does not exist"
        );
        let root = DiskCheck::new("/", 0.0, None).expect("valid");
        assert_eq!(message(root.check(Duration::from_secs(1)).await), "healthy");
    }
}
