//! What the engine keeps between runs: status changes told once to listeners, damping, the
//! latest results served without a run, and the renderer fed by them.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use healthcheckx::render::{self, Format};
use healthcheckx::{Check, CheckError, CheckFuture, Health, Outcome, Registration, Status};

/// A check that fails while `down` is set, counting its calls.
struct Switch {
    down: Arc<AtomicBool>,
    calls: Arc<AtomicUsize>,
}

impl Check for Switch {
    fn kind(&self) -> &'static str {
        "switch"
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self.down.load(Ordering::SeqCst) {
                Err(CheckError::Reported("switched off".into()))
            } else {
                Ok(Outcome::Healthy)
            }
        })
    }
}

fn switch(
    registration: impl FnOnce(Registration) -> Registration,
) -> (Health, Arc<AtomicBool>, Arc<AtomicUsize>) {
    let down = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicUsize::new(0));
    let check = Switch {
        down: Arc::clone(&down),
        calls: Arc::clone(&calls),
    };
    let health = Health::builder()
        .register(registration(
            Registration::new(check).name("svc").tag("ready"),
        ))
        .build()
        .expect("valid");
    (health, down, calls)
}

#[tokio::test]
async fn every_change_is_told_once_and_damped() {
    let (health, down, _) = switch(|r| r.failure_threshold(2).success_threshold(2));
    let changes = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&changes);
    health.on_change(move |change| {
        if let Ok(mut seen) = seen.lock() {
            seen.push((change.name.clone(), change.from, change.to));
        }
    });
    let mut reported = Vec::new();
    for off in [false, true, true, true, false, false, false] {
        down.store(off, Ordering::SeqCst);
        let report = health.run().await;
        reported.push((report.results[0].status, report.results[0].message.clone()));
    }
    let note = |m: &str| Some(m.to_string());
    assert_eq!(
        reported,
        vec![
            (Status::Healthy, None),
            (Status::Healthy, note("1 of 2 failures: switched off")),
            (Status::Unhealthy, note("switched off")),
            (Status::Unhealthy, note("switched off")),
            (
                Status::Unhealthy,
                note("1 of 2 successes; last failure: switched off")
            ),
            (Status::Healthy, None),
            (Status::Healthy, None),
        ]
    );
    let changes = changes.lock().expect("not poisoned").clone();
    assert_eq!(
        changes,
        vec![
            ("svc".to_string(), Status::Healthy, Status::Unhealthy),
            ("svc".to_string(), Status::Unhealthy, Status::Healthy),
        ]
    );
}

#[tokio::test]
async fn latest_serves_the_last_results_without_a_run() {
    let (health, down, calls) = switch(|r| r);
    assert!(health.snapshot().is_none());
    let first = health.latest().await; // nothing yet: one run
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let again = health.latest().await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(again.results, first.results);

    down.store(true, Ordering::SeqCst);
    health.run_tagged(["ready"]).await; // a tagged run updates the check's latest result
    let report = health.latest().await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(report.status(), Status::Unhealthy);
    let state = &report.states[0];
    assert_eq!(state.kind, "switch");
    assert_eq!(state.tags, vec!["ready".to_string()]);
    assert_eq!(state.failures_total, 1);
    assert_eq!(state.last_error.as_deref(), Some("switched off"));
    assert!(state.last_success.is_some());
    assert_eq!(state.history.len(), 2);

    let metrics = render::render(&report, Format::Prometheus, true);
    assert!(metrics.contains("healthcheckx_check_failures_total{check=\"svc\",tags=\"ready\"} 1\n"));
    assert_eq!(render::http_status(&report), 503);
}

#[test]
fn a_zero_threshold_is_refused() {
    let check = Switch {
        down: Arc::default(),
        calls: Arc::default(),
    };
    let refused = Health::builder()
        .register(Registration::new(check).failure_threshold(0))
        .build();
    assert!(refused.is_err());
}
