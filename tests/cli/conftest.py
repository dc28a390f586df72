"""Fixtures of the `healthcheckx` command's tests: the built binary and the wheel's console script.

``cli``      the binary (``$HCX_CLI_BIN``, else ``$CARGO_TARGET_DIR/debug/healthcheckx``, which
             scripts/test.sh builds); a missing binary fails the tests, it never skips them.
``console``  the console script the package installs into the virtualenv (``healthcheckx``).
``run_cli``  runs one of them: ``run_cli(*args, env=..., cwd=..., timeout=...)``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

BUILD_HINT = "build it with: cargo build -p healthcheckx-cli (scripts/test.sh does)"


def _binary() -> Path:
    if os.environ.get("HCX_CLI_BIN"):
        return Path(os.environ["HCX_CLI_BIN"])
    target = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/healthcheckx-build/target")
    return Path(target) / "debug" / "healthcheckx"


@pytest.fixture(scope="session")
def cli() -> str:
    binary = _binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"the healthcheckx binary is missing at {binary}: {BUILD_HINT}", pytrace=False)
    return str(binary)


@pytest.fixture(scope="session")
def console() -> str:
    script = Path(sys.executable).parent / "healthcheckx"
    found = str(script) if script.exists() else shutil.which("healthcheckx")
    if not found:
        pytest.fail(
            "the healthcheckx console script is not installed (maturin develop installs it)",
            pytrace=False,
        )
    return found


@dataclass
class Ran:
    code: int
    out: str
    err: str
    seconds: float


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without HEALTHCHECKX_CONFIG, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k != "HEALTHCHECKX_CONFIG"}
    env.update(extra)
    return env


@pytest.fixture
def run_cli(cli, tmp_path):
    """Runs the binary (or `program=`) in `cwd` (default: an empty directory) and waits."""

    def run(
        *args: str,
        program: str | None = None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 30,
    ) -> Ran:
        started = time.monotonic()
        done = subprocess.run(
            [program or cli, *args],
            capture_output=True,
            text=True,
            env=env if env is not None else clean_env(),
            cwd=cwd or tmp_path,
            timeout=timeout,
        )
        return Ran(done.returncode, done.stdout, done.stderr, time.monotonic() - started)

    return run
