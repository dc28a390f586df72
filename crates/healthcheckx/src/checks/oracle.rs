//! Oracle: login and `SELECT 1 FROM DUAL` through a pure-Rust thin driver, over a kept
//! connection.
//!
//! # Why `oracle-rs`
//!
//! Two crates speak Oracle's network protocol (TNS/TTC) without the Instant Client:
//!
//! - `oracledb` (Oracle's own port of python-oracledb's thin mode) is the more complete driver,
//!   but it is **blocking**: it would run on `spawn_blocking`, and only the TCP connect has a
//!   timeout before login (the call timeout can be set once connected). A listener that accepts
//!   and never answers would keep one thread per run reading forever: the piling-up of abandoned
//!   work that a health check must not do. It is also a beta release and needs Rust 1.89.
//! - `oracle-rs` is **async on Tokio**: the engine's deadline drops the future, which closes the
//!   socket at once, whatever phase (connect, TNS negotiation, authentication, query) hangs. It
//!   uses rustls with the aws-lc-rs provider, the TLS stack of every other check.
//!
//! The deadline is what a health check cannot do without, so this check uses `oracle-rs`.
//!
//! # Connect strings
//!
//! - `oracle://user:pass@host:1521/SERVICE` (percent-encoded credentials; SQLAlchemy's
//!   `oracle+oracledb://`, `oracle+cx_oracle://` too, with `?service_name=` or `?sid=` as an
//!   alternative to the path);
//! - EZConnect with credentials: `user/pass@host:1521/service`, `user/pass@//host/service`,
//!   `user/pass@tcps://host:2484/service` (TLS), `user/pass@host:1521:SID` (the old SID form);
//! - a connect descriptor: `user/pass@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=1521))
//!   (CONNECT_DATA=(SERVICE_NAME=s)))`; `PROTOCOL=TCPS` means TLS, `SID=` is read too, and of an
//!   `ADDRESS_LIST` the first address is checked.

use std::time::Duration;

use oracle_rs::{Config, Connection, Error as OraError};

use crate::error::{CheckError, ConfigError};
use crate::keeper::{Keeper, Protocol};
use crate::target;

/// ORA- and TNS- error numbers that have their own message.
const INVALID_CREDENTIALS: u32 = 1017;
const ACCOUNT_LOCKED: u32 = 28000;
const UNKNOWN_SERVICE: u32 = 12514;
const UNKNOWN_SID: u32 = 12505;

const DEFAULT_PORT: u16 = 1521;

/// Logs in and runs `SELECT 1 FROM DUAL`; see the module documentation for the accepted forms.
pub type OracleCheck = Keeper<Oracle>;

/// The settings of a [`OracleCheck`]: what [`Keeper`] needs to open a session and make a round trip.
pub struct Oracle {
    target: Target,
}

/// How the database is named to the listener.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Database {
    Service(String),
    Sid(String),
}

/// What the check connects to; messages may name all of it but the password.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    host: String,
    port: u16,
    database: Database,
    tls: bool,
    user: String,
    password: String,
}

impl OracleCheck {
    /// An Oracle check of `dsn`.
    pub fn new(dsn: &str) -> Result<Self, ConfigError> {
        Ok(Keeper::keep(Oracle::new(dsn)?))
    }
}

impl Oracle {
    /// An Oracle check of `dsn`.
    fn new(dsn: &str) -> Result<Self, ConfigError> {
        let target = parse(dsn)?;
        crate::endpoint::validate("oracle", &target.host, Some(target.port))?;
        Ok(Self { target })
    }

    fn config(&self, timeout: Duration) -> Result<Config, CheckError> {
        let t = &self.target;
        // The driver joins host and port with a colon to connect: an IPv6 address needs its
        // brackets there.
        let host = if t.host.contains(':') {
            format!("[{}]", t.host)
        } else {
            t.host.clone()
        };
        let config = match &t.database {
            Database::Service(name) => Config::new(host, t.port, name, &t.user, &t.password),
            Database::Sid(sid) => Config::with_sid(host, t.port, sid, &t.user, &t.password),
        }
        .connect_timeout(timeout);
        if t.tls {
            return config
                .with_tls()
                .map_err(|e| CheckError::Tls(format!("cannot set up TLS: {e}")));
        }
        Ok(config)
    }

