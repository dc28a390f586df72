//! RabbitMQ: an AMQP connection with a channel opened on it, both kept, and a round trip on the
//! channel each run.

use std::io;
use std::net::Shutdown;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use lapin::options::BasicQosOptions;
use lapin::tcp::{AMQPUriTcpExt, AsyncTcpStream, OwnedTLSConfig};
use lapin::uri::AMQPUri;
use lapin::{Channel, Connection, ConnectionProperties, ErrorKind};

use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};

/// AMQP reply codes (AMQP 0-9-1 §1.9) that have their own message.
const ACCESS_REFUSED: u16 = 403;
const NOT_ALLOWED: u16 = 530;

/// Opens (once, then reuses) an AMQP connection and a channel on it; each later run makes one
/// round trip on that channel (`Basic.Qos` → `Basic.Qos-Ok`).
///
/// Why not open and close a channel every run, as pika-based checks do: that is two round trips
/// through the broker's channel machinery, and it made this check the slowest of a typical run by
/// 2×. A kept channel answering a method proves the same thing (the broker accepted this user on
/// this vhost and its channel process answers) in one. `Basic.Qos` with a prefetch of 0 is the
/// channel's default setting, needs no permission and touches no exchange or queue.
///
/// `amqp://user:pass@host:5672/vhost` and `amqps://` (TLS); the vhost is percent-encoded
/// (`%2F` for `/`), and a URL without a path, or with an empty one (`amqp://host/`), uses `/`.
pub type RabbitMqCheck = Keeper<RabbitMq>;

/// The settings of a [`RabbitMqCheck`]: what [`Keeper`] needs to open a session and make a round trip.
pub struct RabbitMq {
    uri: AMQPUri,
}

/// An AMQP connection, the channel kept open on it, and a watchdog on its socket.
pub struct KeptConnection {
    /// Opened by the first run on this connection (declared first: dropped, and so closed, before
    /// the connection).
    channel: Option<Channel>,
    conn: Connection,
    watchdog: Watchdog,
}

/// A duplicate of a connection's socket, which shuts the socket down when the connection is dropped
/// in the middle of a run (deadline or error).
///
/// lapin drives each connection on an I/O thread of its own, which ends only when the connection is
/// closed or its socket fails. A run abandoned at its deadline (a broker that accepted the TCP
/// connection but never answers the handshake, or hangs opening the channel) leaves lapin nothing
/// to act on: without this, every such run would leave a thread and a socket behind for good.
/// Shutting the socket down through the duplicate makes lapin's own reads fail, and its thread
/// ends. Between runs the watchdog is disarmed, so dropping a healthy kept connection still closes
/// it politely (`Connection.Close`).
struct Watchdog {
    socket: std::net::TcpStream,
    armed: bool,
}

impl Watchdog {
    /// Watches `socket`; armed from the start.
    fn new(socket: &tokio::net::TcpStream) -> io::Result<Self> {
        Ok(Self {
            socket: duplicate(socket)?,
            armed: true,
        })
    }
}

/// The same socket under a second descriptor (close-on-exec, like every descriptor std makes).
#[cfg(unix)]
fn duplicate(socket: &tokio::net::TcpStream) -> io::Result<std::net::TcpStream> {
    use std::os::fd::AsFd;
    Ok(socket.as_fd().try_clone_to_owned()?.into())
}

/// The same socket under a second handle (not inherited by child processes).
#[cfg(windows)]
fn duplicate(socket: &tokio::net::TcpStream) -> io::Result<std::net::TcpStream> {
    use std::os::windows::io::AsSocket;
    Ok(socket.as_socket().try_clone_to_owned()?.into())
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if self.armed {
            // Already shut down or reset by the peer: nothing left to end.
            let _ = self.socket.shutdown(Shutdown::Both);
        }
    }
}

impl RabbitMqCheck {
    /// A RabbitMQ check of `url`.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(RabbitMq::new(url)?))
    }
}

impl RabbitMq {
    /// A RabbitMQ check of `url`.
    fn new(url: &str) -> Result<Self, ConfigError> {
        let problem = |p: String| ConfigError::new("rabbitmq", p);
        let url = url.trim();
        crate::target::require_scheme(
            "rabbitmq",
            url,
            &["amqp", "amqps"],
            "amqp://host:port/vhost",
        )?;
        let mut uri = AMQPUri::from_str(url).map_err(|e| {
            // The parser's message quotes the part it failed on, which can be the password.
            let _ = e;
            problem("invalid AMQP URL".into())
        })?;
        if uri.vhost.is_empty() {
            // `amqp://host:5672/` names the vhost "" by the letter of the AMQP URI spec, but pika
            // (the predecessor's driver) and kombu read it as the default vhost `/`, which is what
            // the users who write it mean (a vhost named "" is never what anyone set up).
            uri.vhost = "/".into();
        }
        // The AMQP URI parser fills in `localhost` when the URL names no host (`amqp://`, from an
        // empty variable): the host is taken from the URL as written instead, so that such a URL
        // is refused rather than checking whatever broker runs on this machine.
        let written_host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        crate::endpoint::validate("rabbitmq", &written_host, Some(uri.authority.port))?;
        Ok(Self { uri })
    }

