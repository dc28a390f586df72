//! One renderer for every face (the Python adapters, the command's `serve`): a [`Report`] as the
//! guide's JSON (the default), `application/health+json`, Kubernetes-style text, Prometheus or
//! OpenMetrics text, or an HTML status page; and the content negotiation that picks one.
//!
//! ```
//! use healthcheckx::render::{negotiate, render, Format};
//! use healthcheckx::{CheckResult, Report, Status};
//! # use std::time::Duration;
//!
//! let report = Report::new(vec![CheckResult {
//!     name: "redis".into(),
//!     status: Status::Unhealthy,
//!     message: Some("Connection refused".into()),
//!     duration: Duration::from_millis(3),
//! }]);
//! let format = negotiate(Some("text/plain"), None).unwrap();
//! assert_eq!(format, Format::Text);
//! assert_eq!(
//!     render(&report, format, true),
//!     "[-]redis failed: Connection refused\nhealthz check failed\n"
//! );
//! // `?format=` wins over `Accept`; an unknown one is refused, an unmet `Accept` is not.
//! assert!(negotiate(None, Some("xml")).is_err());
//! assert_eq!(negotiate(Some("image/png"), None).unwrap(), Format::Json);
//! ```
//!
//! The exposition formats are written by hand rather than through the `prometheus-client` crate:
//! the metrics are a pure function of a report (no registry, no counters to keep: the engine's
//! state keeps them), and six families of text lines do not justify a registry and its
//! encoders.

use std::fmt::{self, Write as _};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::health::Report;
use crate::state::CheckState;
use crate::status::Status;

/// A body a report can be rendered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The guide's JSON: `{"status", "checks": [{"name", "status", "message"?, "duration_ms"}]}`.
    Json,
    /// `application/health+json` (draft-inadarei-api-health-check-06).
    HealthJson,
    /// Kubernetes-style text: `[+]redis ok`, `[-]database failed: <reason>`, then
    /// `healthz check passed` or `healthz check failed`.
    Text,
    /// A status page: no JavaScript, readable on a phone.
    Html,
    /// Prometheus text exposition format 0.0.4.
    Prometheus,
    /// OpenMetrics 1.0 text.
    OpenMetrics,
}

impl Format {
    /// Every format, in the order negotiation prefers them when an `Accept` header ranks several
    /// equally (so `*/*` gets the default, JSON).
    pub const ALL: [Format; 6] = [
        Format::Json,
        Format::HealthJson,
        Format::Text,
        Format::Html,
        Format::Prometheus,
        Format::OpenMetrics,
    ];

    /// The name `?format=` takes: `json`, `health+json`, `text`, `html`, `prometheus`,
    /// `openmetrics`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::HealthJson => "health+json",
            Format::Text => "text",
            Format::Html => "html",
            Format::Prometheus => "prometheus",
            Format::OpenMetrics => "openmetrics",
        }
    }

    /// The format of a `?format=` name, case-insensitive. `health json` is `health+json` as well
    /// (a query string decodes an unescaped `+` to a space).
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "health json" => Some(Format::HealthJson),
            _ => Format::ALL.into_iter().find(|f| f.name() == name),
        }
    }

    /// The `Content-Type` of the body.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::HealthJson => "application/health+json",
            Format::Text => "text/plain; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Prometheus => "text/plain; version=0.0.4; charset=utf-8",
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
        }
    }

    /// `json, health+json, text, html, prometheus, openmetrics`.
    pub fn names() -> String {
        Format::ALL.map(Format::name).join(", ")
    }

    /// How well a media range of an `Accept` header names this format: `None` when it does not,
    /// else its specificity (a higher one decides).
    fn matches(self, range: &MediaRange) -> Option<u8> {
        let (kind, subtypes): (&str, &[&str]) = match self {
            Format::Json => ("application", &["json"]),
            Format::HealthJson => ("application", &["health+json"]),
            Format::Text | Format::Prometheus => ("text", &["plain"]),
            Format::Html => ("text", &["html", "xhtml+xml"]),
            Format::OpenMetrics => ("application", &["openmetrics-text"]),
        };
        let html_as_xhtml = self == Format::Html && range.kind == "application";
        if range.kind == "*" {
            return Some(0);
        }
        if range.kind != kind && !html_as_xhtml {
            return None;
        }
        if range.subtype == "*" {
            return (!html_as_xhtml).then_some(1);
        }
        if !subtypes.contains(&range.subtype.as_str()) {
            return None;
        }
        // text/plain: `version=0.0.4` asks for Prometheus, its absence for the Kubernetes text.
        match (self, range.version.is_some()) {
            (Format::Prometheus, true) => Some(3),
            (Format::Text, true) => None,
            _ => Some(2),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `?format=` named no format we make: answered 406 with [`NotAcceptable`]'s text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAcceptable {
    /// What was asked for.
    pub asked: String,
}

impl fmt::Display for NotAcceptable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let asked: String = self
            .asked
            .chars()
            .take(40)
            .filter(|c| !c.is_control())
            .collect();
        write!(
            f,
            "unknown format {asked:?}: use one of {}",
            Format::names()
        )
    }
}

