//! An axum service with the probes: `cargo run -p healthcheckx-web --example axum_service`.
//!
//! `LISTEN` (default `127.0.0.1:8080`); checks from `REDIS_URL` and `DATABASE_URL` (any URL
//! `healthcheckx::checks::from_url` knows), both tagged `ready`; the results refreshed in the
//! background every `REFRESH_SECONDS` (default 5).

mod common;

use std::time::Duration;

use axum::routing::get;
use axum::Router;
use healthcheckx_web::{axum::router, Probes};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listen = std::env::var("LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let probes = Probes::new(common::health()?)
        .ready_tags(["ready"])
        .deadline(Duration::from_millis(800));
    let app = Router::new()
        .route("/", get(|| async { "hello\n" }))
        .merge(router(probes));
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
