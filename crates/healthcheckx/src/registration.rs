//! How a check is registered: name, deadline, criticality, tags.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use crate::check::Check;
use crate::error::ConfigError;
use crate::state::{Thresholds, Tracker};

/// A check with the settings it runs under.
///
/// ```
/// # use std::time::Duration;
/// # use healthcheckx::{Registration, checks::TcpCheck};
/// let reg = Registration::new(TcpCheck::new("127.0.0.1", 6379).unwrap())
///     .name("cache-port")
///     .timeout(Duration::from_millis(500))
///     .critical(false)
///     .tag("ready");
/// ```
#[derive(Clone)]
pub struct Registration {
    pub(crate) check: Arc<dyn Check>,
    pub(crate) name: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) critical: bool,
    pub(crate) tags: BTreeSet<String>,
    pub(crate) thresholds: Thresholds,
}

impl Registration {
    /// Registers `check` under its default name and deadline, as critical, without tags.
    pub fn new(check: impl Check) -> Self {
        Self::from_arc(Arc::new(check))
    }

    /// Same as [`Registration::new`] for a check that is already shared.
    pub fn from_arc(check: Arc<dyn Check>) -> Self {
        Self {
            check,
            name: None,
            timeout: None,
            critical: true,
            tags: BTreeSet::new(),
            thresholds: Thresholds::default(),
        }
    }

    /// The name reported in results (default: the check's kind, e.g. `redis`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The hard deadline of the whole check (DNS, connect, TLS, auth, query).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A non-critical check reports `degraded` instead of `unhealthy` when it fails.
    pub fn critical(mut self, critical: bool) -> Self {
        self.critical = critical;
        self
    }

    /// Adds a tag; a run filtered by tags runs only checks carrying one of them.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.insert(tag.into());
        self
    }

    /// Adds several tags.
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Damping: the check is reported failing only after `runs` failing runs in a row (1, the
    /// default: at once); until then it keeps its status, with the message `1 of 3 failures:
    /// <reason>`. A check's first run is reported as it is.
    pub fn failure_threshold(mut self, runs: u32) -> Self {
        self.thresholds.failures = runs;
        self
    }

    /// Damping: a failing check is reported passing again only after `runs` passing runs in a row
    /// (1, the default: at once), with the message `1 of 2 successes; last failure: <reason>`
    /// until then.
    pub fn success_threshold(mut self, runs: u32) -> Self {
        self.thresholds.successes = runs;
        self
    }

    /// The name this registration reports before its check ran.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.check.kind().to_string())
    }

    pub(crate) fn into_entry(
        self,
        default_timeout: Option<Duration>,
    ) -> Result<Entry, ConfigError> {
        let name = self.display_name();
        let timeout = self
            .timeout
            .or(default_timeout)
            .unwrap_or_else(|| self.check.default_timeout());
        if timeout.is_zero() {
            return Err(ConfigError::new(name, "timeout must be greater than zero"));
        }
        if name.trim().is_empty() {
            return Err(ConfigError::new(
                self.check.kind(),
                "name must not be empty",
            ));
        }
        if self.thresholds.failures == 0 || self.thresholds.successes == 0 {
            return Err(ConfigError::new(
                name,
                "failure_threshold and success_threshold must be at least 1",
            ));
        }
        // Every driver that speaks TLS finds rustls' provider here, installed once for all.
        crate::tls::install_crypto_provider();
        let secrets = self.check.secrets();
        Ok(Entry {
            explicit_name: self.name,
            default_name: self.check.kind(),
            check: self.check,
            timeout,
            critical: self.critical,
            tags: self.tags,
            secrets,
            thresholds: self.thresholds,
            tracker: Tracker::default(),
        })
    }
}

/// A registration resolved against the registry's defaults.
pub(crate) struct Entry {
    pub(crate) check: Arc<dyn Check>,
    pub(crate) explicit_name: Option<String>,
    pub(crate) default_name: &'static str,
    pub(crate) timeout: Duration,
    pub(crate) critical: bool,
    pub(crate) tags: BTreeSet<String>,
    pub(crate) secrets: Vec<String>,
    pub(crate) thresholds: Thresholds,
    /// Since-when, last error, history: updated by every run of the check.
    pub(crate) tracker: Tracker,
}

impl Entry {
    pub(crate) fn name(&self) -> String {
        self.explicit_name
            .clone()
            .or_else(|| self.check.reported_name())
            .unwrap_or_else(|| self.default_name.to_string())
    }

    pub(crate) fn selected_by(&self, filter: Option<&BTreeSet<String>>) -> bool {
        match filter {
            None => true,
            Some(wanted) => !self.tags.is_disjoint(wanted),
        }
    }
}
