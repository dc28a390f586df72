//! Oracle: login and `SELECT 1 FROM DUAL` through a pure-Rust thin driver.

use std::time::Duration;

use crate::check::{Check, CheckFuture};
use crate::error::{CheckError, ConfigError};

/// Oracle: login and `SELECT 1 FROM DUAL` through a pure-Rust thin driver.
pub struct OracleCheck {
    _private: (),
}

impl OracleCheck {
    /// `oracle://user:pass@host:1521/SERVICE`, `user/pass@host:1521/service`, `(DESCRIPTION=...)`.
    pub fn new(dsn: &str) -> Result<Self, ConfigError> {
        let _ = (dsn,);
        Err(ConfigError::new("oracle", "not available in this build"))
    }
}

impl Check for OracleCheck {
    fn kind(&self) -> &'static str {
        "oracle"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async { Err(CheckError::Service("not implemented".into())) })
    }
}
