//! Redis (and KeyDB, Valkey: same protocol): `PING` answered.

use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, ConnectionAddr, ErrorKind, RedisError};

use crate::budget::{Budgeted, ReadBudget};
use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};
use crate::tls::{self, Verification};

use super::tcp;

/// Sends `PING` over a kept connection.
///
/// URL forms: `redis://[user[:password]@]host[:port][/db]`, `rediss://` (TLS),
/// `redis+unix:///path/to/socket?db=N`, `unix:///path`, and `keydb://` / `keydbs://` aliases.
pub type RedisCheck = Keeper<Redis>;

/// The settings of a [`RedisCheck`]: what [`Keeper`] needs to open a session and make a round trip.
pub struct Redis {
    kind: &'static str,
    client: Client,
    target: Target,
}

/// What a round trip may read: a `PING` is answered in 7 bytes. The driver's parser works through
/// a partial reply again as more arrives, so a budget far above any real answer would cost CPU on
/// a hostile peer's endless array.
const READ_BUDGET: usize = 64 * 1024;

/// A connection, and the read budget of the stream under it.
pub struct Kept {
    conn: MultiplexedConnection,
    budget: ReadBudget,
}

/// What messages may say about the server: never the password.
struct Target {
    host: String,
    /// Whether `host` is a unix socket path.
    unix: bool,
    user: Option<String>,
    db: i64,
    password: Option<String>,
}

impl RedisCheck {
    /// A Redis check of `url`.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(Redis::with_kind(url, "redis")?))
    }

    /// A KeyDB check: the same protocol, `keydb://` and `keydbs://` accepted too.
    pub fn keydb(url: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(Redis::with_kind(url, "keydb")?))
    }
}

impl Redis {
    fn with_kind(url: &str, kind: &'static str) -> Result<Self, ConfigError> {
        let url = normalize(url.trim(), kind)?;
        let problem = |p: &str| ConfigError::new(kind, p);
        let client = Client::open(url.as_str()).map_err(|_| problem("invalid Redis URL"))?;
        let info = client.get_connection_info();
        let host = match info.addr() {
            ConnectionAddr::Tcp(host, port) | ConnectionAddr::TcpTls { host, port, .. } => {
                crate::endpoint::validate(kind, host, Some(*port))?;
                host.clone()
            }
            ConnectionAddr::Unix(path) => path.display().to_string(),
            _ => return Err(problem("unsupported Redis address")),
        };
        if host.is_empty() {
            return Err(problem("the URL names no host"));
        }
        let settings = info.redis_settings();
        let target = Target {
            host,
            unix: matches!(info.addr(), ConnectionAddr::Unix(_)),
            user: settings.username().map(str::to_string),
            db: settings.db(),
            password: settings.password().map(str::to_string),
        };
        Ok(Self {
            kind,
            client,
            target,
        })
    }

    /// Opens the socket (and TLS) here and hands it to the driver [`Budgeted`]: the driver
    /// buffers a reply until its end, so an endless or huge one (a wrong port, a hostile peer)
    /// would grow without bound.
    async fn open(&self) -> Result<Kept, CheckError> {
        let budget = ReadBudget::new(READ_BUDGET, "Redis");
        let opened = match self.client.get_connection_info().addr() {
            ConnectionAddr::Tcp(host, port) => {
                let stream = tcp::connect(host, *port).await?;
                let _ = stream.set_nodelay(true);
                self.start(Budgeted::new(stream, budget.clone())).await
            }
            ConnectionAddr::TcpTls {
                host,
                port,
                insecure,
                ..
            } => {
                let stream = tcp::connect(host, *port).await?;
                let _ = stream.set_nodelay(true);
                let verification = match insecure {
                    true => Verification::None,
                    false => Verification::Full,
                };
                let config = tls::client_config(verification);
                let stream = tls::handshake(stream, host, config).await?;
                self.start(Budgeted::new(stream, budget.clone())).await
            }
            #[cfg(unix)]
            ConnectionAddr::Unix(path) => match tokio::net::UnixStream::connect(path).await {
                Ok(stream) => self.start(Budgeted::new(stream, budget.clone())).await,
                // A missing socket is as often a wrong path as a stopped server: name the path.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(CheckError::NotFound {
                    kind: "socket",
                    name: self.target.host.clone(),
                }),
                Err(e) => Err(CheckError::from_io(&e, &self.target.host)),
            },
            _ => Err(CheckError::Service("unsupported Redis address".into())),
        };
        match opened {
            Ok(conn) => Ok(Kept { conn, budget }),
            Err(e) => Err(budget.exceeded().unwrap_or(e)),
        }
    }

    /// Authentication and database selection, by the driver, over `stream`.
    async fn start<S>(&self, stream: S) -> Result<MultiplexedConnection, CheckError>
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        // The engine enforces the deadline; the driver's own defaults (0.5 s response timeout)
        // would cut a slower but healthy server short.
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(None)
            .set_response_timeout(None);
        let settings = self.client.get_connection_info().redis_settings();
        let (conn, driver) = MultiplexedConnection::new_with_config(settings, stream, config)
            .await
            .map_err(|e| self.describe(&e))?;
        tokio::spawn(driver);
        Ok(conn)
    }

    fn describe(&self, err: &RedisError) -> CheckError {
        let user = || {
            Some(
                self.target
                    .user
                    .clone()
                    .unwrap_or_else(|| "default".to_string()),
            )
        };
        if err.is_connection_refusal() {
            // The driver counts a missing unix socket file as a refusal too, and keeps the I/O
            // error behind an `Arc<dyn Error>` (no downcast): its text tells the two apart. A
            // missing socket is as often a wrong path as a stopped server, so name the path.
            if self.target.unix && err.to_string().contains("No such file or directory") {
                return CheckError::NotFound {
                    kind: "socket",
                    name: self.target.host.clone(),
                };
            }
            return CheckError::ConnectionRefused;
        }
        if err.kind() == ErrorKind::AuthenticationFailed {
            return CheckError::AuthenticationFailed { user: user() };
        }
        let detail = err.detail().unwrap_or_default();
        if err.code() == Some("NOAUTH") || detail.contains("NOAUTH") {
            return CheckError::Service("authentication required: the URL has no password".into());
        }
        if err.code() == Some("WRONGPASS") {
            return CheckError::AuthenticationFailed { user: user() };
        }
        if detail.contains("DB index is out of range") {
            return CheckError::NotFound {
                kind: "database",
                name: self.target.db.to_string(),
            };
        }
        if let Some(io) = CheckError::find_io(err, &self.target.host) {
            return io;
        }
        if err.is_io_error() {
            return CheckError::ConnectionReset;
        }
        let text = match (err.code(), err.detail()) {
            (Some(code), Some(detail)) => format!("{code} {detail}"),
            (_, Some(detail)) => detail.to_string(),
            _ => err.category().to_string(),
        };
        CheckError::Service(format!("Redis error: {text}"))
    }
}

