//! The probes as an axum [`Router`]: `/health`, `/healthz`, `/ready`, `/startup` and `/metrics`,
//! GET and HEAD.
//!
//! ```
//! use axum::Router;
//! use healthcheckx::Health;
//! use healthcheckx_web::{axum::router, Probes};
//!
//! let health = Health::new();
//! let app: Router = Router::new().merge(router(Probes::new(health).ready_tags(["ready"])));
//! ```

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::probes::{Answer, Caller, Probe, Probes, CACHE_CONTROL, VARY};

/// A [`Router`] answering, for GET and HEAD:
///
/// - `/health`, `/ready`, `/startup`: the checks of each probe (see [`Probes`]), 200 when
///   healthy or degraded, 503 when unhealthy, in the format negotiated by `?format=` then
///   `Accept` (the guide's JSON by default; 406 for an unknown `?format=`);
/// - `/healthz`: `{"status": "ok"}`, 200, touching no service (liveness);
/// - `/metrics`: the checks' Prometheus metrics from the latest results.
///
/// Every answer carries `Cache-Control: no-store` and `Vary: Accept`. Merge it into an app's
/// router (`app.merge(router(probes))`) or nest it (`app.nest("/internal", router(probes))`);
/// it fits a router of any state.
pub fn router<S>(probes: Probes) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/startup", get(startup))
        .route("/healthz", get(liveness))
        .route("/metrics", get(metrics))
        .with_state(Arc::new(probes))
}

type Shared = State<Arc<Probes>>;

async fn health(State(probes): Shared, request: Parts) -> Response {
    probe(&probes, Probe::Health, &request).await
}

async fn ready(State(probes): Shared, request: Parts) -> Response {
    probe(&probes, Probe::Ready, &request).await
}

async fn startup(State(probes): Shared, request: Parts) -> Response {
    probe(&probes, Probe::Startup, &request).await
}

async fn liveness() -> Response {
    respond(Probes::liveness())
}

async fn metrics(State(probes): Shared, headers: HeaderMap) -> Response {
    respond(
        probes
            .metrics(text(&headers, header::ACCEPT.as_str()))
            .await,
    )
}

fn text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

async fn probe(probes: &Probes, probe: Probe, request: &Parts) -> Response {
    let headers = &request.headers;
    let shows_details = || {
        let lookup = |name: &str| text(headers, name);
        let peer = request
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0);
        probes.shows_details_to(&Caller::new(&lookup, peer))
    };
    let answer = probes
        .answer(
            probe,
            text(headers, header::ACCEPT.as_str()),
            request.uri.query(),
            shows_details,
        )
        .await;
    respond(answer)
}

fn respond(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(answer.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(CACHE_CONTROL),
            ),
            (header::VARY, HeaderValue::from_static(VARY)),
        ],
        answer.body,
    )
        .into_response()
}