impl std::error::Error for NotAcceptable {}

struct MediaRange {
    kind: String,
    subtype: String,
    version: Option<String>,
    q: f32,
}

/// The media ranges of an `Accept` header; a range that cannot be read (no `/`, a bad `q`) is
/// left out.
fn media_ranges(accept: &str) -> Vec<MediaRange> {
    let mut ranges = Vec::new();
    'ranges: for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let Some((kind, subtype)) = media.split_once('/') else {
            continue;
        };
        if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
            continue;
        }
        let mut range = MediaRange {
            kind: kind.trim().to_string(),
            subtype: subtype.trim().to_string(),
            version: None,
            q: 1.0,
        };
        for param in parts {
            let Some((key, value)) = param.split_once('=') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim().trim_matches('"');
            if key == "q" {
                match value.parse::<f32>() {
                    Ok(q) if (0.0..=1.0).contains(&q) => range.q = q,
                    _ => continue 'ranges,
                }
            } else if key == "version" {
                range.version = Some(value.to_string());
            }
        }
        ranges.push(range);
    }
    ranges
}

/// The quality an `Accept` header gives `format`: that of its most specific matching range.
fn quality(ranges: &[MediaRange], format: Format) -> f32 {
    let mut best: Option<(u8, f32)> = None;
    for range in ranges {
        if let Some(specificity) = format.matches(range) {
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, range.q));
            }
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// The format an `Accept` header ranks highest among `candidates` (ties: the first candidate),
/// `None` when it accepts none of them.
pub fn preferred(accept: &str, candidates: &[Format]) -> Option<Format> {
    let ranges = media_ranges(accept);
    let mut best: Option<(Format, f32)> = None;
    for &format in candidates {
        let q = quality(&ranges, format);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((format, q));
        }
    }
    best.map(|(format, _)| format)
}

/// The format of a health endpoint's answer: `format` (the `?format=` parameter) when given
/// (an unknown one is [`NotAcceptable`]: answer 406), else the best of `accept` (with
/// q-values), else JSON. An `Accept` header naming nothing we make gets JSON, never a 406: a
/// probe or a load balancer must not read "not acceptable" as "down". An empty `format` counts
/// as none.
pub fn negotiate(accept: Option<&str>, format: Option<&str>) -> Result<Format, NotAcceptable> {
    if let Some(name) = format.filter(|f| !f.trim().is_empty()) {
        return Format::from_name(name).ok_or_else(|| NotAcceptable {
            asked: name.to_string(),
        });
    }
    Ok(accept
        .and_then(|accept| preferred(accept, &Format::ALL))
        .unwrap_or(Format::Json))
}

/// The format of a `/metrics` answer: OpenMetrics when `accept` ranks it above the Prometheus
/// text format (as Prometheus' scraper does), else the Prometheus text format.
pub fn negotiate_metrics(accept: Option<&str>) -> Format {
    accept
        .and_then(|accept| preferred(accept, &[Format::Prometheus, Format::OpenMetrics]))
        .unwrap_or(Format::Prometheus)
}

/// The HTTP status of a health endpoint: 503 when the report is unhealthy, else 200.
pub fn http_status(report: &Report) -> u16 {
    match report.status() {
        Status::Unhealthy => 503,
        Status::Healthy | Status::Degraded => 200,
    }
}

