//! `healthcheckx check`: one run, the guide's lines or its JSON body.

use healthcheckx::{render, Status};

use crate::error::{self, CliError};
use crate::output;
use crate::target::{self, BuildOptions};
use crate::{runtime, CheckArgs, ColorChoice, Streams};

pub fn run(
    args: &CheckArgs,
    streams: &mut Streams<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<i32, CliError> {
    let targets = target::gather(&args.targets, env)?;
    let (health, _) = targets.build(&BuildOptions {
        tags: &args.targets.tags,
        deadline: args.timeout,
        ..BuildOptions::default()
    })?;
    let runtime = runtime()?;
    let report = runtime.block_on(async {
        let report = health.run().await;
        close(&health).await;
        report
    });
    let written = match args.format.rendered() {
        Some(format) => {
            let body = render::render(&report, format, true);
            let newline = if body.ends_with('\n') { "" } else { "\n" };
            write!(streams.out, "{body}{newline}")
        }
        None => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    streams.out_is_terminal
                        && env("NO_COLOR").is_none_or(|v| v.is_empty())
                        && env("TERM").as_deref() != Some("dumb")
                }
            };
            output::write_lines(streams.out, &report, color)
        }
    };
    // A closed pipe (`| head`) is not a reason to change the verdict.
    let _ = written;
    Ok(match report.status() {
        Status::Unhealthy => error::UNHEALTHY,
        Status::Healthy | Status::Degraded => error::OK,
    })
}

/// Closes the kept connections politely (PostgreSQL `Terminate`, MySQL `COM_QUIT` are sent on
/// tasks of the runtime): the servers then log no aborted connection for each run.
pub async fn close(health: &healthcheckx::Health) {
    health.close();
    for _ in 0..8 {
        tokio::task::yield_now().await;
    }
}
