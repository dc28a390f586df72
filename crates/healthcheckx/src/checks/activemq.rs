//! ActiveMQ: STOMP CONNECT answered by CONNECTED, or the OpenWire greeting read.
//!
//! Two protocols, chosen by the URL:
//!
//! - **STOMP** (`stomp://`, `stomp+ssl://`, or `host:61613`): a CONNECT frame, with `login` and
//!   `passcode` when the URL has credentials, must be answered by CONNECTED. The session is kept
//!   and each later run proves it still answers with a BEGIN and an ABORT of an empty transaction,
//!   both with receipts (a round trip that leaves nothing behind on the broker). Frames are
//!   read and written by the small codec of [`super::stomp`] (why no crate: see there) over a
//!   socket and TLS session made here (see [`crate::tls`]); it refuses a reply larger than
//!   64 KiB, so a hostile or broken peer costs the check little memory and no time past its
//!   deadline.
//! - **OpenWire** (`tcp://`, `ssl://`, `nio://`, or `host:port` on any other port): ActiveMQ's
//!   native protocol. The broker speaks first: a `WireFormatInfo` command that starts with the
//!   magic `ActiveMQ`. Reading it proves that an ActiveMQ transport connector answers. There is no
//!   OpenWire client in Rust, and a full one (marshalling, negotiation, ConnectionInfo) would be
//!   far more than a health check needs, so these few bytes are read by hand. The greeting is
//!   sent once per connection, and a connection that does not go on to negotiate is closed by
//!   the broker after its negotiation timeout, so nothing can be kept: each run opens a fresh
//!   connection, reads the greeting and closes it (the broker creates no session before the
//!   client's own ConnectionInfo). OpenWire authenticates later, in ConnectionInfo, so
//!   credentials in an OpenWire URL are refused at registration rather than silently unchecked.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio_util::codec::Framed;

use crate::check::{Check, CheckFuture};
use crate::conn::ConnectionSlot;
use crate::error::{CheckError, ConfigError};
use crate::status::Outcome;
use crate::target::{self, UrlParts};
use crate::tls::{self, Verification};

use super::stomp::{Frame, StompCodec, StompError};
use super::tcp;

/// The port a bare `host:port` is read as STOMP on; any other port means OpenWire.
const STOMP_PORT: u16 = 61613;

/// OpenWire's `WireFormatInfo` data type, and the magic that starts its body.
const WIREFORMAT_INFO: u8 = 1;
const OPENWIRE_MAGIC: &[u8; 8] = b"ActiveMQ";
/// A greeting larger than this is not one (ActiveMQ's is a few hundred bytes).
const MAX_GREETING: u32 = 64 * 1024;
/// The most characters of a broker's ERROR message (and of the first line of its body) quoted.
const MAX_DETAIL: usize = 120;

/// The protocol the URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Stomp,
    OpenWire,
}

/// Connects with STOMP (CONNECT answered by CONNECTED) or reads the OpenWire greeting.
///
/// URL forms: `stomp://[user:pass@]host:61613[/vhost]`, `stomp+ssl://` (TLS, default port
/// 61614), `tcp://host:61616` (OpenWire), `ssl://host:61617` (OpenWire over TLS), `nio://`
/// (OpenWire), and a bare `host:port`, read as STOMP on 61613 and as OpenWire on any other port.
/// The STOMP path, percent-decoded, is sent as the CONNECT `host` header (RabbitMQ reads it as
/// the vhost); without one the header is `/`. Query options (transport settings of Java clients)
/// are ignored. TLS certificates are verified against the Mozilla roots.
pub struct ActiveMqCheck {
    target: Target,
    transactions: AtomicU64,
    slot: ConnectionSlot<Session>,
}

/// What the check connects to; messages may name the host and the user, never the password.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    protocol: Protocol,
    tls: bool,
    host: String,
    port: u16,
    /// The STOMP CONNECT `host` header.
    vhost: String,
    user: Option<String>,
    password: Option<String>,
}

