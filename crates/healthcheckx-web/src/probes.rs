//! What every framework's endpoints share: which checks a probe runs, the details policy, and
//! the answer (status, `Content-Type`, body) of a request, whatever the framework.

use std::collections::BTreeSet;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use healthcheckx::render::{self, Format};
use healthcheckx::{Health, RunContext};

/// The body of the liveness probe (`/healthz`): the process answers, no service is touched.
pub const LIVENESS_BODY: &str = r#"{"status": "ok"}"#;

/// The `Cache-Control` of every answer: a probe's answer is never cached.
pub const CACHE_CONTROL: &str = "no-store";
/// The `Vary` of every answer: the body depends on `Accept`.
pub const VARY: &str = "Accept";

/// An endpoint of the probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Probe {
    /// `/health`: the checks of [`Probes::tags`] (every check by default).
    Health,
    /// `/ready`: the checks of [`Probes::ready_tags`], else those of `/health`.
    Ready,
    /// `/startup`: the checks of [`Probes::startup_tags`], else those of `/health`.
    Startup,
}

/// Who asks, as far as a [`ShowDetails::when`] policy needs to know: the request's headers and
/// the peer's address (when the server tells it).
pub struct Caller<'a> {
    headers: &'a (dyn Fn(&str) -> Option<&'a str> + 'a),
    peer: Option<SocketAddr>,
}

impl<'a> Caller<'a> {
    /// A caller whose headers `headers` looks up by name (case-insensitive).
    pub fn new(
        headers: &'a (dyn Fn(&str) -> Option<&'a str> + 'a),
        peer: Option<SocketAddr>,
    ) -> Self {
        Self { headers, peer }
    }

    /// The value of header `name`, when it is there and readable as text.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        (self.headers)(name)
    }

    /// The address of the peer, when the server gives it (axum: served with
    /// `into_make_service_with_connect_info::<SocketAddr>()`).
    pub fn peer(&self) -> Option<SocketAddr> {
        self.peer
    }
}

type Policy = Arc<dyn Fn(&Caller<'_>) -> bool + Send + Sync>;

/// Who sees each check's message and duration; the others get names and statuses only.
#[derive(Clone, Default)]
pub enum ShowDetails {
    /// Everyone (the default, as in the Python adapters).
    #[default]
    Always,
    /// No one: names and statuses only.
    Never,
    /// The callers the function accepts.
    When(Policy),
}

impl ShowDetails {
    /// Details for the callers `policy` accepts, e.g. those sending a token:
    /// `ShowDetails::when(|caller| caller.header("x-health-token") == Some("s3cret"))`.
    pub fn when(policy: impl Fn(&Caller<'_>) -> bool + Send + Sync + 'static) -> Self {
        Self::When(Arc::new(policy))
    }

    /// Whether `caller` may see the details.
    pub fn allows(&self, caller: &Caller<'_>) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::When(policy) => policy(caller),
        }
    }
}

impl fmt::Debug for ShowDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Always => f.write_str("Always"),
            Self::Never => f.write_str("Never"),
            Self::When(_) => f.write_str("When(..)"),
        }
    }
}

/// An endpoint's answer, whatever the framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// 200 (healthy or degraded), 503 (unhealthy) or 406 (an unknown `?format=`).
    pub status: u16,
    /// The body's `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: String,
}

type Selection = Option<BTreeSet<String>>;

fn selection<I, S>(tags: I) -> Selection
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Some(tags.into_iter().map(Into::into).collect())
}

/// The probes of one [`Health`]: which checks each endpoint runs, who sees the details, and
/// the deadline of an answer. Every framework module serves them the same way.
///
/// The endpoints run the checks through [`Health::run_within`]: with a
/// [`refresh_interval`](healthcheckx::HealthBuilder::refresh_interval) a request is answered from
/// the latest results of the background refresh (only the very first request of a probe waits
/// for its first round), and with a [`cache_ttl`](healthcheckx::HealthBuilder::cache_ttl) from
/// results younger than it; simultaneous requests share one run.
#[derive(Clone)]
pub struct Probes {
    health: Health,
    tags: Selection,
    ready: Option<Selection>,
    startup: Option<Selection>,
    show_details: ShowDetails,
    deadline: Option<Duration>,
}

impl Probes {
    /// Every probe runs every check of `health`, and shows every detail.
    pub fn new(health: Health) -> Self {
        Self {
            health,
            tags: None,
            ready: None,
            startup: None,
            show_details: ShowDetails::Always,
            deadline: None,
        }
    }

