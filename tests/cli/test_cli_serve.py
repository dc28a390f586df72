"""`healthcheckx serve`: /health /livez /readyz /startupz /metrics from a background refresh;
SIGTERM and SIGINT stop it after the requests in flight are answered."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import clean_env

# Each test runs the built command (and most, the servers): not a pure-logic test.
pytestmark = pytest.mark.servers


@contextmanager
def serving(cli: str, *args: str, cwd: Path | None = None):
    """Starts `healthcheckx serve --listen 127.0.0.1:0 ARGS`; yields (process, port)."""
    proc = subprocess.Popen(
        [cli, "serve", "--listen", "127.0.0.1:0", *args],
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        cwd=cwd,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"on http://127\.0\.0\.1:(\d+) ", line)
        if not match:
            proc.kill()
            pytest.fail(f"serve did not start: {line}{proc.stderr.read()}")
        yield proc, int(match.group(1))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def get(
    port: int, path: str, method: str = "GET", headers: dict | None = None, timeout: float = 10
):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "hc.toml"
    path.write_text(text)
    return str(path)


def test_the_probes_answer(cli, services, closed_port, tmp_path):
    file = config(
        tmp_path,
        f"""
[checks.cache]
url = "{services["HCX_REDIS_URL"]}"
tags = ["ready", "startup"]

[checks.database]
url = "{services["HCX_POSTGRES_URL"]}"
tags = ["startup"]

[checks.search]
url = "tcp://127.0.0.1:{closed_port}"
""",
    )
    with serving(cli, "--config", file, "--ready-tags", "ready", "--startup-tags", "startup") as (
        proc,
        port,
    ):
        status, headers, body = get(port, "/health")
        assert status == 503
        assert headers["content-type"] == "application/json"
        assert headers["cache-control"] == "no-store"
        data = json.loads(body)
        assert data["status"] == "unhealthy"
        assert [c["name"] for c in data["checks"]] == ["cache", "database", "search"]
        assert data["checks"][2]["message"] == "Connection refused"

        status, _, body = get(port, "/readyz")
        assert status == 200
        assert [c["name"] for c in json.loads(body)["checks"]] == ["cache"]
        status, _, body = get(port, "/startupz")
        assert status == 200
        assert [c["name"] for c in json.loads(body)["checks"]] == ["cache", "database"]

        status, _, body = get(port, "/livez")
        assert (status, json.loads(body)) == (200, {"status": "ok"})

        status, headers, body = get(port, "/metrics")
        assert status == 200
        assert headers["content-type"].startswith("text/plain; version=0.0.4")
        assert re.search(r'^healthcheckx_check_up\{check="search"[^}]*\} 0$', body, re.M), body
        assert re.search(r'^healthcheckx_check_up\{check="cache"[^}]*\} 1$', body, re.M), body
        assert re.search(r"^healthcheckx_up 0$", body, re.M), body

        status, headers, body = get(port, "/health", method="HEAD")
        assert status == 503 and body == ""
        status, _, body = get(port, "/health?format=text")
        assert status == 503 and body.endswith("healthz check failed\n")
        status, _, body = get(port, "/health?format=xml")
        assert status == 406 and "unknown format" in body
        status, _, _ = get(port, "/nothing")
        assert status == 404
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0


def test_answers_come_from_the_background_refresh_not_one_run_per_request(cli, services):
    with serving(
        cli, "--interval", "60s", services["HCX_REDIS_URL"], services["HCX_POSTGRES_URL"]
    ) as (
        proc,
        port,
    ):
        bodies = {get(port, "/health")[2] for _ in range(20)}
        # Every request got the very same report (same durations): nothing ran per request.
        assert len(bodies) == 1, bodies
        proc.terminate()
        assert proc.wait(timeout=5) == 0


def test_the_refresh_sees_a_service_come_up(cli):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    try:
        with serving(cli, "--interval", "200ms", f"--check=late=tcp://127.0.0.1:{port}") as (
            proc,
            server_port,
        ):
            assert get(server_port, "/health")[0] == 503
            sock.listen(8)
            deadline = time.monotonic() + 5
            while get(server_port, "/health")[0] != 200:
                assert time.monotonic() < deadline, "the refresh never saw the port open"
                time.sleep(0.05)
            proc.terminate()
            assert proc.wait(timeout=5) == 0
    finally:
        sock.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_mid_request_answers_it_then_exits_0(cli, tarpit, tmp_path, sig):
    file = config(
        tmp_path,
        f"""
[checks.pit]
url = "redis://127.0.0.1:{tarpit}"
timeout = 1.5
""",
    )
    with serving(cli, "--config", file) as (proc, port):
        answers: list = []
        request = threading.Thread(target=lambda: answers.append(get(port, "/health")))
        started = time.monotonic()
        request.start()  # joins the first run, which takes 1.5 s
        time.sleep(0.4)
        proc.send_signal(sig)
        request.join(timeout=10)
        assert proc.wait(timeout=10) == 0
        stopped = time.monotonic() - started
        assert answers, "the request in flight got no answer"
        status, _, body = answers[0]
        assert status == 503
        assert json.loads(body)["checks"][0]["message"] == "timed out after 1.5s"
        assert 1.4 <= stopped < 4, stopped
        assert proc.stderr is not None
        assert proc.stderr.read().strip() == "healthcheckx: stopped"
        with pytest.raises(OSError):
            get(port, "/livez", timeout=1)


def test_hide_details_leaves_out_messages(cli, closed_port):
    with serving(cli, "--hide-details", f"tcp://127.0.0.1:{closed_port}") as (proc, port):
        status, _, body = get(port, "/health")
        assert status == 503
        assert json.loads(body)["checks"] == [{"name": "tcp", "status": "unhealthy"}]
        proc.terminate()
        proc.wait(timeout=5)


def test_an_address_in_use_exits_2(run_cli, services):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        port = sock.getsockname()[1]
        ran = run_cli("serve", "--listen", f"127.0.0.1:{port}", services["HCX_REDIS_URL"])
    finally:
        sock.close()
    assert ran.code == 2
    assert (
        ran.err
        == f"healthcheckx: --listen 127.0.0.1:{port}: cannot listen: Address already in use\n"
    )


def test_ready_tags_no_check_carries_exit_2(run_cli, services):
    ran = run_cli("serve", "--ready-tags", "ready", services["HCX_REDIS_URL"])
    assert ran.code == 2
    assert ran.err == "healthcheckx: --ready-tags: no check carries the tag ready\n"


def test_the_console_script_serves_and_stops(console, services):
    with serving(console, services["HCX_REDIS_URL"]) as (proc, port):
        status, _, body = get(port, "/health")
        assert status == 200 and json.loads(body)["checks"][0]["name"] == "redis"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