    async fn open(&self, timeout: Duration) -> Result<Connection, CheckError> {
        let config = self.config(timeout)?;
        Connection::connect_with_config(config)
            .await
            .map_err(|e| self.describe(&e))
    }

    fn describe(&self, err: &OraError) -> CheckError {
        let t = &self.target;
        let database = || match &t.database {
            Database::Service(name) => CheckError::NotFound {
                kind: "service",
                name: name.clone(),
            },
            Database::Sid(sid) => CheckError::NotFound {
                kind: "SID",
                name: sid.clone(),
            },
        };
        let code = |code: &u32| -> CheckError {
            match *code {
                INVALID_CREDENTIALS => CheckError::AuthenticationFailed {
                    user: Some(t.user.clone()),
                },
                ACCOUNT_LOCKED => {
                    CheckError::Service(format!("the account of user \"{}\" is locked", t.user))
                }
                UNKNOWN_SERVICE | UNKNOWN_SID => database(),
                other => CheckError::Service(format!("ORA-{other:05}")),
            }
        };
        match err {
            OraError::Io(io) => CheckError::from_io(io, &t.host),
            OraError::InvalidCredentials | OraError::AuthenticationFailed(_) => {
                CheckError::AuthenticationFailed {
                    user: Some(t.user.clone()),
                }
            }
            OraError::InvalidServiceName { .. } | OraError::InvalidSid { .. } => database(),
            OraError::OracleError { code: n, message } | OraError::ServerError { code: n, message } => {
                match code(n) {
                    // The server's own words after the number (its first line is kept).
                    CheckError::Service(text) if text.starts_with("ORA-") && !message.is_empty() => {
                        CheckError::Service(format!("{text}: {}", message.trim()))
                    }
                    other => other,
                }
            }
            OraError::ConnectionRefused {
                error_code: Some(n),
                ..
            } => match code(n) {
                CheckError::Service(_) => {
                    CheckError::Service(format!("the listener refused the connection (TNS-{n:05})"))
                }
                other => other,
            },
            OraError::ConnectionRefused { .. } => {
                CheckError::Service("the listener refused the connection".into())
            }
            OraError::ConnectionClosed => CheckError::ConnectionReset,
            OraError::ConnectionTimeout(after) => CheckError::Timeout(*after),
            OraError::NativeNetworkEncryptionRequired => CheckError::Service(
                "the server requires native network encryption, which the thin driver lacks: use TLS (TCPS)"
                    .into(),
            ),
            other => CheckError::Service(format!("Oracle error: {other}")),
        }
    }
}

/// Parses every accepted form; errors name the problem, never the password.
fn parse(dsn: &str) -> Result<Target, ConfigError> {
    let problem = |p: String| ConfigError::new("oracle", p);
    let dsn = dsn.trim();
    if dsn.is_empty() {
        return Err(problem("the DSN is empty".into()));
    }
    if dsn.starts_with('(') {
        return Err(problem(
            "the connect descriptor names no user: write user/password@(DESCRIPTION=...)".into(),
        ));
    }
    // A URL has its `scheme://` before any `@`; EZConnect can have one after (`@tcps://`).
    if let Some((scheme, _)) = dsn.split_once("://") {
        if !scheme.contains('@') {
            let scheme = scheme.to_ascii_lowercase();
            if scheme == "oracle" || scheme.starts_with("oracle+") {
                return parse_url(dsn);
            }
            return Err(problem(format!(
                "unsupported URL scheme \"{scheme}\" (expected oracle://)"
            )));
        }
    }
    // EZConnect: user/password@identifier. The identifier has no `@`, the password may.
    let Some((credentials, identifier)) = dsn.rsplit_once('@') else {
        return Err(problem(
            "invalid Oracle DSN: expected oracle://user:password@host:1521/service or user/password@host:1521/service"
                .into(),
        ));
    };
    let Some((user, password)) = credentials.split_once('/') else {
        return Err(problem(
            "invalid Oracle DSN: expected user/password@ before the address".into(),
        ));
    };
    let unquote = |s: &str| {
        s.strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(s)
            .to_string()
    };
    let (user, password) = (unquote(user), unquote(password));
    if user.is_empty() {
        return Err(problem("the DSN names no user".into()));
    }
    let identifier = identifier.trim();
    let (host, port, database, tls) = if identifier.starts_with('(') {
        parse_descriptor(identifier).map_err(problem)?
    } else {
        parse_ezconnect(identifier).map_err(problem)?
    };
    Ok(Target {
        host,
        port,
        database,
        tls,
        user,
        password,
    })
}

