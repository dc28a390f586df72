//! One parser for `scheme://user:password@host:port/path?options` URLs: the scheme checked, the
//! host and port validated, credentials and path percent-decoded once, the password kept as a
//! [`Secret`], and options read with one notion of true and false, unknown ones refused by name.
//! Errors name the check and the problem, never the password.

use std::fmt;

use percent_encoding::percent_decode_str;

use crate::endpoint;
use crate::error::ConfigError;

/// A password: printed as `***` by `Debug`, with no `Display`, so that it cannot end up in a
/// message by accident; [`Secret::expose`] hands it to the driver.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    /// The password itself, for the driver's login.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A URL's parts, decoded.
#[derive(Debug)]
pub(crate) struct UrlParts {
    /// The host, without the brackets of an IPv6 address.
    pub(crate) host: String,
    pub(crate) port: Option<u16>,
    /// The user name; `None` when the URL has none (or an empty one).
    pub(crate) user: Option<String>,
    pub(crate) password: Option<Secret>,
    /// The path without its leading `/` (a database, a vhost, a service name).
    pub(crate) path: String,
    pub(crate) options: Options,
}

/// Checks that `url` has one of the `schemes` (without case; `mssql+` admits `mssql+pyodbc`) and
/// returns it in lower case; the error shows the expected `form`, never the URL.
pub(crate) fn require_scheme(
    kind: &'static str,
    url: &str,
    schemes: &[&str],
    form: &str,
) -> Result<String, ConfigError> {
    let Some((scheme, _)) = url.split_once("://") else {
        return Err(ConfigError::new(
            kind,
            format!("invalid URL: expected {form}"),
        ));
    };
    let scheme = scheme.to_ascii_lowercase();
    // An entry ending in `+` admits the dialect spellings of other tools (`mssql+pyodbc`).
    let admitted = |allowed: &&str| match allowed.strip_suffix('+') {
        Some(family) => scheme
            .strip_prefix(family)
            .is_some_and(|r| r.starts_with('+')),
        None => scheme == *allowed,
    };
    if schemes.iter().any(admitted) {
        return Ok(scheme);
    }
    let expected: Vec<String> = schemes
        .iter()
        .filter(|s| !s.ends_with('+'))
        .map(|s| format!("{s}://"))
        .collect();
    Err(ConfigError::new(
        kind,
        format!(
            "unsupported URL scheme \"{scheme}\" (expected {})",
            expected.join(" or ")
        ),
    ))
}

/// Parses `url` for a check of `kind`, whose URLs (a `noun` such as "SQL Server URL") look like
/// `form` and use one of `schemes`.
pub(crate) fn parse_url(
    kind: &'static str,
    url: &str,
    schemes: &[&str],
    (noun, form): (&str, &str),
) -> Result<UrlParts, ConfigError> {
    let problem = |p: String| ConfigError::new(kind, p);
    let url = url.trim();
    if url.is_empty() {
        return Err(problem(format!("the {noun} is empty")));
    }
    require_scheme(kind, url, schemes, form)?;
    // The parser's own message never quotes the input, so it may be shown.
    let parsed = url::Url::parse(url).map_err(|e| problem(format!("invalid {noun}: {e}")))?;
    let host = match parsed.host() {
        Some(url::Host::Ipv6(address)) => address.to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    if host.is_empty() {
        return Err(problem(format!("the URL names no host (expected {form})")));
    }
    endpoint::validate(kind, &host, parsed.port())?;
    let decode = |what: &str, text: &str| {
        percent_decode_str(text)
            .decode_utf8()
            .map(|decoded| decoded.into_owned())
            .map_err(|_| problem(format!("the {what} is not valid UTF-8 once decoded")))
    };
    let user = Some(decode("user name", parsed.username())?).filter(|u| !u.is_empty());
    let password = match parsed.password() {
        Some(password) => Some(Secret(decode("password", password)?)),
        None => None,
    };
    let path = decode("path", parsed.path().trim_start_matches('/'))?;
    let options = Options {
        kind,
        pairs: parsed
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    };
    Ok(UrlParts {
        host,
        port: parsed.port(),
        user,
        password,
        path,
        options,
    })
}

/// A URL's query options, taken one by one; whatever is left is refused by [`Options::finish`].
#[derive(Debug)]
pub(crate) struct Options {
    kind: &'static str,
    pairs: Vec<(String, String)>,
}

/// `trust_server_certificate`, `TrustServerCertificate` and `trust-server-certificate` are one
/// option: without case, `_` or `-`.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Options {
    /// The last value of option `name` (also spelled with other case, `_` or `-`), removed.
    pub(crate) fn take(&mut self, name: &str) -> Option<String> {
        let wanted = normalized(name);
        let mut found = None;
        self.pairs.retain(|(key, value)| {
            if normalized(key) == wanted {
                found = Some(value.clone());
                false
            } else {
                true
            }
        });
        found
    }

    /// A yes/no option: `true`, `yes`, `on`, `1` or `false`, `no`, `off`, `0` (without case).
    pub(crate) fn flag(&mut self, name: &str) -> Result<Option<bool>, ConfigError> {
        match self.take(name) {
            None => Ok(None),
            Some(value) => parse_flag(&value).map(Some).ok_or_else(|| {
                ConfigError::new(
                    self.kind,
                    format!("invalid {name} \"{value}\" (expected true or false)"),
                )
            }),
        }
    }

    /// Refuses any option not taken, naming it and the `expected` ones.
    pub(crate) fn finish(self, expected: &str) -> Result<(), ConfigError> {
        match self.pairs.first() {
            None => Ok(()),
            Some((key, _)) => Err(ConfigError::new(
                self.kind,
                format!("unknown option \"{key}\" (expected {expected})"),
            )),
        }
    }
}

