//! One way from a URL to a check: the scheme picks the kind, the kind's constructor reads the
//! rest. What the command line, configuration files and `Health.check(url)` build on.

use std::sync::Arc;

use crate::check::Check;
use crate::error::ConfigError;

/// A URL scheme this build understands, the kind of check it makes, and a sample URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// The scheme, without `://`.
    pub scheme: &'static str,
    /// The kind of check (its default name).
    pub kind: &'static str,
    /// What a URL of this scheme looks like.
    pub example: &'static str,
}

const fn scheme(scheme: &'static str, kind: &'static str, example: &'static str) -> Scheme {
    Scheme {
        scheme,
        kind,
        example,
    }
}

/// Every scheme [`from_url`] accepts in this build (each service is a cargo feature).
pub const SCHEMES: &[Scheme] = &[
    #[cfg(feature = "redis")]
    scheme("redis", "redis", "redis://[user:pass@]host:6379[/db]"),
    #[cfg(feature = "redis")]
    scheme("rediss", "redis", "rediss://host:6380"),
    #[cfg(feature = "redis")]
    scheme("redis+unix", "redis", "redis+unix:///run/redis.sock?db=0"),
    #[cfg(feature = "redis")]
    scheme("unix", "redis", "unix:///run/redis.sock"),
    #[cfg(feature = "redis")]
    scheme("valkey", "redis", "valkey://host:6379"),
    #[cfg(feature = "redis")]
    scheme("valkeys", "redis", "valkeys://host:6380"),
    #[cfg(feature = "redis")]
    scheme("keydb", "keydb", "keydb://host:6379"),
    #[cfg(feature = "redis")]
    scheme("keydbs", "keydb", "keydbs://host:6380"),
    #[cfg(feature = "postgres")]
    scheme(
        "postgresql",
        "postgresql",
        "postgresql://user:pass@host:5432/db",
    ),
    #[cfg(feature = "postgres")]
    scheme(
        "postgres",
        "postgresql",
        "postgres://user:pass@host:5432/db",
    ),
    #[cfg(feature = "mysql")]
    scheme("mysql", "mysql", "mysql://user:pass@host:3306/db"),
    #[cfg(feature = "mysql")]
    scheme("mariadb", "mysql", "mariadb://user:pass@host:3306/db"),
    #[cfg(feature = "rabbitmq")]
    scheme("amqp", "rabbitmq", "amqp://user:pass@host:5672/vhost"),
    #[cfg(feature = "rabbitmq")]
    scheme("amqps", "rabbitmq", "amqps://user:pass@host:5671/vhost"),
    #[cfg(feature = "mongodb")]
    scheme("mongodb", "mongodb", "mongodb://user:pass@host:27017/db"),
    #[cfg(feature = "mongodb")]
    scheme(
        "mongodb+srv",
        "mongodb",
        "mongodb+srv://user:pass@cluster.example.com/db",
    ),
    #[cfg(feature = "kafka")]
    scheme("kafka", "kafka", "kafka://host:9092[,host:9092]"),
    #[cfg(feature = "kafka")]
    scheme("kafkas", "kafka", "kafkas://host:9093"),
    #[cfg(feature = "memcached")]
    scheme("memcached", "memcached", "memcached://host:11211"),
    #[cfg(feature = "activemq")]
    scheme("stomp", "activemq", "stomp://[user:pass@]host:61613"),
    #[cfg(feature = "activemq")]
    scheme("stomp+ssl", "activemq", "stomp+ssl://host:61614"),
    #[cfg(feature = "activemq")]
    scheme("openwire", "activemq", "openwire://host:61616"),
    #[cfg(feature = "activemq")]
    scheme("openwire+ssl", "activemq", "openwire+ssl://host:61617"),
    #[cfg(feature = "mssql")]
    scheme("mssql", "mssql", "mssql://user:pass@host:1433/db"),
    #[cfg(feature = "mssql")]
    scheme("sqlserver", "mssql", "sqlserver://user:pass@host:1433/db"),
    #[cfg(feature = "oracle")]
    scheme("oracle", "oracle", "oracle://user:pass@host:1521/service"),
    #[cfg(feature = "sqlite")]
    scheme("sqlite", "sqlite", "sqlite:///absolute/path.db"),
    #[cfg(feature = "http")]
    scheme("http", "http", "http://host:8080/health"),
    #[cfg(feature = "http")]
    scheme("https", "http", "https://host/health"),
    scheme("tcp", "tcp", "tcp://host:port"),
    #[cfg(feature = "disk")]
    scheme(
        "disk",
        "disk",
        "disk:///path?min_free_percent=10&warn_percent=20",
    ),
];

