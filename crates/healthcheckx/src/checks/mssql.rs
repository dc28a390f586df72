//! Microsoft SQL Server: login and `SELECT 1` over a kept connection (driver: `tiberius`, TLS by
//! rustls with the aws-lc-rs provider).

use std::io;
use std::time::Duration;

use tiberius::error::Error as TdsError;
use tiberius::{AuthMethod, Client, Config, EncryptionLevel};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};
use crate::target::{parse_flag, parse_url};

use super::tcp;

/// SQL Server error numbers that have their own message.
const LOGIN_FAILED: u32 = 18456;
const CANNOT_OPEN_DATABASE: u32 = 4060;

/// Logs in with a SQL Server login and runs `SELECT 1`.
///
/// `mssql://user:pass@host:1433/database` (also `sqlserver://`, and SQLAlchemy's
/// `mssql+pyodbc://`, `mssql+pymssql://`), with percent-encoded credentials. Without a database
/// the login's default database is used. Options:
///
/// - `encrypt=true` (the default, as in Microsoft's current drivers): TLS for the whole
///   connection, the certificate verified against the system's roots unless
///   `trust_server_certificate=true`;
/// - `encrypt=false`: only the login packet is encrypted, as SQL Server does for clients that do
///   not ask for encryption; its certificate is then not verified (no other driver verifies it
///   in this mode, and a self-signed one is the norm there);
/// - `encrypt=strict`: TDS 8.0, TLS before any TDS byte;
/// - `trust_server_certificate=true`: accept any certificate.
///
/// Option names are read without case, `_` or `-` (`TrustServerCertificate=yes` works too);
/// `driver` (an ODBC driver name in SQLAlchemy URLs) is ignored; any other option is refused.
/// A redirection by the server (Azure SQL gateways) is followed once.
pub type MssqlCheck = Keeper<Mssql>;

/// The settings of a [`MssqlCheck`]: what [`Keeper`] needs to open a session and make a round trip.
pub struct Mssql {
    config: Config,
    target: Target,
}

/// What messages may say about the server: never the password.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    host: String,
    port: u16,
    user: String,
    database: Option<String>,
    encryption: EncryptionLevel,
    trust_certificate: bool,
    password: String,
}

impl MssqlCheck {
    /// A SQL Server check of `dsn`.
    pub fn new(dsn: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(Mssql::new(dsn)?))
    }
}

impl Mssql {
    /// A SQL Server check of `dsn`.
    fn new(dsn: &str) -> Result<Self, ConfigError> {
        let target = parse(dsn)?;
        let mut config = Config::new();
        config.host(&target.host);
        config.port(target.port);
        if let Some(database) = &target.database {
            config.database(database);
        }
        config.application_name("healthcheckx");
        config.authentication(AuthMethod::sql_server(&target.user, &target.password));
        config.encryption(target.encryption);
        if target.trust_certificate {
            config.trust_cert();
        }
        // The engine's deadline bounds the whole check; the driver's own timeouts would end it
        // earlier with another message.
        config.handshake_timeout(None);
        config.command_timeout(None);
        Ok(Self { config, target })
    }

    async fn open(&self) -> Result<Client<Compat<TcpStream>>, CheckError> {
        let stream = tcp::connect(&self.target.host, self.target.port).await?;
        let _ = stream.set_nodelay(true);
        match Client::connect(self.config.clone(), stream.compat_write()).await {
            Ok(client) => Ok(client),
            Err(TdsError::Routing { host, port }) => {
                // Azure SQL's gateway answers the login with the address of the node that holds
                // the database; the login is repeated there.
                let mut config = self.config.clone();
                config.host(&host);
                config.port(port);
                let stream = tcp::connect(&host, port).await?;
                let _ = stream.set_nodelay(true);
                Client::connect(config, stream.compat_write())
                    .await
                    .map_err(|e| self.describe(&e))
            }
            Err(e) => Err(self.describe(&e)),
        }
    }

