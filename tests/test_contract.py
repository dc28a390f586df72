"""The failure contract every kind of check keeps, one parametrised suite over all of them:

* refused: nothing listens on the port: unhealthy, `Connection refused`, at once (well within its
  3 s timeout), under the name it was given, no secret of its connect string shown;
* deadline: the peer accepts and never answers: `timed out after 0.5s`, at the deadline, no
  secret shown;
* wrong password: `authentication failed for user "<user>"`, neither the wrong password nor the
  real one in the result or in the repr of the `Health`;
* restart: healthy, `Connection refused` while the server is stopped, healthy once it is started
  again, with the same registration.

What differs by protocol (kept connections replaced after a crash, server-side counters, URL
forms) stays in tests/test_<kind>.py.
"""

from __future__ import annotations

import urllib.parse
from typing import Any, Callable, Dict, Tuple

import faultmatrix
import pytest
import servers
from checkhelpers import (
    WRONG_PASSWORD,
    WRONG_PASSWORD_ENCODED,
    assert_hides,
    assert_no_secret,
    assert_recovers_from_restart,
    assert_refuses_wrong_password,
    assert_times_out,
    assert_unhealthy,
    require_services,
    run_one,
    with_password,
)
from healthcheckx import Health

# A password in the connect strings of the refused and deadline cases (where the kind takes one).
SECRET = "Sup3r-S3cret:p@ss"
SECRET_ENCODED = urllib.parse.quote(SECRET, safe="")

# (port, host="127.0.0.1", **options) -> a Health holding the one check
AtPort = Callable[..., Health]
LOOPBACK = "127.0.0.1"


def _url(method: str, template: str) -> AtPort:
    """A kind whose check takes a URL (or connect string) with `{host}` and `{port}` in it."""

    def build(port: int, host: str = LOOPBACK, **options: Any) -> Health:
        check: Callable[..., Health] = getattr(Health(), method)
        url = template.format(host=host, port=port, secret=SECRET, encoded=SECRET_ENCODED)
        return check(url, **options)

    return build


def _memcached(port: int, host: str = LOOPBACK, **options: Any) -> Health:
    return Health().memcached_check(host, port, **options)


def _tcp(port: int, host: str = LOOPBACK, **options: Any) -> Health:
    return Health().tcp_check(host, port, **options)


_ORACLE_DESCRIPTOR = (
    "scott/{secret}@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST={host})(PORT={port}))"
    "(CONNECT_DATA=(SERVICE_NAME=freepdb1)))"
)

# Every kind, in every form whose connection path differs, against 127.0.0.1:port.
KINDS: Dict[str, AtPort] = {
    "redis": _url("redis_check", "redis://hcx:{encoded}@{host}:{port}/0"),
    "keydb": _url("keydb_check", "keydb://hcx:{encoded}@{host}:{port}/0"),
    "postgresql": _url("postgresql_check", "postgresql://hcx:{encoded}@{host}:{port}/hcx_test"),
    "mysql": _url("mysql_check", "mysql://hcx:{encoded}@{host}:{port}/hcx_test"),
    "mongodb": _url("mongodb_check", "mongodb://hcx:{encoded}@{host}:{port}"),
    "rabbitmq": _url("rabbitmq_check", "amqp://hcx:{encoded}@{host}:{port}/"),
    "kafka": _url("kafka_check", "kafka://hcx:{encoded}@{host}:{port}"),
    "memcached": _memcached,
    "activemq stomp://": _url("activemq_check", "stomp://hcx:{encoded}@{host}:{port}"),
    "activemq tcp://": _url("activemq_check", "tcp://{host}:{port}"),
    "mssql": _url("mssql_check", "mssql://sa:{encoded}@{host}:{port}/master"),
    "oracle url": _url("oracle_check", "oracle://scott:{encoded}@{host}:{port}/FREEPDB1"),
    "oracle descriptor": _url("oracle_check", _ORACLE_DESCRIPTOR),
    "http": _url("http_check", "http://monitor:{encoded}@{host}:{port}/health"),
}
# Forms that only differ in how the address is written: refused is enough to show they connect.
REFUSED_ONLY: Dict[str, AtPort] = {
    "redis without credentials": _url("redis_check", "redis://{host}:{port}/0"),
    "postgresql without a password": _url(
        "postgresql_check", "postgresql://postgres@{host}:{port}/hcx_test"
    ),
    "mysql without a password": _url("mysql_check", "mysql://root@{host}:{port}/hcx_test"),
    "kafka host:port": _url("kafka_check", "{host}:{port}"),
    "mongodb without credentials": _url("mongodb_check", "mongodb://{host}:{port}"),
    "rabbitmq as guest": _url("rabbitmq_check", "amqp://guest:guest@{host}:{port}/"),
    "activemq host:port": _url("activemq_check", "{host}:{port}"),
    "mssql with its login": _url(
        "mssql_check", "mssql://hcx:{encoded}@{host}:{port}/master?trust_server_certificate=true"
    ),
    "oracle ezconnect": _url("oracle_check", "scott/{secret}@{host}:{port}/freepdb1"),
    "oracle ezconnect //": _url("oracle_check", "scott/{secret}@//{host}:{port}/freepdb1"),
    "oracle sid": _url("oracle_check", "scott/{secret}@{host}:{port}:ORCL"),
    # A silent peer is healthy for tcp_check (the connection was accepted): see test_tcp_http.
    "tcp": _tcp,
}


