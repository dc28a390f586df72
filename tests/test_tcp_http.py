"""TCP check (a connection accepted) and HTTP check (a GET answered with the expected status),
against local servers."""

from __future__ import annotations

import base64
import http.server
import threading
import urllib.parse

import checkhelpers
import pytest
from healthcheckx import Health, HealthStatus

UNRESOLVABLE = "no-such-host.invalid"  # .invalid never resolves (RFC 6761)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the check can reuse its connection

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.requests.append((self.path, self.headers.get("Authorization")))
        status = 200 if self.path in ("/health", "/") else 404
        body = b'{"ok": true}' if status == 200 else b"not found"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="http-server", daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _url(server, path: str = "/health", userinfo: str = "") -> str:
    return f"http://{userinfo}127.0.0.1:{server.server_address[1]}{path}"


# ------------------------------------------------------------------ TCP


def test_tcp_accepting_port_is_healthy(http_server):
    result = checkhelpers.run_one(Health().tcp_check("127.0.0.1", http_server.server_address[1]))
    assert result.name == "tcp"
    assert result.status is HealthStatus.healthy
    assert result.message is None
    assert 0 < result.duration_ms < 2000


def test_tcp_silent_server_is_healthy_because_the_connection_is_accepted(tarpit):
    result = checkhelpers.run_one(Health().tcp_check("127.0.0.1", tarpit, timeout=0.5))
    assert result.status is HealthStatus.healthy
    assert result.duration_ms < 500


def test_tcp_unresolvable_host_names_the_host():
    result = checkhelpers.run_one(Health().tcp_check(UNRESOLVABLE, 80))
    assert result.status is HealthStatus.unhealthy
    assert result.message == f'name resolution failed for "{UNRESOLVABLE}"'


# ----------------------------------------------------------------- HTTP


def test_http_expected_status_is_healthy(http_server):
    health = Health().http_check(_url(http_server), expect_status=200)
    result = checkhelpers.run_one(health)
    assert result.name == "http"
    assert result.status is HealthStatus.healthy
    assert result.message is None
    assert result.error is None
    assert http_server.requests[-1][0] == "/health"


def test_http_other_status_is_unhealthy_with_both_statuses(http_server):
    result = checkhelpers.run_one(
        Health().http_check(_url(http_server, "/missing"), expect_status=200)
    )
    assert result.status is HealthStatus.unhealthy
    assert result.message == "unexpected HTTP status 404 (expected 200)"
    assert result.error == result.message
    # expect_status is really compared: 404 is healthy when 404 is expected.
    expecting_404 = Health().http_check(_url(http_server, "/missing"), expect_status=404)
    assert checkhelpers.run_one(expecting_404).status is HealthStatus.healthy


def test_http_unresolvable_host_names_the_host():
    result = checkhelpers.run_one(Health().http_check(f"http://{UNRESOLVABLE}/health"))
    assert result.message == f'name resolution failed for "{UNRESOLVABLE}"'


def test_http_password_in_the_url_is_never_echoed(http_server):
    password = "s3cr:t@pw/%"
    userinfo = f"monitor:{urllib.parse.quote(password, safe='')}@"
    health = (
        Health()
        .http_check(_url(http_server, userinfo=userinfo), name="ok")
        .http_check(_url(http_server, "/missing", userinfo=userinfo), name="404")
        .http_check(f"http://{userinfo}{UNRESOLVABLE}/", name="dns")
    )
    results = health.run()
    assert [r.status for r in results] == [HealthStatus.healthy] + [HealthStatus.unhealthy] * 2
    assert [r.message for r in results[1:]] == [
        "unexpected HTTP status 404 (expected 200)",
        f'name resolution failed for "{UNRESOLVABLE}"',
    ]
    # The credentials are sent as HTTP basic authentication, decoded.
    credentials = base64.b64encode(f"monitor:{password}".encode()).decode()
    assert sorted(http_server.requests) == [
        ("/health", f"Basic {credentials}"),
        ("/missing", f"Basic {credentials}"),
    ]
    for result in results:
        checkhelpers.assert_hides(result, password)
    checkhelpers.assert_no_secret(password, repr(health))
    with pytest.raises(ValueError) as info:
        Health().http_check(f"gopher://{userinfo}example.com/")
    checkhelpers.assert_no_secret(password, info.value)


def test_http_connection_is_reused_across_runs(http_server):
    health = Health().http_check(_url(http_server))
    port = http_server.server_address[1]
    assert checkhelpers.run_one(health).status is HealthStatus.healthy
    ours = checkhelpers.connections_to(port)
    for _ in range(5):
        assert checkhelpers.run_one(health).status is HealthStatus.healthy
        assert checkhelpers.connections_to(port) == ours
    assert len(ours) == 1, ours
    assert len(http_server.requests) == 6  # every run is a real request
