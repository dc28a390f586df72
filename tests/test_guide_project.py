"""The guide's Django project, its files unchanged (tests/guide/project), under its own test
command against the real PostgreSQL and MariaDB: `python manage.py test api.tests` and
pytest-django, with and without the app healthcheckx.contrib.django, each twice in a row. The
runner drops its test database at the end, which PostgreSQL refuses while a session is connected
to it: the health check that the guide's api/health.py builds from settings.DATABASES (renamed
to the test database by then) must not keep one. The first run must succeed and leave no test
database behind; the second must find none.

Then the same project driven request by request (tests/guide/drive_project.py), counting the
checks' sessions on the database as the server lists them: none after each response under the
test environment (sync and async views), one kept across requests otherwise.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List
from urllib.parse import urlsplit

import psycopg
import pymysql
import pytest

GUIDE = Path(__file__).parent / "guide"
PROJECT = GUIDE / "project"
EXAMPLE = Path(__file__).parents[1] / "examples" / "django_project"
# The guide's files that are kept elsewhere in the repository (see tests/guide/project/README.md).
ELSEWHERE = {
    "api/health.py": GUIDE / "settings_health.py",
    "api/tests.py": EXAMPLE / "api" / "tests.py",
    "manage.py": EXAMPLE / "manage.py",
}
_names = itertools.count()


class Engine:
    """A database server of the guide's settings (DB_* variables) and its admin queries."""

    def __init__(self, name: str, env: Dict[str, str], settings: List[str]) -> None:
        self.name = name
        self.env = env
        self.settings = settings  # lines added to the guide's settings (none for PostgreSQL)

    def execute(self, sql: str) -> List[Any]:
        if self.name == "postgresql":
            with psycopg.connect(
                host=self.env["DB_HOST"],
                port=self.env["DB_PORT"],
                user=self.env["DB_USER"],
                dbname="postgres",
                autocommit=True,
            ) as admin:
                cursor = admin.execute(sql)
                return cursor.fetchall() if cursor.description else []
        admin = pymysql.connect(
            host=self.env["DB_HOST"],
            port=int(self.env["DB_PORT"]),
            user=self.env["DB_USER"],
            password=self.env["DB_PASSWORD"],
            autocommit=True,
        )
        try:
            with admin.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())
        finally:
            admin.close()

    def databases(self, name: str) -> List[str]:
        if self.name == "postgresql":
            rows = self.execute(f"SELECT datname FROM pg_database WHERE datname = '{name}'")
        else:
            rows = self.execute(f"SHOW DATABASES LIKE '{name}'")
        return [row[0] for row in rows]

    def drop(self, name: str) -> None:
        if self.name == "postgresql":
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            self.execute(f"DROP DATABASE IF EXISTS `{name}`")


ENGINES = {
    "postgresql": Engine(
        "postgresql",
        # Trust authentication: the guide's default password is sent and ignored.
        {"DB_USER": "postgres", "DB_PASSWORD": "postgres", "DB_HOST": "127.0.0.1"},
        [],
    ),
    "mariadb": Engine(
        "mariadb",
        {"DB_USER": "root", "DB_PASSWORD": "", "DB_HOST": "127.0.0.1", "DB_PORT": "3306"},
        [
            "import pymysql",
            "pymysql.install_as_MySQLdb()",
            'DATABASES["default"]["ENGINE"] = "django.db.backends.mysql"',
        ],
    ),
}
APP = [
    'INSTALLED_APPS = [*INSTALLED_APPS, "healthcheckx.contrib.django"]',
    'HEALTHCHECKX = {"HEALTH": "api.health.health"}',
]


@pytest.fixture(params=sorted(ENGINES))
def engine(request, services) -> Engine:
    engine = ENGINES[request.param]
    if engine.name == "postgresql":
        engine.env["DB_PORT"] = str(urlsplit(services["HCX_POSTGRES_URL"]).port)
    return engine


