//! `Health::close`: every check's kept connection is dropped at once, the next run reconnects, and
//! the background refresh stops until the next run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use healthcheckx::{Check, CheckFuture, ConnectionSlot, Health, Outcome, Status};

/// Counts the connections of its kind that are open.
struct Conn(Arc<AtomicUsize>);

impl Drop for Conn {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A check keeping one `Conn` in a slot, as the service checks do.
struct Kept {
    open: Arc<AtomicUsize>,
    connects: Arc<AtomicUsize>,
    slot: ConnectionSlot<Conn>,
}

impl Kept {
    fn new() -> (Self, Arc<AtomicUsize>, Arc<AtomicUsize>) {
        let open = Arc::new(AtomicUsize::new(0));
        let connects = Arc::new(AtomicUsize::new(0));
        let check = Self {
            open: Arc::clone(&open),
            connects: Arc::clone(&connects),
            slot: ConnectionSlot::new(),
        };
        (check, open, connects)
    }
}

impl Check for Kept {
    fn kind(&self) -> &'static str {
        "kept"
    }

    fn close(&self) {
        self.slot.clear();
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            self.slot
                .round_trip(
                    || async {
                        self.connects.fetch_add(1, Ordering::SeqCst);
                        self.open.fetch_add(1, Ordering::SeqCst);
                        Ok(Conn(Arc::clone(&self.open)))
                    },
                    |conn| async move { Ok(conn) },
                )
                .await?;
            Ok(Outcome::Healthy)
        })
    }
}

#[tokio::test]
async fn close_drops_every_kept_connection_and_the_next_run_reconnects() {
    let (a, open_a, connects_a) = Kept::new();
    let (b, open_b, connects_b) = Kept::new();
    let health = Health::builder()
        .check(a)
        .check(b)
        .build()
        .expect("valid registrations");
    for _ in 0..3 {
        assert_eq!(health.run().await.status(), Status::Healthy);
    }
    assert_eq!(
        (open_a.load(Ordering::SeqCst), open_b.load(Ordering::SeqCst)),
        (1, 1)
    );
    assert_eq!(connects_a.load(Ordering::SeqCst), 1);

    health.clone().close(); // clones share the checks
    assert_eq!(
        (open_a.load(Ordering::SeqCst), open_b.load(Ordering::SeqCst)),
        (0, 0)
    );

    assert_eq!(health.run().await.status(), Status::Healthy);
    assert_eq!(
        (open_a.load(Ordering::SeqCst), open_b.load(Ordering::SeqCst)),
        (1, 1)
    );
    assert_eq!(
        (
            connects_a.load(Ordering::SeqCst),
            connects_b.load(Ordering::SeqCst)
        ),
        (2, 2)
    );
}

#[tokio::test]
async fn close_stops_the_background_refresh_until_the_next_run() {
    let (check, open, connects) = Kept::new();
    let health = Health::builder()
        .check(check)
        .refresh_interval(Duration::from_millis(20))
        .build()
        .expect("valid registration");
    health.run().await;
    health.close();
    assert_eq!(open.load(Ordering::SeqCst), 0);
    let after_close = connects.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(150)).await;
    // A refresh still running would have reconnected.
    assert_eq!(open.load(Ordering::SeqCst), 0);
    assert_eq!(connects.load(Ordering::SeqCst), after_close);
    health.run().await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(connects.load(Ordering::SeqCst) > after_close);
    assert_eq!(open.load(Ordering::SeqCst), 1);
    health.close();
}
