//! Typed errors. Their `Display` is the one-line message users see: cause first, and never a
//! password or a whole connection string (messages are built from typed parts, not from driver
//! text that may embed the URL).

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

/// Why a check failed. `Display` gives the message reported in the result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// Nothing listens on the port.
    #[error("Connection refused")]
    ConnectionRefused,
    /// The peer closed or reset the connection.
    #[error("Connection reset by peer")]
    ConnectionReset,
    /// No route to the host or network.
    #[error("host unreachable")]
    HostUnreachable,
    /// The deadline expired.
    #[error("timed out after {}", format_seconds(*.0))]
    Timeout(Duration),
    /// DNS could not resolve the host.
    #[error("name resolution failed for \"{host}\"")]
    NameResolution {
        /// The host name that did not resolve.
        host: String,
    },
    /// The service refused the credentials.
    #[error("authentication failed{}", user.as_ref().map(|u| format!(" for user \"{u}\"")).unwrap_or_default())]
    AuthenticationFailed {
        /// The user name, when one was given.
        user: Option<String>,
    },
    /// A named object (database, vhost, file) does not exist.
    #[error("{kind} \"{name}\" does not exist")]
    NotFound {
        /// What is missing: `database`, `vhost`, `file`...
        kind: &'static str,
        /// Its name.
        name: String,
    },
    /// TLS handshake or certificate failure.
    #[error("TLS error: {0}")]
    Tls(String),
    /// An HTTP answer with another status than expected.
    #[error("unexpected HTTP status {got} (expected {expected})")]
    UnexpectedStatus {
        /// The status the check expects.
        expected: u16,
        /// The status the server sent.
        got: u16,
    },
    /// Any other I/O failure.
    #[error("{0}")]
    Io(String),
    /// The service answered with an error, or broke the protocol.
    #[error("{0}")]
    Service(String),
    /// A failure reported by a custom check itself.
    #[error("{0}")]
    Reported(String),
}

impl CheckError {
    /// Maps an I/O error to the cause a person can act on. `host` names the target for DNS failures.
    pub fn from_io(err: &io::Error, host: &str) -> Self {
        match err.kind() {
            io::ErrorKind::ConnectionRefused => CheckError::ConnectionRefused,
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof => CheckError::ConnectionReset,
            io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                CheckError::HostUnreachable
            }
            io::ErrorKind::NotFound => CheckError::Io("No such file or directory".into()),
            io::ErrorKind::PermissionDenied => CheckError::Io("Permission denied".into()),
            _ if is_dns_failure(&err.to_string()) => CheckError::NameResolution {
                host: host.to_string(),
            },
            _ => CheckError::Io(strip_os_error(&err.to_string())),
        }
    }

    /// Looks through an error's `source()` chain for an I/O error or a DNS failure. Drivers wrap
    /// the socket error in their own types; the innermost cause is what users need to see.
    pub fn find_io(err: &(dyn StdError + 'static), host: &str) -> Option<Self> {
        let mut current: Option<&(dyn StdError + 'static)> = Some(err);
        while let Some(e) = current {
            if let Some(io_err) = e.downcast_ref::<io::Error>() {
                if let Some(inner) = io_err.get_ref() {
                    if let Some(found) = Self::find_io(inner, host) {
                        return Some(found);
                    }
                }
                return Some(Self::from_io(io_err, host));
            }
            let text = e.to_string();
            if is_dns_failure(&text) {
                return Some(CheckError::NameResolution {
                    host: host.to_string(),
                });
            }
            // Some drivers keep the I/O error behind an `Arc<dyn Error>`, which hides its type
            // from `downcast_ref`; its text still carries the OS message.
            if text.contains("Connection refused") {
                return Some(CheckError::ConnectionRefused);
            }
            if text.contains("Connection reset") || text.contains("Broken pipe") {
                return Some(CheckError::ConnectionReset);
            }
            current = e.source();
        }
        None
    }
}

/// Recognises resolver failures by their text: std and tokio report them as untyped I/O errors.
pub(crate) fn is_dns_failure(text: &str) -> bool {
    const MARKERS: [&str; 5] = [
        "failed to lookup address",
        "Name or service not known",
        "nodename nor servname",
        "No address associated with hostname",
        "Temporary failure in name resolution",
    ];
    MARKERS.iter().any(|m| text.contains(m))
}

/// `Connection refused (os error 111)` → `Connection refused`.
pub(crate) fn strip_os_error(text: &str) -> String {
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text.to_string(),
    }
}

/// Formats a deadline like `2.0s`, `0.5s`, `0.25s`.
pub fn format_seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    let tenths = secs * 10.0;
    if (tenths - tenths.round()).abs() < 1e-9 {
        format!("{secs:.1}s")
    } else {
        let text = format!("{secs:.3}");
        format!("{}s", text.trim_end_matches('0'))
    }
}

