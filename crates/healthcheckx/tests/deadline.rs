//! The run deadline: a registry's own (`HealthBuilder::deadline`) and a caller's
//! (`Health::run_within`) cap every check's timeout, so a run answers within it whatever the
//! checks' own timeouts.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use healthcheckx::checks::RedisCheck;
use healthcheckx::{
    Check, CheckFuture, Health, HealthBuilder, Outcome, Registration, Report, RunContext, Status,
};

/// Sleeps `delays[n]` on its n-th call (the last one afterwards), then reports healthy; records
/// the timeout the engine handed it.
struct Sleeper {
    delays: Vec<Duration>,
    calls: AtomicUsize,
    told: std::sync::Mutex<Vec<Duration>>,
}

impl Sleeper {
    fn new(delays_ms: &[u64]) -> Arc<Self> {
        Arc::new(Self {
            delays: delays_ms
                .iter()
                .map(|ms| Duration::from_millis(*ms))
                .collect(),
            calls: AtomicUsize::new(0),
            told: std::sync::Mutex::new(Vec::new()),
        })
    }

    fn told(&self) -> Vec<Duration> {
        self.told.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

impl Check for Sleeper {
    fn kind(&self) -> &'static str {
        "sleeper"
    }

    fn check(&self, timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            if let Ok(mut told) = self.told.lock() {
                told.push(timeout);
            }
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let delay = self.delays[n.min(self.delays.len() - 1)];
            tokio::time::sleep(delay).await;
            Ok(Outcome::Healthy)
        })
    }
}

/// A check on `check` with a timeout of its own (5 s) far above any deadline here.
fn registry(builder: HealthBuilder, check: &Arc<Sleeper>, name: &str) -> Health {
    builder
        .register(
            Registration::from_arc(check.clone())
                .name(name)
                .timeout(Duration::from_secs(5)),
        )
        .build()
        .expect("valid")
}

/// `Health::run_within`, asserting that it answered within `max_ms`.
async fn run_within(health: &Health, deadline_ms: u64, max_ms: u64) -> Report {
    let deadline = Some(Duration::from_millis(deadline_ms));
    let started = Instant::now();
    let report = health
        .run_within(None, deadline, RunContext::default())
        .await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(max_ms), "took {elapsed:?}");
    report
}

fn outcomes(report: &Report) -> Vec<(String, Status, Option<String>)> {
    report
        .results
        .iter()
        .map(|r| (r.name.clone(), r.status, r.message.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registry_deadline_caps_every_check() {
    // Connections complete in the backlog of a listener that never accepts: a silent server.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("address").port();
    let slow = Sleeper::new(&[10_000]);
    let fast = Sleeper::new(&[10]);
    let health = Health::builder()
        .deadline(Duration::from_millis(300))
        .register(
            Registration::new(
                RedisCheck::new(&format!("redis://127.0.0.1:{port}/0")).expect("url"),
            )
            .name("silent")
            .timeout(Duration::from_secs(5)),
        )
        .register(
            Registration::from_arc(slow.clone())
                .name("slow")
                .timeout(Duration::from_secs(5)),
        )
        .register(Registration::from_arc(fast.clone()).name("fast"))
        .build()
        .expect("valid");
    let started = Instant::now();
    let report = health.run().await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(450), "took {elapsed:?}");
    assert_eq!(
        outcomes(&report),
        vec![
            (
                "silent".into(),
                Status::Unhealthy,
                Some("timed out after 0.3s".into())
            ),
            (
                "slow".into(),
                Status::Unhealthy,
                Some("timed out after 0.3s".into())
            ),
            ("fast".into(), Status::Healthy, None),
        ]
    );
    // The check is told the capped timeout, for the blocking work it bounds itself.
    assert_eq!(slow.told(), vec![Duration::from_millis(300)]);
    assert_eq!(fast.told(), vec![Duration::from_millis(300)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callers_deadline_applies_to_its_run_only() {
    let check = Sleeper::new(&[400]);
    let health = registry(
        Health::builder().cache_ttl(Duration::from_secs(60)),
        &check,
        "slow",
    );
    let capped = run_within(&health, 150, 300).await;
    assert_eq!(
        outcomes(&capped),
        vec![(
            "slow".into(),
            Status::Unhealthy,
            Some("timed out after 0.15s".into())
        )]
    );
    // A run without a deadline is not served the capped result from the cache: it runs, and
    // the check answers in its own time.
    let full = health.run().await;
    assert_eq!(
        outcomes(&full),
        vec![("slow".into(), Status::Healthy, None)]
    );
    // Each deadline has its own cache entry.
    let again = run_within(&health, 150, 50).await;
    assert_eq!(again, capped);
    assert_eq!(check.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shorter_of_the_two_deadlines_wins_and_the_next_run_recovers() {
    // Hangs on the first call, answers at once afterwards.
    let check = Sleeper::new(&[10_000, 5]);
    let health = registry(
        Health::builder().deadline(Duration::from_millis(200)),
        &check,
        "flaky",
    );
    let report = run_within(&health, 2000, 350).await;
    assert_eq!(
        report.results[0].message.as_deref(),
        Some("timed out after 0.2s")
    );
    let report = health.run().await;
    assert_eq!(
        outcomes(&report),
        vec![("flaky".into(), Status::Healthy, None)]
    );
    assert_eq!(
        check.told(),
        vec![Duration::from_millis(200), Duration::from_millis(200)]
    );
}
