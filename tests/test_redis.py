"""The Redis check against real servers: verdicts, messages, secrets, deadlines, restarts,
connection reuse, single-flight and the URL forms.

Servers: the machine's Redis (HCX_REDIS_URL), the private password/ACL Redis
(HCX_REDIS_AUTH_URL: requirepass for `default`, ACL user hcx) and the restartable
`redis_server` of this module (TCP and unix socket), on which server-side counters are read.
"""

from __future__ import annotations

import socket
import urllib.parse

import pytest
from checkhelpers import (
    assert_healthy,
    assert_hides,
    assert_unhealthy,
    run_one,
    run_while_frozen,
)
from healthcheckx import Health


class RedisProbe:
    """One raw RESP connection for reading server counters: opened before the
    measurement, so the probe adds no connection and no PING to what it measures."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.reader = self.sock.makefile("rb")

    def info(self, section: str) -> dict[str, str]:
        args = [b"INFO", section.encode()]
        request = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
        self.sock.sendall(request)
        header = self.reader.readline()
        assert header.startswith(b"$"), header
        body = self.reader.read(int(header[1:]) + 2).decode()
        pairs = (line.split(":", 1) for line in body.splitlines() if ":" in line)
        return {key: value for key, value in pairs}

    def connections_received(self) -> int:
        return int(self.info("stats")["total_connections_received"])

    def pings(self) -> int:
        stat = self.info("commandstats").get("cmdstat_ping", "calls=0")
        return int(stat.split(",")[0].removeprefix("calls="))

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


@pytest.fixture
def probe(redis_server):
    p = RedisProbe(redis_server.port)
    try:
        yield p
    finally:
        p.close()


def _auth_base(services) -> str:
    """host:port of the password-protected Redis."""
    parts = urllib.parse.urlsplit(services["HCX_REDIS_AUTH_URL"])
    return f"{parts.hostname}:{parts.port}"


# ------------------------------------------------------------ verdicts


def test_healthy_against_the_real_server(services, redis_server):
    results = (
        Health()
        .redis_check(services["HCX_REDIS_URL"])
        .redis_check(redis_server.url, timeout=1, name="private")
        .run()
    )
    assert_healthy(results[0], name="redis")
    assert_healthy(results[1], name="private")


def test_no_password_against_a_protected_server(services):
    result = run_one(Health().redis_check(f"redis://{_auth_base(services)}/0"))
    assert_unhealthy(result)
    assert result.message.startswith("authentication required"), result


def test_the_real_password_never_appears_in_any_failure(services):
    password = services["HCX_AUTH_PASSWORD"]
    encoded = urllib.parse.quote(password, safe="")
    base = _auth_base(services)
    results = (
        Health()
        .redis_check(f"redis://hcx:{encoded}@{base}/99", name="no-db")
        .redis_check(f"redis://nobody:{encoded}@{base}/0", name="no-user")
        .redis_check(f"redis://:{encoded}@{base}/99", name="default-no-db")
        .run()
    )
    by_name = {r.name: r for r in results}
    assert_unhealthy(by_name["no-db"], 'database "99" does not exist')
    assert_unhealthy(by_name["no-user"], 'authentication failed for user "nobody"')
    assert_unhealthy(by_name["default-no-db"], 'database "99" does not exist')
    for result in results:
        assert_hides(result, password)
    # Written without percent-encoding, the URL cannot be parsed: the error hides it too.
    with pytest.raises(ValueError) as raised:
        Health().redis_check(f"redis://hcx:{password}@{base}/0")
    assert "redis" in str(raised.value)
    assert password not in str(raised.value) and encoded not in str(raised.value)


def test_database_index_out_of_range(services):
    netloc = urllib.parse.urlsplit(services["HCX_REDIS_URL"]).netloc
    result = run_one(Health().redis_check(f"redis://{netloc}/99"))
    assert_unhealthy(result, 'database "99" does not exist')


# ------------------------------------------------------------ restarts


def test_a_kept_connection_to_a_restarted_server_is_replaced(redis_server):
    health = Health().redis_check(redis_server.url, timeout=1)
    assert_healthy(run_one(health))
    redis_server.kill()
    redis_server.start()
    probe = RedisProbe(redis_server.port)
    try:
        before = probe.connections_received()
        # The first run after the crash is already healthy: the dead socket is not the verdict.
        assert_healthy(run_one(health))
        assert probe.connections_received() - before == 1
    finally:
        probe.close()


def test_unix_socket_of_a_stopped_server_is_reported_missing(redis_server):
    health = Health().redis_check(f"unix://{redis_server.socket_path}", timeout=1)
    assert_healthy(run_one(health))
    redis_server.stop()
    assert_unhealthy(run_one(health), f'socket "{redis_server.socket_path}" does not exist')
    redis_server.start()
    assert_healthy(run_one(health))


# ---------------------------------------------------- connection reuse


def test_twenty_runs_open_one_connection(redis_server, probe):
    before = probe.connections_received()
    health = Health().redis_check(redis_server.url, timeout=1)
    for _ in range(20):
        assert_healthy(run_one(health))
    assert probe.connections_received() - before == 1
    assert probe.pings() >= 20
    clients = int(probe.info("clients")["connected_clients"])
    assert clients == 2  # the probe and the check's kept connection


def test_fifty_simultaneous_runs_share_one_round_trip(redis_server, probe):
    connections, pings = probe.connections_received(), probe.pings()
    health = Health().redis_check(redis_server.url)
    results, _ = run_while_frozen(health, redis_server.proc.pid)
    assert len(results) == 50
    for result in results:
        assert_healthy(result[0])
    assert probe.connections_received() - connections == 1
    assert probe.pings() - pings == 1


# ----------------------------------------------------------- URL forms


def test_url_forms(services, redis_server):
    port = redis_server.port
    password = urllib.parse.quote(services["HCX_AUTH_PASSWORD"], safe="")
    base = _auth_base(services)
    health = (
        Health()
        .redis_check(f"redis://127.0.0.1:{port}", name="no-db")
        .redis_check(f"redis://127.0.0.1:{port}/3", name="db-3")
        .redis_check(f"redis://localhost:{port}/0", name="host-name")
        .redis_check(services["HCX_REDIS_AUTH_URL"], name="acl-user")
        .redis_check(f"redis://:{password}@{base}/0", name="requirepass")
        .redis_check(f"unix://{redis_server.socket_path}", name="unix")
        .redis_check(f"redis+unix://{redis_server.socket_path}?db=3", name="redis+unix")
    )
    results = health.run()
    assert [r.name for r in results] == [
        "no-db",
        "db-3",
        "host-name",
        "acl-user",
        "requirepass",
        "unix",
        "redis+unix",
    ]
    for result in results:
        assert_healthy(result)


def test_unix_socket_url_failures(redis_server, tmp_path):
    missing = tmp_path / "redis.sock"
    wrong_db, no_socket = (
        Health()
        .redis_check(f"redis+unix://{redis_server.socket_path}?db=99", name="wrong-db")
        .redis_check(f"unix://{missing}", name="no-socket")
        .run()
    )
    assert_unhealthy(wrong_db, 'database "99" does not exist')
    assert_unhealthy(no_socket, f'socket "{missing}" does not exist')


def test_rediss_is_accepted_and_connects(closed_port):
    # Configuration only: no TLS Redis runs here. The URL registers and the check goes out
    # to the network (a refused port, not a configuration error).
    health = Health().redis_check(f"rediss://127.0.0.1:{closed_port}/0", name="tls")
    assert_unhealthy(run_one(health), "Connection refused")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379", "redis://", "127.0.0.1:6379", "redis://127.0.0.1:notaport"]
)
def test_unusable_urls_are_rejected_at_registration(url):
    with pytest.raises(ValueError, match='check "redis"'):
        Health().redis_check(url)
