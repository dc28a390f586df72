//! A run's report as Python sees it, rendered by the engine (`healthcheckx::render`), and the
//! content negotiation every adapter shares.

use std::sync::Arc;

use healthcheckx::render::{self, Format};
use healthcheckx::{Change, Report};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// One result as the Python package builds its `CheckResult` from it.
pub type ResultTuple = (String, &'static str, Option<String>, f64);

pub fn tuples(report: &Report) -> Vec<ResultTuple> {
    report
        .results
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                r.status.as_str(),
                r.message.clone(),
                r.duration_ms(),
            )
        })
        .collect()
}

fn format(name: &str) -> PyResult<Format> {
    Format::from_name(name).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown format {name:?}: use one of {}",
            Format::names()
        ))
    })
}

/// The report of one run (or the latest results), behind `healthcheckx.Report`.
#[pyclass(module = "healthcheckx._native", frozen)]
pub struct NativeReport {
    report: Arc<Report>,
}

impl NativeReport {
    pub fn new(report: Report) -> Self {
        Self {
            report: Arc::new(report),
        }
    }
}

#[pymethods]
impl NativeReport {
    /// `(name, status, message, duration_ms)` per check, in registration order.
    fn results(&self) -> Vec<ResultTuple> {
        tuples(&self.report)
    }

    /// The overall status: `healthy`, `degraded` or `unhealthy`.
    fn status(&self) -> &'static str {
        self.report.status().as_str()
    }

    /// 503 when unhealthy, else 200.
    fn http_status(&self) -> u16 {
        render::http_status(&self.report)
    }

    /// The body in `format` (a name of `formats()`): microseconds, so the GIL is kept.
    #[pyo3(signature = (format, show_details=true))]
    fn render(&self, format: &str, show_details: bool) -> PyResult<String> {
        Ok(render::render(
            &self.report,
            self::format(format)?,
            show_details,
        ))
    }

    /// When the run ended, in nanoseconds since the epoch: the same for every copy of one
    /// report (a cached run), so the adapters render each distinct report once per format.
    fn finished(&self) -> u128 {
        self.report
            .finished
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
    }

    fn __len__(&self) -> usize {
        self.report.results.len()
    }
}

/// The names `?format=` takes, in order.
#[pyfunction]
pub fn formats() -> Vec<&'static str> {
    Format::ALL.map(Format::name).to_vec()
}

/// The format of a health endpoint's answer: `(name, None)`, or `(None, reason)` when `format`
/// names none we make (answer 406 with the reason).
#[pyfunction]
#[pyo3(signature = (accept, format=None))]
pub fn negotiate(
    accept: Option<&str>,
    format: Option<&str>,
) -> (Option<&'static str>, Option<String>) {
    match render::negotiate(accept, format) {
        Ok(chosen) => (Some(chosen.name()), None),
        Err(refused) => (None, Some(refused.to_string())),
    }
}

/// The format of a `/metrics` answer: `prometheus`, or `openmetrics` when `accept` prefers it.
#[pyfunction]
#[pyo3(signature = (accept))]
pub fn negotiate_metrics(accept: Option<&str>) -> &'static str {
    render::negotiate_metrics(accept).name()
}

/// The `Content-Type` of a format.
#[pyfunction]
pub fn content_type(format: &str) -> PyResult<&'static str> {
    Ok(self::format(format)?.content_type())
}

/// Calls `callback(name, from, to, message)` for a change; an exception is reported as
/// unraisable (the Python side catches its own callbacks' errors first).
pub fn deliver(callback: &Py<PyAny>, change: &Change) {
    Python::attach(|py| {
        let args = (
            change.name.as_str(),
            change.from.as_str(),
            change.to.as_str(),
            change.message.as_deref(),
        );
        if let Err(err) = callback.call1(py, args) {
            err.write_unraisable(py, None);
        }
    });
}
