//! Kafka: a broker answers a Metadata request.
//!
//! The check speaks the Kafka protocol through `rskafka`'s protocol layer (its `Messenger`: one
//! connection, ApiVersions negotiation, SASL, typed requests) rather than its `Client`. The client
//! retries every failure with a backoff of its own, so a refused port would surface as the engine's
//! timeout instead of `Connection refused`; it cannot show which brokers a Metadata answer lists;
//! and its TLS transport enables rustls' `ring` provider, a second crypto stack in the wheel. Here
//! the socket is the engine's own (the TCP connect shared with the other checks, then rustls with
//! the aws-lc-rs provider from [`crate::tls`]), and every failure is mapped to its cause.

use std::sync::Arc;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use rskafka::client::{Credentials, SaslConfig};
use rskafka::messenger::{Messenger, RequestError, SaslError, SyncVersionsError};
use rskafka::protocol::error::Error as ApiError;
use rskafka::protocol::frame::{ReadError, WriteError};
use rskafka::protocol::messages::MetadataRequest;
use tokio::io::{AsyncRead, AsyncWrite, BufStream};

use crate::checks::tcp;
use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};
use crate::tls::{self, Verification};

/// The port of a broker address written without one.
const DEFAULT_PORT: u16 = 9092;

/// The client id brokers log for the check's connections.
const CLIENT_ID: &str = "healthcheckx";

/// The largest answer accepted. A Metadata answer for no topic is a few hundred bytes per broker;
/// the limit keeps a peer that is not a Kafka broker from making the check allocate gigabytes
/// from the first four bytes it sends.
const MAX_MESSAGE_SIZE: usize = 16 * 1024 * 1024;

/// The options a `kafka://` URL takes in its query.
const OPTIONS: &str = "sasl_mechanism, sasl_username, sasl_password or tls_verify";

/// Sends a Metadata request (for no topic: the cheapest one) and expects at least one broker in
/// the answer.
///
/// Forms: `"h1:9092,h2:9092"` (plain text; the port defaults to 9092), or a URL
/// `kafka://[user:password@]h1:9092,h2:9092[?options]`, `kafkas://` for TLS. Options:
/// `sasl_mechanism` = `PLAIN` (the default when credentials are given), `SCRAM-SHA-256` or
/// `SCRAM-SHA-512`; `sasl_username` / `sasl_password` as an alternative to the URL's user
/// information; `tls_verify=false` (`kafkas://` only) to encrypt without verifying the broker's
/// certificate (self-signed test brokers). Percent-encode reserved characters in credentials.
///
/// With several bootstrap brokers, all are tried at once and the first to complete the handshake
/// is kept: one broker that hangs must not hide a healthy one within a single deadline.
pub type KafkaCheck = Keeper<Kafka>;

/// The settings of a [`KafkaCheck`]: what [`Keeper`] needs to open a session and make a round trip.
pub struct Kafka {
    brokers: Vec<Broker>,
    tls: Option<Arc<rustls::ClientConfig>>,
    sasl: Option<Sasl>,
}

/// A bootstrap broker address.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Broker {
    host: String,
    port: u16,
}

impl std::fmt::Display for Broker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mechanism {
    Plain,
    ScramSha256,
    ScramSha512,
}