    fn describe(&self, err: &TdsError) -> CheckError {
        match err {
            TdsError::Server(token) => match token.code() {
                LOGIN_FAILED => CheckError::AuthenticationFailed {
                    user: Some(self.target.user.clone()),
                },
                CANNOT_OPEN_DATABASE => CheckError::NotFound {
                    kind: "database",
                    name: self.target.database.clone().unwrap_or_default(),
                },
                code => {
                    CheckError::Service(format!("SQL Server error {code}: {}", token.message()))
                }
            },
            // Bytes that are not TDS (another service on the port) end as an I/O error of no
            // particular kind; its text alone would not say so.
            TdsError::Io {
                kind: io::ErrorKind::Other | io::ErrorKind::InvalidData,
                message,
            } if !message.contains("os error") => {
                CheckError::Service(format!("invalid TDS answer ({message})"))
            }
            TdsError::Io { kind, message } => {
                CheckError::from_io(&io::Error::new(*kind, message.clone()), &self.target.host)
            }
            // The driver's text goes on with remedies over several sentences; the first one
            // names the failure.
            TdsError::Tls(text) => CheckError::Tls(first_sentence(text)),
            TdsError::Protocol(text) => CheckError::Service(format!("TDS protocol error: {text}")),
            TdsError::Routing { host, port } => {
                CheckError::Service(format!("redirected twice (to {host}:{port})"))
            }
            other => CheckError::Service(other.to_string()),
        }
    }
}

/// `a: b. To fix...` → `a: b`.
fn first_sentence(text: &str) -> String {
    match text.find(". ") {
        Some(end) => text[..end].to_string(),
        None => text.trim_end_matches('.').to_string(),
    }
}

/// Parses a `mssql://` URL; errors name the problem, never the password.
fn parse(dsn: &str) -> Result<Target, ConfigError> {
    let problem = |p: &str| ConfigError::new("mssql", p);
    if dsn.trim().is_empty() {
        return Err(problem("the DSN is empty"));
    }
    let mut parts = parse_url(
        "mssql",
        dsn,
        &["mssql", "sqlserver", "mssql+"],
        ("SQL Server URL", "mssql://user:password@host:1433/database"),
    )?;
    let user = parts.user.ok_or_else(|| {
        problem("the URL names no user (a SQL Server login: mssql://user:password@host/database)")
    })?;
    // `encrypt=false` is the drivers' spelling for "encrypt the login only": the certificate of
    // that short exchange is not checked by any of them.
    let (encryption, login_only) = match parts.options.take("encrypt") {
        None => (EncryptionLevel::Required, false),
        Some(value) => match value.to_ascii_lowercase().as_str() {
            "strict" => (EncryptionLevel::Strict, false),
            "mandatory" | "required" => (EncryptionLevel::Required, false),
            "optional" => (EncryptionLevel::Off, true),
            other => match parse_flag(other) {
                Some(true) => (EncryptionLevel::Required, false),
                Some(false) => (EncryptionLevel::Off, true),
                None => {
                    return Err(ConfigError::new(
                        "mssql",
                        format!("invalid encrypt \"{other}\" (expected true, false or strict)"),
                    ))
                }
            },
        },
    };
    let trust_certificate = parts
        .options
        .flag("trust_server_certificate")?
        .unwrap_or(false);
    // Connection strings copied from other drivers carry their own name: nothing to check.
    let _ = parts.options.take("driver");
    parts
        .options
        .finish("encrypt or trust_server_certificate")?;
    Ok(Target {
        host: parts.host,
        port: parts.port.unwrap_or(1433),
        user,
        database: Some(parts.path).filter(|d| !d.is_empty()),
        encryption,
        trust_certificate: trust_certificate || login_only,
        password: parts
            .password
            .map(|p| p.expose().to_string())
            .unwrap_or_default(),
    })
}

