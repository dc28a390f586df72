//! PostgreSQL: `SELECT 1` over a kept connection.

use std::io;
use std::str::FromStr;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls};

use crate::budget::{Budgeted, ReadBudget, TypeLengthFrames, DEFAULT_READ_BUDGET};
use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};
use crate::tls::{self, Verification};

/// libpq options that the driver does not parse. `sslmode` is read here (the driver knows only
/// disable/prefer/require); the others are dropped: certificates come from the Mozilla roots.
const UNSUPPORTED_OPTIONS: [&str; 8] = [
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "sslsni",
    "gssencmode",
    "fallback_application_name",
];

/// Runs `SELECT 1`.
///
/// Accepts a URL (`postgresql://user:pass@host:5432/db?sslmode=require`) or a libpq key=value
/// DSN (`host=/var/run/postgresql dbname=app user=app`). A host starting with `/` is a unix
/// socket directory. `sslmode`: `disable`, `allow`/`prefer` (TLS if offered, unverified),
/// `require` (TLS, unverified, as libpq), `verify-ca`/`verify-full` (TLS verified against the
/// Mozilla roots, host name included).
pub type PostgresCheck = Keeper<Postgres>;

/// The settings of a [`PostgresCheck`]: what [`Keeper`] needs to open a session and make a round trip.
pub struct Postgres {
    config: Config,
    verification: Verification,
    target: Target,
}

/// A session, and the read budget of the stream under it.
pub struct Kept {
    client: Client,
    budget: ReadBudget,
}

/// `SSLRequest` (protocol §55.2.10): length 8, code 80877103.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

struct Target {
    host: String,
    user: String,
    dbname: String,
    password: Option<String>,
}

impl PostgresCheck {
    /// A PostgreSQL check of `dsn` (a URL or a libpq key=value DSN).
    pub fn new(dsn: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(Postgres::new(dsn)?))
    }
}

impl Postgres {
    /// A PostgreSQL check of `dsn`.
    fn new(dsn: &str) -> Result<Self, ConfigError> {
        let problem = |p: String| ConfigError::new("postgresql", p);
        let dsn = dsn.trim();
        if dsn.is_empty() {
            return Err(problem("the DSN is empty".into()));
        }
        let (cleaned, sslmode) = split_sslmode(dsn);
        let mut config = Config::from_str(&cleaned).map_err(|e| {
            problem(format!(
                "invalid PostgreSQL DSN: {}",
                describe_parse_error(&e)
            ))
        })?;
        let (ssl_mode, verification) = match sslmode.as_deref() {
            None | Some("prefer") | Some("allow") => (SslMode::Prefer, Verification::None),
            Some("disable") => (SslMode::Disable, Verification::None),
            Some("require") => (SslMode::Require, Verification::None),
            Some("verify-ca") | Some("verify-full") => (SslMode::Require, Verification::Full),
            Some(other) => {
                return Err(problem(format!(
                    "invalid sslmode \"{other}\" (expected disable, allow, prefer, require, verify-ca or verify-full)"
                )))
            }
        };
        config.ssl_mode(ssl_mode);
        config.application_name("healthcheckx");
        let host = match config.get_hosts().first() {
            Some(Host::Tcp(host)) => host.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => {
                return Err(problem(
                    "the DSN names no host (give host=... or postgresql://host/...)".into(),
                ))
            }
        };
        for tcp_host in config.get_hosts().iter().filter_map(|h| match h {
            Host::Tcp(h) => Some(h),
            _ => None,
        }) {
            crate::endpoint::validate_host("postgresql", tcp_host)?;
        }
        for port in config.get_ports() {
            crate::endpoint::validate_port("postgresql", *port)?;
        }
        let user = config.get_user().unwrap_or("postgres").to_string();
        let target = Target {
            host,
            dbname: config.get_dbname().unwrap_or(&user).to_string(),
            user,
            password: config
                .get_password()
                .map(|p| String::from_utf8_lossy(p).into_owned()),
        };
        Ok(Self {
            config,
            verification,
            target,
        })
    }