/// A byte stream to the broker: plain TCP or TLS over it.
trait Transport: AsyncRead + AsyncWrite + Send + Unpin {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin> Transport for T {}

/// A STOMP session: the framed socket, and whether CONNECTED was just read on it (that run's
/// round trip is then done).
struct Session {
    framed: Framed<Box<dyn Transport>, StompCodec>,
    fresh: bool,
}

impl ActiveMqCheck {
    /// An ActiveMQ check of `broker_url`.
    pub fn new(broker_url: &str) -> Result<Self, ConfigError> {
        let target = parse(broker_url)?;
        crate::endpoint::validate("activemq", &target.host, Some(target.port))?;
        Ok(Self {
            target,
            transactions: AtomicU64::new(0),
            slot: ConnectionSlot::new(),
        })
    }

    async fn open(&self) -> Result<Box<dyn Transport>, CheckError> {
        let host = &self.target.host;
        let stream = tcp::connect(host, self.target.port).await?;
        if !self.target.tls {
            return Ok(Box::new(stream));
        }
        let config = tls::client_config(Verification::Full);
        let stream = tls::handshake(stream, host, config).await?;
        Ok(Box::new(stream))
    }

    /// CONNECT (STOMP 1.2, no heart-beats, credentials when the URL has them), answered by
    /// CONNECTED.
    async fn connect_stomp(&self) -> Result<Session, CheckError> {
        let stream = self.open().await?;
        let mut framed = Framed::new(stream, StompCodec::new());
        let mut headers = vec![
            ("accept-version", "1.2"),
            ("host", self.target.vhost.as_str()),
        ];
        if let Some(user) = &self.target.user {
            headers.push(("login", user));
        }
        if let Some(password) = &self.target.password {
            headers.push(("passcode", password));
        }
        framed
            .send(Frame::new("CONNECT", &headers))
            .await
            .map_err(|e| self.describe(&e))?;
        let frame = self.next_frame(&mut framed).await?;
        match frame.command.as_str() {
            "CONNECTED" => Ok(Session {
                framed,
                fresh: true,
            }),
            "ERROR" => Err(self.refused(frame.header("message"), &frame.body)),
            _ => Err(CheckError::Service(
                "unexpected STOMP frame in answer to CONNECT".into(),
            )),
        }
    }

    /// BEGIN and ABORT of an empty transaction, each with a receipt: a round trip on a kept
    /// session that changes nothing on the broker.
    async fn ping(&self, mut session: Session) -> Result<Session, CheckError> {
        if std::mem::take(&mut session.fresh) {
            return Ok(session);
        }
        let n = self.transactions.fetch_add(1, Ordering::Relaxed);
        let transaction = format!("healthcheckx-{n}");
        let receipt = format!("healthcheckx-{n}-abort");
        let begin = Frame::new("BEGIN", &[("transaction", &transaction)]);
        let abort = Frame::new(
            "ABORT",
            &[("transaction", &transaction), ("receipt", &receipt)],
        );
        let framed = &mut session.framed;
        framed.feed(begin).await.map_err(|e| self.describe(&e))?;
        framed.send(abort).await.map_err(|e| self.describe(&e))?;
        // Frames are processed in order, so the receipt of the ABORT also answers the BEGIN; an
        // ERROR would come first.
        loop {
            let frame = self.next_frame(framed).await?;
            match frame.command.as_str() {
                "RECEIPT" if frame.header("receipt-id") == Some(receipt.as_str()) => {
                    return Ok(session)
                }
                "ERROR" => {
                    return Err(CheckError::Service(format!(
                        "STOMP error: {}",
                        short(frame.header("message").unwrap_or("no message"))
                    )))
                }
                // No subscription exists on this session, so nothing else is expected; a
                // stray frame is not a failure of the broker.
                _ => continue,
            }
        }
    }

    async fn next_frame(
        &self,
        framed: &mut Framed<Box<dyn Transport>, StompCodec>,
    ) -> Result<Frame, CheckError> {
        match framed.next().await {
            Some(Ok(frame)) => Ok(frame),
            Some(Err(e)) => Err(self.describe(&e)),
            // The broker closed the connection without a frame.
            None => Err(CheckError::ConnectionReset),
        }
    }