/// Maps the KeyDB aliases to Redis schemes and rejects what the driver cannot use.
fn normalize(url: &str, kind: &'static str) -> Result<String, ConfigError> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(ConfigError::new(
            kind,
            "invalid Redis URL: expected redis://host:port[/db]",
        ));
    };
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "redis" | "keydb" | "valkey" => "redis",
        "rediss" | "keydbs" | "valkeys" => "rediss",
        "unix" => "unix",
        "redis+unix" | "keydb+unix" | "valkey+unix" => "redis+unix",
        other => {
            return Err(ConfigError::new(
                kind,
                format!(
                    "unsupported URL scheme \"{other}\" (expected redis://, rediss:// or unix://)"
                ),
            ))
        }
    };
    Ok(format!("{scheme}://{rest}"))
}

impl Protocol for Redis {
    type Session = Kept;

    fn kind(&self) -> &'static str {
        self.kind
    }

    async fn connect(&self, _timeout: Duration) -> Result<Kept, CheckError> {
        self.open().await
    }

    async fn round_trip(&self, mut kept: Kept, _timeout: Duration) -> Result<Kept, CheckError> {
        kept.budget.reset();
        let pong: String = match redis::cmd("PING").query_async(&mut kept.conn).await {
            Ok(pong) => pong,
            Err(e) => return Err(kept.budget.exceeded().unwrap_or_else(|| self.describe(&e))),
        };
        if pong != "PONG" {
            return Err(CheckError::Service(format!(
                "unexpected answer to PING: {pong:.40}"
            )));
        }
        Ok(kept)
    }

    fn secrets(&self) -> Vec<String> {
        self.target.password.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Check as _;

    #[test]
    fn accepts_every_documented_form() {
        for url in [
            "redis://localhost:6379/0",
            "redis://:secret@localhost",
            "redis://user:secret@localhost:6380/2",
            "rediss://cache.example.com:6380",
            "unix:///var/run/redis.sock",
            "redis+unix:///var/run/redis.sock?db=1",
            "keydb://localhost:6379",
            "keydbs://localhost:6379",
        ] {
            assert!(RedisCheck::new(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn rejects_garbage_without_echoing_it() {
        let err = RedisCheck::new("http://user:hunter2@host")
            .err()
            .map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.contains("unsupported URL scheme \"http\""), "{err}");
        assert!(!err.contains("hunter2"));
        assert!(RedisCheck::new("not a url").is_err());
        assert!(RedisCheck::new("").is_err());
    }

    #[test]
    fn the_password_is_a_secret() {
        let check = RedisCheck::new("redis://app:p%40ss@localhost/3").expect("valid");
        assert_eq!(check.secrets(), vec!["p@ss".to_string()]);
        assert_eq!(check.protocol().target.db, 3);
        assert_eq!(check.protocol().target.user.as_deref(), Some("app"));
        assert!(!check.protocol().target.unix);
        assert!(
            RedisCheck::new("unix:///run/redis.sock")
                .expect("unix")
                .protocol()
                .target
                .unix
        );
    }
}