impl Mechanism {
    fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_uppercase().replace('_', "-").as_str() {
            "PLAIN" => Some(Self::Plain),
            "SCRAM-SHA-256" => Some(Self::ScramSha256),
            "SCRAM-SHA-512" => Some(Self::ScramSha512),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Plain => "PLAIN",
            Self::ScramSha256 => "SCRAM-SHA-256",
            Self::ScramSha512 => "SCRAM-SHA-512",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Sasl {
    mechanism: Mechanism,
    user: String,
    password: String,
}

impl Sasl {
    fn config(&self) -> SaslConfig {
        let credentials = Credentials::new(self.user.clone(), self.password.clone());
        match self.mechanism {
            Mechanism::Plain => SaslConfig::Plain(credentials),
            Mechanism::ScramSha256 => SaslConfig::ScramSha256(credentials),
            Mechanism::ScramSha512 => SaslConfig::ScramSha512(credentials),
        }
    }
}

/// What the URL says, before the TLS configuration is built.
#[derive(Debug, PartialEq)]
struct Settings {
    brokers: Vec<Broker>,
    tls: Option<Verification>,
    sasl: Option<Sasl>,
}

/// Any stream a broker connection runs over: TCP, or TLS over TCP.
trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

/// A connection that completed the ApiVersions negotiation (and SASL when configured).
pub struct Kept {
    messenger: Messenger<BufStream<Box<dyn Stream>>>,
    /// The bootstrap broker it leads to, to name hosts in messages.
    broker: Broker,
    /// Whether a Metadata request succeeded on it already.
    answered: bool,
}

impl KafkaCheck {
    /// A check of `bootstrap_servers` (`h1:9092,h2:9092` or a `kafka://` URL).
    pub fn new(bootstrap_servers: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(Kafka::new(bootstrap_servers)?))
    }
}

impl Kafka {
    /// `"h1:9092,h2:9092"`, or `kafka://` / `kafkas://` with SASL/TLS options in the query.
    fn new(bootstrap_servers: &str) -> Result<Self, ConfigError> {
        let settings = parse(bootstrap_servers)?;
        Ok(Self {
            brokers: settings.brokers,
            tls: settings.tls.map(tls::client_config),
            sasl: settings.sasl,
        })
    }

    /// Connects to every bootstrap broker at once and keeps the first that completes the
    /// handshake; when none does, reports their failures.
    async fn first_broker(&self) -> Result<Kept, CheckError> {
        let mut attempts: FuturesUnordered<_> = self
            .brokers
            .iter()
            .enumerate()
            .map(|(i, broker)| async move { (i, self.open(broker).await) })
            .collect();
        let mut failures = Vec::new();
        while let Some((i, attempt)) = attempts.next().await {
            match attempt {
                Ok(kept) => return Ok(kept),
                Err(e) => failures.push((i, e)),
            }
        }
        failures.sort_by_key(|(i, _)| *i);
        Err(self.combine(failures))
    }

    /// One failure per broker, in the order they were given, into one message: the cause alone
    /// when all brokers failed alike (`Connection refused`), else each cause with its broker.
    fn combine(&self, failures: Vec<(usize, CheckError)>) -> CheckError {
        let all_alike = failures.windows(2).all(|w| w[0].1 == w[1].1);
        let mut failures = failures.into_iter();
        let Some((first_index, first)) = failures.next() else {
            return CheckError::Service("no bootstrap broker given".into());
        };
        if all_alike {
            return first;
        }
        let mut text = format!("{first} ({})", self.brokers[first_index]);
        for (i, e) in failures {
            text.push_str(&format!("; {e} ({})", self.brokers[i]));
        }
        CheckError::Service(text)
    }

    async fn open(&self, broker: &Broker) -> Result<Kept, CheckError> {
        let tcp = tcp::connect(&broker.host, broker.port).await?;
        // Requests are single small frames: waiting to coalesce them only adds latency.
        let _ = tcp.set_nodelay(true);
        let stream: Box<dyn Stream> = match &self.tls {
            None => Box::new(tcp),
            Some(config) => {
                let stream = tls::handshake(tcp, &broker.host, Arc::clone(config)).await?;
                Box::new(stream)
            }
        };
        let mut messenger = Messenger::new(
            BufStream::new(stream),
            MAX_MESSAGE_SIZE,
            Arc::from(CLIENT_ID),
        );
        messenger
            .sync_versions()
            .await
            .map_err(|e| versions_failure(&e, &broker.host))?;
        if let Some(sasl) = &self.sasl {
            messenger
                .do_sasl(sasl.config())
                .await
                .map_err(|e| sasl_failure(&e, sasl, &broker.host))?;
        }
        Ok(Kept {
            messenger,
            broker: broker.clone(),
            answered: false,
        })
    }

