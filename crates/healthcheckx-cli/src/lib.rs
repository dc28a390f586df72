//! The `healthcheckx` command: `check`, `wait`, `serve` and `probe` on the healthcheckx engine.
//!
//! The whole command lives in this library so that the binary and the Python package's console
//! script run the same code: each calls [`run`] with its arguments.
//!
//! ```text
//! healthcheckx check redis://localhost:6379 --check db=postgresql://app@localhost/app
//! healthcheckx wait --timeout 60s tcp://db:5432 -- gunicorn app.wsgi
//! healthcheckx serve --config healthcheckx.toml --listen 0.0.0.0:8080
//! healthcheckx probe http://localhost:8000/health/
//! ```
//!
//! Exit codes: 0 healthy or degraded, 1 unhealthy, 2 bad command line or configuration, 124 when
//! `wait` runs out of time (see [`error`]).

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod check;
pub mod config;
mod duration;
pub mod error;
mod output;
mod probe;
mod serve;
pub mod target;
mod wait;

pub use error::CliError;

/// Health checks for the services an application depends on.
#[derive(Parser, Debug)]
#[command(
    name = "healthcheckx",
    bin_name = "healthcheckx",
    version,
    about = "Health checks for the services an application depends on: check them once, wait for \
             them, serve probes and metrics, or probe an HTTP endpoint.",
    after_help = "Exit codes: 0 healthy or degraded, 1 unhealthy, 2 bad command line or \
                  configuration, 124 wait timed out."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the checks once and print their results.
    ///
    /// Exit 0 when every check is healthy or degraded, 1 when one is unhealthy, 2 when the
    /// command line or the configuration is wrong.
    Check(CheckArgs),
    /// Rerun the checks until every one is up, then exit 0 or run a command in this process.
    ///
    /// Exit 124 at --timeout, naming what is still down and why. After `--`, a command and its
    /// arguments replace this process once everything is up: signals reach it and its exit code
    /// is the exit code.
    Wait(WaitArgs),
    /// Serve /health, /livez, /readyz, /startupz and /metrics over HTTP.
    ///
    /// Answers come from a background refresh (--interval), never one run per request, in the
    /// format asked for by ?format= or Accept (the guide's JSON by default). SIGTERM
    /// and SIGINT stop the server after the requests in flight are answered.
    Serve(ServeArgs),
    /// GET a URL; exit 0 when the answer is 2xx, 1 otherwise (Docker HEALTHCHECK without curl).
    Probe(ProbeArgs),
}

/// The checks a command runs.
#[derive(Args, Debug, Clone, Default)]
pub struct TargetArgs {
    /// Service URLs; the scheme picks the check: redis://, postgresql://, mysql://, amqp://,
    /// mongodb://, kafka://, memcached://, stomp://, mssql://, oracle://, sqlite:///path,
    /// tcp://host:port, http(s)://, disk:///path?min_free_percent=10.
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,
    /// A named check (repeatable): --check db=postgresql://app@db/app.
    #[arg(long = "check", value_name = "NAME=URL")]
    pub checks: Vec<String>,
    /// Configuration file of named checks [default: $HEALTHCHECKX_CONFIG, else ./healthcheckx.toml
    /// when present and no URL is given].
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only the checks carrying one of these tags (repeatable, comma-separated).
    #[arg(short = 't', long, value_name = "TAG[,TAG]", value_delimiter = ',')]
    pub tags: Vec<String>,
}

/// How `check` prints its results.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One line per check: name, status, duration, message.
    #[default]
    Table,
    /// The JSON body of the health endpoint.
    Json,
    /// application/health+json (draft-inadarei-api-health-check).
    #[value(name = "health+json")]
    HealthJson,
    /// Kubernetes-style text: `[+]redis ok`.
    Text,
    /// Prometheus text exposition format.
    Prometheus,
    /// OpenMetrics text.
    Openmetrics,
    /// The HTML status page.
    Html,
}

impl Format {
    /// The engine's renderer for this format (`None`: the guide's lines).
    fn rendered(self) -> Option<healthcheckx::render::Format> {
        use healthcheckx::render::Format as Rendered;
        match self {
            Format::Table => None,
            Format::Json => Some(Rendered::Json),
            Format::HealthJson => Some(Rendered::HealthJson),
            Format::Text => Some(Rendered::Text),
            Format::Prometheus => Some(Rendered::Prometheus),
            Format::Openmetrics => Some(Rendered::OpenMetrics),
            Format::Html => Some(Rendered::Html),
        }
    }
}

/// When to colour the status.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// When standard output is a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `healthcheckx check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    targets: TargetArgs,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// The run answers within this (e.g. 5, 2.5, 500ms): checks still running then are unhealthy.
    #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
    timeout: Option<Duration>,
    /// Colour the status.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

/// `healthcheckx wait`.
#[derive(Args, Debug)]
pub struct WaitArgs {
    #[command(flatten)]
    targets: TargetArgs,
    /// Give up (exit 124) after this long.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration::parse)]
    timeout: Duration,
    /// First pause between runs; it doubles after each run up to --max-interval.
    #[arg(long, value_name = "DURATION", default_value = "100ms", value_parser = duration::parse)]
    interval: Duration,
    /// Longest pause between runs.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = duration::parse)]
    max_interval: Duration,
    /// Print nothing but the final error.
    #[arg(short, long)]
    quiet: bool,
    /// The command to run once everything is up (after `--`).
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<OsString>,
}

