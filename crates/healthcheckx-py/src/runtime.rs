//! The Tokio runtime shared by every `Health` of the process, created on first use and rebuilt
//! after `fork()`.

use std::sync::{Arc, Mutex};

use tokio::runtime::{Builder, Runtime};

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// The runtime of this process if it has one already (never creates one).
pub fn existing() -> Option<Arc<Runtime>> {
    let slot = match RUNTIME.lock() {
        Ok(slot) => slot,
        Err(poisoned) => poisoned.into_inner(),
    };
    match slot.as_ref() {
        Some((owner, runtime)) if *owner == std::process::id() => Some(Arc::clone(runtime)),
        _ => None,
    }
}

/// The runtime of this process. Nothing is started at import: threads appear on the first run.
///
/// A runtime inherited across `fork()` has no threads in the child and its I/O driver shares an
/// epoll instance with the parent: it is forgotten (never dropped, which would join threads that
/// do not exist and deregister the parent's sockets) and a new one is built.
pub fn runtime() -> std::io::Result<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = match RUNTIME.lock() {
        Ok(slot) => slot,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some((owner, runtime)) = slot.as_ref() {
        if *owner == pid {
            return Ok(Arc::clone(runtime));
        }
    }
    if let Some(inherited) = slot.take() {
        std::mem::forget(inherited);
    }
    let runtime = Arc::new(
        Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(64)
            .thread_name("healthcheckx")
            .enable_all()
            .build()?,
    );
    *slot = Some((pid, Arc::clone(&runtime)));
    Ok(runtime)
}
