//! The registry: runs every check concurrently under its deadline, shares in-flight runs between
//! simultaneous callers, and serves fresh-enough results from a cache.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant, SystemTime};

use futures::future::{BoxFuture, FutureExt, Shared};

use crate::check::RunContext;
use crate::error::{sanitize, CheckError, ConfigError};
use crate::registration::{Entry, Registration};
use crate::state::{Change, CheckState, Listeners};
use crate::status::{overall_status, CheckResult, Outcome, Status};

/// The results of one run, in registration order.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// One result per check that ran.
    pub results: Vec<CheckResult>,
    /// What the engine knows of each of those checks (same order): since when it has its
    /// status, its last error, its recent runs. Empty for a report built by hand.
    pub states: Vec<CheckState>,
    /// When the run ended.
    pub finished: SystemTime,
}

impl Report {
    /// A report of `results` alone (no state), ended now.
    pub fn new(results: Vec<CheckResult>) -> Self {
        Self {
            results,
            states: Vec::new(),
            finished: SystemTime::now(),
        }
    }

    /// The overall status (the worst of the results).
    pub fn status(&self) -> Status {
        overall_status(&self.results)
    }
}

/// A set of health checks.
///
/// Cheap to clone (clones share the checks, their connections and the in-flight run) and safe to
/// share between threads and tasks. [`Health::run`] must be called inside a Tokio runtime: each
/// check runs in its own task.
#[derive(Clone)]
pub struct Health {
    inner: Arc<Inner>,
}

struct Inner {
    entries: RwLock<Vec<Arc<Entry>>>,
    default_timeout: Option<Duration>,
    cache_ttl: Duration,
    runs: Mutex<HashMap<RunKey, RunState>>,
    refresh_interval: Option<Duration>,
    /// Every run answers within this, whatever the checks' own timeouts.
    deadline: Option<Duration>,
    /// The background refresh task, with the process that spawned it.
    refresher: Mutex<Option<(u32, tokio::task::JoinHandle<()>)>>,
    /// Told of every change of a check's reported status.
    listeners: Listeners,
}

/// What a caller accepts instead of a new run (an in-flight run is always joined).
#[derive(Clone, Copy)]
enum Freshness {
    /// A report younger than the cache TTL.
    CacheTtl,
    /// The latest report, however old (a background task keeps it fresh).
    Latest,
    /// Nothing: the background task itself.
    Run,
}

/// Which checks a run covers: all, or those carrying one of these tags.
type Selection = Option<BTreeSet<String>>;
/// A run: the checks it covers and the deadline it answers within (runs under different
/// deadlines are not shared, so no caller waits past its own).
type RunKey = (Selection, Option<Duration>);
type SharedRun = Shared<BoxFuture<'static, Arc<Report>>>;

struct RunState {
    pid: u32,
    generation: u64,
    in_flight: Option<SharedRun>,
    latest: Option<(Instant, Arc<Report>)>,
}

impl RunState {
    fn new() -> Self {
        Self {
            pid: std::process::id(),
            generation: 0,
            in_flight: None,
            latest: None,
        }
    }
}

/// Builds a [`Health`].
#[derive(Default)]
pub struct HealthBuilder {
    registrations: Vec<Registration>,
    default_timeout: Option<Duration>,
    cache_ttl: Duration,
    refresh_interval: Option<Duration>,
    deadline: Option<Duration>,
}

impl HealthBuilder {
    /// Adds a check under its default settings.
    pub fn check(self, check: impl crate::Check) -> Self {
        self.register(Registration::new(check))
    }

    /// Adds a check with its settings.
    pub fn register(mut self, registration: Registration) -> Self {
        self.registrations.push(registration);
        self
    }

    /// Deadline for registrations that give none (instead of each check's own default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.default_timeout = Some(timeout);
        self
    }

    /// Results younger than `ttl` are returned without touching any service.
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.cache_ttl = ttl;
        self
    }

    /// Keeps results fresh in the background: after the first run, runs return the latest results
    /// at once while a task reruns every selection asked for so far, `interval` after the end of
    /// the previous round. The task holds no strong reference: it ends with the last clone of the
    /// `Health`, at [`Health::stop_refresh`], and does not survive `fork()` (the child starts its
    /// own on its first run).
    pub fn refresh_interval(mut self, interval: Duration) -> Self {
        self.refresh_interval = Some(interval);
        self
    }

    /// Every run answers within `deadline`, whatever the checks' own timeouts: it caps the
    /// timeout of each check, and a check still running then is reported timed out (its kept
    /// connection is dropped as at any timeout). See also [`Health::run_within`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Validates every registration and builds the registry.
    pub fn build(self) -> Result<Health, ConfigError> {
        let health = Health::from_settings(
            self.default_timeout,
            self.cache_ttl,
            self.refresh_interval,
            self.deadline,
        );
        for registration in self.registrations {
            health.register(registration)?;
        }
        Ok(health)
    }
}

