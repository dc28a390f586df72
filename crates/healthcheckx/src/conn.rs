//! One kept connection per check, reused across runs, dropped after any failure.

use std::future::Future;
use std::sync::Mutex;

use crate::error::CheckError;

/// Holds at most one idle connection.
///
/// The connection is taken out for the duration of a round trip and put back only when the round
/// trip succeeded, so an error, a timeout (the future is dropped) or a panic all drop it. The
/// process id is recorded with it: after `fork()` the child must not use, nor even close, sockets
/// registered with the parent's I/O driver (closing would deregister them from an epoll set the
/// parent still shares), so a connection inherited across fork is forgotten, not dropped.
pub struct ConnectionSlot<C> {
    idle: Mutex<Option<(u32, C)>>,
}

impl<C> Default for ConnectionSlot<C> {
    fn default() -> Self {
        Self {
            idle: Mutex::new(None),
        }
    }
}

impl<C> ConnectionSlot<C> {
    /// An empty slot.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the idle connection if there is one made by this process.
    pub fn take(&self) -> Option<C> {
        let taken = match self.idle.lock() {
            Ok(mut idle) => idle.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        match taken {
            Some((pid, conn)) if pid == std::process::id() => Some(conn),
            Some((_, inherited)) => {
                std::mem::forget(inherited);
                None
            }
            None => None,
        }
    }

    /// Keeps `conn` for the next run (a concurrent run may already have put one back: the extra one
    /// is dropped, so at most one stays open).
    pub fn put(&self, conn: C) {
        let mut idle = match self.idle.lock() {
            Ok(idle) => idle,
            Err(poisoned) => poisoned.into_inner(),
        };
        if idle.is_none() {
            *idle = Some((std::process::id(), conn));
        }
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
        if let Some(kept) = self.take() {
            if let Ok(conn) = op(kept).await {
                self.put(conn);
                return Ok(());
            }
        }
        let fresh = connect().await?;
        let conn = op(fresh).await?;
        self.put(conn);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
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
}
