//! SQLite: the file exists, opens read-only and answers a query.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::check::{Check, CheckFuture};
use crate::conn::ConnectionSlot;
use crate::error::{CheckError, ConfigError};
use crate::status::Outcome;

/// Opens the database read-only (never creating it) and reads its schema table.
///
/// Accepts a path, `:memory:`, or a URL in the SQLAlchemy / dj-database-url convention:
/// `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, `sqlite://` or
/// `sqlite:///:memory:` (in memory). A missing file is unhealthy and is not created.
pub struct SqliteCheck {
    location: Location,
    slot: Arc<ConnectionSlot<Connection>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    Memory,
    File(PathBuf),
}

impl SqliteCheck {
    /// A SQLite check of `path` (or `sqlite://` URL).
    pub fn new(path: &str) -> Result<Self, ConfigError> {
        let path = path.trim();
        let location = if let Some(rest) = path.strip_prefix("sqlite://") {
            match rest.strip_prefix('/') {
                None if rest.is_empty() => Location::Memory,
                None => {
                    return Err(ConfigError::new(
                        "sqlite",
                        "invalid SQLite URL: expected sqlite:///relative/path or sqlite:////absolute/path",
                    ))
                }
                Some("" | ":memory:") => Location::Memory,
                Some(file) => Location::File(PathBuf::from(file)),
            }
        } else if path == ":memory:" {
            Location::Memory
        } else if path.is_empty() {
            return Err(ConfigError::new("sqlite", "the database path is empty"));
        } else if path.contains("://") {
            return Err(ConfigError::new(
                "sqlite",
                "unsupported URL scheme (expected a path or sqlite:///path)",
            ));
        } else {
            Location::File(PathBuf::from(path))
        };
        Ok(Self {
            location,
            slot: Arc::new(ConnectionSlot::new()),
        })
    }
}

/// The blocking part: rusqlite has no async API, so it runs on the blocking pool with SQLite's busy
/// timeout set to the deadline, and ends on its own soon after the engine gave up on it.
fn probe(
    location: &Location,
    slot: &ConnectionSlot<Connection>,
    timeout: Duration,
) -> Result<(), CheckError> {
    if let Location::File(path) = location {
        if !path.exists() {
            // A kept connection would still read an unlinked file: the path is what matters.
            drop(slot.take());
            return Err(CheckError::NotFound {
                kind: "database file",
                name: path.display().to_string(),
            });
        }
    }
    let conn = match slot.take() {
        Some(conn) => conn,
        None => {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = match location {
                Location::Memory => Connection::open_in_memory(),
                Location::File(path) => Connection::open_with_flags(path, flags),
            }
            .map_err(|e| describe(&e))?;
            conn.busy_timeout(timeout).map_err(|e| describe(&e))?;
            conn
        }
    };
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    })
    .map_err(|e| describe(&e))?;
    slot.put(conn);
    Ok(())
}

fn describe(err: &rusqlite::Error) -> CheckError {
    match err {
        rusqlite::Error::SqliteFailure(code, message) => {
            let text = message.clone().unwrap_or_else(|| code.to_string());
            CheckError::Service(format!("SQLite error: {text}"))
        }
        other => CheckError::Service(format!("SQLite error: {other}")),
    }
}

impl Check for SqliteCheck {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn close(&self) {
        self.slot.clear();
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    fn check(&self, timeout: Duration) -> CheckFuture<'_> {
        let location = self.location.clone();
        let slot = Arc::clone(&self.slot);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || probe(&location, &slot, timeout))
                .await
                .map_err(|_| CheckError::Service("SQLite check panicked".into()))??;
            Ok(Outcome::Healthy)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_forms() {
        let loc = |p: &str| SqliteCheck::new(p).map(|c| c.location);
        assert_eq!(loc(":memory:"), Ok(Location::Memory));
        assert_eq!(loc("sqlite://"), Ok(Location::Memory));
        assert_eq!(loc("sqlite:///:memory:"), Ok(Location::Memory));
        assert_eq!(
            loc("sqlite:///db.sqlite3"),
            Ok(Location::File("db.sqlite3".into()))
        );
        assert_eq!(
            loc("sqlite:////var/app/db.sqlite3"),
            Ok(Location::File("/var/app/db.sqlite3".into()))
        );
        assert_eq!(
            loc("/var/app/db.sqlite3"),
            Ok(Location::File("/var/app/db.sqlite3".into()))
        );
        assert!(SqliteCheck::new("").is_err());
        assert!(SqliteCheck::new("postgres://x").is_err());
        assert!(SqliteCheck::new("sqlite://host/x").is_err());
    }

    #[tokio::test]
    async fn a_missing_file_is_unhealthy_and_not_created() {
        let path = std::env::temp_dir().join(format!("hcx-missing-{}.db", std::process::id()));
        let check = SqliteCheck::new(&path.display().to_string()).expect("valid");
        let result = check.check(Duration::from_secs(1)).await;
        assert!(
            matches!(result, Err(CheckError::NotFound { .. })),
            "{result:?}"
        );
        assert!(!path.exists());
    }

    #[tokio::test]
    async fn a_real_file_is_healthy_and_garbage_is_not() {
        let dir = std::env::temp_dir();
        let good = dir.join(format!("hcx-good-{}.db", std::process::id()));
        Connection::open(&good)
            .and_then(|c| c.execute_batch("CREATE TABLE t (x INTEGER)"))
            .expect("create test database");
        let check = SqliteCheck::new(&good.display().to_string()).expect("valid");
        assert_eq!(
            check.check(Duration::from_secs(1)).await,
            Ok(Outcome::Healthy)
        );

        let bad = dir.join(format!("hcx-bad-{}.db", std::process::id()));
        std::fs::write(
            &bad,
            b"this is not a database, just some text padded out to be long enough",
        )
        .expect("write");
        let check = SqliteCheck::new(&bad.display().to_string()).expect("valid");
        let result = check.check(Duration::from_secs(1)).await;
        assert!(
            matches!(result, Err(CheckError::Service(ref m)) if m.contains("not a database")),
            "{result:?}"
        );
        let _ = std::fs::remove_file(good);
        let _ = std::fs::remove_file(bad);
    }
}
