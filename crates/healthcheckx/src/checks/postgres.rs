//! PostgreSQL: `SELECT 1` over a kept connection.

use std::error::Error as _;
use std::io;
use std::str::FromStr;
use std::time::Duration;

use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::check::{Check, CheckFuture};
use crate::conn::ConnectionSlot;
use crate::error::{strip_os_error, CheckError, ConfigError};
use crate::status::Outcome;
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
pub struct PostgresCheck {
    config: Config,
    verification: Verification,
    target: Target,
    slot: ConnectionSlot<Client>,
}

struct Target {
    host: String,
    /// The socket file, when the host is a unix socket directory.
    socket: Option<String>,
    user: String,
    dbname: String,
    password: Option<String>,
}

impl PostgresCheck {
    /// A PostgreSQL check of `dsn`.
    pub fn new(dsn: &str) -> Result<Self, ConfigError> {
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
        let socket = match config.get_hosts().first() {
            Some(Host::Unix(dir)) => {
                let port = config.get_ports().first().copied().unwrap_or(5432);
                Some(dir.join(format!(".s.PGSQL.{port}")).display().to_string())
            }
            _ => None,
        };
        let user = config.get_user().unwrap_or("postgres").to_string();
        let target = Target {
            host,
            socket,
            dbname: config.get_dbname().unwrap_or(&user).to_string(),
            user,
            password: config
                .get_password()
                .map(|p| String::from_utf8_lossy(p).into_owned()),
        };
        if ssl_mode != SslMode::Disable {
            tls::install_crypto_provider();
        }
        Ok(Self {
            config,
            verification,
            target,
            slot: ConnectionSlot::new(),
        })
    }

    async fn connect(&self, timeout: Duration) -> Result<Client, CheckError> {
        let mut config = self.config.clone();
        config.connect_timeout(timeout);
        let client = if config.get_ssl_mode() == SslMode::Disable {
            let (client, connection) =
                config.connect(NoTls).await.map_err(|e| self.describe(&e))?;
            tokio::spawn(connection);
            client
        } else {
            let tls =
                MakeRustlsConnect::new(tls::client_config(self.verification).as_ref().clone());
            let (client, connection) = config.connect(tls).await.map_err(|e| self.describe(&e))?;
            tokio::spawn(connection);
            client
        };
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
        if let Some(tls) = self.tls_failure(err) {
            return tls;
        }
        if let (Some(socket), Some(io_err)) = (&self.target.socket, err.source()) {
            // A wrong socket directory or port, or a stopped server: the path says which file
            // was looked for.
            if io_err
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::NotFound)
            {
                return CheckError::NotFound {
                    kind: "socket",
                    name: socket.clone(),
                };
            }
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

    /// The driver reports every TLS failure as "error performing TLS handshake" and keeps the
    /// reason (`server does not support TLS` for `sslmode=require` against a server without
    /// TLS, a certificate error...) in its source: the reason is what users can act on.
    fn tls_failure(&self, err: &tokio_postgres::Error) -> Option<CheckError> {
        if !err
            .to_string()
            .starts_with("error performing TLS handshake")
        {
            return None;
        }
        let cause = err.source()?;
        if let Some(io) = CheckError::find_io(cause, &self.target.host) {
            if !matches!(io, CheckError::Io(_)) {
                // Refused, reset, unreachable: the network failed, not the negotiation.
                return Some(io);
            }
        }
        Some(CheckError::Tls(strip_os_error(&cause.to_string())))
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

impl Check for PostgresCheck {
    fn kind(&self) -> &'static str {
        "postgresql"
    }

    fn close(&self) {
        self.slot.clear();
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    fn check(&self, timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            self.slot
                .round_trip(
                    || self.connect(timeout),
                    |client| async move {
                        client
                            .simple_query("SELECT 1")
                            .await
                            .map_err(|e| self.describe(&e))?;
                        Ok(client)
                    },
                )
                .await?;
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

    #[test]
    fn url_and_key_value_forms_parse() {
        let url =
            PostgresCheck::new("postgresql://app:s%40cret@db.internal:6432/shop?sslmode=require")
                .expect("url");
        assert_eq!(url.target.host, "db.internal");
        assert_eq!(url.target.dbname, "shop");
        assert_eq!(url.secrets(), vec!["s@cret".to_string()]);
        assert_eq!(url.config.get_ssl_mode(), SslMode::Require);

        let kv = PostgresCheck::new(
            "host=/var/run/postgresql dbname=app user=app sslmode='verify-full'",
        )
        .expect("kv");
        assert_eq!(kv.target.host, "/var/run/postgresql");
        assert_eq!(
            kv.target.socket.as_deref(),
            Some("/var/run/postgresql/.s.PGSQL.5432")
        );
        assert_eq!(kv.verification, Verification::Full);
        assert_eq!(url.target.socket, None);

        let port = PostgresCheck::new("host=/tmp port=6543 user=app").expect("socket and port");
        assert_eq!(port.target.socket.as_deref(), Some("/tmp/.s.PGSQL.6543"));
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