impl Default for Health {
    fn default() -> Self {
        Self::with_settings(None, Duration::ZERO)
    }
}

impl Health {
    /// An empty registry with default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder for a registry with settings.
    pub fn builder() -> HealthBuilder {
        HealthBuilder::default()
    }

    /// An empty registry: `default_timeout` applies to registrations without a timeout,
    /// `cache_ttl` (zero: no cache) to runs.
    pub fn with_settings(default_timeout: Option<Duration>, cache_ttl: Duration) -> Self {
        Self::with_options(default_timeout, cache_ttl, None)
    }

    /// [`Health::with_settings`] with a background refresh (see
    /// [`HealthBuilder::refresh_interval`]).
    pub fn with_options(
        default_timeout: Option<Duration>,
        cache_ttl: Duration,
        refresh_interval: Option<Duration>,
    ) -> Self {
        Self::from_settings(default_timeout, cache_ttl, refresh_interval, None)
    }

    fn from_settings(
        default_timeout: Option<Duration>,
        cache_ttl: Duration,
        refresh_interval: Option<Duration>,
        deadline: Option<Duration>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                entries: RwLock::new(Vec::new()),
                default_timeout,
                cache_ttl,
                runs: Mutex::new(HashMap::new()),
                refresh_interval: refresh_interval.filter(|i| !i.is_zero()),
                deadline: deadline.filter(|d| !d.is_zero()),
                refresher: Mutex::new(None),
                listeners: Listeners::default(),
            }),
        }
    }

    /// Stops the background refresh, if any (runs start it again).
    pub fn stop_refresh(&self) {
        if let Some((pid, task)) = lock(&self.inner.refresher).take() {
            if pid == std::process::id() {
                task.abort();
            } else {
                // Spawned by the parent before fork(): not ours to touch.
                std::mem::forget(task);
            }
        }
    }

    /// Closes every connection the checks keep and stops the background refresh; the next run
    /// opens new connections (and starts the refresh again). Meant for when no run is in flight
    /// (shutdown, the end of a test); one that is ends normally, and the checks built on
    /// [`crate::ConnectionSlot::round_trip`] keep none of its connections (a check that puts back
    /// its connection itself keeps the one it used).
    ///
    /// Drivers that say goodbye to the server (PostgreSQL `Terminate`, MySQL `COM_QUIT`) do it on
    /// a task of the runtime: call this inside the runtime, or with its handle entered, for a
    /// polite close; elsewhere the sockets are simply closed.
    pub fn close(&self) {
        self.stop_refresh();
        for entry in self.entries(None) {
            entry.check.close();
        }
    }

    /// Starts the refresh task in this process unless it runs already.
    fn ensure_refresher(&self, interval: Duration) {
        let mut refresher = lock(&self.inner.refresher);
        let pid = std::process::id();
        match refresher.as_ref() {
            Some((owner, task)) if *owner == pid && !task.is_finished() => return,
            Some((owner, _)) if *owner != pid => {
                if let Some(inherited) = refresher.take() {
                    std::mem::forget(inherited);
                }
            }
            _ => {}
        }
        let weak = Arc::downgrade(&self.inner);
        let task = tokio::spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                let Some(inner) = weak.upgrade() else { break };
                let health = Health { inner };
                let keys: Vec<RunKey> = lock(&health.inner.runs).keys().cloned().collect();
                for key in keys {
                    health
                        .serve(key, RunContext::default(), Freshness::Run)
                        .await;
                }
            }
        });
        *refresher = Some((pid, task));
    }

    /// Adds a check. Cached results are discarded so the next run includes it.
    pub fn register(&self, registration: Registration) -> Result<&Self, ConfigError> {
        let entry = registration.into_entry(self.inner.default_timeout)?;
        match self.inner.entries.write() {
            Ok(mut entries) => entries.push(Arc::new(entry)),
            Err(poisoned) => poisoned.into_inner().push(Arc::new(entry)),
        }
        lock(&self.inner.runs).clear();
        Ok(self)
    }

    /// Calls `listener` once for every change of a check's reported status, as the run that
    /// changed it ends (a check's first result is not a change). Called on the runtime's threads,
    /// outside any lock of the registry.
    pub fn on_change(&self, listener: impl Fn(&Change) + Send + Sync + 'static) {
        self.inner.listeners.add(Arc::new(listener));
    }

    /// The latest result of every check, as the runs left them, without running anything: `None`
    /// until every check has run once. What `/metrics` serves: each check's result is that of
    /// its latest run, whatever selection of checks that run covered.
    pub fn snapshot(&self) -> Option<Report> {
        let entries = self.entries(None);
        let mut results = Vec::with_capacity(entries.len());
        let mut states = Vec::with_capacity(entries.len());
        let mut finished = SystemTime::UNIX_EPOCH;
        for entry in entries {
            let (result, state) = entry.tracker.latest()?;
            if let Some(last) = state.history.last() {
                finished = finished.max(last.at);
            }
            results.push(result);
            states.push(state);
        }
        Some(Report {
            results,
            states,
            finished,
        })
    }

    /// The latest results without a new run when there are some: [`Health::snapshot`] when every
    /// check has run (within the cache TTL, when the registry has one and no background
    /// refresh), else a run of every check (which starts the background refresh, if any).
    pub async fn latest(&self) -> Report {
        if let Some(report) = self.snapshot() {
            let fresh = self.inner.refresh_interval.is_some()
                || self.inner.cache_ttl.is_zero()
                || report
                    .finished
                    .elapsed()
                    .is_ok_and(|age| age < self.inner.cache_ttl);
            if fresh {
                if let Some(interval) = self.inner.refresh_interval {
                    self.ensure_refresher(interval);
                }
                return report;
            }
        }
        self.run().await
    }

    /// Number of registered checks.
    pub fn len(&self) -> usize {
        self.entries(None).len()
    }

    /// Whether no check is registered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Names of the registered checks, in order.
    pub fn names(&self) -> Vec<String> {
        self.entries(None).iter().map(|e| e.name()).collect()
    }

    /// Runs every check concurrently; results in registration order.
    pub async fn run(&self) -> Report {
        self.run_selection(None).await
    }

    /// Runs the checks carrying at least one of `tags`.
    pub async fn run_tagged<I, S>(&self, tags: I) -> Report
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let tags: BTreeSet<String> = tags.into_iter().map(Into::into).collect();
        self.run_selection(Some(tags)).await
    }

    /// Runs `selection`, joining a run of the same selection already in flight, or returning a
    /// cached report younger than the cache TTL.
    pub async fn run_selection(&self, selection: Option<BTreeSet<String>>) -> Report {
        self.run_selection_in(selection, RunContext::default())
            .await
    }

    /// [`Health::run_selection`] handing `context` to the checks, if this call starts the run.
    pub async fn run_selection_in(
        &self,
        selection: Option<BTreeSet<String>>,
        context: RunContext,
    ) -> Report {
        self.run_within(selection, None, context).await
    }

    /// [`Health::run_selection_in`] answering within `deadline` (and within the registry's own
    /// deadline, if any): each check's timeout is capped by it. Runs under the same deadline are
    /// shared and cached together.
    pub async fn run_within(
        &self,
        selection: Option<BTreeSet<String>>,
        deadline: Option<Duration>,
        context: RunContext,
    ) -> Report {
        let deadline = match (self.inner.deadline, deadline.filter(|d| !d.is_zero())) {
            (Some(own), Some(asked)) => Some(own.min(asked)),
            (own, asked) => own.or(asked),
        };
        let key = (selection, deadline);
        if let Some(interval) = self.inner.refresh_interval {
            self.ensure_refresher(interval);
            return self.serve(key, context, Freshness::Latest).await;
        }
        self.serve(key, context, Freshness::CacheTtl).await
    }

    async fn serve(&self, key: RunKey, context: RunContext, freshness: Freshness) -> Report {
        let shared = {
            let mut runs = lock(&self.inner.runs);
            let state = runs.entry(key.clone()).or_insert_with(RunState::new);
            if state.pid != std::process::id() {
                // Inherited across fork(): the in-flight run belongs to the parent's runtime and
                // will never finish here; its handles must not be touched, only forgotten.
                std::mem::forget(std::mem::replace(state, RunState::new()));
            }
            if let Some((at, report)) = &state.latest {
                let fresh = match freshness {
                    Freshness::Latest => true,
                    Freshness::CacheTtl => at.elapsed() < self.inner.cache_ttl,
                    Freshness::Run => false,
                };
                if fresh {
                    return Report::clone(report);
                }
            }
            match &state.in_flight {
                Some(run) => run.clone(),
                None => {
                    state.generation += 1;
                    let run = self.start_run(key, state.generation, context);
                    state.in_flight = Some(run.clone());
                    run
                }
            }
        };
        Report::clone(&*shared.await)
    }

    fn start_run(&self, key: RunKey, generation: u64, context: RunContext) -> SharedRun {
        let inner = Arc::clone(&self.inner);
        let entries = self.entries(key.0.as_ref());
        let listeners = self.inner.listeners.clone();
        async move {
            let report = Arc::new(execute(entries, context, key.1, listeners).await);
            let mut runs = lock(&inner.runs);
            if let Some(state) = runs.get_mut(&key) {
                if state.generation == generation {
                    state.in_flight = None;
                    state.latest = Some((Instant::now(), Arc::clone(&report)));
                }
            }
            report
        }
        .boxed()
        .shared()
    }

    fn entries(&self, selection: Option<&BTreeSet<String>>) -> Vec<Arc<Entry>> {
        let entries = match self.inner.entries.read() {
            Ok(entries) => entries,
            Err(poisoned) => poisoned.into_inner(),
        };
        entries
            .iter()
            .filter(|e| e.selected_by(selection))
            .cloned()
            .collect()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Spawns one task per check so that they run in parallel, then collects in order. The tasks do
/// not depend on this future: if a caller gives up, the checks still end at their deadline.
async fn execute(
    entries: Vec<Arc<Entry>>,
    context: RunContext,
    deadline: Option<Duration>,
    listeners: Listeners,
) -> Report {
    let started = Instant::now();
    let handles: Vec<_> = entries
        .iter()
        .map(|entry| {
            tokio::spawn(run_entry(
                Arc::clone(entry),
                context.clone(),
                deadline,
                listeners.clone(),
            ))
        })
        .collect();
    let mut results = Vec::with_capacity(handles.len());
    let mut states = Vec::with_capacity(handles.len());
    for (handle, entry) in handles.into_iter().zip(&entries) {
        let (result, state) = match handle.await {
            Ok(observed) => observed,
            Err(_) => {
                let raw = CheckResult {
                    name: entry.name(),
                    status: failure_status(entry),
                    // A panic is a bug in a driver or a check: a result like any failure, so
                    // the run (and the process hosting it) goes on.
                    message: Some(format!("internal error in {} check", entry.check.kind())),
                    duration: started.elapsed(),
                };
                observe(entry, raw, true, &listeners)
            }
        };
        results.push(result);
        states.push(state);
    }
    Report {
        results,
        states,
        finished: SystemTime::now(),
    }
}

/// Records a run of `entry` in its state (damping it), and tells the listeners of a change.
fn observe(
    entry: &Entry,
    raw: CheckResult,
    failed: bool,
    listeners: &Listeners,
) -> (CheckResult, CheckState) {
    let tags = entry.tags.iter().cloned().collect();
    let (result, state, change) =
        entry
            .tracker
            .observe(raw, failed, entry.thresholds, entry.check.kind(), tags);
    if let Some(change) = change {
        let reason = change.message.as_deref().unwrap_or("");
        if change.to > change.from {
            tracing::warn!(check = %change.name, from = %change.from, to = %change.to, reason, "check status changed");
        } else {
            tracing::info!(check = %change.name, from = %change.from, to = %change.to, reason, "check status changed");
        }
        listeners.notify(&change);
    }
    (result, state)
}

async fn run_entry(
    entry: Arc<Entry>,
    context: RunContext,
    deadline: Option<Duration>,
    listeners: Listeners,
) -> (CheckResult, CheckState) {
    let start = Instant::now();
    let timeout = deadline.map_or(entry.timeout, |d| d.min(entry.timeout));
    let check = entry.check.check_in(timeout, &context);
    let verdict = tokio::time::timeout(timeout, check).await;
    let duration = start.elapsed();
    let (status, message, failed) = match verdict {
        Ok(Ok(Outcome::Healthy)) => (Status::Healthy, None, false),
        Ok(Ok(Outcome::Degraded(note))) => (Status::Degraded, Some(note), false),
        Ok(Err(error)) => (failure_status(&entry), Some(error.to_string()), true),
        Err(_) => (
            failure_status(&entry),
            Some(CheckError::Timeout(timeout).to_string()),
            true,
        ),
    };
    let raw = CheckResult {
        name: entry.name(),
        status,
        message: message.map(|m| sanitize(&m, &entry.secrets)),
        duration,
    };
    observe(&entry, raw, failed, &listeners)
}

fn failure_status(entry: &Entry) -> Status {
    if entry.critical {
        Status::Unhealthy
    } else {
        Status::Degraded
    }
}
