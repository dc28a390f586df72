//! A gRPC server answering `grpc.health.v1.Health`:
//! `cargo run -p healthcheckx-web --example grpc_service`, then
//! `grpc_health_probe -addr 127.0.0.1:50051 -service ready`.
//!
//! `LISTEN` (default `127.0.0.1:50051`); checks from `REDIS_URL` and `DATABASE_URL` (any URL
//! `healthcheckx::checks::from_url` knows). Services: `""` (every check), `ready` (both),
//! `redis` and `database` (each alone). The results are refreshed in the background every
//! `REFRESH_SECONDS` (default 5): `Watch` sends each change as that refresh sees it.

mod common;

use std::time::Duration;

use healthcheckx_web::grpc::GrpcHealth;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listen = std::env::var("LISTEN").unwrap_or_else(|_| "127.0.0.1:50051".into());
    let address: std::net::SocketAddr = listen.parse()?;
    let service = GrpcHealth::new(common::health()?)
        .service("ready", ["ready"])
        .service("redis", ["redis"])
        .service("database", ["database"])
        .deadline(Duration::from_millis(800))
        .into_server();
    let listener = tokio::net::TcpListener::bind(address).await?;
    eprintln!("gRPC health on {}", listener.local_addr()?);
    tonic::transport::Server::builder()
        .add_service(service)
        .serve_with_incoming_shutdown(
            tonic::transport::server::TcpIncoming::from(listener),
            async {
                let _ = tokio::signal::ctrl_c().await;
            },
        )
        .await?;
    Ok(())
}