/// `report` as `format`. With `show_details` false, checks show their name and status only: no
/// message, no duration, no history (what a caller who may not see them gets).
pub fn render(report: &Report, format: Format, show_details: bool) -> String {
    match format {
        Format::Json => json(report, show_details),
        Format::HealthJson => health_json(report, show_details),
        Format::Text => text(report, show_details),
        Format::Html => html(report, show_details, SystemTime::now()),
        Format::Prometheus => metrics(report, show_details, false),
        Format::OpenMetrics => metrics(report, show_details, true),
    }
}

fn json_string(out: &mut String, text: &str) {
    match serde_json::to_string(text) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// Milliseconds rounded to two decimals, as the guide's body has always shown them: the same
/// number as Python's `round(duration_ms, 2)` (both round the exact binary value, ties to even).
fn json_ms(out: &mut String, duration: Duration) {
    let ms = duration.as_secs_f64() * 1000.0;
    let rounded = format!("{ms:.2}").parse::<f64>().unwrap_or(ms);
    match serde_json::Number::from_f64(rounded) {
        Some(number) => out.push_str(&number.to_string()),
        None => out.push_str("null"),
    }
}

fn json(report: &Report, details: bool) -> String {
    let mut out = String::with_capacity(64 + 80 * report.results.len());
    out.push_str("{\"status\": ");
    json_string(&mut out, report.status().as_str());
    out.push_str(", \"checks\": [");
    for (i, result) in report.results.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("{\"name\": ");
        json_string(&mut out, &result.name);
        out.push_str(", \"status\": ");
        json_string(&mut out, result.status.as_str());
        if details {
            if let Some(message) = result.message.as_deref().filter(|m| !m.is_empty()) {
                out.push_str(", \"message\": ");
                json_string(&mut out, message);
            }
            out.push_str(", \"duration_ms\": ");
            json_ms(&mut out, result.duration);
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}

fn draft_status(status: Status) -> &'static str {
    match status {
        Status::Healthy => "pass",
        Status::Degraded => "warn",
        Status::Unhealthy => "fail",
    }
}

/// The draft's `componentType` of a kind of check.
fn component_type(kind: &str) -> &'static str {
    match kind {
        "redis" | "keydb" | "postgresql" | "mysql" | "mongodb" | "sqlite" | "mssql" | "oracle"
        | "memcached" => "datastore",
        "disk" => "system",
        _ => "component",
    }
}

/// RFC 3339 in UTC, to the millisecond (`2026-12-03T08:40:00.123Z`).
pub fn rfc3339(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

fn health_json(report: &Report, details: bool) -> String {
    let mut out = String::with_capacity(64 + 160 * report.results.len());
    out.push_str("{\"status\": ");
    json_string(&mut out, draft_status(report.status()));
    if details {
        let failing: Vec<&str> = report
            .results
            .iter()
            .filter(|r| r.status != Status::Healthy)
            .map(|r| r.name.as_str())
            .collect();
        if !failing.is_empty() {
            out.push_str(", \"output\": ");
            json_string(&mut out, &format!("not healthy: {}", failing.join(", ")));
        }
    }
    out.push_str(", \"checks\": {");
    for (i, result) in report.results.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let state = report.states.get(i);
        json_string(&mut out, &format!("{}:responseTime", result.name));
        out.push_str(": [{\"componentType\": ");
        json_string(&mut out, component_type(state.map_or("check", |s| s.kind)));
        if details {
            out.push_str(", \"observedValue\": ");
            json_ms(&mut out, result.duration);
            out.push_str(", \"observedUnit\": \"ms\"");
        }
        out.push_str(", \"status\": ");
        json_string(&mut out, draft_status(result.status));
        out.push_str(", \"time\": ");
        let at = state
            .and_then(|s| s.history.last())
            .map_or(report.finished, |sample| sample.at);
        json_string(&mut out, &rfc3339(at));
        if details {
            if let Some(message) = &result.message {
                out.push_str(", \"output\": ");
                json_string(&mut out, message);
            }
        }
        out.push_str("}]");
    }
    out.push_str("}}");
    out
}

