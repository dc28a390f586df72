//! Disk: free space above a threshold.

use std::time::Duration;

use crate::check::{Check, CheckFuture};
use crate::error::{CheckError, ConfigError};

/// Free space of the file system holding `path`: below `min_free_percent` unhealthy, below
/// `warn_percent` degraded.
pub struct DiskCheck {
    _private: (),
}

impl DiskCheck {
    /// A check of the file system holding `path`.
    pub fn new(
        path: &str,
        min_free_percent: f64,
        warn_percent: Option<f64>,
    ) -> Result<Self, ConfigError> {
        let _ = (path, min_free_percent, warn_percent);
        Err(ConfigError::new("disk", "not available in this build"))
    }
}

impl Check for DiskCheck {
    fn kind(&self) -> &'static str {
        "disk"
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async { Err(CheckError::Service("not implemented".into())) })
    }
}
