//! One module per service, each behind its cargo feature.

#[cfg(feature = "activemq")]
#[cfg_attr(docsrs, doc(cfg(feature = "activemq")))]
mod activemq;
#[cfg(feature = "disk")]
#[cfg_attr(docsrs, doc(cfg(feature = "disk")))]
mod disk;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
mod http;
#[cfg(feature = "kafka")]
#[cfg_attr(docsrs, doc(cfg(feature = "kafka")))]
mod kafka;
#[cfg(feature = "memcached")]
#[cfg_attr(docsrs, doc(cfg(feature = "memcached")))]
mod memcached;
#[cfg(feature = "mongodb")]
#[cfg_attr(docsrs, doc(cfg(feature = "mongodb")))]
mod mongodb;
#[cfg(feature = "mssql")]
#[cfg_attr(docsrs, doc(cfg(feature = "mssql")))]
mod mssql;
#[cfg(feature = "mysql")]
#[cfg_attr(docsrs, doc(cfg(feature = "mysql")))]
mod mysql;
#[cfg(feature = "oracle")]
#[cfg_attr(docsrs, doc(cfg(feature = "oracle")))]
mod oracle;
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
#[cfg(feature = "activemq")]
mod stomp;
pub(crate) mod tcp;

mod by_url;
pub use self::by_url::{from_url, Scheme, SCHEMES};

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

#[cfg(feature = "activemq")]
pub use self::activemq::ActiveMqCheck;
#[cfg(feature = "disk")]
pub use self::disk::DiskCheck;
#[cfg(feature = "http")]
pub use self::http::HttpCheck;
#[cfg(feature = "kafka")]
pub use self::kafka::{Kafka, KafkaCheck};
#[cfg(feature = "memcached")]
pub use self::memcached::{Memcached, MemcachedCheck};
#[cfg(feature = "mongodb")]
pub use self::mongodb::{MongoDb, MongoDbCheck};
#[cfg(feature = "mssql")]
pub use self::mssql::{Mssql, MssqlCheck};
#[cfg(feature = "mysql")]
pub use self::mysql::{MySql, MySqlCheck};
#[cfg(feature = "oracle")]
pub use self::oracle::{Oracle, OracleCheck};
#[cfg(feature = "postgres")]
pub use self::postgres::{Postgres, PostgresCheck};
#[cfg(feature = "rabbitmq")]
pub use self::rabbitmq::{RabbitMq, RabbitMqCheck};
#[cfg(feature = "redis")]
pub use self::redis::{Redis, RedisCheck};
#[cfg(feature = "sqlite")]
pub use self::sqlite::SqliteCheck;
pub use self::tcp::TcpCheck;
