//! The probes as an actix-web [`Scope`]: `/health`, `/healthz`, `/ready`, `/startup` and
//! `/metrics`, GET and HEAD, answered as the axum router and the Python adapters answer.
//!
//! ```no_run
//! use actix_web::{App, HttpServer};
//! use healthcheckx::Health;
//! use healthcheckx_web::{actix::scope, Probes};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let probes = Probes::new(Health::new()).ready_tags(["ready"]);
//! HttpServer::new(move || App::new().service(scope("", probes.clone())))
//!     .bind("127.0.0.1:8080")?
//!     .run()
//!     .await
//! # }
//! ```
//!
//! The checks run on the Tokio runtime of the actix worker that serves the request (actix-web
//! runs on Tokio); with several workers, build the registry with a
//! [`refresh_interval`](healthcheckx::HealthBuilder::refresh_interval) so that one background
//! task keeps the results and the workers only read them.

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, Scope};

use crate::probes::{Answer, Caller, Probe, Probes, CACHE_CONTROL, VARY};

/// A [`Scope`] at `path` (`""` for the root) with, for GET and HEAD, `/health`, `/ready` and
/// `/startup` (the checks of each probe, 200 or 503, the negotiated format), `/healthz`
/// (`{"status": "ok"}`, no service touched) and `/metrics`; every answer with
/// `Cache-Control: no-store`.
pub fn scope(path: &str, probes: Probes) -> Scope {
    let endpoint = |route: &str, handler| {
        web::resource(route)
            .route(web::get().to(handler))
            .route(web::head().to(handler))
    };
    web::scope(path)
        .app_data(web::Data::new(probes))
        .service(endpoint("/health", Handler::Health))
        .service(endpoint("/ready", Handler::Ready))
        .service(endpoint("/startup", Handler::Startup))
        .service(endpoint("/healthz", Handler::Liveness))
        .service(endpoint("/metrics", Handler::Metrics))
}

#[derive(Clone, Copy)]
enum Handler {
    Health,
    Ready,
    Startup,
    Liveness,
    Metrics,
}

impl actix_web::Handler<(web::Data<Probes>, HttpRequest)> for Handler {
    type Output = HttpResponse;
    type Future = futures::future::LocalBoxFuture<'static, HttpResponse>;

    fn call(&self, (probes, request): (web::Data<Probes>, HttpRequest)) -> Self::Future {
        let handler = *self;
        Box::pin(async move {
            let probe = match handler {
                Handler::Health => Probe::Health,
                Handler::Ready => Probe::Ready,
                Handler::Startup => Probe::Startup,
                Handler::Liveness => return respond(Probes::liveness()),
                Handler::Metrics => {
                    let accept = text(request.headers(), header::ACCEPT.as_str());
                    return respond(probes.metrics(accept).await);
                }
            };
            let headers = request.headers();
            let shows_details = || {
                let lookup = |name: &str| text(headers, name);
                probes.shows_details_to(&Caller::new(&lookup, request.peer_addr()))
            };
            let accept = text(headers, header::ACCEPT.as_str());
            respond(
                probes
                    .answer(probe, accept, Some(request.query_string()), shows_details)
                    .await,
            )
        })
    }
}

fn text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn respond(answer: Answer) -> HttpResponse {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(answer.content_type),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        ))
        .insert_header((header::VARY, HeaderValue::from_static(VARY)))
        .body(answer.body)
}
