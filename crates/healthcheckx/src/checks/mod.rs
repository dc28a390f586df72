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
