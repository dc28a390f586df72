//! RabbitMQ: an AMQP connection, and a channel opened and closed on it.

use std::str::FromStr;
use std::time::Duration;

use lapin::uri::{AMQPScheme, AMQPUri};
use lapin::{Connection, ConnectionProperties, ErrorKind};

use crate::check::{Check, CheckFuture};
use crate::conn::ConnectionSlot;
use crate::error::{CheckError, ConfigError};
use crate::status::Outcome;
use crate::tls;

/// AMQP reply codes (AMQP 0-9-1 §1.9) that have their own message.
const ACCESS_REFUSED: u16 = 403;
const NOT_ALLOWED: u16 = 530;

/// Opens (once, then reuses) an AMQP connection and opens and closes a channel on it each run.
///
/// `amqp://user:pass@host:5672/vhost` and `amqps://` (TLS); the vhost is percent-encoded
/// (`%2F` for `/`), and a URL without a path uses `/`.
pub struct RabbitMqCheck {
    uri: AMQPUri,
    slot: ConnectionSlot<Connection>,
}

impl RabbitMqCheck {
    /// A RabbitMQ check of `url`.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        let problem = |p: String| ConfigError::new("rabbitmq", p);
        let url = url.trim();
        let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("amqp") | Some("amqps") => {}
            Some(other) => {
                return Err(problem(format!(
                    "unsupported URL scheme \"{other}\" (expected amqp:// or amqps://)"
                )))
            }
            None => {
                return Err(problem(
                    "invalid AMQP URL: expected amqp://host:port/vhost".into(),
                ))
            }
        }
        let uri = AMQPUri::from_str(url).map_err(|e| {
            // The parser's message quotes the part it failed on, which can be the password.
            let _ = e;
            problem("invalid AMQP URL".into())
        })?;
        if uri.authority.host.is_empty() {
            return Err(problem("the URL names no host".into()));
        }
        if uri.scheme == AMQPScheme::AMQPS {
            tls::install_crypto_provider();
        }
        Ok(Self {
            uri,
            slot: ConnectionSlot::new(),
        })
    }

    async fn connect(&self) -> Result<Connection, CheckError> {
        let properties =
            ConnectionProperties::default().with_connection_name("healthcheckx".into());
        Connection::connect_uri(self.uri.clone(), properties)
            .await
            .map_err(|e| self.describe(&e))
    }

    fn describe(&self, err: &lapin::Error) -> CheckError {
        let host = &self.uri.authority.host;
        match err.kind() {
            ErrorKind::ProtocolError(amqp) => match amqp.get_id() {
                ACCESS_REFUSED => {
                    if amqp.get_message().as_str().contains("vhost") {
                        CheckError::Service(format!(
                            "access refused to vhost \"{}\" for user \"{}\"",
                            self.uri.vhost, self.uri.authority.userinfo.username
                        ))
                    } else {
                        CheckError::AuthenticationFailed {
                            user: Some(self.uri.authority.userinfo.username.clone()),
                        }
                    }
                }
                NOT_ALLOWED if amqp.get_message().as_str().contains("vhost") => {
                    CheckError::NotFound {
                        kind: "vhost",
                        name: self.uri.vhost.clone(),
                    }
                }
                _ => CheckError::Service(format!("AMQP error: {}", amqp.get_message().as_str())),
            },
            ErrorKind::IOError(io) => CheckError::from_io(io, host),
            ErrorKind::InvalidConnectionState(state) => {
                CheckError::Service(format!("connection {state:?}").to_lowercase())
            }
            ErrorKind::MissingHeartbeatError => CheckError::Service("missed heartbeats".into()),
            _ => CheckError::find_io(err, host)
                .unwrap_or_else(|| CheckError::Service(err.to_string())),
        }
    }
}

impl Check for RabbitMqCheck {
    fn kind(&self) -> &'static str {
        "rabbitmq"
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            self.slot
                .round_trip(
                    || self.connect(),
                    |conn| async move {
                        let channel = conn.create_channel().await.map_err(|e| self.describe(&e))?;
                        channel
                            .close(200, "OK".into())
                            .await
                            .map_err(|e| self.describe(&e))?;
                        Ok(conn)
                    },
                )
                .await?;
            Ok(Outcome::Healthy)
        })
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.uri.authority.userinfo.password.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vhost_and_tls_forms_parse() {
        let check = RabbitMqCheck::new("amqp://guest:guest@localhost:5672/%2F").expect("valid");
        assert_eq!(check.uri.vhost, "/");
        let check = RabbitMqCheck::new("amqps://u:p@mq.example.com/orders").expect("valid");
        assert_eq!(check.uri.vhost, "orders");
        assert_eq!(check.uri.authority.port, 5671);
    }

    #[test]
    fn bad_urls_are_rejected_without_secrets() {
        let err = RabbitMqCheck::new("redis://u:hunter2@h")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("unsupported URL scheme \"redis\""), "{err}");
        assert!(!err.contains("hunter2"));
        assert!(RabbitMqCheck::new("amqp://u:hunter2@h:notaport/").is_err());
        assert!(RabbitMqCheck::new("guest@localhost").is_err());
    }
}