fn text(report: &Report, details: bool) -> String {
    let mut out = String::with_capacity(32 + 48 * report.results.len());
    for result in &report.results {
        let (sign, word) = match result.status {
            Status::Healthy => ('+', "ok"),
            Status::Degraded => ('+', "degraded"),
            Status::Unhealthy => ('-', "failed"),
        };
        let _ = write!(out, "[{sign}]{} {word}", one_line(&result.name));
        match (&result.message, details) {
            (Some(message), true) => {
                let _ = write!(out, ": {}", one_line(message));
            }
            (Some(_), false) if result.status == Status::Unhealthy => {
                out.push_str(": reason withheld");
            }
            _ => {}
        }
        out.push('\n');
    }
    let verdict = match report.status() {
        Status::Unhealthy => "failed",
        Status::Healthy | Status::Degraded => "passed",
    };
    let _ = writeln!(out, "healthz check {verdict}");
    out
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

// -- Prometheus / OpenMetrics ------------------------------------------------------------------

fn label_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn seconds(at: SystemTime) -> f64 {
    at.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
}

struct Family<'a> {
    name: &'a str,
    kind: &'a str,
    unit: Option<&'a str>,
    help: &'a str,
    /// The samples' name after the family's (a counter's `_total`).
    suffix: &'a str,
}

impl Family<'_> {
    fn header(&self, out: &mut String, open_metrics: bool) {
        let name = if open_metrics {
            self.name.to_string()
        } else {
            format!("{}{}", self.name, self.suffix)
        };
        let _ = writeln!(out, "# HELP {name} {}", self.help);
        let _ = writeln!(out, "# TYPE {name} {}", self.kind);
        if let (Some(unit), true) = (self.unit, open_metrics) {
            let _ = writeln!(out, "# UNIT {name} {unit}");
        }
    }

    fn sample(&self, out: &mut String, labels: &str, value: impl fmt::Display) {
        let _ = writeln!(out, "{}{}{labels} {value}", self.name, self.suffix);
    }
}

const UP: Family = Family {
    name: "healthcheckx_up",
    kind: "gauge",
    unit: None,
    help: "1 when no critical check fails (healthy or degraded), 0 when unhealthy.",
    suffix: "",
};
const CHECK_UP: Family = Family {
    name: "healthcheckx_check_up",
    kind: "gauge",
    unit: None,
    help: "1 when the check is healthy or degraded, 0 when unhealthy.",
    suffix: "",
};
const CHECK_STATUS: Family = Family {
    name: "healthcheckx_check_status",
    kind: "gauge",
    unit: None,
    help: "1 for the check's current status, 0 for the others.",
    suffix: "",
};
const CHECK_DURATION: Family = Family {
    name: "healthcheckx_check_duration_seconds",
    kind: "gauge",
    unit: Some("seconds"),
    help: "Wall time of the check's latest run.",
    suffix: "",
};
const CHECK_LAST_SUCCESS: Family = Family {
    name: "healthcheckx_check_last_success_timestamp_seconds",
    kind: "gauge",
    unit: Some("seconds"),
    help: "When the check last passed, in seconds since the Unix epoch.",
    suffix: "",
};
const CHECK_FAILURES: Family = Family {
    name: "healthcheckx_check_failures",
    kind: "counter",
    unit: None,
    help: "Failed runs of the check since the process started.",
    suffix: "_total",
};

