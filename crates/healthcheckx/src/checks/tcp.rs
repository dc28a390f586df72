//! TCP: a connection is accepted.

use tokio::net::TcpStream;

use crate::check::{Check, CheckFuture};
use crate::error::{CheckError, ConfigError};
use crate::status::Outcome;

/// Succeeds when `host:port` accepts a TCP connection (closed right away).
#[derive(Debug, Clone)]
pub struct TcpCheck {
    host: String,
    port: u16,
}

impl TcpCheck {
    /// A check of `host:port`.
    pub fn new(host: &str, port: u16) -> Result<Self, ConfigError> {
        let host = host.trim();
        if host.is_empty() {
            return Err(ConfigError::new("tcp", "host must not be empty"));
        }
        if port == 0 {
            return Err(ConfigError::new("tcp", "port must be between 1 and 65535"));
        }
        Ok(Self {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
            port,
        })
    }
}

/// Connects to `host:port`, mapping failures to the cause (refused, DNS...).
pub(crate) async fn connect(host: &str, port: u16) -> Result<TcpStream, CheckError> {
    let addrs: Vec<_> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| CheckError::NameResolution {
            host: host.to_string(),
        })?
        .collect();
    let mut last = CheckError::NameResolution {
        host: host.to_string(),
    };
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => return Ok(stream),
            Err(e) => last = CheckError::from_io(&e, host),
        }
    }
    Err(last)
}

impl Check for TcpCheck {
    fn kind(&self) -> &'static str {
        "tcp"
    }

    fn check(&self, _timeout: std::time::Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            connect(&self.host, self.port).await?;
            Ok(Outcome::Healthy)
        })
    }
}