impl Protocol for Mssql {
    type Session = Client<Compat<TcpStream>>;

    fn kind(&self) -> &'static str {
        "mssql"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    async fn connect(&self, _timeout: Duration) -> Result<Self::Session, CheckError> {
        self.open().await
    }

    async fn round_trip(
        &self,
        mut client: Self::Session,
        _timeout: Duration,
    ) -> Result<Self::Session, CheckError> {
        let row = client
            .simple_query("SELECT 1")
            .await
            .map_err(|e| self.describe(&e))?
            .into_row()
            .await
            .map_err(|e| self.describe(&e))?;
        if row.is_none() {
            return Err(CheckError::Service("SELECT 1 returned no row".into()));
        }
        Ok(client)
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.target.password.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Check as _;

    fn target(dsn: &str) -> Target {
        match parse(dsn) {
            Ok(target) => target,
            Err(e) => panic!("{dsn}: {e}"),
        }
    }

    fn error(dsn: &str) -> String {
        parse(dsn).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn url_forms_parse() {
        let t = target("mssql://hcx:p%40ss%3Aw%2Frd@db.internal:51433/shop");
        assert_eq!((t.host.as_str(), t.port), ("db.internal", 51433));
        assert_eq!(t.user, "hcx");
        assert_eq!(t.password, "p@ss:w/rd");
        assert_eq!(t.database.as_deref(), Some("shop"));
        assert_eq!(t.encryption, EncryptionLevel::Required);
        assert!(!t.trust_certificate);

        let t = target("sqlserver://sa:x@localhost");
        assert_eq!((t.port, t.database), (1433, None));
        let t = target("mssql+pyodbc://sa:x@h/db?driver=ODBC+Driver+18+for+SQL+Server");
        assert_eq!(t.database.as_deref(), Some("db"));
    }

    #[test]
    fn encryption_options() {
        let t = target("mssql://sa:x@h/db?encrypt=false");
        // Login-only encryption never verifies the certificate.
        assert_eq!(
            (t.encryption, t.trust_certificate),
            (EncryptionLevel::Off, true)
        );
        let t = target("mssql://sa:x@h/db?encrypt=true&trust_server_certificate=true");
        assert_eq!(
            (t.encryption, t.trust_certificate),
            (EncryptionLevel::Required, true)
        );
        let t = target("mssql://sa:x@h/db?Encrypt=strict");
        assert_eq!(t.encryption, EncryptionLevel::Strict);
        let t = target("mssql://sa:x@h/db?TrustServerCertificate=yes");
        assert!(t.trust_certificate);
    }

    #[test]
    fn bad_dsns_are_rejected_without_secrets() {
        let err = error("mssql://sa:hunter2@h/db?encrypt=maybe");
        assert!(err.contains("invalid encrypt \"maybe\""), "{err}");
        assert!(!err.contains("hunter2"));
        let err = error("postgresql://sa:hunter2@h/db");
        assert!(
            err.contains("unsupported URL scheme \"postgresql\""),
            "{err}"
        );
        assert!(!err.contains("hunter2"));
        let err = error("mssql://sa:hunter2@h/db?timeout=3");
        assert!(err.contains("unknown option \"timeout\""), "{err}");
        assert!(error("mssql://h/db").contains("names no user"));
        for bad in [
            "",
            "sa:x@h",
            "mssql://sa:x@:1433/db",
            "mssql://sa:x@h:notaport/db",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn tls_text_is_cut_to_its_first_sentence() {
        assert_eq!(
            first_sentence("the certificate was rejected: Expired. To connect anyway: ..."),
            "the certificate was rejected: Expired"
        );
        assert_eq!(first_sentence("handshake failed."), "handshake failed");
    }

    #[test]
    fn the_password_is_a_secret() {
        let check = MssqlCheck::new("mssql://sa:s3cret@localhost/master").expect("valid");
        assert_eq!(check.secrets(), vec!["s3cret".to_string()]);
    }
}
