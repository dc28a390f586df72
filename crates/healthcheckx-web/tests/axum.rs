//! The axum router over TCP, called by reqwest, against the real Redis and a closed port.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use common::http::{details_contract, formats_contract, get, probes_contract, token_policy};
use common::{registry, Counting};
use healthcheckx::{Health, Registration};
use healthcheckx_web::{axum::router, Probes, ShowDetails};
use reqwest::StatusCode;

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        let _ = axum::serve(listener, service).await;
    });
    format!("http://{address}")
}

fn probes() -> Probes {
    Probes::new(registry(Health::builder())).ready_tags(["ready"])
}

#[tokio::test]
async fn probes_answer_with_the_guides_bodies_and_statuses() {
    probes_contract(&serve(router(probes())).await).await;
}

#[tokio::test]
async fn formats_are_negotiated() {
    formats_contract(&serve(router(probes())).await).await;
}

#[tokio::test]
async fn details_follow_the_policy() {
    details_contract(&serve(router(probes().show_details(token_policy()))).await).await;

    let never = serve(router(probes().show_details(ShowDetails::Never))).await;
    let token = [("x-health-token", "s3cret")];
    let (_, _, body) = get(&format!("{never}/health?format=text"), &token).await;
    assert!(
        body.contains("[-]queue failed: reason withheld\n"),
        "{body}"
    );
}

#[tokio::test]
async fn requests_are_answered_from_the_background_refresh() {
    let counting = Counting::default();
    let health = Health::builder()
        .refresh_interval(Duration::from_secs(3600))
        .register(Registration::new(counting.clone()).name("counted"))
        .build()
        .expect("registry");
    let app: Router = Router::new().nest("/internal", router(Probes::new(health)));
    let base = serve(app).await;
    for _ in 0..20 {
        let (status, _, _) = get(&format!("{base}/internal/health"), &[]).await;
        assert_eq!(status, StatusCode::OK);
    }
    // The first request ran the checks; the others were answered from its results.
    assert_eq!(counting.runs(), 1);
}

#[tokio::test]
async fn requests_within_the_cache_ttl_run_nothing() {
    let counting = Counting::default();
    let health = Health::builder()
        .cache_ttl(Duration::from_secs(3600))
        .register(Registration::new(counting.clone()).name("counted"))
        .build()
        .expect("registry");
    let base = serve(router(Probes::new(health))).await;
    let url = format!("{base}/health");
    let answers = futures::future::join_all((0..20).map(|_| get(&url, &[]))).await;
    assert!(answers
        .iter()
        .all(|(status, _, _)| *status == StatusCode::OK));
    assert_eq!(counting.runs(), 1);
}