/// `oracle://user:pass@host:port/service[?service_name=...|sid=...]`.
fn parse_url(dsn: &str) -> Result<Target, ConfigError> {
    const FORM: &str = "oracle://user:password@host:1521/service";
    let problem = |p: String| ConfigError::new("oracle", p);
    let mut parts = target::parse_url("oracle", dsn, &["oracle", "oracle+"], ("Oracle URL", FORM))?;
    let user = parts
        .user
        .ok_or_else(|| problem(format!("the URL names no user ({FORM})")))?;
    let service = parts.options.take("service_name");
    let sid = parts.options.take("sid");
    parts.options.finish("service_name or sid")?;
    let database = match (service, sid) {
        (Some(service), _) => Database::Service(service),
        (None, Some(sid)) => Database::Sid(sid),
        (None, None) if !parts.path.is_empty() => Database::Service(parts.path),
        (None, None) => return Err(problem(format!("the URL names no service ({FORM})"))),
    };
    Ok(Target {
        host: parts.host,
        port: parts.port.unwrap_or(DEFAULT_PORT),
        database,
        tls: false,
        user,
        password: parts
            .password
            .map(|p| p.expose().to_string())
            .unwrap_or_default(),
    })
}

/// `[//]host[:port]/service`, `tcps://host:port/service`, `host:port:SID`.
fn parse_ezconnect(text: &str) -> Result<(String, u16, Database, bool), String> {
    let expected = || "invalid address: expected host:1521/service".to_string();
    let (tls, rest) = match text.split_once("://") {
        Some((protocol, rest)) => match protocol.to_ascii_lowercase().as_str() {
            "tcp" => (false, rest),
            "tcps" => (true, rest),
            other => {
                return Err(format!(
                    "unsupported protocol \"{other}\" (expected tcp or tcps)"
                ))
            }
        },
        None => (false, text.trim_start_matches("//")),
    };
    // Options after `?` (EZConnect Plus) are not read.
    let rest = rest.split('?').next().unwrap_or(rest);
    let (address, database) = match rest.split_once('/') {
        Some((address, service)) => {
            // `/service:server_type/instance` — only the service name is read.
            let service = service.split([':', '/']).next().unwrap_or(service);
            if service.is_empty() {
                return Err("the address names no service".into());
            }
            (address, Some(Database::Service(service.to_string())))
        }
        None => (rest, None),
    };
    let (host, port, database) = match (address.strip_prefix('['), database) {
        (Some(v6), database) => {
            let (host, after) = v6.split_once(']').ok_or_else(expected)?;
            let port = match after.strip_prefix(':') {
                Some(port) => parse_port(port)?,
                None if after.is_empty() => DEFAULT_PORT,
                None => return Err(expected()),
            };
            (host.to_string(), port, database.ok_or_else(expected)?)
        }
        (None, Some(database)) => match address.split_once(':') {
            Some((host, port)) => (host.to_string(), parse_port(port)?, database),
            None => (address.to_string(), DEFAULT_PORT, database),
        },
        // No `/service`: the old `host:port:SID` form, or nothing usable.
        (None, None) => {
            let mut parts = address.splitn(3, ':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(host), Some(port), Some(sid)) if !sid.is_empty() => (
                    host.to_string(),
                    parse_port(port)?,
                    Database::Sid(sid.to_string()),
                ),
                _ => return Err("the address names no service: expected host:1521/service".into()),
            }
        }
    };
    if host.is_empty() || host.contains(['(', ')', ' ']) {
        return Err(expected());
    }
    Ok((host, port, database, tls))
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| "invalid port: expected a number between 1 and 65535".to_string())
}