    /// Connects to the first host that answers, as libpq does with a host list.
    ///
    /// The stream is made here rather than by the driver so that it can be [`Budgeted`]: the
    /// driver sizes its buffer from each message's 4-byte length, and a peer that is not
    /// PostgreSQL (or a hostile one) would make it reserve gigabytes. For the budget to see
    /// message headers, TLS is negotiated here too (`SSLRequest`), and the driver is handed the
    /// stream as if TLS were off.
    async fn open(&self) -> Result<Kept, CheckError> {
        let hosts = self.config.get_hosts();
        let ports = self.config.get_ports();
        let mut last = CheckError::Service("the DSN names no host".into());
        for (i, host) in hosts.iter().enumerate() {
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            let budget = ReadBudget::new(DEFAULT_READ_BUDGET, "PostgreSQL");
            let attempt = match host {
                Host::Tcp(name) => match super::tcp::connect(name, port).await {
                    Ok(stream) => {
                        let _ = stream.set_nodelay(true);
                        self.negotiate(stream, name, budget.clone()).await
                    }
                    Err(e) => Err(e),
                },
                #[cfg(unix)]
                Host::Unix(dir) => {
                    let path = dir.join(format!(".s.PGSQL.{port}"));
                    match tokio::net::UnixStream::connect(&path).await {
                        // libpq never uses TLS over a local socket.
                        Ok(stream) => self.start(stream, budget.clone()).await,
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {
                            Err(CheckError::NotFound {
                                kind: "socket",
                                name: path.display().to_string(),
                            })
                        }
                        Err(e) => Err(CheckError::from_io(&e, &self.target.host)),
                    }
                }
                #[cfg(not(unix))]
                Host::Unix(_) => Err(CheckError::Service("unix sockets are not supported".into())),
            };
            match attempt {
                Ok(client) => return Ok(Kept { client, budget }),
                Err(e) => last = budget.exceeded().unwrap_or(e),
            }
        }
        Err(last)
    }

    /// `sslmode` over a new TCP stream: asks for TLS unless it is disabled.
    async fn negotiate(
        &self,
        mut stream: tokio::net::TcpStream,
        host: &str,
        budget: ReadBudget,
    ) -> Result<Client, CheckError> {
        let mode = self.config.get_ssl_mode();
        if mode == SslMode::Disable {
            return self.start(stream, budget).await;
        }
        let io_error = |e: io::Error| CheckError::from_io(&e, host);
        stream.write_all(&SSL_REQUEST).await.map_err(io_error)?;
        match stream.read_u8().await.map_err(io_error)? {
            b'S' => {
                let config = tls::client_config(self.verification);
                let stream = tls::handshake(stream, host, config).await?;
                self.start(stream, budget).await
            }
            b'N' if mode == SslMode::Require => {
                Err(CheckError::Tls("server does not support TLS".into()))
            }
            b'N' => self.start(stream, budget).await,
            _ => Err(CheckError::Service(
                "not a PostgreSQL server (unexpected reply to the TLS request)".into(),
            )),
        }
    }

    /// The startup and authentication, by the driver, over `stream`.
    async fn start<S>(&self, stream: S, budget: ReadBudget) -> Result<Client, CheckError>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let stream = Budgeted::framed(stream, budget, TypeLengthFrames::default());
        let mut config = self.config.clone();
        config.ssl_mode(SslMode::Disable);
        let (client, connection) = config
            .connect_raw(stream, NoTls)
            .await
            .map_err(|e| self.describe(&e))?;
        tokio::spawn(connection);
        Ok(client)
    }

    fn describe(&self, err: &tokio_postgres::Error) -> CheckError {
        if let Some(db) = err.as_db_error() {
            let code = db.code();
            if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                return CheckError::AuthenticationFailed {
                    user: Some(self.target.user.clone()),
                };
            }
            if *code == SqlState::INVALID_CATALOG_NAME {
                return CheckError::NotFound {
                    kind: "database",
                    name: self.target.dbname.clone(),
                };
            }
            return CheckError::Service(db.message().to_string());
        }
        if let Some(io) = CheckError::find_io(err, &self.target.host) {
            return io;
        }
        let text = err.to_string();
        if text.contains("password missing") {
            return CheckError::Service(format!(
                "password required for user \"{}\"",
                self.target.user
            ));
        }
        if err.is_closed() {
            return CheckError::ConnectionReset;
        }
        CheckError::Service(text)
    }
}

