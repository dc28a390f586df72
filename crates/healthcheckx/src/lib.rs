//! Health checks for the services an application depends on — Redis, PostgreSQL, MySQL/MariaDB,
//! RabbitMQ, MongoDB, SQLite, HTTP and TCP — run **concurrently**, each under a **hard deadline**
//! that covers DNS, connect, TLS, authentication and the query.
//!
//! ```no_run
//! use std::time::Duration;
//! use healthcheckx::{checks, Health, Registration, Status};
//!
//! # async fn demo() -> Result<(), healthcheckx::ConfigError> {
//! let health = Health::builder()
//!     .check(checks::RedisCheck::new("redis://127.0.0.1:6379/0")?)
//!     .register(
//!         Registration::new(checks::PostgresCheck::new("postgresql://app@127.0.0.1/app")?)
//!             .name("database")
//!             .timeout(Duration::from_secs(3)),
//!     )
//!     .build()?;
//!
//! let report = health.run().await;
//! for result in &report.results {
//!     println!("{}: {} ({:.1} ms)", result.name, result.status, result.duration_ms());
//! }
//! assert!(matches!(report.status(), Status::Healthy | Status::Degraded | Status::Unhealthy));
//! # Ok(())
//! # }
//! ```
//!
//! Each check keeps one connection to its service and reuses it across runs; any failure drops
//! it, and [`Health::close`] closes them all at once. Simultaneous [`Health::run`] calls share
//! one execution, and a cache TTL ([`HealthBuilder::cache_ttl`]) serves fresh-enough results
//! without touching the services.
//!
//! Every service is a cargo feature (all on by default): `redis`, `postgres`, `mysql`,
//! `rabbitmq`, `mongodb`, `sqlite`, `http`. The TCP check is always there.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod budget;
mod check;
pub mod checks;
mod conn;
mod endpoint;
mod error;
mod health;
mod keeper;
mod registration;
pub mod render;
mod state;
mod status;
mod target;
pub mod tls;

pub use check::{Check, CheckFuture, RunContext};
pub use conn::ConnectionSlot;
pub use error::{format_seconds, CheckError, ConfigError};
pub use health::{Health, HealthBuilder, Report};
pub use keeper::{Keeper, Protocol};
pub use registration::Registration;
pub use state::{Change, ChangeListener, CheckState, Sample, HISTORY_LEN};
pub use status::{overall_status, CheckResult, Outcome, Status};
