//! `healthcheckx`: see the `healthcheckx_cli` library, which holds the whole command.

fn main() -> std::process::ExitCode {
    let code = healthcheckx_cli::run(std::env::args_os());
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}
