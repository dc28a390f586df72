//! What the engine remembers of each check between runs: since when it has its status, its last
//! error and success, a short history of its runs, and the damping of
//! [`Registration::failure_threshold`](crate::Registration::failure_threshold) and
//! [`Registration::success_threshold`](crate::Registration::success_threshold).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, SystemTime};

use crate::status::{CheckResult, Status};

/// How many runs of each check the history keeps (the HTML page's sparkline).
pub const HISTORY_LEN: usize = 30;

/// One run of a check, as it really went (before damping).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// When the run ended.
    pub at: SystemTime,
    /// Its wall time.
    pub duration: Duration,
    /// Whether the check failed (an error or a timeout).
    pub failed: bool,
}

/// What the engine knows of one check beside its latest result.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckState {
    /// The kind of check (`redis`, `postgresql`, `check` for a custom one...).
    pub kind: &'static str,
    /// The registration's tags, sorted.
    pub tags: Vec<String>,
    /// Since when the check has its reported status (its first run, or its last change).
    pub since: SystemTime,
    /// The message of its last failure, however long ago.
    pub last_error: Option<String>,
    /// When it last passed (did not fail), if ever.
    pub last_success: Option<SystemTime>,
    /// How many of its runs failed since the registry was built.
    pub failures_total: u64,
    /// Its latest runs, oldest first, at most [`HISTORY_LEN`].
    pub history: Vec<Sample>,
}

/// A change of a check's reported status, given to [`Health::on_change`](crate::Health::on_change)
/// listeners once, as it happens (a check's first result is not a change).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The check's name.
    pub name: String,
    /// Its status until now.
    pub from: Status,
    /// Its new status.
    pub to: Status,
    /// The result's message (the reason, when it went bad).
    pub message: Option<String>,
    /// When the run that changed it ended.
    pub at: SystemTime,
}

/// A listener of status changes.
pub type ChangeListener = Arc<dyn Fn(&Change) + Send + Sync>;

/// The listeners of one registry.
#[derive(Default, Clone)]
pub(crate) struct Listeners(Arc<RwLock<Vec<ChangeListener>>>);

impl Listeners {
    pub(crate) fn add(&self, listener: ChangeListener) {
        match self.0.write() {
            Ok(mut list) => list.push(listener),
            Err(poisoned) => poisoned.into_inner().push(listener),
        }
    }

    pub(crate) fn notify(&self, change: &Change) {
        let list: Vec<ChangeListener> = match self.0.read() {
            Ok(list) => list.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        for listener in list {
            listener(change);
        }
    }
}

/// Runs in a row before a check's reported status turns (1: at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Thresholds {
    pub(crate) failures: u32,
    pub(crate) successes: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            failures: 1,
            successes: 1,
        }
    }
}

/// The state of one registered check, updated by every run of it.
#[derive(Default)]
pub(crate) struct Tracker(Mutex<Track>);

#[derive(Default)]
struct Track {
    /// The reported status, and whether it stands for a failure.
    reported: Option<(Status, bool)>,
    since: Option<SystemTime>,
    last_error: Option<String>,
    last_success: Option<SystemTime>,
    failures_total: u64,
    fail_streak: u32,
    pass_streak: u32,
    history: VecDeque<Sample>,
    last: Option<(CheckResult, CheckState)>,
}

