//! The configuration file (`healthcheckx.toml`): named checks with their URL, timeout,
//! criticality and tags; `${VAR}` and `${VAR:-default}` taken from the environment.
//!
//! ```toml
//! timeout = "3s"                 # default deadline of every check (seconds, or "500ms", "1m")
//!
//! [checks.database]
//! url = "postgresql://${DB_USER}:${DB_PASSWORD}@${DB_HOST:-localhost}:5432/${DB_NAME:-app}"
//! timeout = 5
//! tags = ["ready", "startup"]
//!
//! [checks.cache]
//! url = "${REDIS_URL:-redis://localhost:6379/0}"
//! critical = false               # failing: degraded, not unhealthy
//! ```
//!
//! Every error names the file, line and column and the reason, never a value read from the
//! file or the environment (a URL holds a password).

use std::ops::Range;
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::duration;
use crate::target::{Origin, Target};

/// A problem in the file, at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// Where, as a byte offset into the file's text.
    pub offset: usize,
    /// Why, in one line without any value from the file.
    pub reason: String,
}

impl FileError {
    fn at(offset: usize, reason: impl Into<String>) -> Self {
        Self {
            offset,
            reason: reason.into(),
        }
    }

    /// `path:line:column: reason`.
    pub fn render(&self, path: &str, text: &str) -> String {
        let (line, column) = line_column(text, self.offset);
        format!("{path}:{line}:{column}: {}", self.reason)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    timeout: Option<Spanned<Seconds>>,
    #[serde(default)]
    checks: IndexMap<String, Spanned<RawCheck>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    url: Spanned<String>,
    timeout: Option<Spanned<Seconds>>,
    critical: Option<bool>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Seconds {
    Number(f64),
    Text(String),
}

/// Reads the checks of a configuration file's `text`, looking variables up with `env`.
pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Vec<Target>, FileError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        FileError::at(offset, redact(e.message().trim()))
    })?;
    let default_timeout = match &raw.timeout {
        Some(t) => Some(timeout(text, t, env)?),
        None => None,
    };
    if raw.checks.is_empty() {
        return Err(FileError::at(
            text.len(),
            "no checks: add one as [checks.NAME] with url = \"...\"",
        ));
    }
    let mut targets = Vec::with_capacity(raw.checks.len());
    for (name, check) in &raw.checks {
        let at = check.span().start;
        let check = check.get_ref();
        crate::target::validate_name(name)
            .map_err(|reason| FileError::at(at, format!("check \"{name}\": {reason}")))?;
        let in_check = |e: FileError| FileError {
            offset: e.offset,
            reason: format!("check \"{name}\": {}", e.reason),
        };
        let url = expand_spanned(text, &check.url, env).map_err(in_check)?;
        if url.trim().is_empty() {
            return Err(in_check(FileError::at(
                check.url.span().start,
                "url is empty",
            )));
        }
        let timeout = match &check.timeout {
            Some(t) => Some(timeout(text, t, env).map_err(in_check)?),
            None => default_timeout,
        };
        let mut tags = Vec::with_capacity(check.tags.len());
        for tag in &check.tags {
            let value = expand_spanned(text, tag, env).map_err(in_check)?;
            if value.trim().is_empty() {
                return Err(in_check(FileError::at(tag.span().start, "empty tag")));
            }
            tags.push(value.trim().to_string());
        }
        targets.push(Target {
            name: Some(name.clone()),
            url,
            timeout,
            critical: check.critical.unwrap_or(true),
            tags,
            origin: Origin::File {
                offset: check.url.span().start,
            },
        });
    }
    Ok(targets)
}

