//! ActiveMQ: STOMP CONNECT answered by CONNECTED, or the OpenWire greeting read.

use std::time::Duration;

use crate::check::{Check, CheckFuture};
use crate::error::{CheckError, ConfigError};

/// ActiveMQ: STOMP CONNECT answered by CONNECTED, or the OpenWire greeting read.
pub struct ActiveMqCheck {
    _private: (),
}

impl ActiveMqCheck {
    /// `stomp://`, `stomp+ssl://`, `tcp://`, `ssl://`, or `host:port` (61613 → STOMP).
    pub fn new(broker_url: &str) -> Result<Self, ConfigError> {
        let _ = (broker_url,);
        Err(ConfigError::new("activemq", "not available in this build"))
    }
}

impl Check for ActiveMqCheck {
    fn kind(&self) -> &'static str {
        "activemq"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(2)
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async { Err(CheckError::Service("not implemented".into())) })
    }
}
