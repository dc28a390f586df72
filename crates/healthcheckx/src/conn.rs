//! One kept connection per check, reused across runs, dropped after any failure.

use std::future::Future;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::error::CheckError;

/// Holds at most one idle connection.
///
/// The connection is taken out for the duration of a round trip and put back only when the round
/// trip succeeded, so an error, a timeout (the future is dropped) or a panic all drop it. The
/// process id is recorded with it: after `fork()` the child must not use, nor even close, sockets
/// registered with the parent's I/O driver (closing would deregister them from an epoll set the
/// parent still shares), so a connection inherited across fork is forgotten, not dropped.
///
/// [`ConnectionSlot::clear`] closes the idle connection at once; a [`ConnectionSlot::round_trip`]
/// in flight at that moment ends on its connection, which is then dropped instead of kept.
pub struct ConnectionSlot<C> {
    state: Mutex<SlotState<C>>,
}

struct SlotState<C> {
    /// The idle connection, with the id of the process that made it.
    idle: Option<(u32, C)>,
    /// How many times the slot was cleared: a round trip started before a clear keeps nothing.
    clears: u64,
}

impl<C> Default for ConnectionSlot<C> {
    fn default() -> Self {
        Self {
            state: Mutex::new(SlotState {
                idle: None,
                clears: 0,
            }),
        }
    }
}

impl<C> ConnectionSlot<C> {
    /// An empty slot.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, SlotState<C>> {
        match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Takes the idle connection if there is one made by this process.
    pub fn take(&self) -> Option<C> {
        self.take_counted().0
    }

    /// [`ConnectionSlot::take`], with the number of clears so far.
    fn take_counted(&self) -> (Option<C>, u64) {
        let (taken, clears) = {
            let mut state = self.state();
            (state.idle.take(), state.clears)
        };
        (own(taken), clears)
    }

    /// Keeps `conn` for the next run (a concurrent run may already have put one back: the extra one
    /// is dropped, so at most one stays open).
    pub fn put(&self, conn: C) {
        let mut state = self.state();
        if state.idle.is_none() {
            state.idle = Some((std::process::id(), conn));
        }
    }

    /// [`ConnectionSlot::put`] unless the slot was cleared since `clears` was read: the connection
    /// is then dropped (after the lock is released).
    fn put_unless_cleared(&self, clears: u64, conn: C) {
        let mut state = self.state();
        if state.clears == clears && state.idle.is_none() {
            state.idle = Some((std::process::id(), conn));
            return;
        }
        drop(state);
        drop(conn);
    }

    /// Drops the idle connection now, which closes it (the next run opens a new one). A connection
    /// inherited across `fork()` is forgotten, not dropped. A connection out on a round trip is not
    /// in the slot: [`ConnectionSlot::round_trip`] drops it when that round trip ends instead of
    /// keeping it, whereas [`ConnectionSlot::put`], which cannot tell when its connection was
    /// taken, keeps it.
    pub fn clear(&self) {
        let taken = {
            let mut state = self.state();
            state.clears = state.clears.wrapping_add(1);
            state.idle.take()
        };
        drop(own(taken));
    }

    /// Runs `op` on the kept connection, or on a new one from `connect`.
    ///
    /// A failure on a kept connection is retried once on a fresh one, within the same deadline: a
    /// server restarted since the last run leaves a dead socket behind, and the verdict must be
    /// about the server, not about that socket.
    pub async fn round_trip<Connect, ConnectFut, Op, OpFut>(
        &self,
        connect: Connect,
        op: Op,
    ) -> Result<(), CheckError>
    where
        Connect: FnOnce() -> ConnectFut,
        ConnectFut: Future<Output = Result<C, CheckError>>,
        Op: Fn(C) -> OpFut,
        OpFut: Future<Output = Result<C, CheckError>>,
    {
        self.round_trip_limited(connect, op, None).await
    }