fn timeout(
    text: &str,
    value: &Spanned<Seconds>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Duration, FileError> {
    let at = value.span().start;
    match value.get_ref() {
        Seconds::Number(n) => duration::seconds(*n).ok_or_else(|| {
            FileError::at(
                at,
                "timeout must be a positive number of seconds (at most a day)",
            )
        }),
        Seconds::Text(s) => {
            let expanded = expand_at(s, env, &value_offsets(text, value.span(), s))?;
            duration::parse(&expanded).map_err(|_| {
                FileError::at(
                    at,
                    "invalid timeout (expected e.g. 2, 2.5, \"500ms\", \"3s\", \"1m\")",
                )
            })
        }
    }
}

fn expand_spanned(
    text: &str,
    value: &Spanned<String>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, FileError> {
    let raw = value.get_ref();
    expand_at(raw, env, &value_offsets(text, value.span(), raw))
}

/// Maps an offset in a string value to an offset in the file: exact when the value is written
/// as it reads (no escapes), else the start of the value.
fn value_offsets(text: &str, span: Range<usize>, value: &str) -> Offsets {
    let inner = text
        .get(span.start + 1..span.end.saturating_sub(1))
        .filter(|inner| *inner == value);
    Offsets {
        start: span.start,
        exact: inner.is_some(),
    }
}

struct Offsets {
    start: usize,
    exact: bool,
}

impl Offsets {
    fn of(&self, within: usize) -> usize {
        if self.exact {
            self.start + 1 + within
        } else {
            self.start
        }
    }
}

fn expand_at(
    value: &str,
    env: &dyn Fn(&str) -> Option<String>,
    offsets: &Offsets,
) -> Result<String, FileError> {
    expand(value, env).map_err(|e| FileError::at(offsets.of(e.offset), e.reason))
}

/// Replaces `${NAME}` with the variable's value (an error when it is unset), `${NAME:-default}`
/// with its value or, when unset or empty, `default`; `$$` is a literal `$`. Any other `$` is
/// kept as written. `FileError::offset` is relative to `value`.
pub fn expand(value: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, FileError> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut consumed = 0;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let here = consumed + dollar;
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            consumed += dollar + 2;
            rest = tail;
            continue;
        }
        let Some(body_and_tail) = after.strip_prefix('{') else {
            out.push('$');
            consumed += dollar + 1;
            rest = after;
            continue;
        };
        let Some(close) = body_and_tail.find('}') else {
            return Err(FileError::at(
                here,
                "unterminated ${ (expected ${NAME} or ${NAME:-default})",
            ));
        };
        let body = &body_and_tail[..close];
        let (name, default) = match body.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (body, None),
        };
        if !valid_variable(name) {
            return Err(FileError::at(
                here,
                "invalid variable reference (expected ${NAME} or ${NAME:-default}, NAME of letters, digits and _)",
            ));
        }
        match (env(name).filter(|v| !v.is_empty() || default.is_none()), default) {
            (Some(found), _) => out.push_str(&found),
            (None, Some(default)) => out.push_str(default),
            (None, None) => {
                return Err(FileError::at(
                    here,
                    format!("environment variable {name} is not set (write ${{{name}:-default}} for a default)"),
                ))
            }
        }
        let used = dollar + 2 + close + 1;
        consumed += used;
        rest = &rest[used..];
    }
    out.push_str(rest);
    Ok(out)
}

