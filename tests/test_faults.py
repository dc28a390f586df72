"""The fault matrix's columns beyond the failure contract (tests/test_contract.py, whose refused,
silent, wrong password and restart cases fill the rest): a missing database or virtual host, the
TLS form of a check pointed at a server without TLS, a DNS name that does not resolve, and the
cells of the kinds the contract leaves out (HTTP's login and restart, TCP's silent peer and
restart, SQLite and disk). Every cell is recorded into FAULTS.md (tests/faultmatrix.py).
"""

from __future__ import annotations

import base64
import http.server
import os
import threading
import urllib.parse
from typing import Any, Callable, Dict, Optional, Tuple

import faultmatrix
import pytest
import servers
from checkhelpers import (
    WRONG_PASSWORD_ENCODED,
    assert_healthy,
    assert_hides,
    assert_no_secret,
    assert_recovers_from_restart,
    assert_unhealthy,
    run_one,
)
from healthcheckx import CheckResult, Health, HealthStatus
from test_contract import KINDS, REFUSED_ONLY, SECRET

#: A name that never resolves (RFC 2606 reserves `.invalid`).
UNRESOLVABLE = "nothing.invalid"
#: The timeout of the cells whose peer may never answer (TLS spoken to a plain server).
TIMEOUT = 0.5


def _check(health: Health, message: Optional[str], *secrets: str) -> CheckResult:
    """The one result of `health`: unhealthy with `message` (healthy when None), no secret."""
    result = run_one(health)
    if message is None:
        assert_healthy(result)
    else:
        assert_unhealthy(result, message)
    for secret in secrets:
        assert_hides(result, secret)
        assert_no_secret(secret, repr(health))
    return result