    async fn metadata(&self, mut kept: Kept) -> Result<Kept, CheckError> {
        let request = MetadataRequest {
            // No topic: the answer lists the brokers only (the cheapest Metadata request).
            topics: Some(Vec::new()),
            allow_auto_topic_creation: None,
        };
        let answer = match kept.messenger.request(request).await {
            Ok(answer) => answer,
            Err(e) => {
                let cause = request_failure(&e, &kept.broker.host);
                // A broker whose listener requires SASL answers ApiVersions, then drops the
                // connection at the first other request from an unauthenticated client.
                if cause == CheckError::ConnectionReset && !kept.answered && self.sasl.is_none() {
                    return Err(CheckError::Service(
                        "Connection reset by peer after the handshake (does the broker require SASL authentication?)".into(),
                    ));
                }
                return Err(cause);
            }
        };
        if answer.brokers.is_empty() {
            return Err(CheckError::Service(
                "the broker answered Metadata with no broker listed".into(),
            ));
        }
        kept.answered = true;
        Ok(kept)
    }
}

/// Parses the bootstrap servers string or URL.
fn parse(text: &str) -> Result<Settings, ConfigError> {
    let problem = |p: String| ConfigError::new("kafka", p);
    let text = text.trim();
    if text.is_empty() {
        return Err(problem("no bootstrap servers given".into()));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        if text.contains('@') {
            // Never echoed: the part before `@` may be a password.
            return Err(problem(
                "credentials need the URL form kafka://user:password@host:9092".into(),
            ));
        }
        return Ok(Settings {
            brokers: brokers(text)?,
            tls: None,
            sasl: None,
        });
    };
    let tls = match scheme.to_ascii_lowercase().as_str() {
        "kafka" => false,
        "kafkas" => true,
        other => {
            return Err(problem(format!(
                "unsupported URL scheme \"{other}\" (expected kafka:// or kafkas://)"
            )))
        }
    };
    if rest.contains('#') {
        return Err(problem(
            "invalid URL: a fragment (#...) is not allowed".into(),
        ));
    }
    let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = location.split_once('/').unwrap_or((location, ""));
    if !path.is_empty() {
        return Err(problem(
            "invalid URL: expected kafka://host:9092[,host:9092][?options] with no path".into(),
        ));
    }
    let (userinfo, hosts) = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => (Some(userinfo), hosts),
        None => (None, authority),
    };
    let brokers = brokers(hosts)?;
    let (mut user, mut password) = (None, None);
    if let Some(userinfo) = userinfo {
        let (u, p) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        user = Some(decode(u, "the user name")?);
        password = p.map(|p| decode(p, "the password")).transpose()?;
    }
    let mut mechanism = None;
    let mut verify = true;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key, "an option name")?;
        let value = decode(value, "an option value")?;
        match key.as_str() {
            "sasl_mechanism" | "sasl.mechanism" => {
                mechanism = Some(Mechanism::parse(&value).ok_or_else(|| {
                    problem(format!(
                        "invalid sasl_mechanism \"{value}\" (expected PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)"
                    ))
                })?);
            }
            "sasl_username" | "sasl.username" => {
                if user.is_some() {
                    return Err(problem(
                        "the user name is given twice (URL and sasl_username)".into(),
                    ));
                }
                user = Some(value);
            }
            "sasl_password" | "sasl.password" => {
                if password.is_some() {
                    return Err(problem(
                        "the password is given twice (URL and sasl_password)".into(),
                    ));
                }
                password = Some(value);
            }
            "tls_verify" => {
                verify = match value.to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" => false,
                    _ => {
                        return Err(problem(format!(
                            "invalid tls_verify \"{value}\" (expected true or false)"
                        )))
                    }
                };
                if !tls {
                    return Err(problem("tls_verify applies to kafkas:// URLs only".into()));
                }
            }
            other => {
                return Err(problem(format!(
                    "unknown option \"{other}\" (expected {OPTIONS})"
                )))
            }
        }
    }
    let sasl = match (user, password) {
        (None, None) => {
            if let Some(mechanism) = mechanism {
                return Err(problem(format!(
                    "sasl_mechanism {} needs a user name and a password (kafka://user:password@host:9092)",
                    mechanism.name()
                )));
            }
            None
        }
        (Some(user), Some(password)) if !user.is_empty() => Some(Sasl {
            mechanism: mechanism.unwrap_or(Mechanism::Plain),
            user,
            password,
        }),
        (Some(user), None) if !user.is_empty() => {
            return Err(problem(format!("SASL user \"{user}\" has no password")))
        }
        _ => return Err(problem("a SASL password needs a user name".into())),
    };
    let tls = tls.then_some(if verify {
        Verification::Full
    } else {
        Verification::None
    });
    Ok(Settings { brokers, tls, sasl })
}

