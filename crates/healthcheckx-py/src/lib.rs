//! `healthcheckx._native`: the engine as a Python extension module. The Python package
//! `healthcheckx` wraps it; nothing here is public API.

mod callable;
mod cli;
mod errors;
mod report;
mod runtime;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use healthcheckx::checks::{
    ActiveMqCheck, DiskCheck, HttpCheck, KafkaCheck, MemcachedCheck, MongoDbCheck, MssqlCheck,
    MySqlCheck, OracleCheck, PostgresCheck, RabbitMqCheck, RedisCheck, SqliteCheck, TcpCheck,
};
use healthcheckx::{Check, ConfigError, Health, Registration, Report, RunContext};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::callable::{CallableCheck, CallerLoop};
use crate::errors::{config_error, runtime_error};
use crate::report::{tuples, NativeReport, ResultTuple};

/// The native registry behind `healthcheckx.Health`.
#[pyclass(module = "healthcheckx._native", frozen)]
struct NativeHealth {
    health: Health,
}

fn seconds(name: &str, value: Option<f64>) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 => Ok(Some(Duration::from_secs_f64(v))),
        Some(v) => Err(PyValueError::new_err(format!(
            "{name} must be a positive number of seconds, not {v}"
        ))),
    }
}

/// Settings only some kinds of check take.
struct Extra {
    port: u16,
    expect_status: u16,
    min_free_percent: f64,
    warn_percent: Option<f64>,
}

fn build(kind: &str, target: &str, extra: &Extra) -> Result<Arc<dyn Check>, ConfigError> {
    Ok(match kind {
        "redis" => Arc::new(RedisCheck::new(target)?),
        "keydb" => Arc::new(RedisCheck::keydb(target)?),
        "postgresql" => Arc::new(PostgresCheck::new(target)?),
        "mysql" => Arc::new(MySqlCheck::new(target)?),
        "rabbitmq" => Arc::new(RabbitMqCheck::new(target)?),
        "mongodb" => Arc::new(MongoDbCheck::new(target)?),
        "sqlite" => Arc::new(SqliteCheck::new(target)?),
        "tcp" => Arc::new(TcpCheck::new(target, extra.port)?),
        "http" => Arc::new(HttpCheck::new(target, extra.expect_status)?),
        "memcached" => Arc::new(MemcachedCheck::new(target, extra.port)?),
        "kafka" => Arc::new(KafkaCheck::new(target)?),
        "activemq" => Arc::new(ActiveMqCheck::new(target)?),
        "mssql" => Arc::new(MssqlCheck::new(target)?),
        "oracle" => Arc::new(OracleCheck::new(target)?),
        "disk" => Arc::new(DiskCheck::new(
            target,
            extra.min_free_percent,
            extra.warn_percent,
        )?),
        other => return Err(ConfigError::new(other, "unknown kind of check")),
    })
}

fn registration(
    check: Arc<dyn Check>,
    name: Option<String>,
    timeout: Option<Duration>,
    critical: bool,
    tags: Vec<String>,
    (failures, successes): (u32, u32),
) -> Registration {
    let mut reg = Registration::from_arc(check)
        .critical(critical)
        .tags(tags)
        .failure_threshold(failures)
        .success_threshold(successes);
    if let Some(name) = name {
        reg = reg.name(name);
    }
    if let Some(timeout) = timeout {
        reg = reg.timeout(timeout);
    }
    reg
}

impl NativeHealth {
    /// A run with the GIL released, on the engine's runtime.
    fn run_blocking(
        &self,
        py: Python<'_>,
        tags: Option<Vec<String>>,
        deadline: Option<f64>,
    ) -> PyResult<Report> {
        let runtime = runtime::runtime().map_err(runtime_error)?;
        let selection: Option<BTreeSet<String>> = tags.map(|t| t.into_iter().collect());
        let deadline = seconds("deadline", deadline)?;
        let health = self.health.clone();
        Ok(py.detach(move || {
            runtime.block_on(health.run_within(selection, deadline, RunContext::default()))
        }))
    }
}