/// A parenthesised `(KEY=value)` tree of a connect descriptor.
#[derive(Debug)]
struct Node {
    key: String,
    value: String,
    children: Vec<Node>,
}

impl Node {
    /// The first node named `key` (without case) in this subtree, depth first.
    fn find(&self, key: &str) -> Option<&Node> {
        if self.key.eq_ignore_ascii_case(key) {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(key))
    }

    fn value_of(&self, key: &str) -> Option<&str> {
        self.find(key)
            .map(|n| n.value.trim())
            .filter(|v| !v.is_empty())
    }
}

/// Reads `(DESCRIPTION=...)`: the first address's protocol, host and port, and the service name
/// or SID of `CONNECT_DATA`.
fn parse_descriptor(text: &str) -> Result<(String, u16, Database, bool), String> {
    let mut chars = text.chars().peekable();
    let root = parse_node(&mut chars, 0)?;
    if chars.any(|c| !c.is_whitespace()) {
        return Err("invalid connect descriptor: text after its closing parenthesis".into());
    }
    if !root.key.eq_ignore_ascii_case("DESCRIPTION") {
        return Err(format!(
            "invalid connect descriptor: expected (DESCRIPTION=...), not ({}=...)",
            root.key
        ));
    }
    let address = root
        .find("ADDRESS")
        .ok_or("the connect descriptor has no (ADDRESS=...)")?;
    let host = address
        .value_of("HOST")
        .ok_or("the connect descriptor's address has no HOST")?
        .to_string();
    let port = match address.value_of("PORT") {
        Some(port) => parse_port(port)?,
        None => DEFAULT_PORT,
    };
    let tls = match address.value_of("PROTOCOL").map(str::to_ascii_uppercase) {
        None => false,
        Some(p) if p == "TCP" => false,
        Some(p) if p == "TCPS" => true,
        Some(other) => {
            return Err(format!(
                "unsupported protocol \"{other}\" in the connect descriptor (expected TCP or TCPS)"
            ))
        }
    };
    let data = root
        .find("CONNECT_DATA")
        .ok_or("the connect descriptor has no (CONNECT_DATA=...)")?;
    let database = match (data.value_of("SERVICE_NAME"), data.value_of("SID")) {
        (Some(service), _) => Database::Service(service.to_string()),
        (None, Some(sid)) => Database::Sid(sid.to_string()),
        (None, None) => {
            return Err("the connect descriptor names no SERVICE_NAME or SID".into());
        }
    };
    Ok((host, port, database, tls))
}

/// How deep a connect descriptor may nest. Real ones nest five levels
/// (`DESCRIPTION_LIST/DESCRIPTION/ADDRESS_LIST/ADDRESS/HOST`); the limit keeps the recursive
/// parser (and the recursive drop of its tree) far from the end of the stack, whatever the input.
const MAX_DESCRIPTOR_DEPTH: usize = 32;

