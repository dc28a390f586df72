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