/// The check a URL names, its kind taken from the scheme (see [`SCHEMES`]).
///
/// ```
/// let check = healthcheckx::checks::from_url("tcp://127.0.0.1:6379").unwrap();
/// assert_eq!(check.kind(), "tcp");
/// assert!(healthcheckx::checks::from_url("gopher://host").is_err());
/// ```
pub fn from_url(url: &str) -> Result<Arc<dyn Check>, ConfigError> {
    let url = url.trim();
    let Some((written, _)) = url.split_once(':') else {
        return Err(ConfigError::new(
            "check",
            "expected a URL such as redis://host:6379 (the scheme picks the kind of check)",
        ));
    };
    let lower = written.to_ascii_lowercase();
    let Some(found) = SCHEMES.iter().find(|s| s.scheme == lower) else {
        let known: Vec<&str> = SCHEMES.iter().map(|s| s.scheme).collect();
        // The scheme is quoted only when it is one: the text before the first colon of
        // `user:password@host` is a user name.
        let looks_like_scheme = url[written.len()..].starts_with("://")
            && lower
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        let shown = match looks_like_scheme {
            true => format!("unsupported URL scheme \"{lower}\""),
            false => "not a URL".to_string(),
        };
        return Err(ConfigError::new(
            "check",
            format!("{shown} (expected one of: {})", known.join(", ")),
        ));
    };
    build(found, url)
}

fn build(found: &Scheme, url: &str) -> Result<Arc<dyn Check>, ConfigError> {
    #[allow(unused_imports)]
    use super::*;
    Ok(match found.kind {
        #[cfg(feature = "redis")]
        "redis" => Arc::new(RedisCheck::new(url)?),
        #[cfg(feature = "redis")]
        "keydb" => Arc::new(RedisCheck::keydb(url)?),
        #[cfg(feature = "postgres")]
        "postgresql" => Arc::new(PostgresCheck::new(url)?),
        #[cfg(feature = "mysql")]
        "mysql" => Arc::new(MySqlCheck::new(url)?),
        #[cfg(feature = "rabbitmq")]
        "rabbitmq" => Arc::new(RabbitMqCheck::new(url)?),
        #[cfg(feature = "mongodb")]
        "mongodb" => Arc::new(MongoDbCheck::new(url)?),
        #[cfg(feature = "kafka")]
        "kafka" => Arc::new(KafkaCheck::new(url)?),
        #[cfg(feature = "memcached")]
        "memcached" => Arc::new(MemcachedCheck::new(url, 11211)?),
        #[cfg(feature = "activemq")]
        "activemq" => Arc::new(ActiveMqCheck::new(&activemq_url(url))?),
        #[cfg(feature = "mssql")]
        "mssql" => Arc::new(MssqlCheck::new(url)?),
        #[cfg(feature = "oracle")]
        "oracle" => Arc::new(OracleCheck::new(url)?),
        #[cfg(feature = "sqlite")]
        "sqlite" => Arc::new(SqliteCheck::new(url)?),
        #[cfg(feature = "http")]
        "http" => Arc::new(HttpCheck::new(url, 200)?),
        "tcp" => {
            let (host, port) = tcp_endpoint(url)?;
            Arc::new(TcpCheck::new(&host, port)?)
        }
        #[cfg(feature = "disk")]
        "disk" => disk(url)?,
        other => return Err(ConfigError::new(other, "not built into this program")),
    })
}

/// `openwire://` and `openwire+ssl://` are the ActiveMQ check's `tcp://` and `ssl://` (here
/// `tcp://` is the plain TCP check).
#[cfg(feature = "activemq")]
fn activemq_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or((url, ""));
    match scheme.to_ascii_lowercase().as_str() {
        "openwire" => format!("tcp://{rest}"),
        "openwire+ssl" => format!("ssl://{rest}"),
        _ => url.to_string(),
    }
}

