"""Pytest fixtures for the healthcheckx integration tests.

The long-lived servers are started by ``scripts/services.sh`` (``tests/machine.py``); the
``services`` fixture reads the variables written then and fails (never skips) when they are
missing. ``-m "not servers"`` deselects every test that needs a server (see the markers below).

Fixtures:
  services          session   dict of HCX_* variables (see servers.REQUIRED_ENV)
  tarpit            function  port of a listener that accepts and never answers
  closed_port       function  port on 127.0.0.1 where nothing listens
  redis_server      module    private redis-server        (.url .port .start() .stop() .kill();
                                                             .socket_path: its unix socket)
  postgres_server   module    private PostgreSQL, trust   (same; database hcx_test)
  mysql_server      module    private MariaDB             (same; .auth_url for user hcx)
  mongodb_server    module    private SecantusDB          (same)
  memcached_server  module    private memcached           (same)
  kafka_server      module    private Tansu (Kafka protocol), no auth (same)
  kafka_auth_server module    private Tansu requiring SASL, with no user (same)
  kafka_tls         module    TLS forwarder to kafka_server (.port .cert; self-signed)
  small_tmpfs       function  a 10 MiB tmpfs mount point (root only)
  rabbitmq_app      module    machine broker, stop_app/start_app (.url .port .start() .stop())
  mssql_server      module    private pysqlbridge (SQL Server wire protocol), login hcx (same)

Every test starts with each of those servers running: a server a previous
test left stopped is started again before the next test.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from pathlib import Path
from typing import Callable

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers  # noqa: E402
from checkhelpers import SETUP_HINT

# ------------------------------------------------------------- services


@pytest.fixture(scope="session")
def services() -> dict[str, str]:
    values, path = servers.load_services_env()
    missing = [k for k in servers.REQUIRED_ENV if not values.get(k)]
    if missing:
        pytest.fail(
            f"missing test service variables {', '.join(missing)} "
            f"(neither exported nor in {path}): {SETUP_HINT}",
            pytrace=False,
        )
    for key in ("HCX_PG_BIN", "HCX_SECANTUS_PYTHON"):
        if not os.path.exists(values[key]):
            pytest.fail(f"{key}={values[key]} does not exist: {SETUP_HINT}", pytrace=False)
    down = servers.unreachable(values)
    if down:
        pytest.fail(
            "test services not accepting connections: " + "; ".join(down) + f": {SETUP_HINT}",
            pytrace=False,
        )
    return values


# -------------------------------------------------------- plain sockets


@pytest.fixture
def tarpit():
    """Port of a 127.0.0.1 listener that accepts and never sends a byte."""
    pit = servers.Tarpit()
    try:
        yield pit.port
    finally:
        pit.close()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    return servers.free_port()


# ---------------------------------------------------- private servers


def _require_root(what: str) -> None:
    if os.geteuid() != 0:
        pytest.fail(f"{what} runs its server as another OS user and needs root", pytrace=False)


@pytest.fixture(scope="session")
def hcx_server_root():
    """A /tmp dir the postgres and mysql OS users can traverse."""
    root = servers.make_shared_dir("hcx-servers-")
    yield root
    shutil.rmtree(root, ignore_errors=True)


_serial = itertools.count()


def _managed(root: Path, prefix: str, factory: Callable[[Path, int], servers.ManagedServer]):
    """A private server, ``factory(workdir, port)``, started on a free port and closed after."""
    server = servers.start_on_free_port(
        lambda port: factory(root / f"{prefix}-{port}-{next(_serial)}", port)
    )
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def redis_server(hcx_server_root):
    yield from _managed(hcx_server_root, "redis", servers.RedisServer)


def _service_variable(services: dict[str, str], key: str) -> str:
    """A variable of services.env beyond servers.REQUIRED_ENV; fails (never skips) when missing."""
    if not services.get(key):
        pytest.fail(f"missing test service variable {key}: {SETUP_HINT}", pytrace=False)
    return services[key]


@pytest.fixture(scope="module")
def memcached_server(services, hcx_server_root):
    binary = _service_variable(services, "HCX_MEMCACHED_BIN")
    yield from _managed(
        hcx_server_root, "memcached", lambda d, port: servers.MemcachedServer(d, port, binary)
    )


@pytest.fixture(scope="module")
def kafka_server(services, hcx_server_root):
    binary = _service_variable(services, "HCX_TANSU_BIN")
    yield from _managed(
        hcx_server_root, "tansu", lambda d, port: servers.TansuServer(d, binary, port)
    )


@pytest.fixture(scope="module")
def kafka_auth_server(services, hcx_server_root):
    binary = _service_variable(services, "HCX_TANSU_BIN")
    yield from _managed(
        hcx_server_root,
        "tansu-auth",
        lambda d, port: servers.TansuServer(d, binary, port, authentication=True),
    )


@pytest.fixture(scope="module")
def kafka_tls(kafka_server, tmp_path_factory):
    """A TLS listener (self-signed certificate for localhost and 127.0.0.1) in front of
    `kafka_server`: .port, .cert."""
    cert, key = servers.make_self_signed_cert(tmp_path_factory.mktemp("kafka-tls"))
    forwarder = servers.TlsForwarder(kafka_server.port, cert, key)
    try:
        yield forwarder
    finally:
        forwarder.close()


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 10 MiB tmpfs (2560 pages of 4 KiB, no reserved blocks) mounted on a fresh directory,
    unmounted afterwards."""
    _require_root("small_tmpfs")
    mountpoint = tmp_path / "tmpfs"
    mountpoint.mkdir()
    servers._run(["mount", "-t", "tmpfs", "-o", "size=10m,mode=0755", "tmpfs", str(mountpoint)])
    try:
        yield mountpoint
    finally:
        servers._run(["umount", "-l", str(mountpoint)])


