"""MongoDB check against SecantusDB (a server speaking the MongoDB wire protocol): the `ping`
command answered through a kept client, failures named by their cause, nothing leaked.

There is no "missing database" case: MongoDB creates a database on first write and `ping` runs
against `admin`, so a URL naming a database that does not exist is not an error to report."""

from __future__ import annotations

import json
import socket
import subprocess
import time

import checkhelpers
import pytest
from healthcheckx import Health, HealthStatus

# Reads serverStatus().connections once per line on stdin, over one kept connection.
_STATUS_SCRIPT = """
import json, sys, pymongo
client = pymongo.MongoClient(
    sys.argv[1], directConnection=True, serverMonitoringMode="poll", serverSelectionTimeoutMS=10000
)
client.admin.command("ping")
for _ in sys.stdin:
    conns = client.admin.command("serverStatus")["connections"]
    print(json.dumps({"current": conns["current"], "created": conns["totalCreated"]}), flush=True)
"""


class ServerStatus:
    """serverStatus().connections of a server, asked by a pymongo client that keeps its own
    connections open, so that the difference between two readings is other clients' doing."""

    def __init__(self, python: str, url: str) -> None:
        self._proc = subprocess.Popen(
            [python, "-c", _STATUS_SCRIPT, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def connections(self) -> dict[str, int]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write("\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        assert line, "serverStatus probe exited"
        return json.loads(line)

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=10)


@pytest.mark.parametrize("key", ["HCX_MONGODB_URL", "HCX_MONGODB_AUTH_URL"])
def test_healthy_against_the_server(services, key):
    # HCX_MONGODB_AUTH_URL authenticates user hcx against authSource=admin.
    result = checkhelpers.run_one(Health().mongodb_check(services[key]))
    assert result.name == "mongodb"
    assert result.status is HealthStatus.healthy
    assert result.message is None
    assert result.error is None
    assert 0 < result.duration_ms < 3000


def test_auth_source_is_where_the_user_is_looked_up(services):
    # The user exists in admin only: another authSource must fail to authenticate.
    url = services["HCX_MONGODB_AUTH_URL"].replace("authSource=admin", "authSource=hcx_test")
    result = checkhelpers.run_one(Health().mongodb_check(url))
    assert result.status is HealthStatus.unhealthy
    assert result.message == 'authentication failed for user "hcx"'


def test_every_seed_refusing_is_connection_refused_at_once(closed_port):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other_port = other.getsockname()[1]  # bound, not listening: refuses
        url = f"mongodb://127.0.0.1:{closed_port},127.0.0.1:{other_port}/?replicaSet=rs0"
        result = checkhelpers.run_one(Health().mongodb_check(url, timeout=3))
    assert result.message == "Connection refused"
    assert result.duration_ms < 500


def test_server_killed_then_started_is_seen_by_the_same_registration(mongodb_server):
    health = Health().mongodb_check(mongodb_server.url, timeout=2)
    assert checkhelpers.run_one(health).status is HealthStatus.healthy
    mongodb_server.kill()
    assert checkhelpers.run_one(health).message == "Connection refused"
    mongodb_server.start()
    assert checkhelpers.run_one(health).status is HealthStatus.healthy


def test_connections_are_kept_and_reused(services, mongodb_server):
    health = Health().mongodb_check(mongodb_server.url)
    assert checkhelpers.run_one(health).status is HealthStatus.healthy
    status = ServerStatus(services["HCX_SECANTUS_PYTHON"], mongodb_server.url)
    try:
        before = status.connections()
        ours = checkhelpers.connections_to(mongodb_server.port)
        for _ in range(10):
            assert checkhelpers.run_one(health).status is HealthStatus.healthy
            assert checkhelpers.connections_to(mongodb_server.port) == ours
        after = status.connections()
    finally:
        status.close()
    # The server saw no new connection during the ten runs.
    assert after["created"] == before["created"], (before, after)
    # The driver's monitor and the one pooled connection the ping uses.
    assert 1 <= len(ours) <= 2, ours


@pytest.mark.servers  # a silent listener of its own
def test_abandoned_connects_leak_no_socket_and_no_thread():
    with checkhelpers.silent_listener() as port:
        health = Health().mongodb_check(f"mongodb://127.0.0.1:{port}", timeout=0.1)
        for _ in range(2):
            assert checkhelpers.run_one(health).message == "timed out after 0.1s"
        fds = checkhelpers.steady(checkhelpers.open_fds)
        threads = checkhelpers.steady(checkhelpers.threads)
        for _ in range(30):
            assert checkhelpers.run_one(health).message == "timed out after 0.1s"
        assert checkhelpers.settle(checkhelpers.open_fds, fds) <= fds
        assert checkhelpers.settle(checkhelpers.threads, threads) <= threads


def test_replica_set_and_auth_source_options_are_accepted_at_registration():
    health = Health().mongodb_check(
        "mongodb://app:s3cret@db1:27017,db2:27018/shop?replicaSet=rs0&authSource=admin",
        name="replica-set",
    )
    assert health.names == ["replica-set"]
    # The options are really parsed: an empty authSource is a configuration error.
    with pytest.raises(ValueError, match='check "bad".*empty authSource') as info:
        Health().mongodb_check("mongodb://app:s3cret@db1/?replicaSet=rs0&authSource=", name="bad")
    assert "s3cret" not in str(info.value)


def test_srv_url_is_accepted_at_registration_and_resolved_when_run():
    started = time.perf_counter()
    health = Health().mongodb_check("mongodb+srv://app:s3cret@no-such-cluster.invalid/shop")
    assert time.perf_counter() - started < 0.1  # no DNS lookup at registration
    result = checkhelpers.run_one(health)
    assert result.status is HealthStatus.unhealthy
    assert result.message == 'name resolution failed for "no-such-cluster.invalid"'
    with pytest.raises(ValueError, match="port cannot be specified"):
        Health().mongodb_check("mongodb+srv://cluster0.example.net:27017/")