fn valid_variable(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Serde's messages quote the value of a wrong type (`invalid type: string "hunter2"`): the value
/// is left out, a secret may have been written in the wrong place.
fn redact(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    for kind in ["string \"", "string `"] {
        if let Some(start) = first.find(kind) {
            let quote = if kind.ends_with('"') { '"' } else { '`' };
            let after = &first[start + kind.len()..];
            let end = after.rfind(quote).map_or(after.len(), |e| e + 1);
            return format!("{}string{}", &first[..start], &after[end..]);
        }
    }
    first.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "DB_USER" => Some("app".into()),
            "DB_PASSWORD" => Some("s3cr$t:pw".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    fn render(text: &str) -> String {
        match parse(text, &env) {
            Ok(targets) => format!("ok {}", targets.len()),
            Err(e) => e.render("hc.toml", text),
        }
    }

    #[test]
    fn expands_variables_and_defaults() {
        let got = expand(
            "postgresql://${DB_USER}:${DB_PASSWORD}@${DB_HOST:-localhost}/db",
            &env,
        );
        assert_eq!(got, Ok("postgresql://app:s3cr$t:pw@localhost/db".into()));
        assert_eq!(expand("${EMPTY:-fallback}", &env), Ok("fallback".into()));
        assert_eq!(expand("${EMPTY}", &env), Ok(String::new()));
        assert_eq!(expand("${MISSING:-}", &env), Ok(String::new()));
        assert_eq!(
            expand("cost $$5 and $HOME stays", &env),
            Ok("cost $5 and $HOME stays".into())
        );
        assert_eq!(expand("${MISSING:-a:-b}", &env), Ok("a:-b".into()));
        assert_eq!(expand("no variables", &env), Ok("no variables".into()));
        assert_eq!(expand("trailing $", &env), Ok("trailing $".into()));
    }

    #[test]
    fn expansion_errors_say_where_and_why() {
        let err = expand("redis://${REDIS_HOST}:6379", &env).expect_err("an error");
        assert_eq!(err.offset, 8);
        assert!(
            err.reason.contains("REDIS_HOST is not set"),
            "{}",
            err.reason
        );
        let err = expand("x${oops", &env).expect_err("an error");
        assert_eq!(err.offset, 1);
        assert!(err.reason.contains("unterminated"));
        for bad in ["${}", "${1X}", "${A B}", "${A-b}"] {
            let err = expand(bad, &env).expect_err("an error");
            assert!(err.reason.contains("invalid variable reference"), "{bad}");
        }
    }

    #[test]
    fn reads_named_checks_in_order() {
        let text = r#"
timeout = "1.5s"

[checks.db]
url = "postgresql://${DB_USER}@127.0.0.1/db"
tags = ["ready", "startup"]

[checks.cache]
url = "redis://127.0.0.1:6379"
timeout = 3
critical = false
"#;
        let targets = parse(text, &env).expect("ok");
        assert_eq!(targets.len(), 2);
        assert_eq!(targets[0].name.as_deref(), Some("db"));
        assert_eq!(targets[0].url, "postgresql://app@127.0.0.1/db");
        assert_eq!(targets[0].timeout, Some(Duration::from_millis(1500)));
        assert!(targets[0].critical);
        assert_eq!(targets[0].tags, ["ready", "startup"]);
        assert_eq!(targets[1].name.as_deref(), Some("cache"));
        assert_eq!(targets[1].timeout, Some(Duration::from_secs(3)));
        assert!(!targets[1].critical);
        assert!(targets[1].tags.is_empty());
    }

    #[test]
    fn errors_name_line_and_column() {
        assert_eq!(
            render("[checks.db]\nurl = \"redis://${NOPE}\"\n"),
            "hc.toml:2:16: check \"db\": environment variable NOPE is not set (write ${NOPE:-default} for a default)"
        );
        let syntax = render("[checks.db]\nurl = \"redis://x\nmore = 1\n");
        assert!(syntax.starts_with("hc.toml:2:"), "{syntax}");
        let unknown = render("[checks.db]\nurl = \"redis://x\"\ntimout = 3\n");
        assert!(
            unknown.starts_with("hc.toml:3:1: unknown field `timout`"),
            "{unknown}"
        );
        let missing = render("[checks.db]\ntags = []\n");
        assert!(missing.contains("missing field `url`"), "{missing}");
        let bad_timeout = render("[checks.db]\nurl = \"redis://x\"\ntimeout = -1\n");
        assert!(
            bad_timeout.starts_with("hc.toml:3:11: check \"db\": timeout must be"),
            "{bad_timeout}"
        );
        let bad_text = render("[checks.db]\nurl = \"redis://x\"\ntimeout = \"soon\"\n");
        assert!(bad_text.contains("invalid timeout"), "{bad_text}");
        assert!(render("timeout = 2\n").contains("no checks"));
        let empty = render("[checks.db]\nurl = \"${EMPTY}\"\n");
        assert!(empty.contains("url is empty"), "{empty}");
    }

    #[test]
    fn wrong_types_never_echo_the_value() {
        let text = "[checks.db]\nurl = \"redis://x\"\ncritical = \"hunter22\"\n";
        let err = render(text);
        assert!(err.starts_with("hc.toml:3:12:"), "{err}");
        assert!(err.contains("invalid type"), "{err}");
        assert!(!err.contains("hunter22"), "{err}");
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 8), (3, 1));
        assert_eq!(line_column(text, 7), (2, 4));
    }
}