fn metrics(report: &Report, details: bool, open_metrics: bool) -> String {
    let mut out = String::with_capacity(512 + 600 * report.results.len());
    let labels: Vec<String> = report
        .results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let tags = report
                .states
                .get(i)
                .map(|s| s.tags.join(","))
                .unwrap_or_default();
            format!(
                "check=\"{}\",tags=\"{}\"",
                label_value(&r.name),
                label_value(&tags)
            )
        })
        .collect();
    let up = |status: Status| u8::from(status != Status::Unhealthy);

    UP.header(&mut out, open_metrics);
    UP.sample(&mut out, "", up(report.status()));

    CHECK_UP.header(&mut out, open_metrics);
    for (result, labels) in report.results.iter().zip(&labels) {
        CHECK_UP.sample(&mut out, &format!("{{{labels}}}"), up(result.status));
    }

    CHECK_STATUS.header(&mut out, open_metrics);
    for (result, labels) in report.results.iter().zip(&labels) {
        for status in [Status::Healthy, Status::Degraded, Status::Unhealthy] {
            CHECK_STATUS.sample(
                &mut out,
                &format!("{{{labels},status=\"{status}\"}}"),
                u8::from(result.status == status),
            );
        }
    }

    if details {
        CHECK_DURATION.header(&mut out, open_metrics);
        for (result, labels) in report.results.iter().zip(&labels) {
            CHECK_DURATION.sample(
                &mut out,
                &format!("{{{labels}}}"),
                result.duration.as_secs_f64(),
            );
        }
    }

    let with_state: Vec<(&CheckState, &String)> =
        report.states.iter().zip(&labels).collect::<Vec<_>>();
    if !with_state.is_empty() {
        CHECK_LAST_SUCCESS.header(&mut out, open_metrics);
        for (state, labels) in &with_state {
            if let Some(at) = state.last_success {
                CHECK_LAST_SUCCESS.sample(&mut out, &format!("{{{labels}}}"), seconds(at));
            }
        }
        CHECK_FAILURES.header(&mut out, open_metrics);
        for (state, labels) in &with_state {
            CHECK_FAILURES.sample(&mut out, &format!("{{{labels}}}"), state.failures_total);
        }
    }
    if open_metrics {
        out.push_str("# EOF\n");
    }
    out
}

