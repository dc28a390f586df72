"""Helpers of the Django tests (importable by name: test modules and conftest.py share them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
DATABASE = "hcx_django_tests"


def recreate_database(admin_url: str, name: str) -> None:
    """Drops (with its sessions) and creates database `name` on the server of `admin_url`."""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def count_connections(admin_url: str, name: str) -> int:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
        ).fetchone()
    assert row is not None
    return int(row[0])


def manage(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Runs the test project's manage.py in a subprocess."""
    return subprocess.run(
        [sys.executable, str(HERE / "manage.py"), *args],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
