//! The one trait every check implements.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::error::CheckError;
use crate::status::Outcome;

/// The future a check returns: boxed so that checks of different kinds share one registry.
pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Result<Outcome, CheckError>> + Send + 'a>>;

/// A health check of one service.
///
/// The engine calls [`Check::check`] once per run, inside a task, under
/// `tokio::time::timeout(timeout, ...)`: when the deadline expires the future is dropped, which
/// closes whatever socket it held. A check therefore needs no timeout of its own, except around
/// blocking work (which cannot be dropped), where `timeout` tells how long it may take.
pub trait Check: Send + Sync + 'static {
    /// The kind of service, used as the default name (`redis`, `postgresql`...).
    fn kind(&self) -> &'static str;

    /// The deadline used when the registration gives none.
    fn default_timeout(&self) -> Duration {
        Duration::from_secs(2)
    }

    /// Performs one real round trip with the service.
    fn check(&self, timeout: Duration) -> CheckFuture<'_>;

    /// Strings that must never appear in a message (passwords). Messages are scrubbed of them as a
    /// last line of defence; checks build messages from typed parts in the first place.
    fn secrets(&self) -> Vec<String> {
        Vec::new()
    }

    /// A name the check learnt while running (a custom check that returns its own result), used
    /// when the registration gave no name.
    fn reported_name(&self) -> Option<String> {
        None
    }
}