/// Percent-decodes one URL component; the error names the component, never its text.
fn decode(text: &str, what: &str) -> Result<String, ConfigError> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ConfigError::new("kafka", format!("{what} is not valid UTF-8 once decoded")))
}

/// `h1:9092,h2,[::1]:9093` → broker addresses.
fn brokers(list: &str) -> Result<Vec<Broker>, ConfigError> {
    let problem = |p: String| ConfigError::new("kafka", p);
    let mut out = Vec::new();
    for entry in list.split(',').map(str::trim) {
        if entry.is_empty() {
            return Err(problem(
                "empty broker address in the list (expected host:9092[,host:9092])".into(),
            ));
        }
        let invalid = || {
            problem(format!(
                "invalid broker address \"{entry}\" (expected host:port)"
            ))
        };
        let (host, port) = if let Some(inner) = entry.strip_prefix('[') {
            let (addr, after) = inner.split_once(']').ok_or_else(invalid)?;
            addr.parse::<std::net::Ipv6Addr>().map_err(|_| invalid())?;
            match after {
                "" => (addr, None),
                _ => (addr, Some(after.strip_prefix(':').ok_or_else(invalid)?)),
            }
        } else if entry.parse::<std::net::Ipv6Addr>().is_ok() {
            (entry, None)
        } else {
            let (host, port) = match entry.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (entry, None),
            };
            if host.is_empty() || host.contains(['/', '@', ' ', '[', ']']) {
                return Err(invalid());
            }
            (host, port)
        };
        let port = match port {
            None => DEFAULT_PORT,
            Some(p) => match p.parse::<u16>() {
                Ok(p) if p > 0 => p,
                _ => return Err(invalid()),
            },
        };
        out.push(Broker {
            host: host.to_string(),
            port,
        });
    }
    Ok(out)
}

/// A peer that answered something other than Kafka frames.
fn not_kafka() -> CheckError {
    CheckError::Service("unexpected answer: not a Kafka broker".into())
}

fn request_failure(err: &RequestError, host: &str) -> CheckError {
    match err {
        RequestError::Poisoned(inner) => request_failure(inner, host),
        RequestError::IO(e)
        | RequestError::ReadFramedMessageError(ReadError::IO(e))
        | RequestError::WriteMessageError(WriteError::IO(e)) => CheckError::from_io(e, host),
        RequestError::ReadFramedMessageError(_)
        | RequestError::ReadError(_)
        | RequestError::ReadVersionedError(_)
        | RequestError::TooMuchData { .. } => not_kafka(),
        RequestError::NoVersionMatch { api_key } => CheckError::Service(format!(
            "the broker supports no version of the {api_key:?} request this check speaks"
        )),
        other => CheckError::Service(format!("Kafka protocol error: {other}")),
    }
}

