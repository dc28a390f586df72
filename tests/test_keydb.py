"""The KeyDB check: the Redis check under the name `keydb`, with `keydb://` and `keydbs://`
accepted besides every Redis form.

KeyDB has no Debian package; it speaks the Redis protocol, so these tests run against Redis: the
machine's (HCX_REDIS_URL), the password/ACL instance (HCX_REDIS_AUTH_URL) and the restartable
`redis_server` of this module, whose INFO counters are read.
"""

from __future__ import annotations

import socket

import pytest
from checkhelpers import (
    assert_healthy,
    assert_unhealthy,
    run_one,
)
from healthcheckx import Health


def keydb_url(redis_url: str) -> str:
    """The same server as a keydb:// URL."""
    return "keydb://" + redis_url.split("://", 1)[1]


def connections_received(port: int) -> int:
    """Redis' `total_connections_received` (this probe's own connection included)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n")
        reader = sock.makefile("rb")
        header = reader.readline()
        body = reader.read(int(header[1:]) + 2).decode()
    for line in body.splitlines():
        if line.startswith("total_connections_received:"):
            return int(line.split(":", 1)[1])
    raise AssertionError(body)


def test_healthy_in_every_form(services, redis_server):
    results = (
        Health()
        .keydb_check(keydb_url(services["HCX_REDIS_URL"]))
        .keydb_check(services["HCX_REDIS_URL"], name="redis-form")
        .keydb_check(keydb_url(services["HCX_REDIS_AUTH_URL"]), name="acl-user")
        .keydb_check(f"keydb://localhost:{redis_server.port}/2", name="db-2")
        .keydb_check(f"keydb+unix://{redis_server.socket_path}?db=1", name="unix")
        .run()
    )
    assert_healthy(results[0], name="keydb")
    for result in results[1:]:
        assert_healthy(result)


def test_keydbs_is_accepted_and_connects(closed_port):
    # Configuration only: no TLS server runs here. The URL registers and the check goes out to the
    # network (a refused port, not a configuration error).
    result = run_one(Health().keydb_check(f"keydbs://127.0.0.1:{closed_port}/0"))
    assert_unhealthy(result, "Connection refused")


def test_ten_runs_open_one_connection(redis_server):
    health = Health().keydb_check(keydb_url(redis_server.url), timeout=1)
    before = connections_received(redis_server.port)
    for _ in range(10):
        assert_healthy(run_one(health))
    # One for the check, one for the second probe.
    assert connections_received(redis_server.port) - before == 2


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379", "keydb://", "127.0.0.1:6379", "keydb://127.0.0.1:notaport"]
)
def test_unusable_urls_are_rejected_at_registration(url):
    with pytest.raises(ValueError, match='check "keydb"'):
        Health().keydb_check(url)


def test_none_is_rejected():
    with pytest.raises(ValueError, match='check "keydb"'):
        Health().keydb_check(None)
