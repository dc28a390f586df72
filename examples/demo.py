"""Checks a local SQLite database plus every service named by the environment.

    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgresql://postgres@127.0.0.1/postgres \
        python examples/demo.py

Prints one line per check like the Django guide's `manage.py healthcheck`; exits 1 when unhealthy.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from healthcheckx import Health, HealthStatus, overall_status

COLOURS = {"healthy": "\033[32;1m", "degraded": "\033[33;1m", "unhealthy": "\033[31;1m"}


def embedded_database() -> Path:
    """A SQLite file with one table: the demo's always-present dependency."""
    path = Path(tempfile.gettempdir()) / "healthcheckx-demo.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS visits (at REAL)")
        db.execute("INSERT INTO visits VALUES (?)", (time.time(),))
    return path


def build_health() -> Health:
    health = Health().sqlite_check(str(embedded_database()), name="sqlite")
    if url := os.getenv("REDIS_URL"):
        health.redis_check(url, name="redis")
    if url := os.getenv("DATABASE_URL"):
        health.postgresql_check(url, name="database")
    if url := os.getenv("MYSQL_URL"):
        health.mysql_check(url, name="mysql")
    if url := os.getenv("RABBITMQ_URL"):
        health.rabbitmq_check(url, name="message-queue")
    if url := os.getenv("MONGODB_URL"):
        health.mongodb_check(url, name="mongodb")
    return health


def main() -> int:
    health = build_health()
    colour = sys.stdout.isatty()
    print("Running health checks...")
    started = time.perf_counter()
    results = health.run()
    elapsed = (time.perf_counter() - started) * 1000
    for result in results:
        status = result.status.value
        if colour:
            status = f"{COLOURS[status]}{status}\033[0m"
        message = f" - {result.message}" if result.message else ""
        print(f"{result.name}: {status} ({result.duration_ms:.2f}ms){message}")
    overall = overall_status(results)
    print(f"overall: {overall} in {elapsed:.2f}ms ({len(results)} checks run concurrently)")
    return 1 if overall is HealthStatus.unhealthy else 0


if __name__ == "__main__":
    sys.exit(main())
