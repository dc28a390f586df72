//! The one [`Check`] for services spoken to over a session kept between runs: what varies per
//! service is a [`Protocol`] (open a session, make one round trip on it); the keeping — one
//! session at most, dropped after any failure, a stale one retried once on a fresh one within the
//! same deadline, forgotten across `fork()`, closed by [`Check::close`] — is written once, here.

use std::future::Future;
use std::time::Duration;

use crate::check::{Check, CheckFuture};
use crate::conn::ConnectionSlot;
use crate::error::CheckError;
use crate::status::Outcome;

/// How to speak to one kind of service.
pub trait Protocol: Send + Sync + 'static {
    /// An open session (a connection, a client with its pool) kept between runs.
    type Session: Send + 'static;

    /// The kind of service, used as the default name (`redis`, `postgresql`...).
    fn kind(&self) -> &'static str;

    /// The deadline used when the registration gives none.
    fn default_timeout(&self) -> Duration {
        Duration::from_secs(2)
    }

    /// Opens a session: connect, TLS, authentication. The engine drops the future at the
    /// deadline; `timeout` is for drivers that need one of their own.
    fn connect(
        &self,
        timeout: Duration,
    ) -> impl Future<Output = Result<Self::Session, CheckError>> + Send;

    /// One round trip on `session`; the session is kept when it comes back.
    fn round_trip(
        &self,
        session: Self::Session,
        timeout: Duration,
    ) -> impl Future<Output = Result<Self::Session, CheckError>> + Send;

    /// How long a round trip on a kept session may take before a fresh session has its turn;
    /// `None`: the whole deadline (a dead socket fails fast). A driver that waits on a dead
    /// server until its own timeout instead gives a share of the deadline here.
    fn kept_limit(&self, _timeout: Duration) -> Option<Duration> {
        None
    }

    /// Strings that must never appear in a message (see [`Check::secrets`]).
    fn secrets(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A [`Protocol`] with its kept session: a [`Check`].
pub struct Keeper<P: Protocol> {
    protocol: P,
    slot: ConnectionSlot<P::Session>,
}

impl<P: Protocol> Keeper<P> {
    /// Keeps sessions of `protocol`.
    pub fn keep(protocol: P) -> Self {
        Self {
            protocol,
            slot: ConnectionSlot::new(),
        }
    }

    /// The protocol's settings.
    pub fn protocol(&self) -> &P {
        &self.protocol
    }
}

impl<P: Protocol> Check for Keeper<P> {
    fn kind(&self) -> &'static str {
        self.protocol.kind()
    }

    fn default_timeout(&self) -> Duration {
        self.protocol.default_timeout()
    }

    fn check(&self, timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            self.slot
                .round_trip_limited(
                    || self.protocol.connect(timeout),
                    |session| self.protocol.round_trip(session, timeout),
                    self.protocol.kept_limit(timeout),
                )
                .await?;
            Ok(Outcome::Healthy)
        })
    }

    fn secrets(&self) -> Vec<String> {
        self.protocol.secrets()
    }

    fn close(&self) {
        self.slot.clear();
    }
}
