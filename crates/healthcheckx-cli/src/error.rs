//! Exit codes, and the one-line error a run ends with.

use std::fmt;

/// Every check healthy or degraded; `probe`: a 2xx answer; `wait`: every check up.
pub const OK: i32 = 0;
/// A check unhealthy; `probe`: no 2xx answer.
pub const UNHEALTHY: i32 = 1;
/// Bad command line or configuration (a URL, the file, a variable).
pub const CONFIG: i32 = 2;
/// `wait` reached its `--timeout` with checks still down (as timeout(1) does).
pub const TIMEOUT: i32 = 124;
/// `wait -- cmd`: the command could not be run.
pub const CANNOT_EXECUTE: i32 = 126;
/// `wait -- cmd`: the command was not found.
pub const NOT_FOUND: i32 = 127;

/// Why the command stops early, and with which exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The exit code.
    pub code: i32,
    /// One line, printed after `healthcheckx: `.
    pub message: String,
}

impl CliError {
    /// A configuration error (exit 2).
    pub fn config(message: impl Into<String>) -> Self {
        Self {
            code: CONFIG,
            message: message.into(),
        }
    }

    /// An error with its own exit code.
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// The reason of an I/O error, without `(os error N)`.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        std::io::ErrorKind::InvalidData => "not UTF-8 text".into(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}
