//! Memcached: `version` answered.
//!
//! The round trip is one line each way (`version\r\n` → `VERSION 1.6.21\r\n`), spoken here over
//! the engine's own TCP connect rather than through a client crate: `async-memcached` opens
//! IPv4-only sockets (`TcpSocket::new_v4`), so a server reached over IPv6 (`[::1]`, or a name that
//! resolves only to IPv6 addresses) could not be checked, and it would add seven crates for this
//! one exchange. The connect shared with the TCP check also gives the same messages
//! (`Connection refused`, `name resolution failed for "cache"`) as every other check.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::checks::tcp;
use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};
use crate::target;

/// A `version` answer is about 20 bytes; a peer that sends more without a line end is not
/// memcached, and must not make the check buffer without bound.
const MAX_LINE: u64 = 512;

/// Sends `version` over a kept connection.
///
/// `MemcachedCheck::new("cache.internal", 11211)`, or a URL in `host`:
/// `memcached://cache.internal:11211` (the URL's port wins over `port`; without one, `port` is
/// used). IPv6 addresses are written `::1` or `[::1]` as a host, `memcached://[::1]:11211` in a
/// URL. Memcached has no authentication in its text protocol's common deployments, so a URL with
/// credentials is refused rather than silently checked without them.
pub type MemcachedCheck = Keeper<Memcached>;

/// The settings of a [`MemcachedCheck`]: what [`Keeper`] needs to open a session and make a round trip.
pub struct Memcached {
    host: String,
    port: u16,
}

impl MemcachedCheck {
    /// A check of `host`/`port`, or of a `memcached://host:port` URL in `host`.
    pub fn new(host: &str, port: u16) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(Memcached::new(host, port)?))
    }
}

impl Memcached {
    /// `host`/`port`, or a `memcached://host:port` URL in `host`.
    fn new(host: &str, port: u16) -> Result<Self, ConfigError> {
        let (host, port) = parse(host, port)?;
        crate::endpoint::validate("memcached", &host, Some(port))?;
        Ok(Self { host, port })
    }

    async fn open(&self) -> Result<BufReader<TcpStream>, CheckError> {
        let stream = tcp::connect(&self.host, self.port).await?;
        // A health probe sends one short line at a time: waiting to coalesce it only adds latency.
        let _ = stream.set_nodelay(true);
        Ok(BufReader::new(stream))
    }

    fn io_error(&self, err: &std::io::Error) -> CheckError {
        CheckError::from_io(err, &self.host)
    }

    async fn version(
        &self,
        mut conn: BufReader<TcpStream>,
    ) -> Result<BufReader<TcpStream>, CheckError> {
        conn.get_mut()
            .write_all(b"version\r\n")
            .await
            .map_err(|e| self.io_error(&e))?;
        let mut line = Vec::new();
        let read = (&mut conn)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .await
            .map_err(|e| self.io_error(&e))?;
        if read == 0 {
            // The server closed the connection instead of answering (a restart, or a proxy that
            // lost its backend).
            return Err(CheckError::ConnectionReset);
        }
        answer(&line)?;
        Ok(conn)
    }
}

/// Reads `host` and `port` as the Python API gives them: a host name or address with a separate
/// port, or a `memcached://` URL in `host`.
fn parse(host: &str, port: u16) -> Result<(String, u16), ConfigError> {
    let problem = |p: String| ConfigError::new("memcached", p);
    let host = host.trim();
    if host.is_empty() {
        return Err(problem("host must not be empty".into()));
    }
    if port == 0 {
        return Err(problem("port must be between 1 and 65535".into()));
    }
    if !host.contains("://") {
        return plain_host(host, port);
    }
    let parts = target::parse_url(
        "memcached",
        host,
        &["memcached"],
        ("URL", "memcached://host:port"),
    )?;
    if parts.user.is_some() || parts.password.is_some() {
        return Err(problem(
            "memcached:// URLs take no credentials (the check does not authenticate)".into(),
        ));
    }
    if !parts.path.is_empty() {
        return Err(problem(
            "invalid URL: expected memcached://host:port with nothing after the port".into(),
        ));
    }
    parts
        .options
        .finish("none: memcached:// URLs take no options")?;
    let (name, url_port) = (parts.host, parts.port);
    // `port` defaults to 11211 on the Python side too: a URL without a port keeps whatever the
    // caller passed, so `memcached_check("memcached://cache", port=11300)` means 11300.
    Ok((name, url_port.unwrap_or(port)))
}

/// A host without a scheme: a name, an IPv4 address, or an IPv6 address with or without brackets.
/// `host:port` is refused: the port has its own argument, and guessing would misread IPv6.
fn plain_host(host: &str, port: u16) -> Result<(String, u16), ConfigError> {
    let problem = |p: &str| ConfigError::new("memcached", p);
    if let Some(inner) = host.strip_prefix('[') {
        let Some(addr) = inner.strip_suffix(']') else {
            return Err(problem(
                "invalid host: give an IPv6 address as [::1], and the port as port=",
            ));
        };
        return match addr.parse::<std::net::Ipv6Addr>() {
            Ok(addr) => Ok((addr.to_string(), port)),
            Err(_) => Err(problem("invalid IPv6 address in brackets")),
        };
    }
    if host.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok((host.to_string(), port));
    }
    if host.contains(':') {
        return Err(problem(
            "invalid host: give the port as port=..., or write memcached://host:port",
        ));
    }
    if host.contains(['/', '@', ' ']) {
        return Err(problem("invalid host name"));
    }
    Ok((host.to_string(), port))
}

