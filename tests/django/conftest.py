"""Fixtures of the Django tests: the test project (tests/django/testproject) set up in this
process, its PostgreSQL database created afresh, and helpers to run its manage.py.

Fixtures:
  django_project   session  Django set up with testproject.settings (autouse here)
  project_env      session  environment for subprocesses running the test project
  project_health   function the module testproject.health (its Health objects)
"""

from __future__ import annotations

import os
import sqlite3
import sys

import pytest
from djangotest import DATABASE, HERE, recreate_database


@pytest.fixture(scope="session")
def project_env(services, tmp_path_factory) -> dict:
    env = {
        **os.environ,
        **services,
        "DJANGO_SETTINGS_MODULE": "testproject.settings",
        "HCX_DJANGO_DB": DATABASE,
        "HCX_DJANGO_SQLITE": str(tmp_path_factory.mktemp("django") / "tests.sqlite3"),
        "PYTHONPATH": os.pathsep.join(
            [str(HERE), str(HERE.parents[1] / "python"), os.environ.get("PYTHONPATH", "")]
        ),
    }
    return env


@pytest.fixture(scope="session", autouse=True)
def django_project(project_env, services):
    recreate_database(project_env["HCX_PG_AUTH_URL"], DATABASE)
    sqlite3.connect(project_env["HCX_DJANGO_SQLITE"]).close()
    for key, value in services.items():
        os.environ.setdefault(key, value)  # read by testproject.health when imported
    # The settings module is read once, by django.setup(): the variables that name it are not
    # left behind for the tests of other frameworks that run later in this session.
    private = ("DJANGO_SETTINGS_MODULE", "HCX_DJANGO_DB", "HCX_DJANGO_SQLITE")
    saved = {key: os.environ.get(key) for key in private}
    os.environ.update({key: project_env[key] for key in private})
    sys.path.insert(0, str(HERE))
    try:
        import django

        django.setup()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture
def project_health(django_project):
    """The module testproject.health (imported once the environment is set)."""
    from testproject import health

    return health