/// `tcp://host:port`: both required, nothing after the port.
fn tcp_endpoint(url: &str) -> Result<(String, u16), ConfigError> {
    let problem = |p: &str| ConfigError::new("tcp", p);
    let parsed =
        url::Url::parse(url).map_err(|_| problem("invalid URL: expected tcp://host:port"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(problem("tcp:// URLs take no credentials"));
    }
    if !matches!(parsed.path(), "" | "/") || parsed.query().is_some() {
        return Err(problem(
            "invalid URL: expected tcp://host:port with nothing after the port",
        ));
    }
    let host = match parsed.host() {
        Some(url::Host::Ipv6(address)) => address.to_string(),
        Some(other) => other.to_string(),
        None => return Err(problem("the URL names no host")),
    };
    let port = parsed
        .port()
        .ok_or_else(|| problem("the URL names no port: expected tcp://host:port"))?;
    Ok((host, port))
}

/// `disk:///path?min_free_percent=10&warn_percent=20` (or `disk:relative/path`).
#[cfg(feature = "disk")]
fn disk(url: &str) -> Result<Arc<dyn Check>, ConfigError> {
    let problem = |p: String| ConfigError::new("disk", p);
    let parsed = url::Url::parse(url)
        .map_err(|_| problem("invalid URL: expected disk:///path?min_free_percent=10".into()))?;
    if parsed.host_str().is_some_and(|h| !h.is_empty()) {
        return Err(problem(
            "a disk:// URL names a path, not a host: write disk:///path (three slashes)".into(),
        ));
    }
    let path = percent_encoding::percent_decode_str(parsed.path())
        .decode_utf8()
        .map_err(|_| problem("the path is not valid UTF-8 once decoded".into()))?
        .into_owned();
    let mut min_free_percent = 10.0;
    let mut warn_percent = None;
    for (key, value) in parsed.query_pairs() {
        let number = || {
            value.parse::<f64>().map_err(|_| {
                problem(format!(
                    "{key} must be a number of percent, not \"{value}\""
                ))
            })
        };
        match key.as_ref() {
            "min_free_percent" => min_free_percent = number()?,
            "warn_percent" => warn_percent = Some(number()?),
            other => {
                return Err(problem(format!(
                    "unknown option \"{other}\" (expected min_free_percent or warn_percent)"
                )))
            }
        }
    }
    Ok(Arc::new(super::DiskCheck::new(
        &path,
        min_free_percent,
        warn_percent,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(url: &str) -> String {
        match from_url(url) {
            Ok(check) => check.kind().to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn the_scheme_picks_the_kind() {
        for (url, want) in [
            ("redis://127.0.0.1:6379/0", "redis"),
            ("REDIS://127.0.0.1", "redis"),
            ("keydb://127.0.0.1", "keydb"),
            ("postgresql://u@127.0.0.1/db", "postgresql"),
            ("postgres://u@127.0.0.1/db", "postgresql"),
            ("mysql://u@127.0.0.1/db", "mysql"),
            ("amqp://u:p@127.0.0.1/", "rabbitmq"),
            ("mongodb://127.0.0.1/db", "mongodb"),
            ("kafka://127.0.0.1:9092", "kafka"),
            ("memcached://127.0.0.1:11211", "memcached"),
            ("stomp://127.0.0.1:61613", "activemq"),
            ("openwire://127.0.0.1:61616", "activemq"),
            ("mssql://sa:p@127.0.0.1/db", "mssql"),
            ("oracle://u:p@127.0.0.1:1521/svc", "oracle"),
            ("sqlite:///tmp/x.db", "sqlite"),
            ("http://127.0.0.1:8080/health", "http"),
            ("tcp://127.0.0.1:5432", "tcp"),
            ("tcp://[::1]:5432", "tcp"),
            ("disk:///?min_free_percent=5", "disk"),
        ] {
            assert_eq!(kind(url), want, "{url}");
        }
    }

    #[test]
    fn bad_urls_name_the_problem_never_the_password() {
        let unknown = kind("gopher://u:hunter22@h");
        assert!(
            unknown.contains("unsupported URL scheme \"gopher\""),
            "{unknown}"
        );
        assert!(unknown.contains("redis, rediss"), "{unknown}");
        let no_scheme = kind("appuser:hunter22@host");
        assert!(!no_scheme.contains("hunter22"), "{no_scheme}");
        assert!(!no_scheme.contains("appuser"), "{no_scheme}");
        assert!(no_scheme.contains("not a URL"), "{no_scheme}");
        assert!(kind("hunter22").contains("expected a URL"));
        assert!(kind("tcp://127.0.0.1").contains("names no port"));
        assert!(kind("tcp://127.0.0.1:0").contains("between 1 and 65535"));
        assert!(kind("disk:///?min_free_percent=lots").contains("must be a number"));
        assert!(kind("disk:///?size=1").contains("unknown option \"size\""));
        assert!(kind("disk://host/x").contains("three slashes"));
    }
}
