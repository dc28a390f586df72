//! The one edge where engine errors become Python exceptions.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::PyErr;

/// A configuration problem: `ValueError` naming the check (never a secret).
pub fn config_error(err: healthcheckx::ConfigError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// The runtime could not start (threads or epoll unavailable).
pub fn runtime_error(err: std::io::Error) -> PyErr {
    PyRuntimeError::new_err(format!("cannot start the healthcheckx runtime: {err}"))
}
