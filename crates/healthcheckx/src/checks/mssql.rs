//! Microsoft SQL Server: login and `SELECT 1`.

use std::time::Duration;

use crate::check::{Check, CheckFuture};
use crate::error::{CheckError, ConfigError};

/// Microsoft SQL Server: login and `SELECT 1`.
pub struct MssqlCheck {
    _private: (),
}

impl MssqlCheck {
    /// `mssql://user:pass@host:1433/db`, `sqlserver://`, `?encrypt=`, `?trust_server_certificate=`.
    pub fn new(dsn: &str) -> Result<Self, ConfigError> {
        let _ = (dsn,);
        Err(ConfigError::new("mssql", "not available in this build"))
    }
}

impl Check for MssqlCheck {
    fn kind(&self) -> &'static str {
        "mssql"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async { Err(CheckError::Service("not implemented".into())) })
    }
}
