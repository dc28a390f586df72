//! Custom checks written in Python, run by the engine beside the native ones.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use healthcheckx::{Check, CheckError, CheckFuture, Outcome, RunContext, Status};
use pyo3::prelude::*;
use tokio::sync::Semaphore;

/// Python callables run on the blocking pool, at most this many at once across the process: a
/// sync callable cannot be interrupted, so a hung one must not be able to take every thread.
const MAX_CONCURRENT_CALLABLES: usize = 16;

fn limiter() -> Arc<Semaphore> {
    static LIMITER: std::sync::OnceLock<Arc<Semaphore>> = std::sync::OnceLock::new();
    Arc::clone(LIMITER.get_or_init(|| Arc::new(Semaphore::new(MAX_CONCURRENT_CALLABLES))))
}

/// A Python callable returning a `CheckResult` (or a coroutine that does).
pub struct CallableCheck {
    func: Arc<Py<PyAny>>,
    /// `healthcheckx._runner.call_check`: calls the function, awaits a coroutine on the package's
    /// event-loop thread, and turns the result or exception into `(name, status, message)`.
    runner: Arc<Py<PyAny>>,
    /// Set while a call is under way: a call still hung from an earlier run is not stacked again.
    busy: Arc<AtomicBool>,
    reported_name: Arc<Mutex<Option<String>>>,
    /// The function's `__name__`, until the check reports a name of its own.
    fallback_name: String,
}

impl CallableCheck {
    pub fn new(func: Py<PyAny>, runner: Py<PyAny>, fallback_name: String) -> Self {
        Self {
            func: Arc::new(func),
            runner: Arc::new(runner),
            busy: Arc::new(AtomicBool::new(false)),
            reported_name: Arc::new(Mutex::new(None)),
            fallback_name,
        }
    }
}

type CallOutput = (Option<String>, String, Option<String>);

/// The asyncio event loop of an `arun()` caller: coroutine checks of that run are awaited there.
pub struct CallerLoop(pub Arc<Py<PyAny>>);

impl Check for CallableCheck {
    fn kind(&self) -> &'static str {
        "check"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    fn check(&self, timeout: Duration) -> CheckFuture<'_> {
        self.check_in(timeout, &RunContext::default())
    }

    fn check_in(&self, timeout: Duration, context: &RunContext) -> CheckFuture<'_> {
        let caller_loop = context.get::<CallerLoop>().map(|l| Arc::clone(&l.0));
        Box::pin(async move {
            if self.busy.swap(true, Ordering::AcqRel) {
                return Err(CheckError::Reported(format!(
                    "{} (an earlier call has not returned yet)",
                    CheckError::Timeout(timeout)
                )));
            }
            let busy = Arc::clone(&self.busy);
            let permit = limiter().acquire_owned().await;
            let func = Arc::clone(&self.func);
            let runner = Arc::clone(&self.runner);
            let call = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                let output: PyResult<CallOutput> = Python::attach(|py| {
                    let event_loop = match &caller_loop {
                        Some(event_loop) => event_loop.clone_ref(py),
                        None => py.None(),
                    };
                    runner
                        .bind(py)
                        .call1((func.bind(py), timeout.as_secs_f64(), event_loop))?
                        .extract()
                });
                busy.store(false, Ordering::Release);
                output
            });
            let (name, status, message) = call
                .await
                .map_err(|_| CheckError::Reported("check panicked".into()))?
                .map_err(|e| CheckError::Reported(format!("check runner failed: {e}")))?;
            if let Some(name) = name {
                if let Ok(mut reported) = self.reported_name.lock() {
                    *reported = Some(name);
                }
            }
            match Status::parse(&status) {
                Some(Status::Healthy) => Ok(Outcome::Healthy),
                Some(Status::Degraded) => Ok(Outcome::Degraded(message.unwrap_or_default())),
                Some(Status::Unhealthy) => Err(CheckError::Reported(
                    message.unwrap_or_else(|| "unhealthy".into()),
                )),
                None => Err(CheckError::Reported(format!(
                    "invalid status {status:?} (expected healthy, degraded or unhealthy)"
                ))),
            }
        })
    }

    fn reported_name(&self) -> Option<String> {
        self.reported_name
            .lock()
            .ok()
            .and_then(|n| n.clone())
            .or_else(|| Some(self.fallback_name.clone()))
    }
}
