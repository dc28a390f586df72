//! The gRPC health protocol (`grpc.health.v1.Health`) for tonic: what Kubernetes' gRPC probes,
//! `grpc_health_probe` and every gRPC client's health checking call.
//!
//! Each service name the protocol asks about is a selection of checks by tag; `""` (the server
//! as a whole) runs every check. A selection is `SERVING` when healthy or degraded,
//! `NOT_SERVING` when unhealthy. `Check` of an unknown name fails with `NOT_FOUND`; `Watch` of
//! one answers `SERVICE_UNKNOWN` and keeps the call open, as the protocol says.
//!
//! ```no_run
//! use std::time::Duration;
//! use healthcheckx::{checks, Health, Registration};
//! use healthcheckx_web::grpc::GrpcHealth;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let health = Health::builder()
//!     .refresh_interval(Duration::from_secs(5))
//!     .register(Registration::new(checks::RedisCheck::new("redis://127.0.0.1:6379")?).tag("ready"))
//!     .build()?;
//! let service = GrpcHealth::new(health).service("ready", ["ready"]).into_server();
//! tonic::transport::Server::builder()
//!     .add_service(service)
//!     .serve("127.0.0.1:50051".parse()?)
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! The generated types are those of the [`tonic-health`](https://docs.rs/tonic-health) crate
//! (re-exported as [`pb`]): no `protoc` at build time, and the same types its client uses.

use std::collections::{BTreeSet, HashMap};
use std::pin::Pin;
use std::time::Duration;

use futures::stream::{self, Stream, StreamExt};
use healthcheckx::{Change, Health, RunContext, Status};
use tokio::sync::broadcast;
use tonic::{Request, Response};

use pb::health_check_response::ServingStatus;
use pb::health_server::{Health as HealthService, HealthServer};
use pb::{HealthCheckRequest, HealthCheckResponse};
pub use tonic_health::pb;

type Selection = Option<BTreeSet<String>>;

/// Changes kept for a `Watch` that has not read them yet; past that it runs its checks again.
const CHANGES_BUFFERED: usize = 256;

/// How often a `Watch` looks again when no change is announced, by default.
pub const DEFAULT_WATCH_INTERVAL: Duration = Duration::from_secs(5);

/// The `grpc.health.v1.Health` service of one [`Health`]: serve [`GrpcHealth::into_server`] with
/// tonic.
///
/// `Check` runs the service's checks through [`Health::run_within`] (answered from the
/// background refresh or the cache when the registry has one). `Watch` sends the current
/// status, then every change of it: each change of a check's status is applied as the run that
/// made it ends (the background refresh, with a
/// [`refresh_interval`](healthcheckx::HealthBuilder::refresh_interval)), and every
/// [`GrpcHealth::watch_interval`] without a change an open `Watch` runs its checks again (from
/// the refresh or the cache when there is one; runs shared between the calls), which is what
/// notices changes in a registry without a refresh.
#[derive(Clone)]
pub struct GrpcHealth {
    health: Health,
    services: HashMap<String, Selection>,
    deadline: Option<Duration>,
    interval: Duration,
    changes: broadcast::Sender<Change>,
}

impl std::fmt::Debug for GrpcHealth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GrpcHealth")
            .field("services", &self.services)
            .field("deadline", &self.deadline)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

impl GrpcHealth {
    /// The service `""` (every check of `health`) and no other. Listens to `health`'s changes
    /// (one [`Health::on_change`] listener, kept as long as the registry).
    pub fn new(health: Health) -> Self {
        let (changes, _) = broadcast::channel(CHANGES_BUFFERED);
        let announce = changes.clone();
        health.on_change(move |change| {
            // No receiver (no open Watch) is no error.
            let _ = announce.send(change.clone());
        });
        Self {
            health,
            services: HashMap::from([(String::new(), None)]),
            deadline: None,
            interval: DEFAULT_WATCH_INTERVAL,
            changes,
        }
    }

    /// The service `name`: the checks carrying one of `tags` (several names may share tags).
    /// Naming `""` again changes what the whole server means.
    pub fn service<I, S>(mut self, name: impl Into<String>, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let tags = tags.into_iter().map(Into::into).collect();
        self.services.insert(name.into(), Some(tags));
        self
    }

    /// Every answer within `deadline` (see [`Health::run_within`]): below the probe's timeout.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How often an open `Watch` looks again when no change was announced
    /// ([`DEFAULT_WATCH_INTERVAL`]).
    pub fn watch_interval(mut self, interval: Duration) -> Self {
        self.interval = interval.max(Duration::from_millis(10));
        self
    }

    /// The service names answered, sorted.
    pub fn services(&self) -> Vec<String> {
        let mut names: Vec<String> = self.services.keys().cloned().collect();
        names.sort();
        names
    }

    /// The tonic service to add to a `Server`.
    pub fn into_server(self) -> HealthServer<Self> {
        HealthServer::new(self)
    }

    /// The status of service `name`, `None` when unknown.
    pub async fn status(&self, name: &str) -> Option<ServingStatus> {
        let selection = self.services.get(name)?;
        Some(self.run(selection).await)
    }

    async fn run(&self, selection: &Selection) -> ServingStatus {
        let report = self
            .health
            .run_within(selection.clone(), self.deadline, RunContext::default())
            .await;
        serving(report.status())
    }
}

fn serving(status: Status) -> ServingStatus {
    match status {
        Status::Healthy | Status::Degraded => ServingStatus::Serving,
        Status::Unhealthy => ServingStatus::NotServing,
    }
}

fn response(status: ServingStatus) -> HealthCheckResponse {
    HealthCheckResponse {
        status: status as i32,
    }
}

/// The stream of a `Watch`.
pub type WatchStream =
    Pin<Box<dyn Stream<Item = Result<HealthCheckResponse, tonic::Status>> + Send>>;

struct Watching {
    service: GrpcHealth,
    selection: Selection,
    changes: broadcast::Receiver<Change>,
    /// The reported status of each check of the selection, as last known.
    statuses: HashMap<String, Status>,
    sent: Option<ServingStatus>,
}

impl Watching {
    /// The next status to send: the current one first, then each that differs from the last.
    async fn next(mut self) -> Option<(Result<HealthCheckResponse, tonic::Status>, Self)> {
        let status = match self.sent {
            None => self.resync().await,
            Some(sent) => loop {
                let interval = self.service.interval;
                let now = tokio::select! {
                    received = self.changes.recv() => match received {
                        Ok(change) => self.apply(&change),
                        Err(broadcast::error::RecvError::Lagged(_)) => Some(self.resync().await),
                        Err(broadcast::error::RecvError::Closed) => {
                            tokio::time::sleep(interval).await;
                            Some(self.resync().await)
                        }
                    },
                    () = tokio::time::sleep(interval) => Some(self.resync().await),
                };
                match now {
                    Some(now) if now != sent => break now,
                    _ => {}
                }
            },
        };
        self.sent = Some(status);
        Some((Ok(response(status)), self))
    }

    /// Runs the selection (from the refresh or the cache when there is one) and starts over
    /// from its results.
    async fn resync(&mut self) -> ServingStatus {
        let report = self
            .service
            .health
            .run_within(
                self.selection.clone(),
                self.service.deadline,
                RunContext::default(),
            )
            .await;
        self.statuses = report
            .results
            .iter()
            .map(|result| (result.name.clone(), result.status))
            .collect();
        serving(report.status())
    }

    /// The selection's status after `change`; `None` when the check is not one of it.
    fn apply(&mut self, change: &Change) -> Option<ServingStatus> {
        *self.statuses.get_mut(&change.name)? = change.to;
        let unhealthy = self.statuses.values().any(|s| *s == Status::Unhealthy);
        Some(if unhealthy {
            ServingStatus::NotServing
        } else {
            ServingStatus::Serving
        })
    }
}

#[tonic::async_trait]
impl HealthService for GrpcHealth {
    async fn check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, tonic::Status> {
        let name = &request.get_ref().service;
        match self.status(name).await {
            Some(status) => Ok(Response::new(response(status))),
            None => Err(tonic::Status::not_found(format!(
                "unknown service {:?}",
                printable(name)
            ))),
        }
    }

    type WatchStream = WatchStream;

    async fn watch(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<Self::WatchStream>, tonic::Status> {
        let name = &request.get_ref().service;
        let Some(selection) = self.services.get(name) else {
            // The names are fixed when the server is built: an unknown one stays unknown.
            let unknown = stream::once(async { Ok(response(ServingStatus::ServiceUnknown)) })
                .chain(stream::pending());
            return Ok(Response::new(Box::pin(unknown)));
        };
        let watching = Watching {
            // Subscribed before the first run: no change after it is missed.
            changes: self.changes.subscribe(),
            service: self.clone(),
            selection: selection.clone(),
            statuses: HashMap::new(),
            sent: None,
        };
        Ok(Response::new(Box::pin(stream::unfold(
            watching,
            Watching::next,
        ))))
    }
}

/// A service name as a message may show it: at most 100 characters, no control characters.
fn printable(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(100).collect()
}