// -- HTML ----------------------------------------------------------------------------------------

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `42 s`, `3 min`, `2 h 5 min`, `3 d 4 h`.
pub fn human_duration(duration: Duration) -> String {
    let s = duration.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3_600 => format!("{} min", s / 60),
        3_600..86_400 => format!("{} h {} min", s / 3_600, s % 3_600 / 60),
        _ => format!("{} d {} h", s / 86_400, s % 86_400 / 3_600),
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;\
max-width:48rem;line-height:1.4;color:#1b1b1b;background:#fafafa}\
h1{font-size:1.5rem;margin:0 0 .25rem}p.when{margin:0 0 1rem;color:#555}\
ul{list-style:none;padding:0;margin:0}li{background:#fff;border:1px solid #ddd;\
border-left:.4rem solid #888;border-radius:.3rem;padding:.6rem .8rem;margin:0 0 .6rem}\
.healthy{border-left-color:#1a7f37}.degraded{border-left-color:#b58100}\
.unhealthy{border-left-color:#cf222e}.head{display:flex;flex-wrap:wrap;gap:.5rem;\
align-items:baseline;justify-content:space-between}.name{font-weight:600;\
overflow-wrap:anywhere}.status{font-weight:600;text-transform:uppercase;font-size:.85rem}\
li.healthy .status,h1.healthy{color:#1a7f37}li.degraded .status,h1.degraded{color:#8a6100}\
li.unhealthy .status,h1.unhealthy{color:#cf222e}.meta{color:#555;font-size:.9rem}\
.message{margin:.3rem 0 0;overflow-wrap:anywhere;font-family:ui-monospace,monospace;\
font-size:.9rem}svg{display:block;margin-top:.4rem;max-width:100%;height:auto}";

/// An inline SVG of the latest runs: the line is their durations, a red dot marks a failure.
fn sparkline(state: &CheckState) -> String {
    let samples = &state.history;
    if samples.is_empty() {
        return String::new();
    }
    let (width, height, pad) = (180.0_f64, 32.0_f64, 3.0_f64);
    let longest = samples
        .iter()
        .map(|s| s.duration.as_secs_f64())
        .fold(0.0_f64, f64::max)
        .max(1e-6);
    let step = if samples.len() > 1 {
        (width - 2.0 * pad) / (samples.len() - 1) as f64
    } else {
        0.0
    };
    let point = |i: usize, d: Duration| {
        let x = pad + step * i as f64;
        let y = height - pad - (height - 2.0 * pad) * d.as_secs_f64() / longest;
        (x, y)
    };
    let failed = samples.iter().filter(|s| s.failed).count();
    let mut svg = format!(
        "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-label=\"last {} runs, {failed} failed, longest {:.1} ms\">",
        samples.len(),
        longest * 1000.0
    );
    let points: Vec<String> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (x, y) = point(i, s.duration);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        svg,
        "<polyline fill=\"none\" stroke=\"#57606a\" stroke-width=\"1.5\" points=\"{}\"/>",
        points.join(" ")
    );
    for (i, sample) in samples.iter().enumerate() {
        if sample.failed {
            let (x, y) = point(i, sample.duration);
            let _ = write!(
                svg,
                "<circle class=\"failure\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\" fill=\"#cf222e\"/>"
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn html(report: &Report, details: bool, now: SystemTime) -> String {
    let status = report.status();
    let mut out = String::with_capacity(2048 + 1024 * report.results.len());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Health: {status}</title><style>{STYLE}</style></head><body>\
         <h1 class=\"{status}\">Health: {status}</h1><p class=\"when\">Checked {}</p><ul>",
        rfc3339(report.finished)
            .replace('T', " ")
            .replace('Z', " UTC")
    );
    for (i, result) in report.results.iter().enumerate() {
        let state = report.states.get(i);
        let s = result.status;
        let _ = write!(
            out,
            "<li class=\"check {s}\"><div class=\"head\"><span class=\"name\">{}</span>\
             <span class=\"status\">{s}</span></div>",
            escape(&result.name)
        );
        if details {
            let mut meta = format!("{:.1} ms", result.duration.as_secs_f64() * 1000.0);
            if let Some(state) = state {
                if let Ok(held) = now.duration_since(state.since) {
                    let _ = write!(meta, " · {s} for {}", human_duration(held));
                }
            }
            let _ = write!(out, "<div class=\"meta\">{meta}</div>");
            if let Some(message) = &result.message {
                let _ = write!(out, "<p class=\"message\">{}</p>", escape(message));
            }
            if let Some(state) = state {
                out.push_str(&sparkline(state));
            }
        }
        out.push_str("</li>");
    }
    out.push_str("</ul></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Sample;
    use crate::status::CheckResult;

    fn report() -> Report {
        let mut report = Report::new(vec![
            CheckResult {
                name: "redis".into(),
                status: Status::Unhealthy,
                message: Some("Connection \"refused\"".into()),
                duration: Duration::from_micros(2_001_234),
            },
            CheckResult {
                name: "database".into(),
                status: Status::Healthy,
                message: None,
                duration: Duration::from_micros(38_700),
            },
        ]);
        let at = UNIX_EPOCH + Duration::from_secs(1_764_751_200);
        report.finished = at;
        report.states = vec![
            CheckState {
                kind: "redis",
                tags: vec!["cache".into(), "ready".into()],
                since: at,
                last_error: Some("Connection \"refused\"".into()),
                last_success: None,
                failures_total: 2,
                history: vec![
                    Sample {
                        at,
                        duration: Duration::from_millis(5),
                        failed: false,
                    },
                    Sample {
                        at,
                        duration: Duration::from_millis(2001),
                        failed: true,
                    },
                ],
            },
            CheckState {
                kind: "postgresql",
                tags: vec![],
                since: at,
                last_error: None,
                last_success: Some(at),
                failures_total: 0,
                history: vec![],
            },
        ];
        report
    }

    #[test]
    fn the_guides_json() {
        assert_eq!(
            render(&report(), Format::Json, true),
            r#"{"status": "unhealthy", "checks": [{"name": "redis", "status": "unhealthy", "message": "Connection \"refused\"", "duration_ms": 2001.23}, {"name": "database", "status": "healthy", "duration_ms": 38.7}]}"#
        );
        assert_eq!(
            render(&report(), Format::Json, false),
            r#"{"status": "unhealthy", "checks": [{"name": "redis", "status": "unhealthy"}, {"name": "database", "status": "healthy"}]}"#
        );
    }

    #[test]
    fn health_json_follows_the_draft() {
        let body = render(&report(), Format::HealthJson, true);
        let value: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(value["status"], "fail");
        let redis = &value["checks"]["redis:responseTime"][0];
        assert_eq!(redis["componentType"], "datastore");
        assert_eq!(redis["observedUnit"], "ms");
        assert_eq!(redis["status"], "fail");
        assert_eq!(redis["time"], "2025-12-03T08:40:00.000Z");
        assert_eq!(redis["output"], "Connection \"refused\"");
        let hidden = render(&report(), Format::HealthJson, false);
        assert!(!hidden.contains("refused") && !hidden.contains("observedValue"));
    }

    #[test]
    fn kubernetes_text() {
        assert_eq!(
            render(&report(), Format::Text, true),
            "[-]redis failed: Connection \"refused\"\n[+]database ok\nhealthz check failed\n"
        );
        assert_eq!(
            render(&report(), Format::Text, false),
            "[-]redis failed: reason withheld\n[+]database ok\nhealthz check failed\n"
        );
    }

    #[test]
    fn exposition_formats() {
        let text = render(&report(), Format::Prometheus, true);
        assert!(text.contains("healthcheckx_up 0\n"));
        assert!(text.contains("healthcheckx_check_up{check=\"redis\",tags=\"cache,ready\"} 0\n"));
        assert!(text.contains(
            "healthcheckx_check_status{check=\"database\",tags=\"\",status=\"healthy\"} 1\n"
        ));
        assert!(text.contains("# TYPE healthcheckx_check_failures_total counter\n"));
        assert!(text.contains(
            "healthcheckx_check_failures_total{check=\"redis\",tags=\"cache,ready\"} 2\n"
        ));
        assert!(text.contains(
            "healthcheckx_check_last_success_timestamp_seconds{check=\"database\",tags=\"\"} 1764751200\n"
        ));
        assert!(!text.contains("# EOF"));
        let open = render(&report(), Format::OpenMetrics, true);
        assert!(open.contains("# TYPE healthcheckx_check_failures counter\n"));
        assert!(open.ends_with("# EOF\n"));
    }

    #[test]
    fn html_escapes_and_draws() {
        let page = render(&report(), Format::Html, true);
        assert!(page.contains("Connection &quot;refused&quot;"));
        assert!(page.contains("<svg") && page.contains("class=\"failure\""));
        assert!(!page.contains("<script"));
        let hidden = render(&report(), Format::Html, false);
        assert!(!hidden.contains("refused") && !hidden.contains("<svg"));
    }

    #[test]
    fn negotiation() {
        let n = |accept: &str| negotiate(Some(accept), None);
        assert_eq!(n("*/*"), Ok(Format::Json));
        assert_eq!(n(""), Ok(Format::Json));
        assert_eq!(n("image/png"), Ok(Format::Json));
        assert_eq!(n("application/json;q=0, */*;q=0.5"), Ok(Format::HealthJson));
        assert_eq!(
            n("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            Ok(Format::Html)
        );
        assert_eq!(n("text/plain"), Ok(Format::Text));
        assert_eq!(n("text/plain;version=0.0.4"), Ok(Format::Prometheus));
        assert_eq!(n("application/health+json"), Ok(Format::HealthJson));
        assert_eq!(
            n("text/html;q=0.4, application/health+json;q=0.5"),
            Ok(Format::HealthJson)
        );
        assert_eq!(n("text/html;q=0"), Ok(Format::Json));
        assert_eq!(n("text/html;q=abc"), Ok(Format::Json));
        assert_eq!(
            n("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
            Ok(Format::OpenMetrics)
        );
        assert_eq!(negotiate(Some("text/html"), Some("json")), Ok(Format::Json));
        assert_eq!(negotiate(None, Some("health json")), Ok(Format::HealthJson));
        assert_eq!(negotiate(None, Some("")), Ok(Format::Json));
        let refused = negotiate(None, Some("xml")).expect_err("406");
        assert_eq!(
            refused.to_string(),
            "unknown format \"xml\": use one of json, health+json, text, html, prometheus, openmetrics"
        );
        assert_eq!(negotiate_metrics(None), Format::Prometheus);
        assert_eq!(
            negotiate_metrics(Some("application/openmetrics-text; version=1.0.0")),
            Format::OpenMetrics
        );
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_millis(951_782_400_250)),
            "2000-02-29T00:00:00.250Z"
        );
        assert_eq!(human_duration(Duration::from_secs(3_900)), "1 h 5 min");
    }
}
