//! `healthcheckx serve`: `/health`, `/livez`, `/readyz`, `/startupz` and `/metrics` over HTTP,
//! answered from the latest results of a background refresh; SIGTERM and SIGINT stop it after
//! the requests in flight are answered.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use healthcheckx::{render, Health};
use serde::Deserialize;

use crate::error::{self, io_reason, CliError};
use crate::target::{self, BuildOptions};
use crate::{runtime, ServeArgs, Streams};

/// How long the requests in flight have to finish once a stop is asked for.
const GRACE: Duration = Duration::from_secs(10);

struct Probes {
    health: Health,
    ready: Option<BTreeSet<String>>,
    startup: Option<BTreeSet<String>>,
    /// Whether answers show each check's message and duration.
    details: bool,
}

type Shared = Arc<Probes>;

fn selection(tags: &[String]) -> Option<BTreeSet<String>> {
    let set: BTreeSet<String> = tags
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    (!set.is_empty()).then_some(set)
}

pub fn run(
    args: &ServeArgs,
    streams: &mut Streams<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<i32, CliError> {
    let targets = target::gather(&args.targets, env)?;
    let (health, planned) = targets.build(&BuildOptions {
        tags: &args.targets.tags,
        deadline: args.deadline,
        refresh: Some(args.interval),
        ..BuildOptions::default()
    })?;
    let probes = Arc::new(Probes {
        health,
        ready: selection(&args.ready_tags),
        startup: selection(&args.startup_tags),
        details: !args.hide_details,
    });
    for (flag, wanted) in [
        ("--ready-tags", &probes.ready),
        ("--startup-tags", &probes.startup),
    ] {
        if let Some(wanted) = wanted {
            if !planned
                .iter()
                .any(|p| p.tags.iter().any(|t| wanted.contains(t)))
            {
                return Err(CliError::config(format!(
                    "{flag}: no check carries the tag {}",
                    wanted.iter().cloned().collect::<Vec<_>>().join(", ")
                )));
            }
        }
    }
    let address = match args.listen.strip_prefix(':') {
        Some(port) => format!("0.0.0.0:{port}"),
        None => args.listen.clone(),
    };
    let runtime = runtime()?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&address).await.map_err(|e| {
            CliError::config(format!("--listen {}: cannot listen: {}", args.listen, io_reason(&e)))
        })?;
        let local = listener
            .local_addr()
            .map_err(|e| CliError::config(format!("--listen {}: {}", args.listen, io_reason(&e))))?;
        // The first round starts now: the refresh then keeps every probe's results fresh.
        for tags in [None, probes.ready.clone(), probes.startup.clone()] {
            let health = probes.health.clone();
            tokio::spawn(async move { health.run_selection(tags).await });
        }
        let _ = writeln!(
            streams.err,
            "healthcheckx: serving {} check{} on http://{local} (/health /livez /readyz /startupz /metrics)",
            planned.len(),
            if planned.len() == 1 { "" } else { "s" }
        );
        let _ = streams.err.flush();
        let app = Router::new()
            .route("/health", get(health_probe))
            .route("/livez", get(livez))
            .route("/readyz", get(readyz))
            .route("/startupz", get(startupz))
            .route("/metrics", get(metrics_endpoint))
            .with_state(Arc::clone(&probes));
        let stop = Arc::new(tokio::sync::Notify::new());
        let asked = Arc::clone(&stop);
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            stop_signal().await;
            asked.notify_waiters();
        });
        let grace = async {
            stop.notified().await;
            tokio::time::sleep(GRACE).await;
        };
        tokio::select! {
            served = server => served.map_err(|e| CliError::new(error::UNHEALTHY, format!("server error: {e}")))?,
            () = grace => {}
        }
        probes.health.close();
        tokio::task::yield_now().await;
        let _ = writeln!(streams.err, "healthcheckx: stopped");
        Ok(error::OK)
    });
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}

/// Resolves at SIGTERM or SIGINT.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `?format=` of a health endpoint.
#[derive(Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

fn accept(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())
}

fn body(status: StatusCode, content_type: &'static str, text: String) -> Response {
    no_store(
        (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            text,
        )
            .into_response(),
    )
}

/// The report of `tags` in the format the caller asks for (`?format=`, else `Accept`), 200 or
/// 503; 406 for an unknown `?format=`.
async fn answer(
    probes: &Probes,
    tags: Option<BTreeSet<String>>,
    headers: &HeaderMap,
    query: &FormatQuery,
) -> Response {
    let format = match render::negotiate(accept(headers), query.format.as_deref()) {
        Ok(format) => format,
        Err(refused) => {
            return body(
                StatusCode::NOT_ACCEPTABLE,
                "text/plain; charset=utf-8",
                format!("{refused}\n"),
            )
        }
    };
    let report = probes.health.run_selection(tags).await;
    let status = StatusCode::from_u16(render::http_status(&report))
        .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    body(
        status,
        format.content_type(),
        render::render(&report, format, probes.details),
    )
}

async fn health_probe(
    State(probes): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<FormatQuery>,
) -> Response {
    answer(&probes, None, &headers, &query).await
}

async fn readyz(
    State(probes): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<FormatQuery>,
) -> Response {
    let tags = probes.ready.clone();
    answer(&probes, tags, &headers, &query).await
}

async fn startupz(
    State(probes): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<FormatQuery>,
) -> Response {
    let tags = probes.startup.clone();
    answer(&probes, tags, &headers, &query).await
}

/// The process answers: nothing is checked (a liveness probe must not fail with a dependency).
async fn livez() -> Response {
    body(
        StatusCode::OK,
        "application/json",
        r#"{"status": "ok"}"#.to_string(),
    )
}

/// The latest result of every check (a run only before every check has run once).
async fn metrics_endpoint(State(probes): State<Shared>, headers: HeaderMap) -> Response {
    let format = render::negotiate_metrics(accept(&headers));
    let report = match probes.health.snapshot() {
        Some(report) => report,
        None => probes.health.run_selection(None).await,
    };
    body(
        StatusCode::OK,
        format.content_type(),
        render::render(&report, format, probes.details),
    )
}