@pytest.mark.parametrize("kind", [*KINDS, *REFUSED_ONLY])
def test_nothing_listening_is_connection_refused_at_once(closed_port, kind):
    health = {**KINDS, **REFUSED_ONLY}[kind](closed_port, timeout=3, name="target")
    result = run_one(health)
    assert result.name == "target"
    assert_unhealthy(result, "Connection refused")
    # The HTTP client tries a refused connection again, about a second later: still refused,
    # still well before the deadline.
    assert result.duration_ms < (1500 if kind == "http" else 500), result
    assert_hides(result, SECRET)
    assert_no_secret(SECRET, repr(health))
    if kind in faultmatrix.KINDS:
        faultmatrix.record(kind, "refused", result, timeout=3)


@pytest.mark.parametrize("kind", KINDS)
def test_silent_server_times_out_at_the_deadline(tarpit, kind):
    health = KINDS[kind](tarpit, timeout=0.5)
    result = assert_times_out(health)
    assert_hides(result, SECRET)
    assert_no_secret(SECRET, repr(health))
    faultmatrix.record(kind, "silent", result, timeout=0.5)


# ------------------------------------------------------------------------- wrong password

# (services, request) -> (a Health whose one check logs in with a wrong password, the user it
# names, that wrong password)
WrongLogin = Callable[[Dict[str, str], pytest.FixtureRequest], Tuple[Health, str, str]]


def _with_wrong(method: str, key: str, *, holding_the_real_one: bool = False) -> WrongLogin:
    """The URL `services[key]` (with the user hcx) with a wrong password."""

    def build(services: Dict[str, str], request: pytest.FixtureRequest) -> Tuple[Health, str, str]:
        url = require_services(services, key)[key]
        real = services["HCX_AUTH_PASSWORD"]
        wrong = "wrong-" + real if holding_the_real_one else WRONG_PASSWORD
        check: Callable[..., Health] = getattr(Health(), method)
        return check(with_password(url, wrong)), "hcx", wrong

    return build


def _template(
    method: str, key: str, template: str, user: str = "hcx", **options: Any
) -> WrongLogin:
    """`template` with the server of `services[key]` (`{base}` = `{host}:{port}`) and the wrong
    password (`{wrong}` percent-encoded, `{raw}` as is) filled in."""

    def build(services: Dict[str, str], request: pytest.FixtureRequest) -> Tuple[Health, str, str]:
        check: Callable[..., Health] = getattr(Health(), method)
        parts = urllib.parse.urlsplit(services[key])
        url = template.format(
            base=f"{parts.hostname}:{parts.port}",
            host=parts.hostname,
            port=parts.port,
            wrong=WRONG_PASSWORD_ENCODED,
            raw=WRONG_PASSWORD,
        )
        return check(url, **options), user, WRONG_PASSWORD

    return build


def _kafka(template: str) -> WrongLogin:
    """Tansu with SASL required (`kafka_auth_server`): SCRAM with a wrong password."""

    def build(services: Dict[str, str], request: pytest.FixtureRequest) -> Tuple[Health, str, str]:
        server = request.getfixturevalue("kafka_auth_server")
        base = f"127.0.0.1:{server.port}"
        url = template.format(base=base, wrong=WRONG_PASSWORD_ENCODED)
        # SCRAM derives its key with thousands of HMAC rounds: slow in the debug build.
        return Health().kafka_check(url, timeout=5), "hcx", WRONG_PASSWORD

    return build