    /// [`ConnectionSlot::round_trip`], giving the kept connection at most `kept_limit` before a
    /// fresh one has its turn.
    pub async fn round_trip_limited<Connect, ConnectFut, Op, OpFut>(
        &self,
        connect: Connect,
        op: Op,
        kept_limit: Option<Duration>,
    ) -> Result<(), CheckError>
    where
        Connect: FnOnce() -> ConnectFut,
        ConnectFut: Future<Output = Result<C, CheckError>>,
        Op: Fn(C) -> OpFut,
        OpFut: Future<Output = Result<C, CheckError>>,
    {
        let (kept, clears) = self.take_counted();
        if let Some(kept) = kept {
            let answered = match kept_limit {
                None => op(kept).await.ok(),
                Some(limit) => tokio::time::timeout(limit, op(kept))
                    .await
                    .ok()
                    .and_then(Result::ok),
            };
            if let Some(conn) = answered {
                self.put_unless_cleared(clears, conn);
                return Ok(());
            }
        }
        let fresh = connect().await?;
        let conn = op(fresh).await?;
        self.put_unless_cleared(clears, conn);
        Ok(())
    }
}

/// The connection of `idle` if this process made it; one inherited across `fork()` is forgotten.
fn own<C>(idle: Option<(u32, C)>) -> Option<C> {
    match idle {
        Some((pid, conn)) if pid == std::process::id() => Some(conn),
        Some((_, inherited)) => {
            std::mem::forget(inherited);
            None
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn keeps_one_connection_and_retries_a_stale_one() {
        let slot = ConnectionSlot::<u32>::new();
        // First run connects (id 1) and keeps it.
        slot.round_trip(|| async { Ok(1) }, |c| async move { Ok(c) })
            .await
            .expect("first run");
        assert_eq!(slot.take(), Some(1));
        slot.put(1);
        // The kept connection fails: a fresh one (id 2) is made and kept.
        slot.round_trip(
            || async { Ok(2) },
            |c| async move {
                if c == 1 {
                    Err(CheckError::ConnectionReset)
                } else {
                    Ok(c)
                }
            },
        )
        .await
        .expect("retried on a fresh connection");
        assert_eq!(slot.take(), Some(2));
    }

    #[tokio::test]
    async fn a_failure_drops_the_connection() {
        let slot = ConnectionSlot::<u32>::new();
        let result = slot
            .round_trip(
                || async { Ok(1) },
                |_| async { Err(CheckError::ConnectionReset) },
            )
            .await;
        assert_eq!(result, Err(CheckError::ConnectionReset));
        assert_eq!(slot.take(), None);
    }

    /// A connection that counts how many of its kind are open.
    struct Counted(Arc<AtomicUsize>);

    impl Counted {
        fn open(open: &Arc<AtomicUsize>) -> Self {
            open.fetch_add(1, Ordering::SeqCst);
            Self(Arc::clone(open))
        }
    }

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn clear_closes_the_kept_connection_and_the_next_run_reconnects() {
        let open = Arc::new(AtomicUsize::new(0));
        let connects = AtomicUsize::new(0);
        let slot = ConnectionSlot::<Counted>::new();
        let connect = || async {
            connects.fetch_add(1, Ordering::SeqCst);
            Ok(Counted::open(&open))
        };
        slot.round_trip(connect, |c| async move { Ok(c) })
            .await
            .expect("first run");
        assert_eq!(open.load(Ordering::SeqCst), 1);
        slot.clear();
        assert_eq!(open.load(Ordering::SeqCst), 0);
        slot.clear(); // nothing left: a no-op
        slot.round_trip(connect, |c| async move { Ok(c) })
            .await
            .expect("run after clear");
        assert_eq!(connects.load(Ordering::SeqCst), 2);
        assert_eq!(open.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_round_trip_in_flight_during_clear_keeps_nothing() {
        let open = Arc::new(AtomicUsize::new(0));
        let slot = ConnectionSlot::<Counted>::new();
        slot.round_trip(
            || async { Ok(Counted::open(&open)) },
            |c| async {
                slot.clear();
                Ok(c)
            },
        )
        .await
        .expect("the run itself succeeds");
        assert_eq!(open.load(Ordering::SeqCst), 0);
        assert!(slot.take().is_none());
    }
}
