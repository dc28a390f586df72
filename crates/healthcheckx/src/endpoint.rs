//! One validator for the host and port of every URL form, applied after each check's parser: the
//! drivers' own parsers accept a port of 0 (nothing can listen there) and hosts such as `[:::1]`
//! that can only fail later, at every run, with a message about DNS instead of the typo.

use std::net::Ipv6Addr;

use crate::error::ConfigError;

/// Checks a TCP endpoint: see [`validate_host`] and [`validate_port`] (`None`: the driver's
/// default port). The error names the check `kind` and the bad part, never the rest of the URL.
pub(crate) fn validate(kind: &str, host: &str, port: Option<u16>) -> Result<(), ConfigError> {
    validate_host(kind, host)?;
    port.map_or(Ok(()), |port| validate_port(kind, port))
}

/// A port from 1 to 65535.
pub(crate) fn validate_port(kind: &str, port: u16) -> Result<(), ConfigError> {
    if port == 0 {
        return Err(ConfigError::new(
            kind,
            "port must be between 1 and 65535 (got 0)",
        ));
    }
    Ok(())
}

/// A host that is a name, an IPv4 address or a valid IPv6 address (with or without brackets,
/// with an optional `%zone`).
pub(crate) fn validate_host(kind: &str, host: &str) -> Result<(), ConfigError> {
    let problem = |p: String| ConfigError::new(kind, p);
    let host = host.trim();
    if host.is_empty() {
        return Err(problem("the URL names no host".into()));
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if bare.contains(':') {
        let address = bare
            .split_once('%')
            .map_or(bare, |(address, _zone)| address);
        if address.parse::<Ipv6Addr>().is_err() {
            return Err(problem(format!(
                "invalid IPv6 address \"{}\"",
                printable(bare)
            )));
        }
    } else if bare.contains(['[', ']', '/', '@', '?', '#', ' '])
        || bare.chars().any(char::is_control)
    {
        return Err(problem(format!("invalid host \"{}\"", printable(bare))));
    }
    Ok(())
}

/// A host as it may be quoted in a message: short, and without control characters.
fn printable(host: &str) -> String {
    let mut text: String = host
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(64)
        .collect();
    if host.chars().count() > 64 {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(host: &str, port: Option<u16>) -> String {
        match validate("redis", host, port) {
            Ok(()) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn good_endpoints_pass() {
        for host in [
            "localhost",
            "db.internal",
            "127.0.0.1",
            "::1",
            "[::1]",
            "[fe80::1%eth0]",
            "2001:db8::8:800:200c:417a",
        ] {
            assert_eq!(problem(host, Some(6379)), "", "{host}");
        }
        assert_eq!(problem("h", None), "");
        assert_eq!(problem("h", Some(65535)), "");
    }

    #[test]
    fn bad_endpoints_are_named() {
        assert_eq!(
            problem("h", Some(0)),
            "check \"redis\": port must be between 1 and 65535 (got 0)"
        );
        assert_eq!(
            problem("", Some(1)),
            "check \"redis\": the URL names no host"
        );
        assert_eq!(
            problem("[:::1]", None),
            "check \"redis\": invalid IPv6 address \":::1\""
        );
        assert!(problem("[1:2:3:4:5:6:7:8:9]", None).contains("invalid IPv6 address"));
        assert!(problem("a b", None).contains("invalid host"));
        assert!(problem("h\0", None).contains("invalid host \"h?\""));
    }
}
