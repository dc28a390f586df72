#!/usr/bin/env bash
# The test command: starts the servers the tests need (installing them when missing), builds the
# extension into a virtualenv, then runs the linters, `cargo test` and `pytest`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step "servers"
bash scripts/services.sh
source "$HCX_STATE/services.env"
export HCX_REQUIRE_SERVICES=1

step "Rust: format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
bash scripts/check-features.sh

step "Rust: tests"
cargo test -p healthcheckx --quiet
cargo test -p healthcheckx-cli --quiet
cargo test -p healthcheckx-web --quiet

ensure_venv
build_extension

step "Python: format, lints and stubs"
ruff format --check python tests examples bench
ruff check python tests examples bench
python -m mypy.stubtest healthcheckx._native
mypy --strict python/healthcheckx
lint-imports  # the layering contract of pyproject.toml: the core imports no framework

step "Python: tests"
# tests/cli runs the `healthcheckx` binary (debug build, $CARGO_TARGET_DIR/debug/healthcheckx).
cargo build -p healthcheckx-cli --quiet
python -m pytest tests "$@"
bash scripts/test-django.sh -q

step "Release wheel: portable, no external libraries"
bash scripts/build-wheel.sh
bash bench/run.sh --smoke
