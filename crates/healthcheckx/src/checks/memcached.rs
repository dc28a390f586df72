//! Memcached: `version` answered.

use std::time::Duration;

use crate::check::{Check, CheckFuture};
use crate::error::{CheckError, ConfigError};

/// Memcached: `version` answered.
pub struct MemcachedCheck {
    _private: (),
}

impl MemcachedCheck {
    /// `host`/`port`, or a `memcached://host:port` URL in `host`.
    pub fn new(host: &str, port: u16) -> Result<Self, ConfigError> {
        let _ = (host, port);
        Err(ConfigError::new("memcached", "not available in this build"))
    }
}

impl Check for MemcachedCheck {
    fn kind(&self) -> &'static str {
        "memcached"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(2)
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async { Err(CheckError::Service("not implemented".into())) })
    }
}