/// `healthcheckx serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    targets: TargetArgs,
    /// Address to listen on (port 0: any free port, printed at start).
    #[arg(short, long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Pause between two background runs of the checks.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = duration::parse)]
    interval: Duration,
    /// /readyz runs the checks carrying one of these tags [default: every check].
    #[arg(long, value_name = "TAG[,TAG]", value_delimiter = ',')]
    ready_tags: Vec<String>,
    /// /startupz runs the checks carrying one of these tags [default: every check].
    #[arg(long, value_name = "TAG[,TAG]", value_delimiter = ',')]
    startup_tags: Vec<String>,
    /// Every run answers within this, whatever the checks' own timeouts.
    #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
    deadline: Option<Duration>,
    /// Answer each check's name and status only: no message, no duration.
    #[arg(long)]
    hide_details: bool,
}

/// `healthcheckx probe`.
#[derive(Args, Debug)]
pub struct ProbeArgs {
    /// The http:// or https:// URL to GET.
    #[arg(value_name = "URL")]
    url: String,
    /// Give up (exit 1) after this long.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = duration::parse)]
    timeout: Duration,
    /// Accept any certificate (a self-signed one on localhost).
    #[arg(short = 'k', long)]
    insecure: bool,
    /// Print nothing, even on failure.
    #[arg(short, long)]
    quiet: bool,
}

/// Where a run writes, and whether each stream is a terminal.
pub struct Streams<'a> {
    /// Results (`check`).
    pub out: &'a mut dyn Write,
    /// Progress and errors.
    pub err: &'a mut dyn Write,
    /// Whether `out` is a terminal (colours).
    pub out_is_terminal: bool,
    /// Whether `err` is a terminal (the live status line of `wait`).
    pub err_is_terminal: bool,
}

/// Runs the command with `args` (the program's name first) on the process's standard streams
/// and environment; returns the exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stdout = io::stdout();
    let stderr = io::stderr();
    let out_is_terminal = stdout.is_terminal();
    let err_is_terminal = stderr.is_terminal();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let mut streams = Streams {
        out: &mut out,
        err: &mut err,
        out_is_terminal,
        err_is_terminal,
    };
    let env = |name: &str| std::env::var(name).ok();
    run_with(args, &mut streams, &env)
}

/// [`run`] with given streams and environment.
pub fn run_with<I, T>(
    args: I,
    streams: &mut Streams<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                    if e.exit_code() == 0 =>
                {
                    let _ = streams.out.write_all(text.as_bytes());
                    error::OK
                }
                _ => {
                    let _ = streams.err.write_all(text.as_bytes());
                    error::CONFIG
                }
            };
        }
    };
    healthcheckx::tls::install_crypto_provider();
    let result = match &cli.command {
        Command::Check(args) => check::run(args, streams, env),
        Command::Wait(args) => wait::run(args, streams, env),
        Command::Serve(args) => serve::run(args, streams, env),
        Command::Probe(args) => probe::run(args, streams),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            if !e.message.is_empty() {
                let _ = writeln!(streams.err, "healthcheckx: {e}");
            }
            e.code
        }
    };
    let _ = streams.out.flush();
    let _ = streams.err.flush();
    code
}

/// The runtime a subcommand runs on.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("healthcheckx")
        .enable_all()
        .build()
        .map_err(|e| CliError::new(error::UNHEALTHY, format!("cannot start: {e}")))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    fn run_args(args: &[&str]) -> (i32, String, String) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = {
            let mut streams = Streams {
                out: &mut out,
                err: &mut err,
                out_is_terminal: false,
                err_is_terminal: false,
            };
            let mut all = vec!["healthcheckx"];
            all.extend_from_slice(args);
            run_with(all, &mut streams, &|_| None)
        };
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn usage_errors_exit_2_and_help_exits_0() {
        let (code, _, err) = run_args(&["check", "--format", "yaml", "redis://x"]);
        assert_eq!(code, 2, "{err}");
        let (code, out, _) = run_args(&["--help"]);
        assert_eq!(code, 0);
        assert!(out.contains("wait"), "{out}");
        let (code, _, err) = run_args(&["wait", "--timeout", "soon", "tcp://h:1"]);
        assert_eq!(code, 2);
        assert!(err.contains("invalid duration"), "{err}");
    }

    #[test]
    fn bad_urls_exit_2_naming_the_argument_not_the_password() {
        let (code, _, err) = run_args(&["check", "redis://h:6379", "gopher://u:hunter22@h"]);
        assert_eq!(code, 2);
        assert!(
            err.starts_with("healthcheckx: URL argument 2: unsupported URL scheme \"gopher\""),
            "{err}"
        );
        assert!(!err.contains("hunter22"), "{err}");
        let (code, _, err) = run_args(&["check", "--check", "db=tcp://u:hunter22@h"]);
        assert_eq!(code, 2);
        assert!(
            err.starts_with("healthcheckx: --check db: tcp:// URLs take no credentials"),
            "{err}"
        );
        assert!(!err.contains("hunter22"), "{err}");
        let (code, _, err) = run_args(&["check", "--check", "nourl"]);
        assert_eq!(code, 2);
        assert!(err.contains("NAME=URL"), "{err}");
        let (code, _, err) =
            run_args(&["check", "--check", "a=tcp://h:1", "--check", "a=tcp://h:2"]);
        assert_eq!(code, 2);
        assert!(err.contains("given to two checks"), "{err}");
    }

    #[test]
    fn unnamed_urls_are_named_by_kind_then_numbered() {
        let args = TargetArgs {
            urls: vec!["tcp://h:1".into(), "tcp://h:2".into(), "redis://h".into()],
            checks: vec!["tcp-2x=tcp://h:3".into()],
            ..TargetArgs::default()
        };
        let targets = target::gather(&args, &|_| None).expect("ok");
        let (_, planned) = targets.build(&target::BuildOptions::default()).expect("ok");
        let names: Vec<&str> = planned.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["tcp", "tcp-2", "redis", "tcp-2x"]);
    }
}
