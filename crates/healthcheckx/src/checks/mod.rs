//! One module per service, each behind its cargo feature.

#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
mod http;
#[cfg(feature = "mongodb")]
#[cfg_attr(docsrs, doc(cfg(feature = "mongodb")))]
mod mongodb;
#[cfg(feature = "mysql")]
#[cfg_attr(docsrs, doc(cfg(feature = "mysql")))]
mod mysql;
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
mod postgres;
#[cfg(feature = "rabbitmq")]
#[cfg_attr(docsrs, doc(cfg(feature = "rabbitmq")))]
mod rabbitmq;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
mod redis;
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
mod sqlite;
pub(crate) mod tcp;

#[cfg(any(feature = "rabbitmq", feature = "mongodb"))]
use crate::error::ConfigError;

/// Checks that `url` has one of the `allowed` schemes (compared without case) and returns it in
/// lower case; the error names the check `kind` and shows the expected form, never the URL.
#[cfg(any(feature = "rabbitmq", feature = "mongodb"))]
pub(crate) fn require_scheme(
    kind: &'static str,
    url: &str,
    allowed: &[&str],
    form: &str,
) -> Result<String, ConfigError> {
    let expected = allowed
        .iter()
        .map(|s| format!("{s}://"))
        .collect::<Vec<_>>()
        .join(" or ");
    match url.split_once("://") {
        None => Err(ConfigError::new(
            kind,
            format!("invalid URL: expected {form}"),
        )),
        Some((scheme, _)) => {
            let scheme = scheme.to_ascii_lowercase();
            if allowed.contains(&scheme.as_str()) {
                Ok(scheme)
            } else {
                Err(ConfigError::new(
                    kind,
                    format!("unsupported URL scheme \"{scheme}\" (expected {expected})"),
                ))
            }
        }
    }
}

#[cfg(feature = "http")]
pub use self::http::HttpCheck;
#[cfg(feature = "mongodb")]
pub use self::mongodb::MongoDbCheck;
#[cfg(feature = "mysql")]
pub use self::mysql::MySqlCheck;
#[cfg(feature = "postgres")]
pub use self::postgres::PostgresCheck;
#[cfg(feature = "rabbitmq")]
pub use self::rabbitmq::RabbitMqCheck;
#[cfg(feature = "redis")]
pub use self::redis::RedisCheck;
#[cfg(feature = "sqlite")]
pub use self::sqlite::SqliteCheck;
pub use self::tcp::TcpCheck;
