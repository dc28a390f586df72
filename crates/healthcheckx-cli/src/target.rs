//! What to check: URLs and `--check NAME=URL` from the command line, named checks from a
//! configuration file; and the registry built from them.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use healthcheckx::{checks, Health, Registration};

use crate::config;
use crate::error::{io_reason, CliError};
use crate::TargetArgs;

/// One check to register.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The name given (`--check NAME=`, `[checks.NAME]`); URLs alone are named by their kind.
    pub name: Option<String>,
    /// The check's URL, variables expanded.
    pub url: String,
    /// Its deadline, when one was given.
    pub timeout: Option<Duration>,
    /// A failing non-critical check reports `degraded`.
    pub critical: bool,
    /// Tags, for `--tags` and the probes of `serve`.
    pub tags: Vec<String>,
    /// Where it was written, for error messages.
    pub origin: Origin,
}

/// Where a target was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// On the command line: `--check db`, `URL argument 2`.
    Argument(String),
    /// In the configuration file, at this byte offset of its text.
    File {
        /// Byte offset of the check's `url` value.
        offset: usize,
    },
}

/// A name must be something a log line, a JSON body and a metric label show as written.
pub fn validate_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the name is empty".into());
    }
    if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
    {
        return Err("a name may not hold spaces, quotes, backslashes or control characters".into());
    }
    Ok(())
}

/// The targets of a command, with the configuration file they came from (for error positions).
pub struct Targets {
    /// In order: the file's checks, then the command line's.
    pub list: Vec<Target>,
    file: Option<(String, String)>,
}

/// Name of the file read when no target is given on the command line.
pub const DEFAULT_CONFIG: &str = "healthcheckx.toml";
/// Variable naming the configuration file when no `--config` is given.
pub const CONFIG_VARIABLE: &str = "HEALTHCHECKX_CONFIG";

/// Which configuration file to read: `--config`; else, without targets on the command line,
/// `$HEALTHCHECKX_CONFIG`, else `./healthcheckx.toml` when it exists.
fn config_path(args: &TargetArgs, env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(path) = &args.config {
        return Some(path.clone());
    }
    if !args.urls.is_empty() || !args.checks.is_empty() {
        return None;
    }
    if let Some(path) = env(CONFIG_VARIABLE).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let default = Path::new(DEFAULT_CONFIG);
    default.exists().then(|| default.to_path_buf())
}

/// Reads the targets of `args` (command line, then configuration file).
pub fn gather(
    args: &TargetArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Targets, CliError> {
    let mut list = Vec::new();
    let mut file = None;
    if let Some(path) = config_path(args, env) {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| CliError::config(format!("{shown}: {}", io_reason(&e))))?;
        list = config::parse(&text, env).map_err(|e| CliError::config(e.render(&shown, &text)))?;
        file = Some((shown, text));
    }
    for (index, url) in args.urls.iter().enumerate() {
        list.push(Target {
            name: None,
            url: url.clone(),
            timeout: None,
            critical: true,
            tags: Vec::new(),
            origin: Origin::Argument(format!("URL argument {}", index + 1)),
        });
    }
    for spec in &args.checks {
        let Some((name, url)) = spec.split_once('=') else {
            return Err(CliError::config(
                "--check expects NAME=URL (e.g. --check db=postgresql://host/db)",
            ));
        };
        let name = name.trim();
        validate_name(name)
            .map_err(|reason| CliError::config(format!("--check {name}: {reason}")))?;
        list.push(Target {
            name: Some(name.to_string()),
            url: url.to_string(),
            timeout: None,
            critical: true,
            tags: Vec::new(),
            origin: Origin::Argument(format!("--check {name}")),
        });
    }
    if list.is_empty() {
        return Err(CliError::config(format!(
            "no checks: give URLs (e.g. redis://localhost:6379), --check NAME=URL, or a configuration file ({DEFAULT_CONFIG}, --config, ${CONFIG_VARIABLE})"
        )));
    }
    Ok(Targets { list, file })
}

/// A registered check as the command knows it.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Name in the results.
    pub name: String,
    /// Tags.
    pub tags: Vec<String>,
}

/// Options of [`Targets::build`].
#[derive(Default)]
pub struct BuildOptions<'a> {
    /// Keep only checks carrying one of these tags (none: all).
    pub tags: &'a [String],
    /// Deadline of every run.
    pub deadline: Option<Duration>,
    /// Background refresh interval (`serve`).
    pub refresh: Option<Duration>,
    /// Register every check as critical (`wait` waits for all).
    pub all_critical: bool,
}

impl Targets {
    fn locate(&self, origin: &Origin) -> String {
        match (origin, &self.file) {
            (Origin::Argument(label), _) => label.clone(),
            (Origin::File { offset }, Some((path, text))) => {
                let (line, column) = config::line_column(text, *offset);
                format!("{path}:{line}:{column}")
            }
            (Origin::File { .. }, None) => "configuration".into(),
        }
    }

    /// The registry of the selected targets.
    pub fn build(&self, options: &BuildOptions<'_>) -> Result<(Health, Vec<Planned>), CliError> {
        let wanted: BTreeSet<&str> = options
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        let mut builder = Health::builder();
        if let Some(deadline) = options.deadline {
            builder = builder.deadline(deadline);
        }
        if let Some(interval) = options.refresh {
            builder = builder.refresh_interval(interval);
        }
        let mut planned: Vec<Planned> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for target in &self.list {
            let check = checks::from_url(&target.url).map_err(|e| {
                let which = match (&target.origin, &target.name) {
                    (Origin::File { .. }, Some(n)) => format!(" check \"{n}\":"),
                    _ => String::new(),
                };
                CliError::config(format!(
                    "{}:{which} {}",
                    self.locate(&target.origin),
                    e.problem()
                ))
            })?;
            if !wanted.is_empty() && !target.tags.iter().any(|t| wanted.contains(t.as_str())) {
                continue;
            }
            let name = match &target.name {
                Some(name) if seen.contains(name) => {
                    return Err(CliError::config(format!(
                        "{}: the name \"{name}\" is given to two checks",
                        self.locate(&target.origin)
                    )));
                }
                Some(name) => name.clone(),
                None => {
                    let kind = check.kind();
                    (1..)
                        .map(|n| match n {
                            1 => kind.to_string(),
                            n => format!("{kind}-{n}"),
                        })
                        .find(|candidate| !seen.contains(candidate))
                        .unwrap_or_else(|| kind.to_string())
                }
            };
            seen.insert(name.clone());
            let mut registration = Registration::from_arc(check)
                .name(name.clone())
                .critical(target.critical || options.all_critical)
                .tags(target.tags.iter().cloned());
            if let Some(timeout) = target.timeout {
                registration = registration.timeout(timeout);
            }
            builder = builder.register(registration);
            planned.push(Planned {
                name,
                tags: target.tags.clone(),
            });
        }
        if planned.is_empty() {
            return Err(CliError::config(format!(
                "no check carries the tag{} {}",
                if options.tags.len() > 1 { "s" } else { "" },
                options.tags.join(", ")
            )));
        }
        let health = builder
            .build()
            .map_err(|e| CliError::config(e.to_string()))?;
        Ok((health, planned))
    }
}
