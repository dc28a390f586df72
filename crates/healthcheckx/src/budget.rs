//! A read budget per round trip, for the drivers that talk over a stream the check makes.
//!
//! A wrong port, a proxy gone wrong or a hostile peer can answer with an endless reply or a length
//! field of gigabytes; drivers buffer what a reply's length promises, so one run of a health check
//! could take a gigabyte of memory or abort the process. Wrapped in [`Budgeted`], the stream fails
//! with [`BudgetExceeded`] as soon as the peer has sent more than the budget since the last
//! [`ReadBudget::reset`] (one round trip), and, with a [`FrameGuard`], as soon as a frame header
//! declares a length over the budget — before the driver sees the header and sizes a buffer from it.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How much a round trip may read: far above any health check's reply (a PostgreSQL startup is
/// about 1 KiB, a `PING` 7 bytes), far below what would hurt the process.
pub const DEFAULT_READ_BUDGET: usize = 1024 * 1024;

/// The error a [`Budgeted`] stream fails with; its text is the check's message.
#[derive(Debug, thiserror::Error)]
#[error("reply larger than {}: not a {protocol} server, or a misbehaving one", size(*limit))]
pub struct BudgetExceeded {
    /// What the peer was expected to speak (`PostgreSQL`, `Redis`).
    pub protocol: &'static str,
    /// The budget, in bytes.
    pub limit: usize,
}

/// `1 MiB`, `64 KiB`, `100 bytes`.
fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * KIB;
    match bytes {
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= KIB && b % KIB == 0 => format!("{} KiB", b / KIB),
        b => format!("{b} bytes"),
    }
}

/// Bytes read since the last reset, shared between the check (which resets it before each round
/// trip) and the stream (which a driver may read on a task of its own).
#[derive(Clone, Debug)]
pub struct ReadBudget {
    used: Arc<AtomicUsize>,
    tripped: Arc<AtomicBool>,
    limit: usize,
    protocol: &'static str,
}

impl ReadBudget {
    /// A budget of `limit` bytes per round trip for a peer expected to speak `protocol`.
    pub fn new(limit: usize, protocol: &'static str) -> Self {
        Self {
            used: Arc::new(AtomicUsize::new(0)),
            tripped: Arc::new(AtomicBool::new(false)),
            limit,
            protocol,
        }
    }

    /// Whether the stream stopped at the budget: drivers that read on a task of their own report
    /// only "connection closed" to the caller, so the check asks here why.
    pub fn exceeded(&self) -> Option<crate::CheckError> {
        self.tripped
            .load(Ordering::Relaxed)
            .then(|| crate::CheckError::Service(self.error().to_string()))
    }

    fn error(&self) -> BudgetExceeded {
        BudgetExceeded {
            protocol: self.protocol,
            limit: self.limit,
        }
    }

    /// Starts a new round trip.
    pub fn reset(&self) {
        self.used.store(0, Ordering::Relaxed);
    }

    /// Counts `n` bytes read; false once the budget is spent.
    fn spend(&self, n: usize) -> bool {
        let before = self.used.fetch_add(n, Ordering::Relaxed);
        before.saturating_add(n) <= self.limit
    }
}

/// Knows where a protocol's frames start and what length each one declares.
pub trait FrameGuard: Send + Unpin {
    /// Looks at the next bytes read; an error when a frame declares more than `limit` bytes.
    fn observe(&mut self, bytes: &[u8], limit: usize) -> Result<(), ()>;
}

/// No framing known: the byte budget alone.
#[derive(Debug, Default)]
pub struct Unframed;

impl FrameGuard for Unframed {
    fn observe(&mut self, _bytes: &[u8], _limit: usize) -> Result<(), ()> {
        Ok(())
    }
}

/// A stream that stops reading at its budget.
pub struct Budgeted<S, G = Unframed> {
    inner: S,
    budget: ReadBudget,
    guard: G,
}

impl<S> Budgeted<S> {
    /// `inner`, limited by `budget` alone.
    pub fn new(inner: S, budget: ReadBudget) -> Self {
        Self::framed(inner, budget, Unframed)
    }
}

impl<S, G> Budgeted<S, G> {
    /// `inner`, limited by `budget` and by `guard`'s reading of frame headers.
    pub fn framed(inner: S, budget: ReadBudget, guard: G) -> Self {
        Self {
            inner,
            budget,
            guard,
        }
    }

