//! The gRPC health service over TCP, called by tonic's client (tonic-health's generated one).

mod common;

use std::time::Duration;

use common::{closed_port, PrivateRedis};
use futures::StreamExt;
use healthcheckx::{checks, Health, Registration};
use healthcheckx_web::grpc::pb::health_check_response::ServingStatus;
use healthcheckx_web::grpc::pb::health_client::HealthClient;
use healthcheckx_web::grpc::pb::{HealthCheckRequest, HealthCheckResponse};
use healthcheckx_web::grpc::GrpcHealth;
use tonic::transport::Channel;
use tonic::Code;

async fn serve(service: GrpcHealth) -> HealthClient<Channel> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(service.into_server())
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
    );
    let channel = Channel::from_shared(format!("http://{address}"))
        .expect("URI")
        .connect()
        .await
        .expect("connect");
    HealthClient::new(channel)
}

fn request(service: &str) -> HealthCheckRequest {
    HealthCheckRequest {
        service: service.into(),
    }
}

fn registry(redis_url: &str, refresh: Option<Duration>) -> Health {
    let redis = checks::RedisCheck::new(redis_url).expect("redis URL");
    let queue = checks::from_url(&format!("tcp://127.0.0.1:{}", closed_port())).expect("tcp URL");
    let mut builder = Health::builder().timeout(Duration::from_secs(1));
    if let Some(refresh) = refresh {
        builder = builder.refresh_interval(refresh);
    }
    builder
        .register(
            Registration::new(redis)
                .name("redis")
                .tags(["redis", "ready"]),
        )
        .register(Registration::from_arc(queue).name("queue").tag("queue"))
        .build()
        .expect("registry")
}

#[tokio::test]
async fn check_maps_service_names_to_tags() {
    let health = registry(&common::redis_url(), None);
    let service = GrpcHealth::new(health)
        .service("redis", ["redis"])
        .service("queue", ["queue"])
        .service("ready", ["ready"]);
    assert_eq!(service.services(), ["", "queue", "ready", "redis"]);
    let mut client = serve(service).await;
    for (name, expected) in [
        ("redis", ServingStatus::Serving),
        ("ready", ServingStatus::Serving),
        ("queue", ServingStatus::NotServing),
        ("", ServingStatus::NotServing),
    ] {
        let answer = client
            .check(request(name))
            .await
            .expect("Check")
            .into_inner();
        assert_eq!(answer.status(), expected, "{name:?}");
    }
    let unknown = client.check(request("nope")).await.expect_err("NOT_FOUND");
    assert_eq!(unknown.code(), Code::NotFound);

    // Watch of an unknown name: SERVICE_UNKNOWN, and the call stays open.
    let mut stream = client
        .watch(request("nope"))
        .await
        .expect("Watch")
        .into_inner();
    let first = stream.next().await.expect("a message").expect("no error");
    assert_eq!(first.status(), ServingStatus::ServiceUnknown);
    let more = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
    assert!(more.is_err(), "the call stays open without another message");
}

async fn next(stream: &mut tonic::Streaming<HealthCheckResponse>) -> ServingStatus {
    tokio::time::timeout(Duration::from_secs(15), stream.next())
        .await
        .expect("a message in time")
        .expect("the stream goes on")
        .expect("no error")
        .status()
}

#[tokio::test]
async fn watch_streams_changes_from_the_background_refresh() {
    let mut redis = PrivateRedis::start();
    let health = registry(&redis.url(), Some(Duration::from_millis(100)));
    // No periodic look of its own: every change must come from the refresh's runs.
    let service = GrpcHealth::new(health)
        .service("redis", ["redis"])
        .watch_interval(Duration::from_secs(3600));
    let mut client = serve(service).await;
    let mut stream = client
        .watch(request("redis"))
        .await
        .expect("Watch")
        .into_inner();
    assert_eq!(next(&mut stream).await, ServingStatus::Serving);
    redis.stop();
    assert_eq!(next(&mut stream).await, ServingStatus::NotServing);
    redis.resume();
    assert_eq!(next(&mut stream).await, ServingStatus::Serving);
    // Only changes are sent: nothing while Redis stays up.
    let quiet = tokio::time::timeout(Duration::from_millis(500), stream.next()).await;
    assert!(quiet.is_err(), "no message without a change");
}
