//! The crate README's example: checks the services named on the command line, concurrently,
//! and prints one line per check.
//!
//! ```text
//! cargo run -p healthcheckx --example quickstart -- redis://127.0.0.1:6379/0 disk:///?min_free_percent=5
//! ```
use std::process::ExitCode;
use std::time::Duration;

use healthcheckx::{checks, Health, Registration, Status};

#[tokio::main]
async fn main() -> Result<ExitCode, healthcheckx::ConfigError> {
    let mut builder = Health::builder().timeout(Duration::from_secs(3));
    for url in std::env::args().skip(1) {
        // The scheme picks the check: redis://, postgresql://, mysql://, amqp://, mongodb://,
        // kafka://, http(s)://, tcp://, disk:///path ... (`checks::SCHEMES` lists them).
        builder = builder.register(Registration::from_arc(checks::from_url(&url)?));
    }
    let health = builder.build()?;

    let report = health.run().await; // every check at once, each under its deadline
    for result in &report.results {
        eprintln!(
            "{}: {} ({:.1} ms) {}",
            result.name,
            result.status,
            result.duration_ms(),
            result.message.as_deref().unwrap_or("")
        );
    }
    Ok(match report.status() {
        Status::Unhealthy => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}
