//! Checks the services named by environment variables and prints one line per check.
//!
//! ```text
//! REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgresql://postgres@127.0.0.1/postgres \
//!     cargo run -p healthcheckx --example check_services
//! ```
//!
//! Variables: `REDIS_URL`, `DATABASE_URL` (PostgreSQL), `MYSQL_URL`, `RABBITMQ_URL`,
//! `MONGODB_URL`, `SQLITE_PATH`. Exits with status 1 when a check is unhealthy.

use std::process::ExitCode;
use std::time::Duration;

use healthcheckx::checks::{
    MongoDbCheck, MySqlCheck, PostgresCheck, RabbitMqCheck, RedisCheck, SqliteCheck,
};
use healthcheckx::{Check, ConfigError, Health, Registration, Status};

fn from_env<C: Check>(
    variable: &str,
    name: &str,
    make: impl Fn(&str) -> Result<C, ConfigError>,
) -> Result<Option<Registration>, ConfigError> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Ok(Some(
            Registration::new(make(&url).map_err(|e| e.for_check(name))?).name(name),
        )),
        _ => Ok(None),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let registrations = [
        from_env("REDIS_URL", "redis", RedisCheck::new),
        from_env("DATABASE_URL", "database", PostgresCheck::new),
        from_env("MYSQL_URL", "mysql", MySqlCheck::new),
        from_env("RABBITMQ_URL", "message-queue", RabbitMqCheck::new),
        from_env("MONGODB_URL", "mongodb", MongoDbCheck::new),
        from_env("SQLITE_PATH", "sqlite", SqliteCheck::new),
    ];
    let mut builder = Health::builder().timeout(Duration::from_secs(2));
    for registration in registrations {
        match registration {
            Ok(Some(registration)) => builder = builder.register(registration),
            Ok(None) => {}
            Err(err) => {
                eprintln!("configuration error: {err}");
                return ExitCode::from(2);
            }
        }
    }
    let health = match builder.build() {
        Ok(health) => health,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    if health.is_empty() {
        eprintln!("no service configured: set REDIS_URL, DATABASE_URL, MYSQL_URL, RABBITMQ_URL, MONGODB_URL or SQLITE_PATH");
        return ExitCode::from(2);
    }
    let report = health.run().await;
    for result in &report.results {
        let message = result
            .message
            .as_deref()
            .map(|m| format!(" - {m}"))
            .unwrap_or_default();
        #[allow(clippy::print_stdout)]
        {
            println!(
                "{}: {} ({:.2}ms){}",
                result.name,
                result.status,
                result.duration_ms(),
                message
            );
        }
    }
    if report.status() == Status::Unhealthy {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