    /// The broker answered CONNECT with an ERROR frame. Brokers word refusals of credentials
    /// differently (ActiveMQ: `User name [x] or password is invalid.`; RabbitMQ: `Bad CONNECT`
    /// with `Access refused for user 'x'` in the body); both name the credentials.
    fn refused(&self, message: Option<&str>, body: &[u8]) -> CheckError {
        let message = short(message.unwrap_or_default());
        let body = String::from_utf8_lossy(body);
        let text = format!("{message} {body}").to_ascii_lowercase();
        const CREDENTIALS: [&str; 5] = [
            "password",
            "access refused",
            "authentication",
            "credentials",
            "not authorized",
        ];
        if CREDENTIALS.iter().any(|marker| text.contains(marker)) && !text.contains("virtual host")
        {
            return CheckError::AuthenticationFailed {
                user: self.target.user.clone(),
            };
        }
        let detail = body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(short);
        CheckError::Service(match detail {
            Some(detail) if !message.is_empty() => format!("STOMP error: {message}: {detail}"),
            Some(detail) => format!("STOMP error: {detail}"),
            None if !message.is_empty() => format!("STOMP error: {message}"),
            None => "STOMP error".into(),
        })
    }

    /// Errors of the codec: an I/O error from the socket, bytes that are not STOMP, or a reply
    /// past the codec's limits (its message says which).
    fn describe(&self, err: &StompError) -> CheckError {
        match err {
            StompError::Io(io) => CheckError::from_io(io, &self.target.host),
            other => CheckError::Service(other.to_string()),
        }
    }

