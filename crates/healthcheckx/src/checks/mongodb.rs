//! MongoDB: the `ping` command answered.

use std::time::Duration;

use mongodb::bson::doc;
use mongodb::error::ErrorKind;
use mongodb::options::{
    ClientOptions, ConnectionString, HostInfo, ServerAddress, ServerMonitoringMode,
};
use mongodb::Client;

use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};

/// MongoDB's code for a refused login.
const AUTHENTICATION_FAILED: i32 = 18;

/// Runs `{ping: 1}` against `admin` through a kept client.
///
/// `mongodb://[user:pass@]host1[:port1][,host2...]/[db][?options]` and `mongodb+srv://` (the SRV
/// lookup happens at check time, under the deadline). Replica-set and TLS options are the
/// driver's own.
pub type MongoDbCheck = Keeper<MongoDb>;

/// The settings of a [`MongoDbCheck`]: what [`Keeper`] needs to open a session and make a round trip.
pub struct MongoDb {
    connection_string: ConnectionString,
    first_host: String,
    user: Option<String>,
    password: Option<String>,
}

impl MongoDbCheck {
    /// A MongoDB check of `url`.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(MongoDb::new(url)?))
    }
}

impl MongoDb {
    /// A MongoDB check of `url`.
    fn new(url: &str) -> Result<Self, ConfigError> {
        let problem = |p: String| ConfigError::new("mongodb", p);
        let url = url.trim();
        crate::target::require_scheme(
            "mongodb",
            url,
            &["mongodb", "mongodb+srv"],
            "mongodb://host:port",
        )?;
        let connection_string = ConnectionString::parse(url).map_err(|e| {
            // The driver's parse errors describe the option at fault; scrub anything secret.
            let message = match *e.kind {
                ErrorKind::InvalidArgument { ref message, .. } => message.clone(),
                _ => "cannot parse the URL".to_string(),
            };
            let password = url
                .split_once("://")
                .and_then(|(_, rest)| rest.split_once('@'))
                .and_then(|(userinfo, _)| userinfo.split_once(':'))
                .map(|(_, pw)| pw.to_string());
            let message =
                crate::error::sanitize(&message, &password.into_iter().collect::<Vec<_>>());
            problem(format!("invalid MongoDB URL: {message}"))
        })?;
        if let HostInfo::HostIdentifiers(hosts) = &connection_string.host_info {
            for host in hosts {
                if let ServerAddress::Tcp { host, port } = host {
                    crate::endpoint::validate("mongodb", host, *port)?;
                }
            }
        }
        let first_host = match &connection_string.host_info {
            HostInfo::HostIdentifiers(hosts) => match hosts.first() {
                Some(ServerAddress::Tcp { host, .. }) => host.clone(),
                Some(other) => other.to_string(),
                None => return Err(problem("the URL names no host".into())),
            },
            HostInfo::DnsRecord(name) => name.clone(),
            _ => return Err(problem("unsupported host list".into())),
        };
        let (user, password) = match &connection_string.credential {
            Some(c) => (c.username.clone(), c.password.clone()),
            None => (None, None),
        };
        Ok(Self {
            connection_string,
            first_host,
            user,
            password,
        })
    }

    async fn open(&self, timeout: Duration) -> Result<Client, CheckError> {
        self.probe_seeds().await?;
        let mut options = ClientOptions::parse(self.connection_string.clone())
            .await
            .map_err(|e| self.describe(&e, timeout))?;
        options.app_name = Some("healthcheckx".into());
        options.server_selection_timeout = Some(timeout);
        options.connect_timeout = Some(timeout);
        options.max_pool_size = Some(1);
        if options.server_monitoring_mode.is_none() {
            // The streaming protocol keeps a second monitoring connection open (to measure round
            // trips) on top of the monitor's own; polling needs only the one.
            options.server_monitoring_mode = Some(ServerMonitoringMode::Poll);
        }
        Client::with_options(options).map_err(|e| self.describe(&e, timeout))
    }