/// `(KEY=value)` or `(KEY=(...)(...))`, the opening parenthesis next, `depth` levels down.
fn parse_node(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    depth: usize,
) -> Result<Node, String> {
    if depth >= MAX_DESCRIPTOR_DEPTH {
        return Err(format!(
            "invalid connect descriptor: nested deeper than {MAX_DESCRIPTOR_DEPTH} levels"
        ));
    }
    let unbalanced = || "invalid connect descriptor: unbalanced parentheses".to_string();
    while chars.next_if(|c| c.is_whitespace()).is_some() {}
    if chars.next() != Some('(') {
        return Err(unbalanced());
    }
    let mut key = String::new();
    while let Some(c) = chars.next_if(|c| *c != '=' && *c != ')' && *c != '(') {
        key.push(c);
    }
    let key = key.trim().to_string();
    if key.is_empty() || chars.next() != Some('=') {
        return Err("invalid connect descriptor: expected (KEY=value)".into());
    }
    let mut value = String::new();
    let mut children = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.peek() {
            Some('(') => children.push(parse_node(chars, depth + 1)?),
            Some(')') => {
                chars.next();
                break;
            }
            Some(_) if children.is_empty() => {
                while let Some(c) = chars.next_if(|c| *c != ')' && *c != '(') {
                    value.push(c);
                }
            }
            _ => return Err(unbalanced()),
        }
    }
    Ok(Node {
        key,
        value,
        children,
    })
}

impl Protocol for Oracle {
    type Session = Connection;