WRONG_LOGINS: Dict[str, WrongLogin] = {
    "redis acl user": _template(
        "redis_check", "HCX_REDIS_AUTH_URL", "redis://hcx:{wrong}@{base}/0"
    ),
    "redis requirepass": _template(
        "redis_check", "HCX_REDIS_AUTH_URL", "redis://:{wrong}@{base}/0", user="default"
    ),
    "keydb acl user": _template(
        "keydb_check", "HCX_REDIS_AUTH_URL", "keydb://hcx:{wrong}@{base}/0"
    ),
    "keydb requirepass": _template(
        "keydb_check", "HCX_REDIS_AUTH_URL", "keydb://:{wrong}@{base}/0", user="default"
    ),
    "postgresql url": _template(
        "postgresql_check", "HCX_PG_AUTH_URL", "postgresql://hcx:{wrong}@{base}/hcx_test"
    ),
    "postgresql key-value": _template(
        "postgresql_check",
        "HCX_PG_AUTH_URL",
        "host={host} port={port} user=hcx dbname=hcx_test password='{raw}'",
    ),
    "mysql": _template("mysql_check", "HCX_MYSQL_URL", "mysql://hcx:{wrong}@{base}/hcx_test"),
    # A wrong password that holds the real one.
    "mongodb": _with_wrong("mongodb_check", "HCX_MONGODB_AUTH_URL", holding_the_real_one=True),
    "rabbitmq": _with_wrong("rabbitmq_check", "HCX_AMQP_AUTH_URL", holding_the_real_one=True),
    "activemq": _with_wrong("activemq_check", "HCX_ACTIVEMQ_STOMP_AUTH_URL"),
    "activemq on rabbitmq's stomp": _with_wrong("activemq_check", "HCX_RABBITMQ_STOMP_AUTH_URL"),
    "mssql": _with_wrong("mssql_check", "HCX_MSSQL_URL"),
    "kafka scram-sha-256": _kafka("kafka://hcx:{wrong}@{base}?sasl_mechanism=SCRAM-SHA-256"),
    "kafka scram-sha-512": _kafka(
        "kafka://{base}?sasl_mechanism=SCRAM-SHA-512&sasl_username=hcx&sasl_password={wrong}"
    ),
}


# The forms shown in the fault matrix (FAULTS.md): form -> its row.
WRONG_LOGIN_ROWS = {
    "redis acl user": "redis",
    "keydb acl user": "keydb",
    "postgresql url": "postgresql",
    "mysql": "mysql",
    "mongodb": "mongodb",
    "rabbitmq": "rabbitmq",
    "activemq": "activemq stomp://",
    "mssql": "mssql",
    "kafka scram-sha-256": "kafka",
}


@pytest.mark.parametrize("kind", WRONG_LOGINS)
def test_wrong_password_names_the_user_and_never_a_password(services, request, kind):
    health, user, wrong = WRONG_LOGINS[kind](services, request)
    result = assert_refuses_wrong_password(health, user, wrong, services["HCX_AUTH_PASSWORD"])
    if kind in WRONG_LOGIN_ROWS:
        row = WRONG_LOGIN_ROWS[kind]
        # Kafka's is registered with 5 s (SCRAM in the debug build); the others with their kind's.
        timeout = 5 if row == "kafka" else faultmatrix.DEFAULT_TIMEOUTS[row]
        faultmatrix.record(row, "wrong password", result, timeout)


# --------------------------------------------------------------------------------- restart

# kind -> (the fixture of its restartable server, the timeout, the check of that server)
RESTARTABLE: Dict[str, Tuple[str, float, Callable[[Any, float], Health]]] = {
    "redis": ("redis_server", 1, lambda s, t: Health().redis_check(s.url, timeout=t)),
    "keydb": (
        "redis_server",
        1,
        lambda s, t: Health().keydb_check("keydb://" + s.url.split("://", 1)[1], timeout=t),
    ),
    "postgresql": ("postgres_server", 2, lambda s, t: Health().postgresql_check(s.url, timeout=t)),
    "mysql": ("mysql_server", 2, lambda s, t: Health().mysql_check(s.auth_url, timeout=t)),
    "mongodb": ("mongodb_server", 2, lambda s, t: Health().mongodb_check(s.url, timeout=t)),
    "rabbitmq": ("rabbitmq_app", 2, lambda s, t: Health().rabbitmq_check(s.url, timeout=t)),
    "kafka": ("kafka_server", 1, lambda s, t: Health().kafka_check(s.url, timeout=t)),
    "memcached": ("memcached_server", 1, lambda s, t: Health().memcached_check(s.url, timeout=t)),
    "mssql": ("mssql_server", 3, lambda s, t: Health().mssql_check(s.url, timeout=t)),
}


@pytest.mark.servers  # the server fixture is looked up by name
@pytest.mark.parametrize("kind", RESTARTABLE)
def test_stopped_then_started_server_without_registering_again(request, kind):
    fixture, timeout, check = RESTARTABLE[kind]
    server = request.getfixturevalue(fixture)
    health = check(server, timeout)
    results = assert_recovers_from_restart(health, server)
    for result in results:
        assert_hides(result, servers.AUTH_PASSWORD)
    assert_no_secret(servers.AUTH_PASSWORD, repr(health))
    faultmatrix.record_sequence(kind, "restart", results, timeout)
