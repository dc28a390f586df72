"""The example project (examples/django_project) and the test project served for real:
gunicorn `--workers 4 --preload` (WSGI) and uvicorn (ASGI), requests over HTTP, dependencies
stopped and started under them, connection counts read from PostgreSQL."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
import pytest
import servers
from appservers import AppServer
from djangotest import HERE, count_connections, recreate_database

EXAMPLE = HERE.parents[1] / "examples" / "django_project"
EXAMPLE_DB = "hcx_django_example"
WORKERS = 4
CHECKS = ["database", "cache", "django-db", "django-cache", "message-queue", "mongodb"]


def request(server: AppServer, method: str, path: str, timeout: float = 30):
    """One request on its own connection: (status, headers, body bytes)."""
    connection = http.client.HTTPConnection(servers.LOOPBACK, server.port, timeout=timeout)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def get_json(server: AppServer, path: str):
    status, headers, body = request(server, "GET", path)
    return status, headers, json.loads(body)


def example_env(services: dict, **extra: str) -> dict:
    """The example's settings from the environment, as the guide's docker-compose sets them."""
    pg = urlsplit(services["HCX_PG_AUTH_URL"])
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")
    }
    env.update(
        {
            "DB_NAME": EXAMPLE_DB,
            "DB_USER": unquote(pg.username or ""),
            # '@', ':', '/' and '%': the password a hand-built URL would break on.
            "DB_PASSWORD": unquote(pg.password or ""),
            "DB_HOST": pg.hostname or "",
            "DB_PORT": str(pg.port),
            "RABBITMQ_URL": services["HCX_AMQP_URL"],
            "MONGODB_URL": services["HCX_MONGODB_URL"],
            "DJANGO_SETTINGS_MODULE": "myproject.settings",
            "PYTHONPATH": str(HERE.parents[1] / "python"),
        }
    )
    env.update(extra)
    return env


def example_manage(env: dict, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def checks_of(body: dict) -> dict:
    return {c["name"]: (c["status"], c.get("message")) for c in body["checks"]}


@pytest.fixture(scope="module")
def example_database(services):
    recreate_database(services["HCX_PG_AUTH_URL"], EXAMPLE_DB)
    return EXAMPLE_DB


@pytest.fixture(scope="module")
def gunicorn_example(services, redis_server, example_database):
    env = example_env(services, REDIS_URL=redis_server.url, DEBUG="False")
    migrated = example_manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    port = servers.free_port()
    argv = [sys.executable, "-m", "gunicorn", "--chdir", str(EXAMPLE), "--preload"]
    argv += ["--workers", str(WORKERS), "--bind", f"{servers.LOOPBACK}:{port}"]
    with AppServer("gunicorn", [*argv, "myproject.wsgi:application"], env, port) as server:
        yield server


def test_gunicorn_serves_every_view_of_the_guide(gunicorn_example):
    status, headers, body = get_json(gunicorn_example, "/health/")
    assert status == 200, body
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Type"] == "application/json"
    assert body["status"] == "healthy"
    assert checks_of(body) == {name: ("healthy", None) for name in CHECKS}
    for path in ("/ready/", "/startup/", "/health/csrf-exempt/"):
        status, headers, body = get_json(gunicorn_example, path)
        assert status == 200 and headers["Cache-Control"] == "no-store"
        assert [c["name"] for c in body["checks"]] == CHECKS
    assert get_json(gunicorn_example, "/healthz/")[::2] == (200, {"status": "ok"})

    status, _, custom = get_json(gunicorn_example, "/health/custom/")
    assert status == 200
    assert custom["application"] == "my-django-api" and custom["status"] == "healthy"
    assert [(s["name"], s["healthy"], s["error"]) for s in custom["services"]] == [
        (name, True, None) for name in CHECKS
    ]
    assert all(s["responseTime"].endswith("ms") for s in custom["services"])
    for path in ("/health/class/", "/health/drf/", "/health/drf-class/"):
        status, _, body = get_json(gunicorn_example, path)
        assert status == 200, path
        assert [(c["name"], c["status"], c["message"]) for c in body["checks"]] == [
            (name, "healthy", None) for name in CHECKS
        ]


def test_gunicorn_head_and_csrf(gunicorn_example):
    status, headers, body = request(gunicorn_example, "HEAD", "/health/")
    assert (status, body) == (200, b"")
    assert headers["Cache-Control"] == "no-store"
    # No CSRF token: the probe answers 405 (GET and HEAD only), it is not rejected with 403...
    for path in ("/health/", "/ready/", "/health/csrf-exempt/"):
        status, headers, _ = request(gunicorn_example, "POST", path)
        assert status == 405, path
        assert headers["Allow"] == "GET, HEAD"
    # ...while a plain view of the same project is (the CSRF middleware is active).
    assert request(gunicorn_example, "POST", "/health/custom/")[0] == 403
    assert request(gunicorn_example, "POST", "/health/drf/")[0] == 405


def test_gunicorn_redis_stopped_then_started_without_restart(gunicorn_example, redis_server):
    redis_server.stop()
    for _ in range(2 * WORKERS):
        status, _, body = get_json(gunicorn_example, "/health/")
        assert status == 503
        assert body["status"] == "unhealthy"
        checks = checks_of(body)
        assert checks["cache"] == ("unhealthy", "Connection refused")
        assert checks["django-cache"] == ("unhealthy", "Connection refused")
        assert {name: checks[name] for name in CHECKS if "cache" not in name} == {
            name: ("healthy", None) for name in CHECKS if "cache" not in name
        }
    redis_server.start()
    for _ in range(2 * WORKERS):
        status, _, body = get_json(gunicorn_example, "/health/")
        assert status == 200, body
        assert checks_of(body) == {name: ("healthy", None) for name in CHECKS}
    assert "Health check: 503 in " in gunicorn_example.log


def test_gunicorn_200_concurrent_requests(gunicorn_example):
    barrier = threading.Barrier(200)

    def probe(_):
        barrier.wait()
        return get_json(gunicorn_example, "/health/")

    with ThreadPoolExecutor(200) as pool:
        answers = list(pool.map(probe, range(200)))
    assert len(answers) == 200
    for status, headers, body in answers:
        assert status == 200
        assert headers["Cache-Control"] == "no-store"
        assert checks_of(body) == {name: ("healthy", None) for name in CHECKS}


def worker_pids(master: int) -> list:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def ports_held(pids: list, port: int) -> dict:
    """For each process: local ports of the TCP connections it holds to 127.0.0.1:`port`."""
    by_inode = {}
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if remote == f"0100007F:{port:04X}" and state == "01":
                by_inode[inode] = int(local.split(":")[1], 16)
    held = {}
    for pid in pids:
        ports = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in by_inode:
                ports.add(by_inode[target[8:-1]])
        held[pid] = ports
    return held


def test_gunicorn_postgres_connections_stay_bounded(gunicorn_example, services, capsys):
    """Across 2,000 requests, the pg_stat_activity rows of the example's database that belong
    to a connection a worker holds (matched by client port) never exceed 2 per worker: the
    native check's kept connection, and "django-db"'s while it runs."""
    admin = services["HCX_PG_AUTH_URL"]
    pg_port = urlsplit(admin).port
    deadline = time.monotonic() + 30
    while len(workers := worker_pids(gunicorn_example.proc.pid)) < WORKERS:
        assert time.monotonic() < deadline, workers
        time.sleep(0.1)
    per_worker, rows = [], []
    done = threading.Event()

    def monitor():
        with psycopg.connect(admin, autocommit=True) as connection:
            while not done.is_set():
                ports = {
                    port
                    for (port,) in connection.execute(
                        "SELECT client_port FROM pg_stat_activity WHERE datname = %s",
                        (EXAMPLE_DB,),
                    )
                }
                rows.append(len(ports))
                held = ports_held(workers, pg_port)
                per_worker.append(max(len(ports & held[pid]) for pid in workers))
                time.sleep(0.005)

    watcher = threading.Thread(target=monitor)
    watcher.start()
    answers = []
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(16) as pool:
            answers = list(
                pool.map(lambda _: request(gunicorn_example, "GET", "/health/"), range(2000))
            )
    finally:
        elapsed = time.monotonic() - started
        done.set()
        watcher.join()
    after = count_connections(admin, EXAMPLE_DB)
    with capsys.disabled():
        print(
            f"\n[django] 2000 requests to /health/ under gunicorn --workers {WORKERS}: "
            f"{2000 / elapsed:.0f} requests/s; pg_stat_activity over {len(rows)} samples: "
            f"at most {max(per_worker)} held by one worker, {max(rows)} rows in all "
            f"(closing ones included), {after} after"
        )
    failures = [body for status, _, body in answers if status != 200]
    assert failures == []
    assert len(rows) > 10
    assert max(per_worker) <= 2
    # After the load: the one connection each worker's native check keeps.
    assert after == WORKERS


# ----------------------------------------------------------------- ASGI (uvicorn)


def test_asgi_health_does_not_block_the_event_loop(project_env, tarpit):
    port = servers.free_port()
    env = {
        **project_env,
        "HCX_DJANGO_HEALTH": "testproject.health.stuck",
        "HCX_DJANGO_TARPIT_PORT": str(tarpit),
    }
    argv = [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "--port", str(port)]
    argv += ["--workers", "1", "--log-level", "warning", "testproject.asgi:application"]
    with AppServer("uvicorn", argv, env, port) as server, ThreadPoolExecutor(24) as pool:
        started = time.monotonic()
        stuck = [pool.submit(get_json, server, "/health/") for _ in range(20)]
        time.sleep(0.3)  # every /health/ request is now waiting on the tarpit
        fast = []
        for path in ("/healthz/", "/ping/") * 5:
            t0 = time.monotonic()
            status, _, _ = request(server, "GET", path)
            fast.append((path, status, time.monotonic() - t0))
        answers = [future.result() for future in stuck]
        elapsed = time.monotonic() - started
    assert all(status == 200 for _, status, _ in fast)
    assert max(duration for _, _, duration in fast) < 0.05, fast
    for status, headers, body in answers:
        assert status == 503
        assert headers["Cache-Control"] == "no-store"
        # HEALTHCHECKX["DEADLINE"] (0.8 s by default) caps the check's own 2 s.
        assert checks_of(body) == {"stuck": ("unhealthy", "timed out after 0.8s")}
    # The 20 requests shared one run: all answered after one deadline, not twenty.
    assert elapsed < 3.5


def test_example_under_asgi(services, redis_server, example_database):
    env = example_env(services, REDIS_URL=redis_server.url)
    assert example_manage(env, "migrate", "--noinput").returncode == 0
    port = servers.free_port()
    argv = [sys.executable, "-m", "uvicorn", "--app-dir", str(EXAMPLE), "--port", str(port)]
    with AppServer("uvicorn", [*argv, "myproject.asgi:application"], env, port) as server:
        status, headers, body = get_json(server, "/health/")
        assert status == 200
        assert checks_of(body) == {name: ("healthy", None) for name in CHECKS}
        assert get_json(server, "/health/drf/")[0] == 200
        assert request(server, "HEAD", "/ready/")[0] == 200


# ------------------------------------------------------------ the example's own


def test_example_own_tests_pass_with_postgresql_and_redis(services, redis_server, example_database):
    env = example_env(services, REDIS_URL=redis_server.url)
    completed = example_manage(env, "test", "api.tests")
    assert completed.returncode == 0, completed.stderr
    assert "Ran 4 tests" in completed.stderr and "\nOK" in completed.stderr


def test_example_own_tests_pass_with_no_server(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DB_", "REDIS_", "RABBITMQ_", "MONGODB_", "DJANGO_"))
    }
    env["PYTHONPATH"] = str(HERE.parents[1] / "python")
    env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")
    env["STATIC_ROOT"] = str(tmp_path / "static")
    completed = example_manage(env, "test", "api.tests")
    assert completed.returncode == 0, completed.stderr
    assert "Ran 4 tests" in completed.stderr and "\nOK" in completed.stderr
    # The guide's Dockerfile step.
    assert example_manage(env, "collectstatic", "--noinput").returncode == 0
    assert (tmp_path / "static" / "admin").is_dir()
    # The demo's path: migrate, then the guide's command, all healthy on SQLite.
    assert example_manage(env, "migrate", "--noinput").returncode == 0
    command = example_manage(env, "healthcheck")
    assert command.returncode == 0, command.stdout
    assert [line.split(": ")[0] for line in command.stdout.splitlines()[1:]] == [
        "database",
        "django-db",
        "django-cache",
    ]


def test_example_healthcheck_command(services, redis_server, example_database, closed_port):
    env = example_env(services, REDIS_URL=redis_server.url)
    assert example_manage(env, "migrate", "--noinput").returncode == 0
    healthy = example_manage(env, "healthcheck")
    assert healthy.returncode == 0, healthy.stderr
    lines = healthy.stdout.splitlines()
    assert lines[0] == "Running health checks..."
    assert [line.split(": ")[0] for line in lines[1:]] == CHECKS
    assert all(": healthy (" in line and line.endswith("ms)") for line in lines[1:])

    env["REDIS_URL"] = f"redis://127.0.0.1:{closed_port}/1"
    unhealthy = example_manage(env, "healthcheck")
    assert unhealthy.returncode == 1
    lines = dict(line.split(": ", 1) for line in unhealthy.stdout.splitlines()[1:])
    assert lines["cache"].startswith("unhealthy (")
    assert lines["cache"].endswith("ms) - Connection refused")
    assert lines["database"].startswith("healthy (")

    # A broken URL fails `manage.py check`, naming the check, before any request.
    env["REDIS_URL"] = "redis://127.0.0.1:notaport/1"
    check = example_manage(env, "check")
    assert check.returncode == 1
    assert 'check "cache"' in check.stderr
