//! What the examples share: the registry of the checks the environment names.

use std::time::Duration;

use healthcheckx::{checks, ConfigError, Health, Registration};

/// One check per URL of `REDIS_URL` and `DATABASE_URL` (any URL
/// `healthcheckx::checks::from_url` reads), named `redis` and `database`, tagged `ready` and
/// their name; refreshed in the background every `REFRESH_SECONDS` (default 5).
pub fn health() -> Result<Health, ConfigError> {
    let refresh = std::env::var("REFRESH_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(Duration::from_secs(5), Duration::from_secs_f64);
    let mut builder = Health::builder()
        .refresh_interval(refresh)
        .timeout(Duration::from_secs(1));
    for (variable, name) in [("REDIS_URL", "redis"), ("DATABASE_URL", "database")] {
        if let Ok(url) = std::env::var(variable) {
            let check = checks::from_url(&url)?;
            builder = builder.register(
                Registration::from_arc(check)
                    .name(name)
                    .tags(["ready", name]),
            );
        }
    }
    builder.build()
}
