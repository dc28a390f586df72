"""The Django guide's health modules, copied verbatim into tests/guide/, run against the real
servers: each must work as written and give a true verdict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

GUIDE = Path(__file__).parent / "guide"


def run_snippet(module: str, env: dict) -> list:
    completed = subprocess.run(
        [sys.executable, str(GUIDE / "run_snippet.py"), module],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def postgres_settings(services: dict, name: str = "hcx_test") -> dict:
    url = urlsplit(services["HCX_POSTGRES_URL"])
    return {
        "HCX_GUIDE_DJANGO": "1",
        "HCX_GUIDE_DB_ENGINE": "django.db.backends.postgresql",
        "HCX_GUIDE_DB_NAME": name,
        "HCX_GUIDE_DB_USER": url.username or "postgres",
        "HCX_GUIDE_DB_PASSWORD": "postgres",
        "HCX_GUIDE_DB_HOST": url.hostname or "",
        "HCX_GUIDE_DB_PORT": str(url.port),
    }


def test_simple_example_with_environment_variables(services):
    results = run_snippet(
        "simple_health",
        {"REDIS_URL": services["HCX_REDIS_URL"], "DATABASE_URL": services["HCX_POSTGRES_URL"]},
    )
    assert results == [["redis", "healthy", None], ["database", "healthy", None]]


def test_simple_example_registers_nothing_without_variables():
    env = {"REDIS_URL": "", "DATABASE_URL": ""}
    assert run_snippet("simple_health", env) == []


def test_simple_example_reports_a_dead_redis(services, closed_port):
    results = run_snippet(
        "simple_health",
        {
            "REDIS_URL": f"redis://127.0.0.1:{closed_port}",
            "DATABASE_URL": services["HCX_POSTGRES_URL"],
        },
    )
    assert results == [
        ["redis", "unhealthy", "Connection refused"],
        ["database", "healthy", None],
    ]


def test_create_health_from_settings_with_every_service(services):
    env = {
        **postgres_settings(services),
        "HCX_GUIDE_CACHE_BACKEND": "django_redis.cache.RedisCache",
        "HCX_GUIDE_CACHE_LOCATION": services["HCX_REDIS_URL"],
        "RABBITMQ_URL": services["HCX_AMQP_URL"],
        "MONGODB_URL": services["HCX_MONGODB_URL"],
    }
    results = run_snippet("settings_health", env)
    assert results == [
        ["database", "healthy", None],
        ["cache", "healthy", None],
        ["message-queue", "healthy", None],
        ["mongodb", "healthy", None],
    ]


def test_create_health_mysql_branch_and_a_missing_database(services):
    env = {
        "HCX_GUIDE_DJANGO": "1",
        "HCX_GUIDE_DB_ENGINE": "django.db.backends.mysql",
        "HCX_GUIDE_DB_NAME": "no_such_db",
        "HCX_GUIDE_DB_USER": "root",
        "HCX_GUIDE_DB_PASSWORD": "",
        "HCX_GUIDE_DB_HOST": "127.0.0.1",
        "HCX_GUIDE_DB_PORT": "3306",
        "RABBITMQ_URL": "",
        "MONGODB_URL": "",
    }
    results = run_snippet("settings_health", env)
    assert results == [["database", "unhealthy", 'database "no_such_db" does not exist']]


def test_orm_check_and_native_check_side_by_side(services):
    results = run_snippet("orm_health", postgres_settings(services))
    assert results == [["django-db", "healthy", None], ["database", "healthy", None]]


def test_orm_check_reports_the_driver_error_under_its_own_name(services):
    results = run_snippet("orm_health", postgres_settings(services, name="no_such_db"))
    assert [r[:2] for r in results] == [["django-db", "unhealthy"], ["database", "unhealthy"]]
    assert "no_such_db" in results[0][2]
    assert results[1][2] == 'database "no_such_db" does not exist'


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", ["django-cache", "healthy", None]),
        # DummyCache stores nothing: the guide's check must notice that reads fail.
        (
            "django.core.cache.backends.dummy.DummyCache",
            ["django-cache", "unhealthy", "Cache read/write failed"],
        ),
    ],
)
def test_cache_framework_check(services, backend, expected):
    env = {
        "HCX_GUIDE_DJANGO": "1",
        "HCX_GUIDE_DB_ENGINE": "django.db.backends.sqlite3",
        "HCX_GUIDE_DB_NAME": ":memory:",
        "HCX_GUIDE_CACHE_BACKEND": backend,
    }
    assert run_snippet("cache_health", env) == [expected]
