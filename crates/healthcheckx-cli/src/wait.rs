//! `healthcheckx wait`: reruns the checks until every one is up, with a pause that starts at
//! `--interval` and doubles up to `--max-interval`; exits 124 at `--timeout`. Then, with
//! `-- cmd args`, the command replaces this process.

use std::collections::HashMap;
use std::ffi::OsString;
use std::time::{Duration, Instant};

use healthcheckx::{format_seconds, Report, RunContext, Status};

use crate::error::{self, CliError};
use crate::output::status_word;
use crate::target::{self, BuildOptions};
use crate::{runtime, Streams, WaitArgs};

/// How long past its deadline a run may take to answer before the wait stops waiting for it.
const MARGIN: Duration = Duration::from_millis(100);

/// What a check last reported.
#[derive(Clone, PartialEq)]
struct State {
    status: Status,
    message: Option<String>,
}

pub fn run(
    args: &WaitArgs,
    streams: &mut Streams<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<i32, CliError> {
    let targets = target::gather(&args.targets, env)?;
    let (health, planned) = targets.build(&BuildOptions {
        tags: &args.targets.tags,
        // `wait` waits for every selected check: a failing one is down, critical or not.
        all_critical: true,
        ..BuildOptions::default()
    })?;
    let names: Vec<String> = planned.into_iter().map(|p| p.name).collect();
    let runtime = runtime()?;
    let live = streams.err_is_terminal && !args.quiet;
    let started = Instant::now();
    let deadline = started + args.timeout;
    let mut states: HashMap<String, State> = HashMap::new();
    let mut pause = args.interval;
    let outcome = runtime.block_on(async {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break false;
            }
            // The run answers by the deadline: a check still running then is reported timed out
            // (the others' results are kept).
            let run = health.run_within(None, Some(left), RunContext::default());
            let report: Option<Report> = tokio::time::timeout(left + MARGIN, run).await.ok();
            let Some(report) = report else {
                break false;
            };
            let mut changed = Vec::new();
            for r in &report.results {
                let state = State {
                    status: r.status,
                    message: r.message.clone(),
                };
                if states.get(&r.name) != Some(&state) {
                    changed.push(r.name.clone());
                    states.insert(r.name.clone(), state);
                }
            }
            let up = report.results.iter().all(|r| r.status != Status::Unhealthy);
            if !args.quiet {
                if live {
                    let _ = write!(streams.err, "\r\u{1b}[2K");
                }
                for name in &changed {
                    if let Some(state) = states.get(name) {
                        let message = state
                            .message
                            .as_deref()
                            .map(|m| format!(" - {m}"))
                            .unwrap_or_default();
                        let word = status_word(state.status, live);
                        let _ = writeln!(streams.err, "healthcheckx: {name}: {word}{message}");
                    }
                }
                if live && !up {
                    let down = down_list(&names, &states);
                    let _ = write!(
                        streams.err,
                        "waiting {:.1}s of {}: {down}",
                        started.elapsed().as_secs_f64(),
                        format_seconds(args.timeout)
                    );
                }
                let _ = streams.err.flush();
            }
            if up {
                break true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break false;
            }
            tokio::time::sleep(pause.min(left)).await;
            pause = (pause * 2).min(args.max_interval.max(args.interval));
        }
    });
    if live {
        let _ = write!(streams.err, "\r\u{1b}[2K");
    }
    if !outcome {
        runtime.block_on(crate::check::close(&health));
        runtime.shutdown_background();
        return Err(CliError::new(
            error::TIMEOUT,
            format!(
                "timed out after {} waiting for {}",
                format_seconds(args.timeout),
                down_list(&names, &states)
            ),
        ));
    }
    if !args.quiet {
        let _ = writeln!(
            streams.err,
            "healthcheckx: {} up after {:.2}s",
            match names.len() {
                1 => "1 check".to_string(),
                n => format!("all {n} checks"),
            },
            started.elapsed().as_secs_f64()
        );
    }
    runtime.block_on(crate::check::close(&health));
    runtime.shutdown_timeout(Duration::from_millis(100));
    let _ = streams.err.flush();
    let _ = streams.out.flush();
    match args.command.split_first() {
        None => Ok(error::OK),
        Some((program, rest)) => Err(exec(program, rest)),
    }
}

/// `redis (Connection refused), db (no answer yet)`.
fn down_list(names: &[String], states: &HashMap<String, State>) -> String {
    let down: Vec<String> = names
        .iter()
        .filter_map(|name| match states.get(name) {
            None => Some(format!("{name} (no answer yet)")),
            Some(state) if state.status == Status::Unhealthy => Some(match &state.message {
                Some(message) => format!("{name} ({message})"),
                None => name.clone(),
            }),
            Some(_) => None,
        })
        .collect();
    if down.is_empty() {
        "the last run to finish".into()
    } else {
        down.join(", ")
    }
}

/// Replaces this process with `program`: returns only when that fails.
#[cfg(unix)]
fn exec(program: &OsString, args: &[OsString]) -> CliError {
    use std::os::unix::process::CommandExt;
    let err = std::process::Command::new(program).args(args).exec();
    exec_error(program, &err)
}

/// Runs `program` and exits with its code (no `exec` here).
#[cfg(not(unix))]
fn exec(program: &OsString, args: &[OsString]) -> CliError {
    match std::process::Command::new(program).args(args).status() {
        Ok(status) => CliError::new(status.code().unwrap_or(error::UNHEALTHY), String::new()),
        Err(err) => exec_error(program, &err),
    }
}

fn exec_error(program: &OsString, err: &std::io::Error) -> CliError {
    let shown = program.to_string_lossy();
    match err.kind() {
        std::io::ErrorKind::NotFound => {
            CliError::new(error::NOT_FOUND, format!("{shown}: command not found"))
        }
        std::io::ErrorKind::PermissionDenied => {
            CliError::new(error::CANNOT_EXECUTE, format!("{shown}: Permission denied"))
        }
        _ => CliError::new(error::CANNOT_EXECUTE, format!("{shown}: cannot run: {err}")),
    }
}