@pytest.fixture(scope="session")
def _postgres_template(services, hcx_server_root):
    _require_root("postgres_server")
    return servers.PostgresCluster(services["HCX_PG_BIN"], hcx_server_root / "pg-template")


@pytest.fixture(scope="module")
def postgres_server(_postgres_template, hcx_server_root):
    yield from _managed(
        hcx_server_root,
        "postgres",
        lambda d, port: servers.PostgresServer(d, _postgres_template, port),
    )


@pytest.fixture(scope="session")
def _mariadb_template(hcx_server_root):
    _require_root("mysql_server")
    return servers.MariaDBTemplate(hcx_server_root)


@pytest.fixture(scope="module")
def mysql_server(_mariadb_template, hcx_server_root):
    yield from _managed(
        hcx_server_root,
        "mariadb",
        lambda d, port: servers.MariaDBServer(d, _mariadb_template, port),
    )


@pytest.fixture(scope="module")
def mongodb_server(services, hcx_server_root):
    python = services["HCX_SECANTUS_PYTHON"]
    yield from _managed(
        hcx_server_root, "secantus", lambda d, port: servers.SecantusServer(d, python, port)
    )


@pytest.fixture(scope="module")
def rabbitmq_app(services):
    """The machine's broker; .stop() = rabbitmqctl stop_app, .start() =
    start_app. The application is always started again at teardown."""
    app = servers.RabbitMQApp(services["HCX_AMQP_URL"])
    try:
        app.start()
        yield app
    finally:
        app.close()


@pytest.fixture(scope="module")
def mssql_server(services, hcx_server_root):
    python = services["HCX_SECANTUS_PYTHON"]
    yield from _managed(
        hcx_server_root, "pysqlbridge", lambda d, port: servers.PysqlbridgeServer(d, python, port)
    )


# ------------------------------------------------------------- markers

# Fixtures that stand for a server: the machine's and private ones of scripts/services.sh, and
# the peers a test starts itself (tarpit, a refused port, an HTTP or app server). A test using one
# of them (directly or through another fixture) is marked `servers`; the modules and tests that
# start peers inline carry the mark themselves. The rest are the pure-logic tests (URL parsing,
# rendering, the result model...): `python -m pytest -m "not servers"` runs them in seconds on a
# machine without any server.
SERVER_FIXTURES = frozenset(
    {
        "services",
        "tarpit",
        "closed_port",
        "http_server",
        "hcx_server_root",
        "redis_server",
        "memcached_server",
        "kafka_server",
        "kafka_auth_server",
        "kafka_tls",
        "postgres_server",
        "mysql_server",
        "mongodb_server",
        "rabbitmq_app",
        "mssql_server",
    }
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "servers: needs a server (of scripts/services.sh, or a peer the test starts); set from "
        'the fixtures a test uses. `-m "not servers"` runs the rest in seconds, without servers',
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)


@pytest.fixture(autouse=True)
def _restart_stopped_servers():
    """Each test starts with every live restartable server running."""
    for server in servers.live_servers():
        if not server.running:
            server.start()
    yield


def pytest_sessionfinish(session: pytest.Session) -> None:
    """FAULTS.md at the repository root, from the fault matrix this session ran (only when it
    ran every cell: see tests/faultmatrix.py)."""
    import faultmatrix

    faultmatrix.write_if_complete(Path(__file__).resolve().parent.parent / "FAULTS.md")
