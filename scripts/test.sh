#!/usr/bin/env bash
# The test command: starts the servers the tests need (installing them when missing), builds the
# extension into a virtualenv, then runs the linters, `cargo deny`, `cargo test` and `pytest`, and
# builds the packages (crates, sdist, wheel) with their licences.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# On a machine's first run the supply-chain tools compile (about 10 minutes on 2 cores): in the
# background, while the servers are installed and started.
mkdir -p "$HCX_BUILD"
(ensure_cargo_deny && ensure_cargo_about) >"$HCX_BUILD/tools-install.log" 2>&1 &
tools=$!

step "servers"
bash scripts/services.sh
source "$HCX_STATE/services.env"
export HCX_REQUIRE_SERVICES=1

step "Supply chain: licences, bans, sources (cargo deny, deny.toml)"
wait "$tools" || { cat "$HCX_BUILD/tools-install.log" >&2; exit 1; }
ensure_cargo_deny
# Every crate of Cargo.lock, for every platform: cargo deny reads their manifests (offline).
cargo fetch --locked --quiet
cargo deny --offline check licenses bans sources

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

step "Packages: the crates as published, the sdist installed from scratch"
bash scripts/check-package.sh
bash scripts/test-sdist.sh

step "Release wheel: portable, no external libraries, licences and SBOM"
bash scripts/build-wheel.sh
bash bench/run.sh --smoke
