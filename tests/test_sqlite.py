"""SQLite check: an existing database file answers a query; a missing one is reported and never
created (the predecessor created it and reported healthy)."""

from __future__ import annotations

import sqlite3

import checkhelpers
import pytest
from healthcheckx import Health, HealthStatus


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "app.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)")
    conn.close()
    return path


def test_existing_file_is_healthy(database):
    result = checkhelpers.run_one(Health().sqlite_check(str(database)))
    assert result.name == "sqlite"
    assert result.status is HealthStatus.healthy
    assert result.message is None
    assert result.error is None
    assert result.duration_ms is not None and result.duration_ms < 3000


def test_missing_file_is_unhealthy_and_not_created(tmp_path):
    missing = tmp_path / "missing.sqlite3"
    health = Health().sqlite_check(str(missing), name="db")
    for _ in range(2):
        result = checkhelpers.run_one(health)
        assert result.status is HealthStatus.unhealthy
        assert result.message == f'database file "{missing}" does not exist'
        assert result.error == result.message
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_in_memory_database_is_healthy():
    health = Health().sqlite_check(":memory:", name="mem").sqlite_check("sqlite://", name="url")
    assert [(r.name, r.status, r.message) for r in health.run()] == [
        ("mem", HealthStatus.healthy, None),
        ("url", HealthStatus.healthy, None),
    ]


def test_relative_and_absolute_url_forms(database, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    health = (
        Health()
        .sqlite_check(f"sqlite:///{database.name}", name="relative")
        .sqlite_check(f"sqlite:///{database}", name="absolute")  # sqlite:////tmp/...
        .sqlite_check("sqlite:///nothing-here.db", name="relative-missing")
    )
    assert f"sqlite:///{database}".startswith("sqlite:////")
    relative, absolute, missing = health.run()
    assert relative.status is HealthStatus.healthy, relative.message
    assert absolute.status is HealthStatus.healthy, absolute.message
    # Relative to the working directory, and named as given.
    assert missing.message == 'database file "nothing-here.db" does not exist'
    assert not (tmp_path / "nothing-here.db").exists()


def test_a_file_that_is_not_a_database_is_unhealthy(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are notes, not a database; " * 10)
    result = checkhelpers.run_one(Health().sqlite_check(str(path)))
    assert result.status is HealthStatus.unhealthy
    assert result.message == "SQLite error: file is not a database"
    assert path.read_text().startswith("these are notes")


def test_a_file_deleted_after_a_healthy_run_is_unhealthy_next_run(database):
    health = Health().sqlite_check(str(database))
    assert checkhelpers.run_one(health).status is HealthStatus.healthy
    database.unlink()
    result = checkhelpers.run_one(health)
    assert result.status is HealthStatus.unhealthy
    assert result.message == f'database file "{database}" does not exist'
    assert not database.exists()
