"""The Memcached check against real servers: verdicts, messages, deadlines, restarts, connection
reuse and the host/port/URL forms.

Servers: the machine's memcached (HCX_MEMCACHED_URL, from tests/machine.py) and the
restartable `memcached_server` of this module, whose `stats` counters are read. Memcached has no
authentication in this setup (its text protocol has none unless started with `-Y`, and the
predecessor's `memcached_check` takes no credentials), so there is no wrong-credentials case: a URL
with credentials is refused at registration instead.
"""

from __future__ import annotations

import socket
import urllib.parse

import pytest
from checkhelpers import (
    assert_healthy,
    assert_unhealthy,
    connections_to,
    run_one,
    run_while_frozen,
    steady,
)
from healthcheckx import Health


class MemcachedProbe:
    """One raw connection reading `stats`, opened before the measurement."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.reader = self.sock.makefile("rb")

    def stats(self) -> dict[str, str]:
        self.sock.sendall(b"stats\r\n")
        values = {}
        while (line := self.reader.readline().decode().strip()) != "END":
            _, key, value = line.split(" ", 2)
            values[key] = value
        return values

    def connections(self) -> int:
        """Connections the server accepted since it started."""
        return int(self.stats()["total_connections"])

    def settled_connections(self) -> int:
        """`connections()` once it stops moving: memcached counts a connection on its listener
        thread, after the client saw it accepted, so probes made just before (the per-test guard's,
        a restart's readiness wait) may still be uncounted."""
        return steady(self.connections)

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


@pytest.fixture
def probe(memcached_server):
    p = MemcachedProbe(memcached_server.port)
    try:
        yield p
    finally:
        p.close()


def _machine_host_port(services) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(services["HCX_MEMCACHED_URL"])
    assert parts.hostname and parts.port, services["HCX_MEMCACHED_URL"]
    return parts.hostname, parts.port


# ------------------------------------------------------------ verdicts


def test_healthy_in_every_form(services, memcached_server):
    host, port = _machine_host_port(services)
    results = (
        Health()
        .memcached_check(host, port)
        .memcached_check(services["HCX_MEMCACHED_URL"], name="url")
        .memcached_check("localhost", memcached_server.port, name="host-name")
        .memcached_check(memcached_server.url, name="private")
        .memcached_check("memcached://127.0.0.1", port=memcached_server.port, name="url-no-port")
        .run()
    )
    assert_healthy(results[0], name="memcached")
    for result in results[1:]:
        assert_healthy(result)


def test_another_service_on_the_port_is_named(services):
    # Redis answers `version` with an error line: the check shows it, so a wrong port is plain.
    redis = urllib.parse.urlsplit(services["HCX_REDIS_URL"])
    result = run_one(Health().memcached_check(redis.hostname, redis.port))
    assert_unhealthy(result)
    assert result.message.startswith("unexpected answer to version: -ERR unknown command"), result


def test_unknown_host_is_a_name_resolution_failure():
    result = run_one(Health().memcached_check("cache.invalid", 11211))
    assert_unhealthy(result, 'name resolution failed for "cache.invalid"')


# ------------------------------------------------------------ restarts


def test_a_kept_connection_to_a_restarted_server_is_replaced(memcached_server):
    health = Health().memcached_check(memcached_server.url, timeout=1)
    assert_healthy(run_one(health))
    memcached_server.kill()
    memcached_server.start()
    probe = MemcachedProbe(memcached_server.port)
    try:
        before = probe.settled_connections()
        # The first run after the crash is already healthy: the dead socket is not the verdict.
        assert_healthy(run_one(health))
        assert probe.connections() - before == 1
    finally:
        probe.close()


# ---------------------------------------------------- connection reuse


def test_twenty_runs_open_one_connection(memcached_server, probe):
    before = probe.settled_connections()
    health = Health().memcached_check(memcached_server.url, timeout=1)
    ports = set()
    for _ in range(20):
        assert_healthy(run_one(health))
        ports |= connections_to(memcached_server.port)
    assert probe.connections() - before == 1
    # The probe's own connection and the check's kept one.
    assert int(probe.stats()["curr_connections"]) >= 2
    assert len(ports - {probe.sock.getsockname()[1]}) == 1


def test_fifty_simultaneous_runs_share_one_round_trip(memcached_server, probe):
    before = probe.settled_connections()
    health = Health().memcached_check(memcached_server.url)
    results, _ = run_while_frozen(health, memcached_server.proc.pid)
    assert len(results) == 50
    for result in results:
        assert_healthy(result[0])
    assert probe.connections() - before == 1


# ------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("host", "port", "problem"),
    [
        ("redis://127.0.0.1:6379", 11211, 'unsupported URL scheme "redis"'),
        ("127.0.0.1:11211", 11211, "give the port as port="),
        ("", 11211, "host must not be empty"),
        ("memcached://", 11211, "names no host"),
        ("memcached://127.0.0.1:11211/0", 11211, "nothing after the port"),
        ("127.0.0.1", 0, "port must be between 1 and 65535"),
        ("127.0.0.1", 70000, "port must be between 1 and 65535"),
    ],
)
def test_unusable_configurations_are_rejected_at_registration(host, port, problem):
    with pytest.raises(ValueError, match='check "memcached"') as raised:
        Health().memcached_check(host, port)
    assert problem in str(raised.value)


def test_none_and_credentials_are_rejected_without_echoing_them():
    with pytest.raises(ValueError, match='check "cache"'):
        Health().memcached_check(None, name="cache")
    with pytest.raises(ValueError) as raised:
        Health().memcached_check("memcached://app:hunter2@127.0.0.1:11211")
    assert "take no credentials" in str(raised.value)
    assert "hunter2" not in str(raised.value)