    async fn open(&self) -> Result<KeptConnection, CheckError> {
        let host = &self.uri.authority.host;
        let runtime = lapin::runtime::default_runtime().map_err(|e| self.describe(&e))?;
        // The socket and the TLS handshake are made here, in the run's own future, so that the
        // deadline drops them; lapin would make them on its I/O thread, out of the deadline's reach.
        let tls = OwnedTLSConfig::default();
        let stream = self
            .uri
            .connect_with_config_async(tls.as_ref(), &runtime)
            .await
            .map_err(|e| describe_transport(&e, host))?;
        let socket = match &stream {
            AsyncTcpStream::Plain(plain) => plain.get_ref(),
            AsyncTcpStream::Rustls(tls) => tls.get_ref().0.get_ref(),
            _ => return Err(CheckError::Service("unsupported AMQP transport".into())),
        };
        let watchdog = Watchdog::new(socket).map_err(|e| CheckError::from_io(&e, host))?;
        // lapin asks for the socket on its I/O thread, and again to reconnect after a failure. A
        // health check reports the failure instead: the second request is refused.
        let handover = Mutex::new(Some(stream));
        let properties =
            ConnectionProperties::default().with_connection_name("healthcheckx".into());
        let conn = Connection::connector(
            self.uri.clone(),
            runtime,
            async move |_uri, _runtime| {
                let stream = match handover.lock() {
                    Ok(mut slot) => slot.take(),
                    Err(poisoned) => poisoned.into_inner().take(),
                };
                stream.ok_or_else(|| io::Error::from(io::ErrorKind::ConnectionAborted).into())
            },
            properties,
        )
        .await
        .map_err(|e| self.describe(&e))?;
        Ok(KeptConnection {
            channel: None,
            conn,
            watchdog,
        })
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

/// A failed TCP connect or TLS handshake. rustls reports handshake failures (a certificate, or a
/// plain-AMQP port answering) as I/O errors whose text alone would not say "TLS".
fn describe_transport(err: &io::Error, host: &str) -> CheckError {
    match err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    {
        Some(tls) => CheckError::Tls(tls.to_string()),
        None => CheckError::from_io(err, host),
    }
}

impl Protocol for RabbitMq {
    type Session = KeptConnection;

    fn kind(&self) -> &'static str {
        "rabbitmq"
    }

    async fn connect(&self, _timeout: Duration) -> Result<KeptConnection, CheckError> {
        self.open().await
    }

    async fn round_trip(
        &self,
        mut kept: KeptConnection,
        _timeout: Duration,
    ) -> Result<KeptConnection, CheckError> {
        // Dropped on an error or at the deadline from here on: armed.
        kept.watchdog.armed = true;
        match &kept.channel {
            // A new connection: opening the channel is this run's round trip.
            None => {
                let channel = kept
                    .conn
                    .create_channel()
                    .await
                    .map_err(|e| self.describe(&e))?;
                kept.channel = Some(channel);
            }
            Some(channel) => channel
                .basic_qos(0, BasicQosOptions::default())
                .await
                .map_err(|e| self.describe(&e))?,
        }
        kept.watchdog.armed = false;
        Ok(kept)
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
        assert_eq!(check.protocol().uri.vhost, "/");
        for default_vhost in [
            "amqp://localhost",
            "amqp://localhost/",
            "amqp://localhost//",
        ] {
            let check = RabbitMqCheck::new(default_vhost).expect("valid");
            assert_eq!(check.protocol().uri.vhost, "/", "{default_vhost}");
        }
        let check = RabbitMqCheck::new("amqps://u:p@mq.example.com/orders").expect("valid");
        assert_eq!(check.protocol().uri.vhost, "orders");
        assert_eq!(check.protocol().uri.authority.port, 5671);
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
        for empty in ["amqp://", "amqp:///", "amqp://:@", "amqps://"] {
            let err = RabbitMqCheck::new(empty).err().map(|e| e.to_string());
            assert_eq!(
                err.as_deref(),
                Some("check \"rabbitmq\": the URL names no host"),
                "{empty}"
            );
        }
        assert!(RabbitMqCheck::new("amqps://guest:guest@/").is_err());
        assert!(RabbitMqCheck::new("amqp://h:0/").is_err());
        assert!(RabbitMqCheck::new("guest@localhost").is_err());
    }
}
