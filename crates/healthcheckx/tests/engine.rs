//! Engine behaviour with checks that need no server: concurrency, deadlines, order,
//! single-flight, cache, criticality and tags.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use healthcheckx::checks::TcpCheck;
use healthcheckx::{Check, CheckError, CheckFuture, Health, Outcome, Registration, Status};
use tokio::net::TcpListener;

/// A check that sleeps, counts its calls, and reports what it was told to.
struct Scripted {
    delay: Duration,
    verdict: Result<Outcome, CheckError>,
    calls: Arc<AtomicUsize>,
}

impl Scripted {
    fn new(delay_ms: u64, verdict: Result<Outcome, CheckError>) -> (Self, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let check = Self {
            delay: Duration::from_millis(delay_ms),
            verdict,
            calls: Arc::clone(&calls),
        };
        (check, calls)
    }
}

impl Check for Scripted {
    fn kind(&self) -> &'static str {
        "scripted"
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            self.verdict.clone()
        })
    }
}

/// A listener that accepts connections and never answers: every protocol hangs on it.
async fn tarpit() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind tarpit");
    let port = listener.local_addr().expect("tarpit address").port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (port, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_checks_end_at_their_deadline_and_the_rest_run_concurrently() {
    let (port, _tarpit) = tarpit().await;
    let mut builder = Health::builder();
    for i in 0..5 {
        let registration = if i % 2 == 0 {
            // Postgres-like hang: connect succeeds, nothing is ever answered.
            let (check, _) = Scripted::new(10_000, Ok(Outcome::Healthy));
            Registration::new(check)
        } else {
            Registration::new(TcpCheck::new("127.0.0.1", port).expect("tcp"))
        };
        builder = builder.register(
            registration
                .name(format!("check-{i}"))
                .timeout(Duration::from_secs(1)),
        );
    }
    let health = builder.build().expect("valid");
    let started = Instant::now();
    let report = health.run().await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(1200), "took {elapsed:?}");
    let names: Vec<_> = report.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["check-0", "check-1", "check-2", "check-3", "check-4"]
    );
    for (i, result) in report.results.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(result.status, Status::Unhealthy);
            assert_eq!(result.message.as_deref(), Some("timed out after 1.0s"));
            assert!(result.duration >= Duration::from_secs(1));
        } else {
            // The tarpit accepts, which is all a TCP check asks.
            assert_eq!(result.status, Status::Healthy, "{result:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_runs_share_one_execution() {
    let (check, calls) = Scripted::new(200, Ok(Outcome::Healthy));
    let health = Health::builder().check(check).build().expect("valid");
    let runs: Vec<_> = (0..50)
        .map(|_| {
            let health = health.clone();
            tokio::spawn(async move { health.run().await })
        })
        .collect();
    for run in runs {
        let report = run.await.expect("run");
        assert_eq!(report.status(), Status::Healthy);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Without a cache, the next run is a new execution.
    health.run().await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_cache_serves_fresh_results_without_running_checks() {
    let (check, calls) = Scripted::new(0, Ok(Outcome::Healthy));
    let health = Health::builder()
        .check(check)
        .cache_ttl(Duration::from_millis(300))
        .build()
        .expect("valid");
    health.run().await;
    health.run().await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(350)).await;
    health.run().await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn non_critical_failures_degrade_and_tags_select() {
    let (failing, _) = Scripted::new(0, Err(CheckError::ConnectionRefused));
    let (fine, fine_calls) = Scripted::new(0, Ok(Outcome::Healthy));
    let health = Health::builder()
        .register(
            Registration::new(failing)
                .name("optional")
                .critical(false)
                .tag("ready"),
        )
        .register(Registration::new(fine).name("core").tag("live"))
        .build()
        .expect("valid");
    let report = health.run().await;
    assert_eq!(report.results[0].status, Status::Degraded);
    assert_eq!(
        report.results[0].message.as_deref(),
        Some("Connection refused")
    );
    assert_eq!(report.status(), Status::Degraded);

    let ready = health.run_tagged(["ready"]).await;
    assert_eq!(ready.results.len(), 1);
    assert_eq!(ready.results[0].name, "optional");
    assert_eq!(
        fine_calls.load(Ordering::SeqCst),
        1,
        "the live check did not run again"
    );
}

#[tokio::test]
async fn a_refused_port_is_reported_at_once() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let health = Health::builder()
        .check(TcpCheck::new("127.0.0.1", port).expect("tcp"))
        .build()
        .expect("valid");
    let report = health.run().await;
    assert_eq!(report.results[0].status, Status::Unhealthy);
    assert_eq!(
        report.results[0].message.as_deref(),
        Some("Connection refused")
    );
    assert!(report.results[0].duration < Duration::from_millis(500));
}

#[tokio::test]
async fn zero_timeouts_are_rejected_at_registration() {
    let (check, _) = Scripted::new(0, Ok(Outcome::Healthy));
    let err = Health::builder()
        .register(Registration::new(check).name("x").timeout(Duration::ZERO))
        .build()
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("check \"x\": timeout must be greater than zero")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_background_refresh_serves_the_latest_results_at_once() {
    let (check, calls) = Scripted::new(150, Ok(Outcome::Healthy));
    let health = Health::builder()
        .check(check)
        .refresh_interval(Duration::from_millis(100))
        .build()
        .expect("valid");
    // The first run has nothing to serve yet: it runs the check.
    let report = health.run().await;
    assert_eq!(report.status(), Status::Healthy);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Later runs answer from the latest report without waiting for the 150 ms check...
    let started = Instant::now();
    for _ in 0..100 {
        health.run().await;
    }
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    // ...while the background task keeps running it (every 100 ms after each 150 ms round).
    tokio::time::sleep(Duration::from_millis(800)).await;
    let refreshed = calls.load(Ordering::SeqCst);
    assert!((3..=6).contains(&refreshed), "{refreshed}");
    // Stopped, it runs no more.
    health.stop_refresh();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped = calls.load(Ordering::SeqCst);
    assert!(stopped <= refreshed + 1, "{refreshed} → {stopped}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(calls.load(Ordering::SeqCst), stopped);
}

/// A check whose driver has a bug: it panics.
struct Panicking;

impl Check for Panicking {
    fn kind(&self) -> &'static str {
        "buggy"
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            let empty: Vec<u8> = Vec::new();
            // An out-of-bounds index, as a driver's parser might do.
            let byte = empty[usize::from(empty.is_empty())];
            Ok(if byte == 0 {
                Outcome::Healthy
            } else {
                Outcome::Degraded(String::new())
            })
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_check_is_a_result_and_the_run_goes_on() {
    let (fine, _) = Scripted::new(0, Ok(Outcome::Healthy));
    let health = Health::builder()
        .check(Panicking)
        .register(
            Registration::new(Panicking)
                .name("optional")
                .critical(false),
        )
        .register(Registration::new(fine).name("fine"))
        .build()
        .expect("valid");
    for _ in 0..2 {
        let report = health.run().await;
        let seen: Vec<_> = report
            .results
            .iter()
            .map(|r| (r.name.as_str(), r.status, r.message.as_deref()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (
                    "buggy",
                    Status::Unhealthy,
                    Some("internal error in buggy check")
                ),
                (
                    "optional",
                    Status::Degraded,
                    Some("internal error in buggy check")
                ),
                ("fine", Status::Healthy, None),
            ]
        );
    }
}
