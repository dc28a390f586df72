//! The actix-web scope over TCP, called by reqwest, against the real Redis and a closed port:
//! the same answers as the axum router.

mod common;

use std::net::SocketAddr;

use actix_web::{App, HttpServer};
use common::http::{call, details_contract, formats_contract, probes_contract, token_policy};
use common::registry;
use healthcheckx::Health;
use healthcheckx_web::{actix::scope, Probes};
use reqwest::{Method, StatusCode};

/// Serves `scope(path, probes)` on a thread of its own (actix-web runs its own runtimes).
fn serve(path: &'static str, probes: Probes) -> String {
    let (sender, receiver) = std::sync::mpsc::channel::<SocketAddr>();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(move || App::new().service(scope(path, probes.clone())))
                .workers(1)
                .bind("127.0.0.1:0")
                .expect("bind");
            let _ = sender.send(server.addrs()[0]);
            let _ = server.run().await;
        });
    });
    let address = receiver.recv().expect("the server's address");
    format!("http://{address}{path}")
}

fn probes() -> Probes {
    Probes::new(registry(Health::builder())).ready_tags(["ready"])
}

#[tokio::test]
async fn the_scope_answers_as_the_router_does() {
    let base = serve("", probes());
    probes_contract(&base).await;
    formats_contract(&base).await;
    let (status, _, _) = call(Method::POST, &format!("{base}/health"), &[]).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn under_a_prefix_with_a_details_policy() {
    let base = serve("/internal", probes().show_details(token_policy()));
    details_contract(&base).await;
    let (status, _, _) = call(Method::GET, &format!("{base}/ready"), &[]).await;
    assert_eq!(status, StatusCode::OK);
}