/// Judges the line answering `version`.
fn answer(line: &[u8]) -> Result<(), CheckError> {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_end_matches(['\r', '\n']);
    if let Some(version) = text.strip_prefix("VERSION ") {
        if !version.trim().is_empty() {
            return Ok(());
        }
    }
    // A server started with `-Y` (text-protocol authentication) refuses every command until a
    // login `set`, which this check does not send.
    if text.starts_with("CLIENT_ERROR unauthenticated") {
        return Err(CheckError::Service(
            "authentication required: the server expects a login, which this check does not send"
                .into(),
        ));
    }
    if let Some(reason) = text.strip_prefix("SERVER_ERROR ") {
        return Err(CheckError::Service(format!(
            "memcached error: {reason:.80}"
        )));
    }
    if !line.ends_with(b"\n") {
        return Err(CheckError::Service(
            "unexpected answer to version: not a memcached server".into(),
        ));
    }
    // The peer's text, shown so a wrong port can be recognised (`-ERR unknown command` is Redis),
    // kept short and on one line.
    let shown: String = text
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(60)
        .collect();
    Err(CheckError::Service(format!(
        "unexpected answer to version: {shown}"
    )))
}

impl Protocol for Memcached {
    type Session = BufReader<TcpStream>;

    fn kind(&self) -> &'static str {
        "memcached"
    }

    async fn connect(&self, _timeout: Duration) -> Result<Self::Session, CheckError> {
        self.open().await
    }

    async fn round_trip(
        &self,
        conn: Self::Session,
        _timeout: Duration,
    ) -> Result<Self::Session, CheckError> {
        self.version(conn).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(host: &str, port: u16) -> (String, u16) {
        parse(host, port).unwrap_or_else(|e| panic!("{host}: {e}"))
    }

    fn problem(host: &str, port: u16) -> String {
        match parse(host, port) {
            Ok(ok) => panic!("{host} was accepted as {ok:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn host_and_port_forms() {
        assert_eq!(parsed("localhost", 11211), ("localhost".into(), 11211));
        assert_eq!(parsed(" 10.0.0.5 ", 11300), ("10.0.0.5".into(), 11300));
        assert_eq!(parsed("::1", 11211), ("::1".into(), 11211));
        assert_eq!(parsed("[::1]", 11211), ("::1".into(), 11211));
        assert_eq!(
            parsed("memcached://cache.internal:11300", 11211),
            ("cache.internal".into(), 11300)
        );
        assert_eq!(
            parsed("MEMCACHED://cache.internal/", 11400),
            ("cache.internal".into(), 11400)
        );
        assert_eq!(
            parsed("memcached://[::1]:11212", 11211),
            ("::1".into(), 11212)
        );
    }

    #[test]
    fn unusable_configurations_name_the_check_and_the_problem() {
        let err = problem("redis://localhost:6379", 11211);
        assert!(
            err.starts_with("check \"memcached\": unsupported URL scheme \"redis\""),
            "{err}"
        );
        assert!(problem("", 11211).contains("host must not be empty"));
        assert!(problem("localhost", 0).contains("port must be between 1 and 65535"));
        assert!(problem("localhost:11211", 11211).contains("give the port as port="));
        assert!(problem("memcached://", 11211).contains("memcached://host:port"));
        assert!(problem("memcached://h:notaport", 11211).contains("invalid URL"));
        assert!(problem("memcached://h:11211/0", 11211).contains("nothing after the port"));
        assert!(problem("[::1", 11211).contains("[::1]"));
        assert!(problem("[nope]", 11211).contains("invalid IPv6"));
    }

    #[test]
    fn credentials_are_refused_without_being_echoed() {
        let err = problem("memcached://app:hunter2@cache:11211", 11211);
        assert!(err.contains("take no credentials"), "{err}");
        assert!(!err.contains("hunter2"));
    }

    #[test]
    fn answers_to_version() {
        assert_eq!(answer(b"VERSION 1.6.21\r\n"), Ok(()));
        assert_eq!(
            answer(b"CLIENT_ERROR unauthenticated\r\n").map_err(|e| e.to_string()),
            Err("authentication required: the server expects a login, which this check does not send".into())
        );
        assert_eq!(
            answer(b"SERVER_ERROR out of memory\r\n").map_err(|e| e.to_string()),
            Err("memcached error: out of memory".into())
        );
        assert_eq!(
            answer(b"HTTP/1.1 400 Bad Request\r\n").map_err(|e| e.to_string()),
            Err("unexpected answer to version: HTTP/1.1 400 Bad Request".into())
        );
        assert_eq!(
            answer(b"-ERR unknown command 'version', with args beginning with: \tx\r\n")
                .map_err(|e| e.to_string()),
            Err("unexpected answer to version: -ERR unknown command 'version', with args beginning with: ?x".into())
        );
        assert!(answer(b"VERSION \r\n").is_err());
        assert_eq!(
            answer(&[b'x'; MAX_LINE as usize]).map_err(|e| e.to_string()),
            Err("unexpected answer to version: not a memcached server".into())
        );
    }
}
