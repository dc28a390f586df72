//! Kafka: a broker answers a Metadata request.

use std::time::Duration;

use crate::check::{Check, CheckFuture};
use crate::error::{CheckError, ConfigError};

/// Kafka: a broker answers a Metadata request.
pub struct KafkaCheck {
    _private: (),
}

impl KafkaCheck {
    /// `"h1:9092,h2:9092"`, or `kafka://` / `kafkas://` with SASL/TLS options in the query.
    pub fn new(bootstrap_servers: &str) -> Result<Self, ConfigError> {
        let _ = (bootstrap_servers,);
        Err(ConfigError::new("kafka", "not available in this build"))
    }
}

impl Check for KafkaCheck {
    fn kind(&self) -> &'static str {
        "kafka"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(2)
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async { Err(CheckError::Service("not implemented".into())) })
    }
}