impl Tracker {
    fn lock(&self) -> MutexGuard<'_, Track> {
        match self.0.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Records a run: `raw` is what the check answered, `failed` whether that was a failure.
    /// Returns the result to report (damped by `thresholds`), the check's state, and the change
    /// of its reported status, if any.
    pub(crate) fn observe(
        &self,
        raw: CheckResult,
        failed: bool,
        thresholds: Thresholds,
        kind: &'static str,
        tags: Vec<String>,
    ) -> (CheckResult, CheckState, Option<Change>) {
        let now = SystemTime::now();
        let mut track = self.lock();
        if failed {
            track.failures_total += 1;
            track.last_error.clone_from(&raw.message);
            track.fail_streak = track.fail_streak.saturating_add(1);
            track.pass_streak = 0;
        } else {
            track.last_success = Some(now);
            track.pass_streak = track.pass_streak.saturating_add(1);
            track.fail_streak = 0;
        }
        if track.history.len() >= HISTORY_LEN {
            track.history.pop_front();
        }
        track.history.push_back(Sample {
            at: now,
            duration: raw.duration,
            failed,
        });

        let mut result = raw;
        let previous = track.reported;
        let reported = match previous {
            Some((status, false)) if failed && track.fail_streak < thresholds.failures => {
                result.message = Some(match &result.message {
                    Some(m) => format!(
                        "{} of {} failures: {m}",
                        track.fail_streak, thresholds.failures
                    ),
                    None => format!("{} of {} failures", track.fail_streak, thresholds.failures),
                });
                result.status = status;
                (status, false)
            }
            Some((status, true)) if !failed && track.pass_streak < thresholds.successes => {
                let last = track.last_error.as_deref().unwrap_or("failed");
                result.message = Some(format!(
                    "{} of {} successes; last failure: {last}",
                    track.pass_streak, thresholds.successes
                ));
                result.status = status;
                (status, true)
            }
            _ => (result.status, failed),
        };
        track.reported = Some(reported);
        let change = match previous {
            Some((from, _)) if from != reported.0 => {
                track.since = Some(now);
                Some(Change {
                    name: result.name.clone(),
                    from,
                    to: reported.0,
                    message: result.message.clone(),
                    at: now,
                })
            }
            Some(_) => None,
            None => {
                track.since = Some(now);
                None
            }
        };
        let state = CheckState {
            kind,
            tags,
            since: track.since.unwrap_or(now),
            last_error: track.last_error.clone(),
            last_success: track.last_success,
            failures_total: track.failures_total,
            history: track.history.iter().copied().collect(),
        };
        track.last = Some((result.clone(), state.clone()));
        (result, state, change)
    }

    /// The latest reported result and state, if the check ran.
    pub(crate) fn latest(&self) -> Option<(CheckResult, CheckState)> {
        self.lock().last.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(tracker: &Tracker, failed: bool, thresholds: Thresholds) -> (Status, Option<String>) {
        let raw = CheckResult {
            name: "db".into(),
            status: if failed {
                Status::Unhealthy
            } else {
                Status::Healthy
            },
            message: failed.then(|| "Connection refused".to_string()),
            duration: Duration::from_millis(3),
        };
        let (result, _, _) = tracker.observe(raw, failed, thresholds, "tcp", Vec::new());
        (result.status, result.message)
    }

    #[test]
    fn damping_counts_failures_then_successes() {
        let tracker = Tracker::default();
        let t = Thresholds {
            failures: 3,
            successes: 2,
        };
        assert_eq!(run(&tracker, false, t), (Status::Healthy, None));
        assert_eq!(
            run(&tracker, true, t),
            (
                Status::Healthy,
                Some("1 of 3 failures: Connection refused".into())
            )
        );
        assert_eq!(run(&tracker, true, t).0, Status::Healthy);
        assert_eq!(run(&tracker, true, t).0, Status::Unhealthy);
        assert_eq!(
            run(&tracker, false, t),
            (
                Status::Unhealthy,
                Some("1 of 2 successes; last failure: Connection refused".into())
            )
        );
        assert_eq!(run(&tracker, false, t), (Status::Healthy, None));
        // A failure between passes starts the count again.
        run(&tracker, true, t);
        run(&tracker, false, t);
        assert_eq!(
            run(&tracker, true, t).1.as_deref().map(|m| &m[..14]),
            Some("1 of 3 failure")
        );
    }

    #[test]
    fn first_result_is_not_a_change_nor_damped() {
        let tracker = Tracker::default();
        let t = Thresholds {
            failures: 3,
            successes: 1,
        };
        let raw = CheckResult {
            name: "db".into(),
            status: Status::Unhealthy,
            message: Some("down".into()),
            duration: Duration::ZERO,
        };
        let (result, state, change) = tracker.observe(raw.clone(), true, t, "tcp", Vec::new());
        assert_eq!(result.status, Status::Unhealthy);
        assert!(change.is_none());
        assert_eq!(state.failures_total, 1);
        let healthy = CheckResult {
            status: Status::Healthy,
            message: None,
            ..raw
        };
        let (_, state, change) = tracker.observe(healthy, false, t, "tcp", Vec::new());
        let change = change.expect("a change");
        assert_eq!(
            (change.from, change.to),
            (Status::Unhealthy, Status::Healthy)
        );
        assert_eq!(state.since, change.at);
        assert_eq!(state.last_error.as_deref(), Some("down"));
        assert_eq!(state.history.len(), 2);
    }
}