def _with(url: str, *, scheme: str = "", path: Optional[str] = None, query: str = "") -> str:
    """`url` with another scheme, path, or more query parameters."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(
        parts._replace(
            scheme=scheme or parts.scheme,
            path=parts.path if path is None else path,
            query="&".join(q for q in (parts.query, query) if q),
        )
    )


# ------------------------------------------------------------------------------------- DNS


@pytest.mark.parametrize("kind", [*KINDS, "tcp"])
def test_a_name_that_does_not_resolve_is_said_first(kind):
    build = {**KINDS, **REFUSED_ONLY}[kind]
    health = build(5555, host=UNRESOLVABLE, timeout=2)
    result = _check(health, f'name resolution failed for "{UNRESOLVABLE}"', SECRET)
    faultmatrix.record(kind, "dns", result, timeout=2)


# -------------------------------------------------------------------------- missing database

# kind -> (the services.env variable, the URL with the missing name, the message; None: healthy,
# a note saying why)
MissingDatabase = Tuple[str, Callable[[str], str], Optional[str], Optional[str]]
MISSING_DATABASE: Dict[str, MissingDatabase] = {
    "redis": (
        "HCX_REDIS_AUTH_URL",
        lambda url: _with(url, path="/99"),
        'database "99" does not exist',
        None,
    ),
    "keydb": (
        "HCX_REDIS_AUTH_URL",
        lambda url: _with(url, scheme="keydb", path="/99"),
        'database "99" does not exist',
        None,
    ),
    "postgresql": (
        "HCX_PG_AUTH_URL",
        lambda url: _with(url, path="/nope"),
        'database "nope" does not exist',
        None,
    ),
    "mysql": (
        "HCX_MYSQL_URL",
        lambda url: _with(url, path="/nope"),
        'access denied for user "hcx" to database "nope"',
        "MariaDB answers a missing database as access denied",
    ),
    "mongodb": (
        "HCX_MONGODB_AUTH_URL",
        lambda url: _with(url, path="/nope"),
        None,
        "MongoDB creates a database on its first write: `ping` needs none",
    ),
    "rabbitmq": (
        "HCX_AMQP_AUTH_URL",
        lambda url: _with(url, path="/nope"),
        'vhost "nope" does not exist',
        None,
    ),
    "activemq stomp://": (
        "HCX_ACTIVEMQ_STOMP_AUTH_URL",
        lambda url: _with(url, path="/nope"),
        None,
        "ActiveMQ has no virtual hosts: STOMP's host header is not checked",
    ),
    "mssql": (
        "HCX_MSSQL_URL",
        lambda url: _with(url, path="/nope"),
        None,
        "the test server (pysqlbridge) has one database and accepts any name",
    ),
}


@pytest.mark.parametrize("kind", MISSING_DATABASE)
def test_missing_database_or_vhost(services, kind):
    key, url, message, note = MISSING_DATABASE[kind]
    health = Health().check(url(services[key]), timeout=3)
    result = _check(health, message, services["HCX_AUTH_PASSWORD"])
    faultmatrix.record(kind, "missing database", result, timeout=3, note=note)


# Fixed paths, so that FAULTS.md reads the same from run to run.
MISSING_DIRECTORY = "/nonexistent/healthcheckx"


def test_sqlite_missing_file():
    path = f"{MISSING_DIRECTORY}/missing.db"
    result = _check(Health().sqlite_check(path), f'database file "{path}" does not exist')
    assert not os.path.exists(path)  # never created
    faultmatrix.record("sqlite", "missing database", result, timeout=3, note="a missing file")


def test_disk_missing_path():
    path = f"{MISSING_DIRECTORY}/missing"
    result = _check(Health().disk_check(path), f'path "{path}" does not exist')
    faultmatrix.record("disk", "missing database", result, timeout=3, note="a missing path")


# ------------------------------------------------------------------------------- TLS absent

# kind -> (the services.env variable of a server without TLS, its URL in the kind's TLS form,
# the message). A TLS ClientHello sent to a server that waits for its own protocol's bytes is
# never answered: those report the deadline.
TLS_ABSENT: Dict[str, Tuple[str, Callable[[str], str], str]] = {
    "redis": (
        "HCX_REDIS_AUTH_URL",
        lambda url: _with(url, scheme="rediss"),
        "timed out after 0.5s",
    ),
    "keydb": (
        "HCX_REDIS_AUTH_URL",
        lambda url: _with(url, scheme="keydbs"),
        "timed out after 0.5s",
    ),
    "postgresql": (
        "HCX_PG_AUTH_URL",
        lambda url: _with(url, query="sslmode=require"),
        "TLS error: server does not support TLS",
    ),
    "mysql": (
        "HCX_MYSQL_URL",
        lambda url: _with(url, query="ssl-mode=REQUIRED"),
        "TLS error: server does not support TLS",
    ),
    "mongodb": (
        "HCX_MONGODB_AUTH_URL",
        lambda url: _with(url, query="tls=true"),
        "timed out after 0.5s",
    ),
    "rabbitmq": (
        "HCX_AMQP_AUTH_URL",
        lambda url: _with(url, scheme="amqps"),
        "TLS error: received corrupt message of type InvalidContentType",
    ),
    "kafka": ("HCX_KAFKA_URL", lambda url: _with(url, scheme="kafkas"), "timed out after 0.5s"),
    "activemq stomp://": (
        "HCX_ACTIVEMQ_STOMP_AUTH_URL",
        lambda url: _with(url, scheme="stomp+ssl"),
        "TLS error: received corrupt message of type InvalidContentType",
    ),
    "activemq tcp://": (
        "HCX_ACTIVEMQ_OPENWIRE_URL",
        lambda url: _with(url, scheme="openwire+ssl"),
        "TLS error: received corrupt message of type InvalidContentType",
    ),
}


@pytest.mark.parametrize("kind", TLS_ABSENT)
def test_tls_required_from_a_server_without_tls(services, kind):
    key, url, message = TLS_ABSENT[kind]
    health = Health().check(url(services[key]), timeout=TIMEOUT)
    result = _check(health, message, services["HCX_AUTH_PASSWORD"])
    faultmatrix.record(kind, "tls absent", result, timeout=TIMEOUT)


# ------------------------------------------------------------- TLS with an unknown CA

CA_USED_AS_END_ENTITY = "invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))"
# kind -> (the services.env variable of its server, the change to its TLS form, the message)
UNKNOWN_CA: Dict[str, Tuple[str, Dict[str, str], str]] = {
    "redis": ("HCX_REDIS_AUTH_URL", {"scheme": "rediss"}, "TLS error: " + CA_USED_AS_END_ENTITY),
    "keydb": ("HCX_REDIS_AUTH_URL", {"scheme": "keydbs"}, "TLS error: " + CA_USED_AS_END_ENTITY),
    "mongodb": ("HCX_MONGODB_AUTH_URL", {"query": "tls=true"}, "timed out after 1.0s"),
    "rabbitmq": ("HCX_AMQP_AUTH_URL", {"scheme": "amqps"}, "TLS error: " + CA_USED_AS_END_ENTITY),
    "kafka": ("HCX_KAFKA_URL", {"scheme": "kafkas"}, "TLS error: " + CA_USED_AS_END_ENTITY),
    "activemq stomp://": (
        "HCX_ACTIVEMQ_STOMP_AUTH_URL",
        {"scheme": "stomp+ssl"},
        "TLS error: " + CA_USED_AS_END_ENTITY,
    ),
    "activemq tcp://": (
        "HCX_ACTIVEMQ_OPENWIRE_URL",
        {"scheme": "openwire+ssl"},
        "TLS error: " + CA_USED_AS_END_ENTITY,
    ),
    "http": ("HCX_REDIS_URL", {"scheme": "https"}, CA_USED_AS_END_ENTITY),
}
UNKNOWN_CA_NOTES = {
    "mongodb": "the driver keeps retrying the TLS error until the deadline",
    "http": "unlike the others, no `TLS error:`",
}


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    """A certificate and key for localhost and 127.0.0.1, signed by no trusted CA."""
    return servers.make_self_signed_cert(tmp_path_factory.mktemp("self-signed"))


@pytest.mark.parametrize("kind", UNKNOWN_CA)
def test_tls_with_a_certificate_of_an_unknown_ca(services, self_signed, kind):
    key, change, message = UNKNOWN_CA[kind]
    url = services[key]
    parts = urllib.parse.urlsplit(url)
    forwarder = servers.TlsForwarder(parts.port, *self_signed)
    try:
        netloc = parts.netloc.rsplit(":", 1)[0] + f":{forwarder.port}"
        tls_url = _with(urllib.parse.urlunsplit(parts._replace(netloc=netloc)), **change)
        # 1 s: the first TLS handshake of the debug build takes a few hundred milliseconds.
        health = Health().check(tls_url, timeout=1)
        result = _check(health, message, services["HCX_AUTH_PASSWORD"])
    finally:
        forwarder.close()
    faultmatrix.record(kind, "unknown ca", result, timeout=1, note=UNKNOWN_CA_NOTES.get(kind))


def test_mssql_certificate_of_an_unknown_ca_is_rejected(services):
    # The test server's own certificate, verified (no trust_server_certificate).
    url = services["HCX_MSSQL_URL"].split("?", 1)[0]
    message = (
        "TLS error: the server's certificate was rejected during the TLS handshake: UnknownIssuer"
    )
    result = _check(Health().mssql_check(url, timeout=1), message, services["HCX_AUTH_PASSWORD"])
    faultmatrix.record("mssql", "unknown ca", result, timeout=1)


# ------------------------------------------------------ HTTP and TCP: a restartable HTTP server

USER = "monitor"


class _Handler(http.server.BaseHTTPRequestHandler):
    """200 for `monitor:<SECRET>` (or no credentials), 401 for any other login; HTTP/1.0, so no
    connection outlives a stop."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        given = self.headers.get("Authorization")
        good = "Basic " + base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
        status = 200 if given in (None, good) else 401
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class _HttpPeer:
    """A restartable HTTP server on one port (.port, .start(), .stop())."""

    def __init__(self) -> None:
        self.port = 0
        self.server: Optional[http.server.ThreadingHTTPServer] = None
        self.start()

    def start(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_peer():
    peer = _HttpPeer()
    try:
        yield peer
    finally:
        peer.stop()


def test_http_wrong_password_is_the_status_it_got(http_peer):
    url = f"http://{USER}:{WRONG_PASSWORD_ENCODED}@127.0.0.1:{http_peer.port}/health"
    health = Health().http_check(url)
    result = _check(
        health, "unexpected HTTP status 401 (expected 200)", SECRET, WRONG_PASSWORD_ENCODED
    )
    faultmatrix.record("http", "wrong password", result, timeout=2)


def test_http_restart(http_peer):
    url = f"http://{USER}:{urllib.parse.quote(SECRET, safe='')}@127.0.0.1:{http_peer.port}/"
    results = assert_recovers_from_restart(Health().http_check(url, timeout=2), http_peer)
    for result in results:
        assert_hides(result, SECRET)
    faultmatrix.record_sequence("http", "restart", results, timeout=2)


def test_https_to_a_plain_http_server(http_peer):
    url = f"https://{USER}:{urllib.parse.quote(SECRET, safe='')}@127.0.0.1:{http_peer.port}/"
    message = "received corrupt message of type InvalidContentType"
    result = _check(Health().http_check(url, timeout=TIMEOUT), message, SECRET)
    faultmatrix.record(
        "http", "tls absent", result, timeout=TIMEOUT, note="unlike the others, no `TLS error:`"
    )


def test_tcp_silent_peer_is_healthy(tarpit):
    result = _check(Health().tcp_check("127.0.0.1", tarpit, timeout=TIMEOUT), None)
    assert result.status is HealthStatus.healthy
    faultmatrix.record(
        "tcp", "silent", result, timeout=TIMEOUT, note="a connection accepted is all it asks"
    )


def test_tcp_restart(http_peer):
    results = assert_recovers_from_restart(
        Health().tcp_check("127.0.0.1", http_peer.port), http_peer
    )
    faultmatrix.record_sequence("tcp", "restart", results, timeout=2)
