"""SQL Server check against pysqlbridge, a real server of SQL Server's wire protocol (TDS
PRELOGIN, TLS tunnelled in the login, LOGIN7 with SQL logins, SQL batches): login and
`SELECT 1` over a kept connection, failures named by their cause."""

from __future__ import annotations

import urllib.parse

import checkhelpers
import pytest
from checkhelpers import require_services
from healthcheckx import Health


@pytest.fixture(scope="module")
def url(services) -> str:
    return require_services(services, "HCX_MSSQL_URL")["HCX_MSSQL_URL"]


def _replace(url: str, **parts: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(**parts))


@pytest.mark.parametrize(
    "form",
    ["mssql:// trusting the certificate", "sqlserver://", "encrypt=false", "no database"],
)
def test_healthy_in_every_url_form(url, form):
    dsn = {
        "mssql:// trusting the certificate": url,
        "sqlserver://": url.replace("mssql://", "sqlserver://", 1),
        # Only the login packet is encrypted; its certificate is not verified in this mode.
        "encrypt=false": _replace(url, query="encrypt=false"),
        "no database": _replace(url, path=""),
    }[form]
    health = Health().mssql_check(dsn)
    for _ in range(3):
        result = checkhelpers.run_one(health)
        checkhelpers.assert_healthy(result, "mssql")
        assert result.duration_ms < 3000


def test_an_unverifiable_certificate_is_a_tls_error(url):
    # encrypt=true (the default) verifies the certificate, which is self-signed here.
    result = checkhelpers.run_one(Health().mssql_check(_replace(url, query="")))
    checkhelpers.assert_unhealthy(result)
    assert result.message.startswith("TLS error: "), result
    assert "UnknownIssuer" in result.message, result


def test_one_connection_is_kept_and_reused(url):
    port = urllib.parse.urlsplit(url).port
    assert port is not None
    health = Health().mssql_check(url)
    seen = []
    for _ in range(10):
        checkhelpers.assert_healthy(checkhelpers.run_one(health))
        seen.append(checkhelpers.connections_to(port))
    assert len(seen[0]) == 1, seen[0]
    assert all(ports == seen[0] for ports in seen), seen


def test_server_stopped_then_started_is_seen_by_the_same_registration(mssql_server):
    health = Health().mssql_check(mssql_server.url, timeout=3)
    checkhelpers.assert_healthy(checkhelpers.run_one(health))
    mssql_server.stop()
    checkhelpers.assert_unhealthy(checkhelpers.run_one(health), "Connection refused")
    mssql_server.start()
    checkhelpers.assert_healthy(checkhelpers.run_one(health))


@pytest.mark.parametrize(
    ("dsn", "problem"),
    [
        ("postgresql://sa:hunter2@127.0.0.1/db", 'unsupported URL scheme "postgresql"'),
        ("mssql://sa:hunter2@127.0.0.1/db?encrypt=maybe", 'invalid encrypt "maybe"'),
        (
            "mssql://sa:hunter2@127.0.0.1/db?trust_server_certificate=perhaps",
            'invalid trust_server_certificate "perhaps"',
        ),
        ("mssql://sa:hunter2@127.0.0.1/db?timeout=5", 'unknown option "timeout"'),
        ("mssql://127.0.0.1/db", "names no user"),
        ("mssql://sa:hunter2@127.0.0.1:notaport/db", "invalid SQL Server URL"),
        ("sa:hunter2@127.0.0.1", "expected mssql://"),
        ("", "the DSN is empty"),
    ],
)
def test_bad_configuration_is_a_value_error_naming_the_check(dsn, problem):
    with pytest.raises(ValueError) as caught:
        Health().mssql_check(dsn, name="orders-db")
    text = str(caught.value)
    assert text.startswith('check "orders-db": '), text
    assert problem in text, text
    assert "hunter2" not in text


def test_an_unset_dsn_is_a_value_error():
    with pytest.raises(ValueError, match='"mssql"'):
        Health().mssql_check(None)
