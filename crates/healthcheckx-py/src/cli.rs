//! The `healthcheckx` command of the wheel's console script: the same command as the binary
//! (`healthcheckx-cli`), run in this process.

use pyo3::prelude::*;

/// Runs the `healthcheckx` command with `argv` (the program's name first) and returns its exit
/// code. `wait -- cmd` replaces the process with `cmd`, as the binary does.
#[pyfunction]
pub fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(move || healthcheckx_cli::run(argv))
}