    /// Reads the `WireFormatInfo` the broker sends first on an OpenWire connection.
    async fn greeting(&self) -> Result<(), CheckError> {
        let host = &self.target.host;
        let mut stream = self.open().await?;
        let io = |e: std::io::Error| CheckError::from_io(&e, host);
        let size = stream.read_u32().await.map_err(io)?;
        let kind = stream.read_u8().await.map_err(io)?;
        let mut magic = [0u8; 8];
        stream.read_exact(&mut magic).await.map_err(io)?;
        if kind != WIREFORMAT_INFO
            || &magic != OPENWIRE_MAGIC
            || !(9..=MAX_GREETING).contains(&size)
        {
            return Err(CheckError::Service(
                "not an ActiveMQ OpenWire port (no WireFormatInfo greeting)".into(),
            ));
        }
        // The rest of the command (version, options) is read too, so that closing the socket
        // is a plain end of stream for the broker rather than a reset over unread bytes.
        let mut rest = vec![0u8; (size - 9) as usize];
        stream.read_exact(&mut rest).await.map_err(io)?;
        Ok(())
    }
}

/// Text a broker sent, as one line of at most [`MAX_DETAIL`] characters: runs of control and
/// white-space characters (line breaks, escape sequences' ESC) become one space, so that an ERROR
/// message and the first line of its body both survive on the one printable line the engine
/// reports.
fn short(text: &str) -> String {
    let words = text.split(|c: char| c.is_control() || c.is_whitespace());
    let text = words
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match text.char_indices().nth(MAX_DETAIL) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Parses every accepted form into a [`Target`]; errors name the problem, never the password.
fn parse(url: &str) -> Result<Target, ConfigError> {
    let problem = |p: String| ConfigError::new("activemq", p);
    let url = url.trim();
    if url.is_empty() {
        return Err(problem("the broker URL is empty".into()));
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("failover:") || lower.starts_with("discovery:") {
        return Err(problem(
            "failover: and discovery: URLs are not supported: register one check per broker URL"
                .into(),
        ));
    }
    let Some((scheme, _)) = url.split_once("://") else {
        return parse_host_port(url);
    };
    let scheme = scheme.to_ascii_lowercase();
    let (protocol, tls, default_port) = match scheme.as_str() {
        "stomp" | "stomp+nio" => (Protocol::Stomp, false, STOMP_PORT),
        "stomp+ssl" | "stomp+nio+ssl" => (Protocol::Stomp, true, 61614),
        "tcp" | "nio" => (Protocol::OpenWire, false, 61616),
        "ssl" | "nio+ssl" => (Protocol::OpenWire, true, 61617),
        other => {
            return Err(problem(format!(
                "unsupported URL scheme \"{other}\" (expected stomp://, stomp+ssl://, tcp://, ssl:// or host:port)"
            )))
        }
    };
    let parts = target::parse_url(
        "activemq",
        url,
        &[scheme.as_str()],
        ("broker URL", "stomp://host:61613"),
    )?;
    let UrlParts {
        host,
        port,
        user,
        password,
        path,
        ..
    } = parts;
    // Transport options (`wireFormat.maxInactivityDuration=0`...) tune the broker's client
    // library, not this check: they are accepted and ignored, as ActiveMQ's own URLs carry them.
    let password = password.map(|p| p.expose().to_string());
    if protocol == Protocol::OpenWire && (user.is_some() || password.is_some()) {
        return Err(problem(
            "an OpenWire URL cannot carry credentials (the check reads the broker's greeting, \
             before any login): use stomp:// to check them"
                .into(),
        ));
    }
    let vhost = if path.is_empty() {
        "/".to_string()
    } else {
        path
    };
    // CONNECT headers go unescaped (brokers read them before a version is agreed): a line break
    // would end the header and start another one.
    let fields = [
        ("user name", user.as_deref()),
        ("password", password.as_deref()),
        ("vhost", Some(vhost.as_str())),
    ];
    for (what, value) in fields {
        if value.is_some_and(|v| v.contains(['\r', '\n', '\0'])) {
            return Err(problem(format!(
                "the {what} cannot contain a line break or NUL"
            )));
        }
    }
    Ok(Target {
        protocol,
        tls,
        host,
        port: port.unwrap_or(default_port),
        vhost,
        user,
        password,
    })
}

/// `host:port`, `[v6]:port`: STOMP on 61613, OpenWire elsewhere.
fn parse_host_port(text: &str) -> Result<Target, ConfigError> {
    let problem = |p: &str| ConfigError::new("activemq", p);
    let expected =
        "invalid broker address: expected stomp://host:port, tcp://host:port or host:port";
    let (host, port) = text.rsplit_once(':').ok_or_else(|| problem(expected))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.contains(['/', '@', ' ']) {
        return Err(problem(expected));
    }
    let port: u16 = port
        .parse()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| problem("invalid port: expected a number between 1 and 65535"))?;
    Ok(Target {
        protocol: if port == STOMP_PORT {
            Protocol::Stomp
        } else {
            Protocol::OpenWire
        },
        tls: false,
        host: host.to_string(),
        port,
        vhost: "/".into(),
        user: None,
        password: None,
    })
}

impl Check for ActiveMqCheck {
    fn kind(&self) -> &'static str {
        "activemq"
    }

    fn close(&self) {
        self.slot.clear();
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            match self.target.protocol {
                Protocol::OpenWire => self.greeting().await?,
                Protocol::Stomp => {
                    self.slot
                        .round_trip(|| self.connect_stomp(), |session| self.ping(session))
                        .await?
                }
            }
            Ok(Outcome::Healthy)
        })
    }

    fn secrets(&self) -> Vec<String> {
        self.target.password.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> Target {
        match parse(url) {
            Ok(target) => target,
            Err(e) => panic!("{url}: {e}"),
        }
    }

    fn error(url: &str) -> String {
        parse(url).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn stomp_urls_carry_credentials_and_vhost() {
        let t = target("stomp://hcx:p%40ss%3Aw%2Frd@mq.internal:61623/hcx");
        assert_eq!(t.protocol, Protocol::Stomp);
        assert!(!t.tls);
        assert_eq!((t.host.as_str(), t.port), ("mq.internal", 61623));
        assert_eq!(t.user.as_deref(), Some("hcx"));
        assert_eq!(t.password.as_deref(), Some("p@ss:w/rd"));
        assert_eq!(t.vhost, "hcx");
        let t = target("STOMP://localhost");
        assert_eq!((t.port, t.vhost.as_str(), t.user), (61613, "/", None));
        assert_eq!(target("stomp://h/%2F").vhost, "/");
        let t = target("stomp+ssl://u:p@broker.example.com");
        assert!(t.tls);
        assert_eq!(t.port, 61614);
    }

    #[test]
    fn openwire_urls_and_default_ports() {
        let t = target("tcp://127.0.0.1:61616?wireFormat.maxInactivityDuration=0");
        assert_eq!(t.protocol, Protocol::OpenWire);
        assert_eq!(
            (t.host.as_str(), t.port, t.tls),
            ("127.0.0.1", 61616, false)
        );
        assert_eq!(target("tcp://broker").port, 61616);
        let t = target("ssl://broker");
        assert_eq!((t.port, t.tls), (61617, true));
        assert_eq!(target("nio://[::1]:61616").host, "::1");
    }

    #[test]
    fn bare_host_port_is_stomp_only_on_61613() {
        assert_eq!(target("localhost:61613").protocol, Protocol::Stomp);
        let t = target("localhost:61616");
        assert_eq!(t.protocol, Protocol::OpenWire);
        assert_eq!((t.host.as_str(), t.port), ("localhost", 61616));
        let t = target("[::1]:61613");
        assert_eq!((t.host.as_str(), t.protocol), ("::1", Protocol::Stomp));
    }

    #[test]
    fn bad_urls_are_rejected_without_secrets() {
        let err = error("amqp://u:hunter2@h:5672/");
        assert!(err.contains("unsupported URL scheme \"amqp\""), "{err}");
        assert!(!err.contains("hunter2"));
        let err = error("tcp://admin:hunter2@h:61616");
        assert!(err.contains("cannot carry credentials"), "{err}");
        assert!(!err.contains("hunter2"));
        assert!(error("failover:(tcp://a:61616,tcp://b:61616)").contains("failover"));
        for bad in [
            "",
            "localhost",
            "localhost:0",
            "localhost:notaport",
            ":61613",
            "stomp://:61613",
            "stomp://h:99999",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(error("localhost").starts_with("check \"activemq\": "));
        for (url, what) in [
            ("stomp://hcx:a%0Apasscode:x@h", "password"),
            ("stomp://hcx%0D:pw@h", "user name"),
            ("stomp://h/vh%00ost", "vhost"),
        ] {
            let err = error(url);
            assert!(
                err.ends_with(&format!("the {what} cannot contain a line break or NUL")),
                "{url}: {err}"
            );
        }
    }

    #[test]
    fn broker_text_is_quoted_on_one_short_line() {
        assert_eq!(
            short("  Bad\nthing\r\n\x1b[31mred\x0b\u{2028}tail\t "),
            "Bad thing [31mred tail"
        );
        let long = short(&"é".repeat(500));
        assert_eq!(long.chars().count(), MAX_DETAIL + 1);
        assert!(long.ends_with('…'));
        let check = ActiveMqCheck::new("stomp://hcx:pw@localhost").expect("valid");
        let refused = check.refused(
            Some("Bad CONNECT\u{1b}[2J"),
            b"\r\n  Virtual host 'x' access denied\nat line 2\n",
        );
        assert_eq!(
            refused.to_string(),
            "STOMP error: Bad CONNECT [2J: Virtual host 'x' access denied"
        );
        let refused = check.refused(Some("User name [hcx] or password is invalid."), b"");
        assert_eq!(
            refused.to_string(),
            "authentication failed for user \"hcx\""
        );
    }

    #[test]
    fn the_password_is_a_secret() {
        let check = ActiveMqCheck::new("stomp://hcx:s3cret@localhost").expect("valid");
        assert_eq!(check.secrets(), vec!["s3cret".to_string()]);
    }
}