/// Takes `sslmode` (and the options the driver rejects) out of a URL or key=value DSN.
fn split_sslmode(dsn: &str) -> (String, Option<String>) {
    let mut sslmode = None;
    let is_url = dsn.starts_with("postgres://") || dsn.starts_with("postgresql://");
    if is_url {
        let Some((base, query)) = dsn.split_once('?') else {
            return (dsn.to_string(), None);
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                if key == "sslmode" {
                    sslmode = Some(value.to_string());
                }
                !pair.is_empty() && !UNSUPPORTED_OPTIONS.contains(&key)
            })
            .collect();
        let cleaned = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        return (cleaned, sslmode);
    }
    let mut kept = Vec::new();
    for (key, value, raw) in key_values(dsn) {
        if key == "sslmode" {
            sslmode = Some(value);
        }
        if !UNSUPPORTED_OPTIONS.contains(&key.as_str()) {
            kept.push(raw);
        }
    }
    (kept.join(" "), sslmode)
}

/// Splits a libpq key=value string into (key, unquoted value, raw text) triples.
fn key_values(dsn: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut chars = dsn.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        if key.is_empty() {
            break;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next_if_eq(&'=').is_none() {
            // Not key=value: leave it for the driver to reject.
            out.push((key.clone(), String::new(), key));
            continue;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut raw = String::new();
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            raw.push('\'');
            while let Some(c) = chars.next() {
                raw.push(c);
                match c {
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            raw.push(escaped);
                            value.push(escaped);
                        }
                    }
                    '\'' => break,
                    _ => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                raw.push(c);
                value.push(c);
            }
        }
        out.push((key.clone(), value, format!("{key}={raw}")));
    }
    out
}

/// The driver's parse errors name the option at fault, never its value.
fn describe_parse_error(err: &tokio_postgres::Error) -> String {
    let text = err.to_string();
    text.trim_start_matches("invalid configuration: ")
        .to_string()
}

impl Protocol for Postgres {
    type Session = Kept;

    fn kind(&self) -> &'static str {
        "postgresql"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    async fn connect(&self, _timeout: Duration) -> Result<Kept, CheckError> {
        self.open().await
    }

    async fn round_trip(&self, kept: Kept, _timeout: Duration) -> Result<Kept, CheckError> {
        kept.budget.reset();
        if let Err(e) = kept.client.simple_query("SELECT 1").await {
            return Err(kept.budget.exceeded().unwrap_or_else(|| self.describe(&e)));
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
    fn url_and_key_value_forms_parse() {
        let url =
            PostgresCheck::new("postgresql://app:s%40cret@db.internal:6432/shop?sslmode=require")
                .expect("url");
        assert_eq!(url.protocol().target.host, "db.internal");
        assert_eq!(url.protocol().target.dbname, "shop");
        assert_eq!(url.secrets(), vec!["s@cret".to_string()]);
        assert_eq!(url.protocol().config.get_ssl_mode(), SslMode::Require);

        let kv = PostgresCheck::new(
            "host=/var/run/postgresql dbname=app user=app sslmode='verify-full'",
        )
        .expect("kv");
        assert_eq!(kv.protocol().target.host, "/var/run/postgresql");
        assert_eq!(kv.protocol().verification, Verification::Full);

        let port = PostgresCheck::new("host=/tmp port=6543 user=app").expect("socket and port");
        assert_eq!(port.protocol().config.get_ports(), [6543]);
    }

    #[test]
    fn bad_dsns_are_rejected_without_secrets() {
        let err = PostgresCheck::new("postgresql://u:hunter2@h/db?sslmode=maybe")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("invalid sslmode \"maybe\""), "{err}");
        assert!(!err.contains("hunter2"));
        assert!(PostgresCheck::new("").is_err());
        assert!(
            PostgresCheck::new("dbname=app").is_err(),
            "no host must not mean localhost"
        );
        assert!(PostgresCheck::new("postgresql://h:notaport/db").is_err());
    }

    #[test]
    fn sslmode_is_taken_out_of_both_forms() {
        assert_eq!(
            split_sslmode("postgresql://h/db?sslmode=verify-ca&application_name=x"),
            (
                "postgresql://h/db?application_name=x".into(),
                Some("verify-ca".into())
            )
        );
        assert_eq!(
            split_sslmode("host=h sslmode=disable password='a b\\'c'"),
            ("host=h password='a b\\'c'".into(), Some("disable".into()))
        );
    }
}