/// A configuration the check cannot use: raised at registration (Python `ValueError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    check: String,
    problem: String,
}

impl ConfigError {
    /// A problem with the configuration of the check of kind `check` (e.g. `redis`).
    pub fn new(check: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            check: check.into(),
            problem: problem.into(),
        }
    }

    /// Replaces the check kind with the name the check is registered under.
    pub fn for_check(mut self, name: &str) -> Self {
        self.check = name.to_string();
        self
    }

    /// The problem alone, without the check name.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "check \"{}\": {}", self.check, self.problem)
    }
}

impl StdError for ConfigError {}

/// Where Python's `str.splitlines()` (and terminals, and log viewers) see a line end.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Characters that change how text is shown rather than what it says: C0/C1 controls (ESC starts
/// colour and cursor sequences) and the bidirectional overrides.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Turns any text into what a message may be: its first line, secrets (and their
/// percent-encoded forms) replaced by `***`, other control characters shown escaped (`\x1b`), at
/// most 300 bytes. Every result's message passes through here, whatever made it (driver text, a
/// server's error string, a custom check), so a log line or a terminal gets one printable line.
pub(crate) fn sanitize(message: &str, secrets: &[String]) -> String {
    let first_line = message.split(is_line_break).next().unwrap_or("").trim();
    let mut text = String::with_capacity(first_line.len());
    for c in first_line.chars() {
        match c {
            '\t' => text.push(' '),
            c if is_invisible(c) && (c as u32) < 0x100 => {
                text.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_invisible(c) => text.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => text.push(c),
        }
    }
    // Messages are built without secrets in the first place; this scrub is the last line of
    // defence against driver text. A very short secret would match inside ordinary words
    // (`hcx` → `hc***` for the password `x`), so only secrets of a useful length are scrubbed.
    const MIN_SCRUBBED: usize = 4;
    for secret in secrets.iter().filter(|s| s.chars().count() >= MIN_SCRUBBED) {
        text = text.replace(secret.as_str(), "***");
        let encoded =
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        text = text.replace(&encoded, "***");
    }
    const MAX: usize = 300;
    if text.len() > MAX {
        let mut cut = MAX;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_formatted_like_the_spec() {
        assert_eq!(format_seconds(Duration::from_secs(2)), "2.0s");
        assert_eq!(format_seconds(Duration::from_millis(500)), "0.5s");
        assert_eq!(format_seconds(Duration::from_millis(250)), "0.25s");
        assert_eq!(
            CheckError::Timeout(Duration::from_millis(1500)).to_string(),
            "timed out after 1.5s"
        );
    }

    #[test]
    fn io_errors_name_the_cause() {
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(
            CheckError::from_io(&refused, "h").to_string(),
            "Connection refused"
        );
        let dns =
            io::Error::other("failed to lookup address information: Name or service not known");
        assert_eq!(
            CheckError::from_io(&dns, "db").to_string(),
            "name resolution failed for \"db\""
        );
    }

    #[test]
    fn auth_message_names_the_user() {
        let e = CheckError::AuthenticationFailed {
            user: Some("app".into()),
        };
        assert_eq!(e.to_string(), "authentication failed for user \"app\"");
    }

    #[test]
    fn sanitize_hides_secrets_and_extra_lines() {
        let secrets = vec!["p@ss:w/rd".to_string()];
        let text = sanitize("bad p@ss:w/rd and p%40ss%3Aw%2Frd\nsecond line", &secrets);
        assert_eq!(text, "bad *** and ***");
    }

    #[test]
    fn sanitize_leaves_one_printable_line() {
        for (raw, want) in [
            ("ERR bad\rforged line", "ERR bad"),
            ("ERR bad\u{0b}forged", "ERR bad"),
            ("ERR bad\u{2028}forged", "ERR bad"),
            ("ERR bad\u{85}forged", "ERR bad"),
            ("ERR \u{1b}[31mred\u{1b}[0m", "ERR \\x1b[31mred\\x1b[0m"),
            ("tab\there", "tab here"),
            ("rtl \u{202e}txt", "rtl \\u{202e}txt"),
            ("nul\0byte", "nul\\x00byte"),
        ] {
            let text = sanitize(raw, &[]);
            assert_eq!(text, want, "{raw:?}");
            assert!(!text.chars().any(|c| c.is_control() || is_line_break(c)));
        }
        let long = sanitize(&"\u{1b}".repeat(1000), &[]);
        assert!(long.len() <= 303, "capped: {}", long.len());
    }
}
