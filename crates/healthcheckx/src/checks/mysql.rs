//! MySQL / MariaDB: `SELECT 1` over a kept connection.

use std::time::Duration;

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, OptsBuilder, SslOpts};

use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};

/// Runs `SELECT 1`.
///
/// `mysql://user:pass@host:3306/db` with percent-encoded credentials, plus the query options
/// users of other clients write: `ssl-mode` (`DISABLED`, `PREFERRED`, `REQUIRED`, `VERIFY_CA`,
/// `VERIFY_IDENTITY`; `sslmode`/`ssl_mode` too), `ssl=true` (same as `REQUIRED`) and
/// `charset=utf8mb4` (sent as `SET NAMES`, so an unknown charset fails the check). The driver's own
/// options (`socket=/path`, `require_ssl`...) are passed through. `PREFERRED` connects without TLS:
/// the driver cannot fall back from TLS to plain text.
pub type MySqlCheck = Keeper<MySql>;

/// The MySQL protocol settings of a [`MySqlCheck`].
pub struct MySql {
    opts: Opts,
    target: Target,
}

struct Target {
    host: String,
    user: String,
    db: Option<String>,
    /// The `charset` option (validated: letters, digits, `_`).
    charset: Option<String>,
    password: Option<String>,
}

impl MySqlCheck {
    /// A MySQL / MariaDB check of `url`.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(MySql::new(url)?))
    }
}

impl MySql {
    fn new(url: &str) -> Result<Self, ConfigError> {
        let problem = |p: String| ConfigError::new("mysql", p);
        let mut parsed =
            url::Url::parse(url.trim()).map_err(|e| problem(format!("invalid MySQL URL: {e}")))?;
        if !matches!(parsed.scheme(), "mysql" | "mariadb") {
            return Err(problem(format!(
                "unsupported URL scheme \"{}\" (expected mysql://)",
                parsed.scheme()
            )));
        }
        crate::endpoint::validate("mysql", parsed.host_str().unwrap_or(""), parsed.port())?;
        let mut ssl_mode: Option<String> = None;
        let mut charset: Option<String> = None;
        let mut passed: Vec<(String, String)> = Vec::new();
        for (key, value) in parsed.query_pairs() {
            match key.as_ref() {
                "ssl-mode" | "sslmode" | "ssl_mode" => ssl_mode = Some(value.to_ascii_uppercase()),
                "ssl" => {
                    if matches!(value.as_ref(), "true" | "1" | "yes" | "on") {
                        ssl_mode = Some("REQUIRED".into());
                    } else {
                        ssl_mode = Some("DISABLED".into());
                    }
                }
                "charset" => charset = Some(value.into_owned()),
                _ => passed.push((key.into_owned(), value.into_owned())),
            }
        }
        if passed.is_empty() {
            parsed.set_query(None);
        } else {
            parsed.query_pairs_mut().clear().extend_pairs(passed);
        }
        if parsed.scheme() == "mariadb" {
            // `set_scheme` refuses no change between these two non-special schemes.
            let text = parsed.as_str().replacen("mariadb://", "mysql://", 1);
            parsed =
                url::Url::parse(&text).map_err(|e| problem(format!("invalid MySQL URL: {e}")))?;
        }
        let base = Opts::from_url(parsed.as_str())
            .map_err(|e| problem(format!("invalid MySQL URL: {}", describe_url_error(&e))))?;
        let mut builder = OptsBuilder::from_opts(base.clone());
        if !parsed.query_pairs().any(|(k, _)| k == "prefer_socket") {
            // The driver would otherwise ask the server for its socket path and reconnect there.
            builder = builder.prefer_socket(false);
        }
        builder = match ssl_mode.as_deref() {
            None | Some("DISABLED") | Some("PREFERRED") => builder,
            Some("REQUIRED") => builder.ssl_opts(
                SslOpts::default()
                    .with_danger_accept_invalid_certs(true)
                    .with_danger_skip_domain_validation(true),
            ),
            Some("VERIFY_CA") => {
                builder.ssl_opts(SslOpts::default().with_danger_skip_domain_validation(true))
            }
            Some("VERIFY_IDENTITY") => builder.ssl_opts(SslOpts::default()),
            Some(other) => {
                return Err(problem(format!(
                    "invalid ssl-mode \"{other}\" (expected DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY)"
                )))
            }
        };
        if let Some(charset) = &charset {
            if charset.is_empty()
                || !charset
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(problem(format!("invalid charset \"{charset}\"")));
            }
            builder = builder.setup(vec![format!("SET NAMES {charset}")]);
        }
        let opts: Opts = builder.into();
        let target = Target {
            host: opts.ip_or_hostname().to_string(),
            user: opts.user().unwrap_or("root").to_string(),
            db: opts.db_name().map(str::to_string),
            charset,
            password: opts.pass().map(str::to_string),
        };
        Ok(Self { opts, target })
    }

    fn describe(&self, err: &mysql_async::Error) -> CheckError {
        match err {
            mysql_async::Error::Server(server) => match server.code {
                1045 | 1698 => CheckError::AuthenticationFailed {
                    user: Some(self.target.user.clone()),
                },
                1049 => CheckError::NotFound {
                    kind: "database",
                    name: self.target.db.clone().unwrap_or_default(),
                },
                1044 => CheckError::Service(format!(
                    "access denied for user \"{}\" to database \"{}\"",
                    self.target.user,
                    self.target.db.as_deref().unwrap_or_default()
                )),
                1115 => CheckError::Service(match &self.target.charset {
                    Some(charset) => format!("unknown character set \"{charset}\""),
                    None => "unknown character set".into(),
                }),
                _ => {
                    CheckError::Service(format!("MySQL error {}: {}", server.code, server.message))
                }
            },
            // `ssl-mode=REQUIRED` (or stricter) against a server without TLS; the driver's
            // text ("Client asked for SSL...") reads like a client bug.
            mysql_async::Error::Driver(mysql_async::DriverError::NoClientSslFlagFromServer) => {
                CheckError::Tls("server does not support TLS".into())
            }
            other => CheckError::find_io(other, &self.target.host).unwrap_or_else(|| {
                let text = other.to_string();
                if text.contains("TLS") || text.contains("certificate") {
                    CheckError::Tls(text)
                } else {
                    CheckError::Service(text)
                }
            }),
        }
    }
}