    fn kind(&self) -> &'static str {
        "oracle"
    }

    fn default_timeout(&self) -> Duration {
        Duration::from_secs(3)
    }

    async fn connect(&self, timeout: Duration) -> Result<Connection, CheckError> {
        self.open(timeout).await
    }

    async fn round_trip(
        &self,
        conn: Connection,
        _timeout: Duration,
    ) -> Result<Connection, CheckError> {
        let result = conn
            .query("SELECT 1 FROM DUAL", &[])
            .await
            .map_err(|e| self.describe(&e))?;
        if result.rows.is_empty() {
            return Err(CheckError::Service(
                "SELECT 1 FROM DUAL returned no row".into(),
            ));
        }
        Ok(conn)
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.target.password.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Check as _;

    fn target(dsn: &str) -> Target {
        match parse(dsn) {
            Ok(target) => target,
            Err(e) => panic!("{dsn}: {e}"),
        }
    }

    fn error(dsn: &str) -> String {
        parse(dsn).err().map(|e| e.to_string()).unwrap_or_default()
    }

    fn service(name: &str) -> Database {
        Database::Service(name.into())
    }

    #[test]
    fn url_form() {
        let t = target("oracle://hcx:p%40ss%3Aw%2Frd@db.internal:1522/ORCLPDB1");
        assert_eq!((t.host.as_str(), t.port), ("db.internal", 1522));
        assert_eq!((t.user.as_str(), t.password.as_str()), ("hcx", "p@ss:w/rd"));
        assert_eq!(t.database, service("ORCLPDB1"));
        assert!(!t.tls);
        assert_eq!(target("oracle://u:p@h/XE").port, 1521);
        let t = target("oracle+oracledb://u:p@h:1521/?service_name=FREEPDB1");
        assert_eq!(t.database, service("FREEPDB1"));
        let t = target("oracle://u:p@h:1521?sid=ORCL");
        assert_eq!(t.database, Database::Sid("ORCL".into()));
    }

    #[test]
    fn ezconnect_forms() {
        let t = target("scott/tiger@db.example.com:1521/sales.example.com");
        assert_eq!((t.user.as_str(), t.password.as_str()), ("scott", "tiger"));
        assert_eq!((t.host.as_str(), t.port), ("db.example.com", 1521));
        assert_eq!(t.database, service("sales.example.com"));
        let t = target("scott/tiger@//db:1600/svc");
        assert_eq!((t.host.as_str(), t.port), ("db", 1600));
        assert_eq!(target("scott/tiger@db/svc").port, 1521);
        let t = target("scott/p@ss@db:1521/svc");
        assert_eq!(t.password, "p@ss");
        let t = target("scott/\"p/w\"@db:1521/svc");
        assert_eq!(t.password, "p/w");
        let t = target("scott/tiger@tcps://db:2484/svc");
        assert!(t.tls);
        assert_eq!(t.port, 2484);
        let t = target("scott/tiger@db:1521:ORCL");
        assert_eq!(t.database, Database::Sid("ORCL".into()));
        let t = target("scott/tiger@[::1]:1521/svc");
        assert_eq!((t.host.as_str(), t.port), ("::1", 1521));
        let t = target("scott/tiger@db:1521/svc:dedicated/inst1");
        assert_eq!(t.database, service("svc"));
    }

    #[test]
    fn connect_descriptors() {
        let t = target(
            "app/secret@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db1.internal)(PORT=1531))\
             (CONNECT_DATA=(SERVER=DEDICATED)(SERVICE_NAME=orclpdb1)))",
        );
        assert_eq!(
            (t.host.as_str(), t.port, t.tls),
            ("db1.internal", 1531, false)
        );
        assert_eq!(t.database, service("orclpdb1"));
        let t = target(
            "app/secret@( description = (address_list = \
               (address = (protocol = tcps)(host = a.example)(port = 2484)) \
               (address = (protocol = tcp)(host = b.example)(port = 1521))) \
             (connect_data = (sid = ORCL)) )",
        );
        assert_eq!((t.host.as_str(), t.port, t.tls), ("a.example", 2484, true));
        assert_eq!(t.database, Database::Sid("ORCL".into()));
        let t =
            target("app/secret@(DESCRIPTION=(ADDRESS=(HOST=h))(CONNECT_DATA=(SERVICE_NAME=s)))");
        assert_eq!(t.port, 1521);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("app/secret@(DESCRIPTION={}", "(A=".repeat(100_000));
        assert!(error(&deep).contains("nested deeper than 32 levels"));
        let deep_closed = format!(
            "app/secret@(DESCRIPTION={}x{})",
            "(A=".repeat(40),
            ")".repeat(40)
        );
        assert!(error(&deep_closed).contains("nested deeper"));
    }

    #[test]
    fn bad_dsns_are_rejected_without_secrets() {
        for (dsn, expected) in [
            (
                "app/hunter2@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521))",
                "unbalanced",
            ),
            (
                "app/hunter2@(DESCRIPTION=(ADDRESS=(HOST=h)))",
                "no (CONNECT_DATA",
            ),
            (
                "app/hunter2@(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=s)))",
                "no (ADDRESS",
            ),
            (
                "app/hunter2@(DESCRIPTION=(ADDRESS=(PORT=1))(CONNECT_DATA=(SID=x)))",
                "no HOST",
            ),
            (
                "app/hunter2@(DESCRIPTION=(ADDRESS=(PROTOCOL=IPC)(HOST=h))(CONNECT_DATA=(SID=x)))",
                "unsupported protocol \"IPC\"",
            ),
            (
                "app/hunter2@(ADDRESS=(HOST=h))",
                "expected (DESCRIPTION=...)",
            ),
            (
                "(DESCRIPTION=(ADDRESS=(HOST=h))(CONNECT_DATA=(SID=x)))",
                "names no user",
            ),
            ("app/hunter2@h:99999/svc", "invalid port"),
            ("app/hunter2@h:1521", "names no service"),
            ("oracle://app:hunter2@h:1521", "names no service"),
            (
                "oracle://app:hunter2@h/s?mode=sysdba",
                "unknown option \"mode\"",
            ),
            (
                "mysql://app:hunter2@h/db",
                "unsupported URL scheme \"mysql\"",
            ),
            ("oracle://h:1521/s", "names no user"),
            ("app@h:1521/s", "expected user/password@"),
            ("", "empty"),
        ] {
            let err = error(dsn);
            assert!(err.contains(expected), "{dsn}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
            assert!(err.starts_with("check \"oracle\": "), "{err}");
        }
    }

    #[test]
    fn the_password_is_a_secret() {
        let check = OracleCheck::new("scott/s3cret@localhost:1521/XE").expect("valid");
        assert_eq!(check.secrets(), vec!["s3cret".to_string()]);
    }
}