#[pymethods]
impl NativeHealth {
    #[new]
    #[pyo3(signature = (*, timeout=None, cache_ttl=0.0, refresh_interval=None, deadline=None))]
    fn new(
        timeout: Option<f64>,
        cache_ttl: f64,
        refresh_interval: Option<f64>,
        deadline: Option<f64>,
    ) -> PyResult<Self> {
        let timeout = seconds("timeout", timeout)?;
        let refresh_interval = seconds("refresh_interval", refresh_interval)?;
        let deadline = seconds("deadline", deadline)?;
        if !(cache_ttl.is_finite() && cache_ttl >= 0.0) {
            return Err(PyValueError::new_err(format!(
                "cache_ttl must be zero or a positive number of seconds, not {cache_ttl}"
            )));
        }
        let mut builder = Health::builder().cache_ttl(Duration::from_secs_f64(cache_ttl));
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(interval) = refresh_interval {
            builder = builder.refresh_interval(interval);
        }
        if let Some(deadline) = deadline {
            builder = builder.deadline(deadline);
        }
        Ok(Self {
            health: builder.build().map_err(config_error)?,
        })
    }

    /// Registers a built-in check of `kind` (`redis`, `postgresql`...) on `target` (a URL, DSN,
    /// path or host).
    #[pyo3(signature = (kind, target, *, name=None, timeout=None, critical=true, tags=Vec::new(), damping=(1, 1), port=0, expect_status=200, min_free_percent=10.0, warn_percent=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_check(
        &self,
        kind: &str,
        target: Option<&str>,
        name: Option<String>,
        timeout: Option<f64>,
        critical: bool,
        tags: Vec<String>,
        damping: (u32, u32),
        port: u16,
        expect_status: u16,
        min_free_percent: f64,
        warn_percent: Option<f64>,
    ) -> PyResult<()> {
        let label = name.clone().unwrap_or_else(|| kind.to_string());
        let Some(target) = target else {
            return Err(config_error(ConfigError::new(
                label,
                "no URL given (None: is the environment variable set?)",
            )));
        };
        let timeout = seconds("timeout", timeout)?;
        let check = build(
            kind,
            target,
            &Extra {
                port,
                expect_status,
                min_free_percent,
                warn_percent,
            },
        )
        .map_err(|e| config_error(e.for_check(&label)))?;
        self.health
            .register(registration(check, name, timeout, critical, tags, damping))
            .map_err(config_error)?;
        Ok(())
    }

    /// Registers the check a URL names, its kind taken from the scheme (`checks::from_url`).
    #[pyo3(signature = (url, *, name=None, timeout=None, critical=true, tags=Vec::new(), damping=(1, 1)))]
    fn add_url(
        &self,
        url: Option<&str>,
        name: Option<String>,
        timeout: Option<f64>,
        critical: bool,
        tags: Vec<String>,
        damping: (u32, u32),
    ) -> PyResult<()> {
        let Some(url) = url else {
            let label = name.unwrap_or_else(|| "check".into());
            return Err(config_error(ConfigError::new(
                label,
                "no URL given (None: is the environment variable set?)",
            )));
        };
        let timeout = seconds("timeout", timeout)?;
        let check = healthcheckx::checks::from_url(url).map_err(|e| match &name {
            Some(name) => config_error(e.for_check(name)),
            None => config_error(e),
        })?;
        self.health
            .register(registration(check, name, timeout, critical, tags, damping))
            .map_err(config_error)?;
        Ok(())
    }

    /// Registers a Python callable; `runner` calls it and reports `(name, status, message)`.
    #[pyo3(signature = (func, runner, fallback_name, *, name=None, timeout=None, critical=true, tags=Vec::new(), damping=(1, 1)))]
    #[allow(clippy::too_many_arguments)]
    fn add_callable(
        &self,
        func: Py<PyAny>,
        runner: Py<PyAny>,
        fallback_name: String,
        name: Option<String>,
        timeout: Option<f64>,
        critical: bool,
        tags: Vec<String>,
        damping: (u32, u32),
    ) -> PyResult<()> {
        let timeout = seconds("timeout", timeout)?;
        let check = CallableCheck::new(func, runner, fallback_name);
        self.health
            .register(registration(
                Arc::new(check),
                name,
                timeout,
                critical,
                tags,
                damping,
            ))
            .map_err(config_error)?;
        Ok(())
    }

    /// Runs the checks (all, or those with one of `tags`) concurrently with the GIL released,
    /// within `deadline` seconds when given.
    #[pyo3(signature = (tags=None, deadline=None))]
    fn run(
        &self,
        py: Python<'_>,
        tags: Option<Vec<String>>,
        deadline: Option<f64>,
    ) -> PyResult<Vec<ResultTuple>> {
        Ok(tuples(&self.run_blocking(py, tags, deadline)?))
    }

    /// `run()` answering the engine's report (rendered by the engine, `healthcheckx.Report`).
    #[pyo3(signature = (tags=None, deadline=None))]
    fn report(
        &self,
        py: Python<'_>,
        tags: Option<Vec<String>>,
        deadline: Option<f64>,
    ) -> PyResult<NativeReport> {
        Ok(NativeReport::new(self.run_blocking(py, tags, deadline)?))
    }

    /// The latest result of every check without a new run when every check has one (within the
    /// cache TTL, without a background refresh), else a run of every check.
    fn latest(&self, py: Python<'_>) -> PyResult<NativeReport> {
        let runtime = runtime::runtime().map_err(runtime_error)?;
        let health = self.health.clone();
        let report = py.detach(move || runtime.block_on(health.latest()));
        Ok(NativeReport::new(report))
    }

    /// Calls `callback(name, from, to, message)` on every change of a check's reported status,
    /// from the thread of the run that changed it.
    fn on_change(&self, callback: Py<PyAny>) {
        self.health
            .on_change(move |change| report::deliver(&callback, change));
    }

    /// Starts the same run on the engine's runtime and returns at once; `complete(report)` is
    /// called from a runtime thread when it ends. Native checks are tasks, not threads; coroutine
    /// checks are awaited on `event_loop` (the caller's).
    #[pyo3(signature = (tags, event_loop, complete, deadline=None))]
    fn run_async(
        &self,
        tags: Option<Vec<String>>,
        event_loop: Py<PyAny>,
        complete: Py<PyAny>,
        deadline: Option<f64>,
    ) -> PyResult<()> {
        let runtime = runtime::runtime().map_err(runtime_error)?;
        let selection: Option<BTreeSet<String>> = tags.map(|t| t.into_iter().collect());
        let deadline = seconds("deadline", deadline)?;
        let health = self.health.clone();
        let context = RunContext::new(CallerLoop(Arc::new(event_loop)));
        runtime.spawn(async move {
            let report = NativeReport::new(health.run_within(selection, deadline, context).await);
            Python::attach(|py| {
                if let Err(err) = complete.call1(py, (report,)) {
                    // `complete` only schedules the result on the caller's loop; it fails only if
                    // that loop is gone, and then nobody is waiting.
                    err.write_unraisable(py, None);
                }
            });
        });
        Ok(())
    }

    /// Stops the background refresh (the next run starts it again).
    fn stop_refresh(&self) {
        self.health.stop_refresh();
    }

    /// Closes every kept connection now and stops the background refresh; the next run opens new
    /// connections. Done inside the runtime (when this process has one: without it, no connection
    /// was opened here), so that drivers can say goodbye to their servers on its tasks.
    fn close(&self, py: Python<'_>) {
        let health = self.health.clone();
        py.detach(move || match runtime::existing() {
            Some(runtime) => {
                let _entered = runtime.enter();
                health.close();
            }
            None => health.close(),
        });
    }

    /// Names of the registered checks, in order.
    fn names(&self) -> Vec<String> {
        self.health.names()
    }

    fn __len__(&self) -> usize {
        self.health.len()
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    healthcheckx::tls::install_crypto_provider();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<NativeHealth>()?;
    m.add_class::<NativeReport>()?;
    m.add_function(wrap_pyfunction!(report::formats, m)?)?;
    m.add_function(wrap_pyfunction!(report::negotiate, m)?)?;
    m.add_function(wrap_pyfunction!(report::negotiate_metrics, m)?)?;
    m.add_function(wrap_pyfunction!(report::content_type, m)?)?;
    m.add_function(wrap_pyfunction!(cli::cli_main, m)?)?;
    Ok(())
}