fn describe_url_error(err: &mysql_async::UrlError) -> String {
    match err {
        mysql_async::UrlError::UnknownParameter { param } => format!("unknown option \"{param}\""),
        mysql_async::UrlError::InvalidParamValue { param, .. } => {
            format!("invalid value for option \"{param}\"")
        }
        mysql_async::UrlError::UnsupportedScheme { scheme } => {
            format!("unsupported URL scheme \"{scheme}\"")
        }
        _ => "cannot parse the URL".into(),
    }
}

impl Protocol for MySql {
    type Session = Conn;

    fn kind(&self) -> &'static str {
        "mysql"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    async fn connect(&self, _timeout: Duration) -> Result<Conn, CheckError> {
        Conn::new(self.opts.clone())
            .await
            .map_err(|e| self.describe(&e))
    }

    async fn round_trip(&self, mut conn: Conn, _timeout: Duration) -> Result<Conn, CheckError> {
        conn.query_drop("SELECT 1")
            .await
            .map_err(|e| self.describe(&e))?;
        Ok(conn)
    }

    fn secrets(&self) -> Vec<String> {
        self.target.password.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoded_credentials_are_decoded() {
        let check = MySql::new(
            "mysql://app%40corp:p%40ss%3Aw%2Frd@db:3307/shop?charset=utf8mb4&ssl-mode=REQUIRED",
        )
        .expect("valid");
        assert_eq!(check.target.user, "app@corp");
        assert_eq!(check.target.password.as_deref(), Some("p@ss:w/rd"));
        assert_eq!(check.target.db.as_deref(), Some("shop"));
        assert!(check.opts.ssl_opts().is_some());
        assert_eq!(check.opts.setup(), ["SET NAMES utf8mb4".to_string()]);
        assert_eq!(check.target.charset.as_deref(), Some("utf8mb4"));
    }

    #[test]
    fn bad_urls_name_the_problem() {
        let message = |url: &str| {
            MySqlCheck::new(url)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(message("postgres://u:hunter2@h/db").contains("unsupported URL scheme"));
        assert!(message("mysql://u:hunter2@h/db?ssl-mode=SOMETIMES").contains("invalid ssl-mode"));
        assert!(message("mysql://u:hunter2@h/db?charset=utf8;DROP").contains("invalid charset"));
        assert!(message("mysql://u:hunter2@h/db?bogus=1").contains("unknown option \"bogus\""));
        assert!(!message("mysql://u:hunter2@h/db?bogus=1").contains("hunter2"));
        assert!(MySqlCheck::new("mysql:///db").is_err());
        assert!(MySqlCheck::new("ssl=true").is_err());
    }
}