fn versions_failure(err: &SyncVersionsError, host: &str) -> CheckError {
    match err {
        SyncVersionsError::RequestError(e) => request_failure(e, host),
        SyncVersionsError::NoWorkingVersion | SyncVersionsError::FlippedVersionRange { .. } => {
            not_kafka()
        }
        other => CheckError::Service(format!("Kafka protocol error: {other}")),
    }
}

fn sasl_failure(err: &SaslError, sasl: &Sasl, host: &str) -> CheckError {
    let mechanism = sasl.mechanism.name();
    let refused = || CheckError::AuthenticationFailed {
        user: Some(sasl.user.clone()),
    };
    match err {
        SaslError::RequestError(e) => match request_failure(e, host) {
            // Some brokers drop the connection instead of answering that a mechanism is off.
            CheckError::ConnectionReset => CheckError::Service(format!(
                "Connection reset by peer during SASL {mechanism} authentication (is the mechanism enabled on the broker?)"
            )),
            other => other,
        },
        SaslError::ApiError(ApiError::SaslAuthenticationFailed) => refused(),
        SaslError::ApiError(ApiError::UnsupportedSaslMechanism)
        | SaslError::UnsupportedSaslMechanism => CheckError::Service(format!(
            "SASL mechanism {mechanism} is not enabled on the broker"
        )),
        SaslError::ApiError(ApiError::IllegalSaslState) => {
            CheckError::Service("the broker refused the SASL handshake (illegal SASL state)".into())
        }
        SaslError::ApiError(other) => CheckError::Service(format!("SASL error: {other}")),
        SaslError::SaslSessionError(session) => {
            // A SCRAM broker states its verdict in the last message (`e=unknown-user`,
            // `e=invalid-proof`). rsasl reports it as a mechanism error whose type is not public
            // API: its text is the only handle on it.
            let text = session.to_string();
            match text.split_once("SCRAM outcome error: ") {
                Some((_, "unknown user" | "invalid proof")) => refused(),
                Some((_, reason)) => CheckError::Service(format!(
                    "the broker refused SASL {mechanism} authentication: {reason}"
                )),
                None => CheckError::Service(format!("SASL {mechanism} error: {text}")),
            }
        }
        // The remaining errors (configuration, callbacks) carry no credentials.
        other => CheckError::Service(format!("SASL {mechanism} error: {other}")),
    }
}

impl Protocol for Kafka {
    type Session = Kept;