    /// `/health` (and `/ready`, `/startup` unless given their own) runs the checks carrying one
    /// of `tags`.
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tags = selection(tags);
        self
    }

    /// `/ready` runs the checks carrying one of `tags`.
    pub fn ready_tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ready = Some(selection(tags));
        self
    }

    /// `/startup` runs the checks carrying one of `tags`.
    pub fn startup_tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.startup = Some(selection(tags));
        self
    }

    /// Who sees messages and durations ([`ShowDetails::Always`] by default).
    pub fn show_details(mut self, policy: ShowDetails) -> Self {
        self.show_details = policy;
        self
    }

    /// Every answer within `deadline`: a check still running then is reported timed out (see
    /// [`Health::run_within`]). Set it below the probe's `timeoutSeconds`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The registry the probes run.
    pub fn health(&self) -> &Health {
        &self.health
    }

    /// The tags of `probe`'s checks (`None`: every check).
    pub fn selection(&self, probe: Probe) -> Option<&BTreeSet<String>> {
        let own = match probe {
            Probe::Health => None,
            Probe::Ready => self.ready.as_ref(),
            Probe::Startup => self.startup.as_ref(),
        };
        own.unwrap_or(&self.tags).as_ref()
    }

    /// The answer to a request of `probe`: `accept` is its `Accept` header, `query` its query
    /// string (`format=` picks the format and wins over `Accept`; an unknown one is answered
    /// 406 without running anything). `shows_details` is called only when the details policy
    /// is a function ([`ShowDetails::When`]): it tells whether this caller may see them
    /// ([`Probes::shows_details_to`]).
    pub async fn answer(
        &self,
        probe: Probe,
        accept: Option<&str>,
        query: Option<&str>,
        shows_details: impl FnOnce() -> bool,
    ) -> Answer {
        let asked = query.and_then(format_param);
        let format = match render::negotiate(accept, asked.as_deref()) {
            Ok(format) => format,
            Err(refused) => {
                return Answer {
                    status: 406,
                    content_type: Format::Text.content_type(),
                    body: format!("{refused}\n"),
                }
            }
        };
        let details = match &self.show_details {
            ShowDetails::Always => true,
            ShowDetails::Never => false,
            ShowDetails::When(_) => shows_details(),
        };
        let report = self
            .health
            .run_within(
                self.selection(probe).cloned(),
                self.deadline,
                RunContext::default(),
            )
            .await;
        Answer {
            status: render::http_status(&report),
            content_type: format.content_type(),
            body: render::render(&report, format, details),
        }
    }

    /// The `/metrics` answer: the checks' Prometheus text (OpenMetrics when `accept` prefers
    /// it) from [`Health::latest`], always 200. A scrape runs the checks only when no result is
    /// at hand yet.
    pub async fn metrics(&self, accept: Option<&str>) -> Answer {
        let format = render::negotiate_metrics(accept);
        let report = self.health.latest().await;
        Answer {
            status: 200,
            content_type: format.content_type(),
            body: render::render(&report, format, true),
        }
    }

    /// The liveness answer: `{"status": "ok"}`, 200, nothing checked.
    pub fn liveness() -> Answer {
        Answer {
            status: 200,
            content_type: "application/json",
            body: LIVENESS_BODY.to_string(),
        }
    }

    /// Whether `caller` may see the details.
    pub fn shows_details_to(&self, caller: &Caller<'_>) -> bool {
        self.show_details.allows(caller)
    }
}

impl fmt::Debug for Probes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Probes")
            .field("checks", &self.health.names())
            .field("tags", &self.tags)
            .field("ready", &self.ready)
            .field("startup", &self.startup)
            .field("show_details", &self.show_details)
            .field("deadline", &self.deadline)
            .finish()
    }
}

/// The `format` parameter of a query string, decoded (`+` is a space, as in forms).
fn format_param(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "format")
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_parameter() {
        assert_eq!(format_param("format=text").as_deref(), Some("text"));
        assert_eq!(
            format_param("a=1&format=health+json").as_deref(),
            Some("health json")
        );
        assert_eq!(
            format_param("format=health%2Bjson").as_deref(),
            Some("health+json")
        );
        assert_eq!(format_param("formats=text"), None);
    }

    #[test]
    fn probes_fall_back_to_the_health_selection() {
        let probes = Probes::new(Health::new())
            .tags(["core"])
            .ready_tags(["ready"]);
        let core: BTreeSet<String> = ["core".to_string()].into();
        let ready: BTreeSet<String> = ["ready".to_string()].into();
        assert_eq!(probes.selection(Probe::Health), Some(&core));
        assert_eq!(probes.selection(Probe::Ready), Some(&ready));
        assert_eq!(probes.selection(Probe::Startup), Some(&core));
        assert_eq!(Probes::new(Health::new()).selection(Probe::Ready), None);
    }
}