/// One notion of true and false for every option of every check.
pub(crate) fn parse_flag(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Some(true),
        "false" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = "x://user:password@host:1/path";

    fn parse(url: &str) -> Result<UrlParts, String> {
        parse_url("x", url, &["x", "xs"], ("URL", FORM)).map_err(|e| e.to_string())
    }

    #[test]
    fn parts_are_decoded_once() {
        let parts = parse("XS://app%40corp:p%40ss%3Aw%2Frd@[::1]:5/shop%2Fmain?a=1&B_c=yes")
            .expect("valid");
        assert_eq!(parts.host, "::1");
        assert_eq!(parts.port, Some(5));
        assert_eq!(parts.user.as_deref(), Some("app@corp"));
        assert_eq!(
            parts.password.as_ref().map(Secret::expose),
            Some("p@ss:w/rd")
        );
        assert_eq!(format!("{:?}", parts.password), "Some(Secret(***))");
        assert_eq!(parts.path, "shop/main");
        let mut options = parts.options;
        assert_eq!(options.flag("b-c"), Ok(Some(true)));
        assert_eq!(
            options.finish("b_c").map_err(|e| e.to_string()),
            Err("check \"x\": unknown option \"a\" (expected b_c)".to_string())
        );
    }

    #[test]
    fn errors_name_the_problem_never_the_password() {
        for (url, want) in [
            ("", "the URL is empty"),
            (
                "y://u:hunter22@h",
                "unsupported URL scheme \"y\" (expected x:// or xs://)",
            ),
            (
                "u:hunter22@h",
                "invalid URL: expected x://user:password@host:1/path",
            ),
            ("x://u:hunter22@h:0/", "port must be between 1 and 65535"),
            ("x://u:hunter22@/db", "empty host"),
            ("x:///db", "the URL names no host"),
            (
                "x://u:hunter22%ff@h/db",
                "the password is not valid UTF-8 once decoded",
            ),
            (
                "x://u:hunter22@h:99999/db",
                "invalid URL: invalid port number",
            ),
        ] {
            let err = parse(url).err().unwrap_or_default();
            assert!(err.contains(want), "{url}: {err}");
            assert!(!err.contains("hunter22"), "{url}: {err}");
        }
        let mut options = parse("x://h/?tls=maybe").expect("valid").options;
        assert_eq!(
            options.flag("tls").map_err(|e| e.to_string()),
            Err("check \"x\": invalid tls \"maybe\" (expected true or false)".to_string())
        );
    }

    #[test]
    fn one_notion_of_true_and_false() {
        for yes in ["true", "TRUE", "yes", "on", "1"] {
            assert_eq!(parse_flag(yes), Some(true), "{yes}");
        }
        for no in ["false", "No", "off", "0"] {
            assert_eq!(parse_flag(no), Some(false), "{no}");
        }
        assert_eq!(parse_flag("2"), None);
    }
}