    /// The driver reports unreachable seeds only when server selection gives up, at the deadline;
    /// a TCP connect to each seed tells "Connection refused" (or a DNS failure) at once. The first
    /// seed that accepts ends the probe; when every seed fails, the last failure is reported.
    async fn probe_seeds(&self) -> Result<(), CheckError> {
        let HostInfo::HostIdentifiers(hosts) = &self.connection_string.host_info else {
            return Ok(());
        };
        let mut connects = Vec::with_capacity(hosts.len());
        for address in hosts {
            match address {
                ServerAddress::Tcp { host, port } => {
                    connects.push(Box::pin(super::tcp::connect(host, port.unwrap_or(27017))))
                }
                // A seed this probe cannot reach on its own (a Unix socket): leave it to the driver.
                _ => return Ok(()),
            }
        }
        if connects.is_empty() {
            return Ok(());
        }
        futures::future::select_ok(connects).await.map(|_| ())
    }

    async fn ping(&self, client: &Client, timeout: Duration) -> Result<(), CheckError> {
        let admin = client.database("admin");
        admin
            .run_command(doc! { "ping": 1 })
            .await
            .map(|_| ())
            .map_err(|e| self.describe(&e, timeout))
    }

    /// `timeout` is the run's deadline, which is also the driver's server selection timeout.
    fn describe(&self, err: &mongodb::error::Error, timeout: Duration) -> CheckError {
        let host = &self.first_host;
        match &*err.kind {
            ErrorKind::Authentication { .. } => CheckError::AuthenticationFailed {
                user: self.user.clone(),
            },
            ErrorKind::Command(command) if command.code == AUTHENTICATION_FAILED => {
                CheckError::AuthenticationFailed {
                    user: self.user.clone(),
                }
            }
            ErrorKind::Command(command) => CheckError::Service(format!(
                "MongoDB error {}: {}",
                command.code, command.message
            )),
            ErrorKind::DnsResolve { .. } => CheckError::NameResolution { host: host.clone() },
            ErrorKind::Io(io) => CheckError::from_io(io, host),
            ErrorKind::ServerSelection { message, .. } => {
                if message.contains("Connection refused") {
                    CheckError::ConnectionRefused
                } else if message.contains("uthentication") {
                    CheckError::AuthenticationFailed {
                        user: self.user.clone(),
                    }
                } else {
                    // Selection gave up at the deadline (the engine's own timer races it): the
                    // same verdict as the engine's, whichever fires first.
                    CheckError::Timeout(timeout)
                }
            }
            _ => CheckError::find_io(err, host)
                .unwrap_or_else(|| CheckError::Service(err.kind.to_string())),
        }
    }
}

impl Protocol for MongoDb {
    type Session = Client;

    fn kind(&self) -> &'static str {
        "mongodb"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    async fn connect(&self, timeout: Duration) -> Result<Client, CheckError> {
        self.open(timeout).await
    }

    async fn round_trip(&self, client: Client, timeout: Duration) -> Result<Client, CheckError> {
        self.ping(&client, timeout).await?;
        Ok(client)
    }

    /// A kept client whose server went away waits for server selection until its timeout;
    /// half the deadline is enough before a fresh client (which fails fast) has its turn.
    fn kept_limit(&self, timeout: Duration) -> Option<Duration> {
        Some(timeout / 2)
    }

    fn secrets(&self) -> Vec<String> {
        self.password.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Check as _;

    #[test]
    fn documented_forms_parse() {
        let check = MongoDbCheck::new(
            "mongodb://app:s%40cret@db1:27017,db2:27018/shop?replicaSet=rs0&authSource=admin",
        )
        .expect("valid");
        assert_eq!(check.protocol().first_host, "db1");
        assert_eq!(check.secrets(), vec!["s@cret".to_string()]);
        assert!(MongoDbCheck::new("mongodb+srv://cluster0.example.net/?retryWrites=true").is_ok());
    }

    #[test]
    fn bad_urls_are_rejected_without_secrets() {
        let err = MongoDbCheck::new("mongodb://u:hunter2@h/?replicaSet=")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(MongoDbCheck::new("postgres://h").is_err());
        assert!(MongoDbCheck::new("mongodb://").is_err());
    }
}