    fn exceeded(&self) -> io::Error {
        self.budget.tripped.store(true, Ordering::Relaxed);
        io::Error::new(io::ErrorKind::InvalidData, self.budget.error())
    }
}

impl<S: AsyncRead + Unpin, G: FrameGuard> AsyncRead for Budgeted<S, G> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.budget.tripped.load(Ordering::Relaxed) {
            return Poll::Ready(Err(this.exceeded()));
        }
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let fresh = &buf.filled()[before..];
                let within = this.budget.spend(fresh.len())
                    && this.guard.observe(fresh, this.budget.limit).is_ok();
                if within {
                    Poll::Ready(Ok(()))
                } else {
                    // The bytes stay unseen by the driver: it gets the error instead.
                    buf.set_filled(before);
                    Poll::Ready(Err(this.exceeded()))
                }
            }
            other => other,
        }
    }
}

impl<S: AsyncWrite + Unpin, G: FrameGuard> AsyncWrite for Budgeted<S, G> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Frames of the form `type (1 byte) | length (4 bytes, big-endian, counting itself) | body`:
/// every PostgreSQL backend message after the startup.
#[derive(Debug, Default)]
pub struct TypeLengthFrames {
    header: [u8; 5],
    header_len: usize,
    body_left: u64,
}

impl FrameGuard for TypeLengthFrames {
    fn observe(&mut self, mut bytes: &[u8], limit: usize) -> Result<(), ()> {
        while !bytes.is_empty() {
            if self.body_left > 0 {
                let n = self.body_left.min(bytes.len() as u64);
                self.body_left -= n;
                bytes = &bytes[n as usize..];
                continue;
            }
            self.header[self.header_len] = bytes[0];
            self.header_len += 1;
            bytes = &bytes[1..];
            if self.header_len == self.header.len() {
                self.header_len = 0;
                let [_, a, b, c, d] = self.header;
                let length = u32::from_be_bytes([a, b, c, d]);
                if length as usize > limit {
                    return Err(());
                }
                // A length below 4 is malformed: the driver reports it; nothing to skip.
                self.body_left = u64::from(length.saturating_sub(4));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    async fn read_all(bytes: Vec<u8>, limit: usize, framed: bool) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        if framed {
            let budget = ReadBudget::new(limit, "PostgreSQL");
            let mut stream = Budgeted::framed(&bytes[..], budget, TypeLengthFrames::default());
            stream.read_to_end(&mut out).await?;
        } else {
            let budget = ReadBudget::new(limit, "Redis");
            let mut stream = Budgeted::new(&bytes[..], budget);
            stream.read_to_end(&mut out).await?;
        }
        Ok(out)
    }

    fn message(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        out.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    #[tokio::test]
    async fn reads_within_the_budget_pass_unchanged() {
        let mut bytes = message(b'R', &[0, 0, 0, 0]);
        bytes.extend(message(b'Z', b"I"));
        assert_eq!(read_all(bytes.clone(), 64, true).await.ok(), Some(bytes));
    }

    #[tokio::test]
    async fn an_endless_reply_stops_at_the_budget() {
        let err = read_all(vec![b'+'; 10_000], 1024, false)
            .await
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("reply larger than 1 KiB: not a Redis server, or a misbehaving one")
        );
    }

    #[tokio::test]
    async fn a_huge_declared_length_fails_before_its_body() {
        // The header alone (5 bytes) declares 2 GiB: refused though only 5 bytes were read.
        let err = read_all(vec![b'D', 0x7f, 0xff, 0xff, 0xff], 1024, true).await;
        assert!(err.is_err());
        // The same bytes split across reads of one byte each.
        let mut guard = TypeLengthFrames::default();
        let results: Vec<_> = [b'D', 0x7f, 0xff, 0xff, 0xff]
            .iter()
            .map(|b| guard.observe(&[*b], 1024))
            .collect();
        assert_eq!(results, vec![Ok(()), Ok(()), Ok(()), Ok(()), Err(())]);
    }

    #[test]
    fn the_budget_is_per_round_trip() {
        let budget = ReadBudget::new(10, "Redis");
        assert!(budget.spend(10));
        assert!(!budget.spend(1));
        budget.reset();
        assert!(budget.spend(5));
    }
}