    fn kind(&self) -> &'static str {
        "kafka"
    }

    async fn connect(&self, _timeout: Duration) -> Result<Kept, CheckError> {
        self.first_broker().await
    }

    async fn round_trip(&self, kept: Kept, _timeout: Duration) -> Result<Kept, CheckError> {
        self.metadata(kept).await
    }

    fn secrets(&self) -> Vec<String> {
        self.sasl.iter().map(|s| s.password.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Check as _;

    fn settings(text: &str) -> Settings {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn problem(text: &str) -> String {
        match parse(text) {
            Ok(s) => panic!("{text} accepted as {s:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn broker(host: &str, port: u16) -> Broker {
        Broker {
            host: host.into(),
            port,
        }
    }

    #[test]
    fn bootstrap_lists() {
        assert_eq!(
            settings("h1:9092,h2:9093").brokers,
            vec![broker("h1", 9092), broker("h2", 9093)]
        );
        assert_eq!(settings(" kafka ").brokers, vec![broker("kafka", 9092)]);
        assert_eq!(
            settings("[::1]:9094, ::1 ,[fe80::1]").brokers,
            vec![
                broker("::1", 9094),
                broker("::1", 9092),
                broker("fe80::1", 9092)
            ]
        );
        let plain = settings("127.0.0.1:9092");
        assert_eq!((plain.tls, plain.sasl), (None, None));
        assert_eq!(broker("::1", 9092).to_string(), "[::1]:9092");
    }

    #[test]
    fn urls_with_sasl_and_tls() {
        let s = settings("kafka://app:p%40ss%3Aw%2Frd@h1:9092,h2:9092");
        assert_eq!(s.brokers.len(), 2);
        assert_eq!(s.tls, None);
        assert_eq!(
            s.sasl,
            Some(Sasl {
                mechanism: Mechanism::Plain,
                user: "app".into(),
                password: "p@ss:w/rd".into(),
            })
        );
        let s = settings("KAFKAS://app:pw@broker:9093/?sasl_mechanism=scram-sha-512");
        assert_eq!(s.tls, Some(Verification::Full));
        assert_eq!(s.sasl.map(|s| s.mechanism), Some(Mechanism::ScramSha512));
        let s = settings(
            "kafkas://broker?sasl.mechanism=SCRAM_SHA_256&sasl_username=app&sasl_password=a%26b&tls_verify=false",
        );
        assert_eq!(s.tls, Some(Verification::None));
        assert_eq!(
            s.sasl,
            Some(Sasl {
                mechanism: Mechanism::ScramSha256,
                user: "app".into(),
                password: "a&b".into(),
            })
        );
        assert_eq!(settings("kafka://h1").brokers, vec![broker("h1", 9092)]);
    }

    #[test]
    fn unusable_configurations_name_the_problem_without_secrets() {
        for (text, expected) in [
            ("", "no bootstrap servers given"),
            ("http://h:9092", "unsupported URL scheme \"http\""),
            ("h1:9092,,h2:9092", "empty broker address"),
            ("h1:notaport", "invalid broker address \"h1:notaport\""),
            ("h1:0", "invalid broker address"),
            ("[::1", "invalid broker address"),
            ("kafka://h1:9092/topic", "no path"),
            (
                "kafka://h1?sasl_mechanism=GSSAPI",
                "invalid sasl_mechanism \"GSSAPI\"",
            ),
            (
                "kafka://h1?sasl_mechanism=PLAIN",
                "needs a user name and a password",
            ),
            ("kafka://app@h1", "SASL user \"app\" has no password"),
            ("kafka://:secret-pw@h1", "a SASL password needs a user name"),
            ("kafka://h1?tls_verify=false", "kafkas:// URLs only"),
            ("kafkas://h1?tls_verify=maybe", "invalid tls_verify"),
            ("kafka://h1?acks=all", "unknown option \"acks\""),
            ("kafka://a:b@h1?sasl_password=secret-pw", "given twice"),
        ] {
            let err = problem(text);
            assert!(err.starts_with("check \"kafka\": "), "{err}");
            assert!(err.contains(expected), "{text}: {err}");
            assert!(!err.contains("secret-pw"), "{err}");
        }
        let err = problem("app:secret-pw@h1:9092");
        assert!(err.contains("kafka://user:password@host"), "{err}");
        assert!(!err.contains("secret-pw"), "{err}");
    }

    #[test]
    fn the_password_is_a_secret() {
        let check = KafkaCheck::new("kafka://app:s%40cret@h1:9092").expect("valid");
        assert_eq!(check.secrets(), vec!["s@cret".to_string()]);
        assert!(KafkaCheck::new("h1:9092")
            .expect("valid")
            .secrets()
            .is_empty());
    }

    #[test]
    fn failures_of_several_brokers_are_combined() {
        let check = KafkaCheck::new("h1:9092,h2:9092").expect("valid");
        let alike = vec![
            (0, CheckError::ConnectionRefused),
            (1, CheckError::ConnectionRefused),
        ];
        assert_eq!(
            check.protocol().combine(alike),
            CheckError::ConnectionRefused
        );
        let mixed = vec![
            (0, CheckError::ConnectionRefused),
            (1, CheckError::NameResolution { host: "h2".into() }),
        ];
        assert_eq!(
            check.protocol().combine(mixed).to_string(),
            "Connection refused (h1:9092); name resolution failed for \"h2\" (h2:9092)"
        );
    }
}
