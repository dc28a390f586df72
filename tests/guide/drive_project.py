"""Drives the guide's project (run from its directory) the way its tests and a server do: requests
to /health/ through Django's test clients, counting after each response the sessions that the
health checks hold on the database, as the server lists them. Prints one JSON object.

argv[1]: "tests" (django.test.utils.setup_test_environment() and a test database, as under
`manage.py test`; with the app healthcheckx.contrib.django installed, its `healthcheck` command
too) or "production" (neither: the database named by the settings).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import time
from typing import Any, Dict, List

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "myproject.settings")
sys.path.insert(0, os.getcwd())
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import AsyncClient, Client  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


def sessions(database: str) -> List[int]:
    """Server-side ids of the sessions on `database`, Django's own connections closed first (so
    that only the health checks' are left)."""
    connections.close_all()
    config: Dict[str, Any] = settings.DATABASES["default"]
    if "postgresql" in config["ENGINE"]:
        import psycopg

        with psycopg.connect(
            host=config["HOST"],
            port=config["PORT"],
            user=config["USER"],
            password=config["PASSWORD"],
            dbname="postgres",
            autocommit=True,
        ) as admin:
            rows = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)
            ).fetchall()
        return sorted(row[0] for row in rows)
    import pymysql

    admin = pymysql.connect(
        host=config["HOST"],
        port=int(config["PORT"]),
        user=config["USER"],
        password=config["PASSWORD"],
    )
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT ID FROM information_schema.PROCESSLIST"
                " WHERE DB = %s AND ID <> CONNECTION_ID()",
                (database,),
            )
            return sorted(row[0] for row in cursor.fetchall())
    finally:
        admin.close()


def settled(database: str, want: int, timeout: float = 3.0) -> List[int]:
    """`sessions(database)` once there are `want` of them, or as they are after `timeout`: a
    closed session ends on the server a moment after the client closed it."""
    deadline = time.monotonic() + timeout
    while True:
        found = sessions(database)
        if len(found) == want or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


def verdict(response: Any) -> Dict[str, Any]:
    body = response.json()
    return {
        "code": response.status_code,
        "checks": {check["name"]: check["status"] for check in body["checks"]},
    }


def under_tests() -> Dict[str, Any]:
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    database = connections["default"].settings_dict["NAME"]
    steps = []
    try:
        response = Client().get("/health/")
        steps.append({**verdict(response), "sessions": settled(database, 0)})
        response = asyncio.run(AsyncClient().get("/health/"))
        steps.append({**verdict(response), "sessions": settled(database, 0)})
        if "healthcheckx.contrib.django" in settings.INSTALLED_APPS:
            # The app's command, as a test calls it, on the Health of HEALTHCHECKX["HEALTH"].
            out = io.StringIO()
            try:
                call_command("healthcheck", "--json", stdout=out)
                code = 0
            except SystemExit as exc:
                code = exc.code
            body = json.loads(out.getvalue())
            steps.append(
                {
                    "code": code,
                    "checks": {check["name"]: check["status"] for check in body["checks"]},
                    "sessions": settled(database, 0),
                }
            )
    finally:
        connections.close_all()
        runner.teardown_databases(old_config)
        teardown_test_environment()
    return {"database": database, "steps": steps}


def in_production() -> Dict[str, Any]:
    database = settings.DATABASES["default"]["NAME"]
    client = Client(HTTP_HOST="localhost")
    steps = []
    for _ in range(3):
        steps.append({**verdict(client.get("/health/")), "sessions": settled(database, 1)})
    return {"database": database, "steps": steps}


if __name__ == "__main__":
    mode = sys.argv[1]
    print(json.dumps(under_tests() if mode == "tests" else in_production()))