def lay_out(root: Path, engine: Engine, app: bool, database: str, services) -> Dict[str, str]:
    """Copies the guide's project to `root`; returns the environment of its commands."""
    shutil.copytree(PROJECT, root)
    for name, source in ELSEWHERE.items():
        shutil.copyfile(source, root / name)
    lines = engine.settings + (APP if app else [])
    settings_module = "myproject.settings"
    if lines:
        # The guide's settings, unchanged, plus the lines of this variant.
        (root / "myproject" / "variant.py").write_text(
            "from .settings import *  # noqa: F403\n\n" + "\n".join(lines) + "\n"
        )
        settings_module = "myproject.variant"
    (root / "pytest.ini").write_text(
        f"[pytest]\nDJANGO_SETTINGS_MODULE = {settings_module}\npython_files = tests.py\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_"))
        and key not in ("DATABASE_URL", "RABBITMQ_URL", "MONGODB_URL", "REDIS_URL")
    }
    env.update(engine.env)
    env.update(
        {
            "DB_NAME": database,
            "REDIS_URL": services["HCX_REDIS_URL"],
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


@pytest.fixture
def database(engine) -> Iterator[str]:
    """A database name of this test; its test database is dropped afterwards if left behind."""
    name = f"hcx_guide_{os.getpid()}_{next(_names)}"
    yield name
    engine.drop(f"test_{name}")
    engine.drop(name)


def run(root: Path, env: Dict[str, str], *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *command],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,  # a leftover test database makes Django ask, and fail here
        capture_output=True,
        text=True,
        timeout=300,
    )


COMMANDS = {
    "manage.py test": (("manage.py", "test", "api.tests"), "Ran 4 tests"),
    "pytest-django": (("-m", "pytest", "-p", "no:cacheprovider", "api/tests.py"), "4 passed"),
}


@pytest.mark.parametrize("app", [False, True], ids=["guide-apps", "with-contrib-app"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_guide_tests_pass_twice_and_leave_no_test_database(
    tmp_path, services, engine, database, command, app
):
    root = tmp_path / "myproject"
    env = lay_out(root, engine, app, database, services)
    args, passed = COMMANDS[command]
    for attempt in (1, 2):
        completed = run(root, env, *args)
        output = completed.stdout + completed.stderr
        assert completed.returncode == 0, f"run {attempt}:\n{output}"
        assert passed in output, output
        assert "being accessed by other users" not in output, output
        assert "already exists" not in output, output
        assert engine.databases(f"test_{database}") == [], f"run {attempt} left it:\n{output}"


def drive(root: Path, env: Dict[str, str], mode: str) -> Dict[str, Any]:
    completed = run(root, env, str(GUIDE / "drive_project.py"), mode)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.parametrize("app", [False, True], ids=["guide-apps", "with-contrib-app"])
def test_under_the_test_environment_the_view_checks_then_closes(
    tmp_path, services, engine, database, app
):
    env = lay_out(tmp_path / "myproject", engine, app, database, services)
    report = drive(tmp_path / "myproject", env, "tests")
    assert report["database"] == f"test_{database}"
    # The sync view (WSGI), the async one (ASGI), and with the app its `healthcheck` command
    # (exit status 0).
    assert [step["code"] for step in report["steps"]] == [200, 200] + ([0] if app else []), report
    for step in report["steps"]:
        # It did check the test database (healthy: connected to it), and left no session on it.
        assert step["checks"] == {"database": "healthy", "cache": "healthy"}, report
        assert step["sessions"] == [], report
    assert engine.databases(f"test_{database}") == []


def test_in_production_the_check_keeps_one_connection_across_requests(
    tmp_path, services, engine, database
):
    engine.execute(
        f'CREATE DATABASE "{database}"'
        if engine.name == "postgresql"
        else f"CREATE DATABASE `{database}`"
    )
    env = lay_out(tmp_path / "myproject", engine, False, database, services)
    report = drive(tmp_path / "myproject", env, "production")
    sessions = [step["sessions"] for step in report["steps"]]
    assert all(step["checks"]["database"] == "healthy" for step in report["steps"]), report
    assert len(sessions[0]) == 1, report
    assert sessions == [sessions[0]] * 3, report  # the same server session every time
