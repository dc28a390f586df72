"""Health.close(), `with Health(...)` and `async with Health(...)`: every connection the checks
keep is closed at once, as the servers see it (pg_stat_activity, MariaDB's process list, Redis
CLIENT LIST, and this process's sockets for the other services), and the next run connects again.

Servers: the private PostgreSQL, MariaDB and Redis of this module (nothing else connects to
them), and the machine's services for the socket-level test.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, Iterator, List, Set
from urllib.parse import urlsplit

import pytest
from checkhelpers import assert_healthy, connections_to
from healthcheckx import Health, HealthStatus
from serversessions import mysql_sessions, pg_sessions, redis_clients, settled


@pytest.fixture
def sessions(postgres_server, mysql_server, redis_server) -> Dict[str, Callable[[], Set[int]]]:
    return {
        "postgresql": lambda: pg_sessions(postgres_server),
        "mysql": lambda: mysql_sessions(mysql_server),
        "redis": lambda: redis_clients(redis_server),
    }


@pytest.fixture
def three(postgres_server, mysql_server, redis_server) -> Callable[[Health], Health]:
    """Registers a check of each private server."""

    def register(health: Health) -> Health:
        return (
            health.postgresql_check(postgres_server.url)
            .mysql_check(mysql_server.auth_url)
            .redis_check(redis_server.url)
        )

    return register


def assert_all_healthy(health: Health) -> None:
    results = health.run()
    assert [r.name for r in results] == ["postgresql", "mysql", "redis"]
    for result in results:
        assert_healthy(result)


ONE_EACH = {"postgresql": 1, "mysql": 1, "redis": 1}
NONE = {"postgresql": set(), "mysql": set(), "redis": set()}


def counts(sessions: Dict[str, Callable[[], Set[int]]]) -> Dict[str, int]:
    return {kind: len(measure()) for kind, measure in sessions.items()}


def test_close_ends_every_session_and_the_next_run_reconnects(three, sessions):
    health = three(Health())
    assert_all_healthy(health)
    assert_all_healthy(health)
    before = {kind: measure() for kind, measure in sessions.items()}
    assert {kind: len(ids) for kind, ids in before.items()} == ONE_EACH
    health.close()
    assert {kind: settled(measure) for kind, measure in sessions.items()} == NONE
    assert_all_healthy(health)
    after = {kind: measure() for kind, measure in sessions.items()}
    assert {kind: len(ids) for kind, ids in after.items()} == ONE_EACH
    assert all(after[kind].isdisjoint(before[kind]) for kind in after)  # new sessions
    health.close()
    assert all(not settled(measure) for measure in sessions.values())


def test_close_before_any_run_and_twice_in_a_row_is_harmless(three, sessions):
    health = three(Health())
    health.close()
    health.close()
    assert_all_healthy(health)
    health.close()
    health.close()
    assert all(not settled(measure) for measure in sessions.values())


def test_with_block_closes_on_exit_even_after_an_exception(three, sessions):
    with three(Health()) as health:
        assert isinstance(health, Health)
        assert_all_healthy(health)
        assert counts(sessions) == ONE_EACH
    assert all(not settled(measure) for measure in sessions.values())
    with pytest.raises(RuntimeError, match="boom"):
        with health:
            assert_all_healthy(health)  # still usable: reconnects
            raise RuntimeError("boom")
    assert all(not settled(measure) for measure in sessions.values())


def test_async_with_closes_on_exit(three, sessions):
    async def main() -> List[HealthStatus]:
        async with three(Health()) as health:
            results = await health.arun()
            assert counts(sessions) == ONE_EACH
        return [r.status for r in results]

    assert asyncio.run(main()) == [HealthStatus.healthy] * 3
    assert all(not settled(measure) for measure in sessions.values())


def test_close_stops_the_background_refresh(postgres_server):
    health = Health(refresh_interval=0.1).postgresql_check(postgres_server.url)
    assert_healthy(health.run()[0])
    assert len(pg_sessions(postgres_server)) == 1
    health.close()
    assert settled(lambda: pg_sessions(postgres_server)) == set()
    time.sleep(0.5)  # five refresh intervals: a refresh still running would reconnect
    assert pg_sessions(postgres_server) == set()
    # The next run answers the latest results at once and starts the refresh again, which
    # reconnects within an interval.
    assert_healthy(health.run()[0])
    deadline = time.monotonic() + 3
    while not pg_sessions(postgres_server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pg_sessions(postgres_server)) == 1
    health.close()


def test_kept_connections_stay_open_without_close(three, sessions):
    """The counterpart: runs reuse the one kept connection of each check."""
    health = three(Health())
    assert_all_healthy(health)
    first = {kind: measure() for kind, measure in sessions.items()}
    for _ in range(3):
        assert_all_healthy(health)
    assert {kind: measure() for kind, measure in sessions.items()} == first
    health.close()


class _KeepAlive(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps the connection open between requests

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAlive)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_close_closes_the_sockets_of_every_kind_of_kept_connection(
    services, memcached_server, http_port
):
    """This process's TCP connections to each service, those open before the test left out."""
    health = (
        Health()
        .rabbitmq_check(services["HCX_AMQP_URL"])
        .mongodb_check(services["HCX_MONGODB_URL"])
        .kafka_check(services["HCX_KAFKA_URL"])
        .activemq_check(services["HCX_ACTIVEMQ_STOMP_URL"])
        .mssql_check(services["HCX_MSSQL_URL"])
        .memcached_check(memcached_server.url)
        .http_check(f"http://127.0.0.1:{http_port}/")
    )
    ports = {
        "rabbitmq": urlsplit(services["HCX_AMQP_URL"]).port,
        "mongodb": urlsplit(services["HCX_MONGODB_URL"]).port,
        "kafka": urlsplit(services["HCX_KAFKA_URL"]).port,
        "activemq": urlsplit(services["HCX_ACTIVEMQ_STOMP_URL"]).port,
        "mssql": urlsplit(services["HCX_MSSQL_URL"]).port,
        "memcached": memcached_server.port,
        "http": http_port,
    }
    earlier = {kind: connections_to(port) for kind, port in ports.items()}

    def ours() -> Dict[str, Set[int]]:
        return {kind: connections_to(port) - earlier[kind] for kind, port in ports.items()}

    results = health.run()
    assert [(r.name, r.status) for r in results] == [
        (kind, HealthStatus.healthy) for kind in ports
    ], results
    kept = ours()
    assert all(kept.values()), kept  # each check keeps at least one connection
    health.close()
    deadline = time.monotonic() + 3
    while any(ours().values()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ours() == {kind: set() for kind in ports}
    assert all(r.status is HealthStatus.healthy for r in health.run())
    health.close()


def test_close_in_a_forked_child_leaves_the_parents_connections_alone(three, sessions):
    """A connection inherited across fork() is forgotten by the child's close(), never closed:
    closing it would deregister the parent's socket from the I/O driver they share."""
    health = three(Health())
    assert_all_healthy(health)
    before = {kind: measure() for kind, measure in sessions.items()}
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report through the pipe, never return into pytest
        try:
            health.close()
            results = health.run()  # its own runtime and connections
            health.close()
            ok = [r.status for r in results] == [HealthStatus.healthy] * 3
            os.write(write, b"ok" if ok else repr(results).encode())
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    answer = os.read(read, 4096)
    os.close(read)
    assert (status, answer) == (0, b"ok")
    # The parent's kept connections still work: its next run reuses the very same sessions.
    assert_all_healthy(health)
    assert {kind: measure() for kind, measure in sessions.items()} == before
    health.close()
    assert all(not settled(measure) for measure in sessions.values())
