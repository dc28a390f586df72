//! The one trait every check implements.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
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

    /// [`Check::check`] with what the caller of the run attached to it (see [`RunContext`]).
    /// The engine calls this one; checks that need no context keep the default.
    fn check_in(&self, timeout: Duration, _context: &RunContext) -> CheckFuture<'_> {
        self.check(timeout)
    }

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

    /// Closes whatever the check keeps open between runs (its kept connection); the next run opens
    /// a new one. Called by [`crate::Health::close`], possibly while a run is in flight, which
    /// should then keep nothing ([`crate::ConnectionSlot::clear`] sees to that for a round trip
    /// in flight). Checks that keep nothing keep the default.
    fn close(&self) {}
}

/// A value the caller of a run hands to its checks, e.g. the event loop a binding's custom checks
/// should run on. Simultaneous callers share one run: the context of the caller that started it
/// is the one the checks see.
#[derive(Clone, Default)]
pub struct RunContext {
    value: Option<Arc<dyn Any + Send + Sync>>,
}

impl RunContext {
    /// A context holding `value`.
    pub fn new(value: impl Any + Send + Sync) -> Self {
        Self {
            value: Some(Arc::new(value)),
        }
    }

    /// The value, if the context holds one of type `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.value.as_deref().and_then(|v| v.downcast_ref::<T>())
    }
}

impl fmt::Debug for RunContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunContext")
            .field("set", &self.value.is_some())
            .finish()
    }
}
