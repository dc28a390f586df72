"""The MySQL check against real MariaDB servers: verdicts, messages, secrets, deadlines,
restarts, connection reuse, single-flight and the URL options.

Servers: the machine's MariaDB (HCX_MYSQL_URL: user hcx, whose password contains @ : / %,
percent-encoded in the URL; no TLS) and the restartable `mysql_server` of this module
(root without password in .url, hcx in .auth_url; no TLS), whose status counters show the
check's connections.
"""

from __future__ import annotations

import subprocess
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


def _sql(server, sql: str) -> list[list[str]]:
    """Rows of ``sql`` run as root on ``server`` (each call is one new connection)."""
    out = subprocess.run(
        [
            "mariadb",
            "--no-defaults",
            "-h",
            "127.0.0.1",
            "-P",
            str(server.port),
            "-u",
            "root",
            "-N",
            "-B",
            "-e",
            sql,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return [line.split("\t") for line in out.stdout.splitlines()]


def _connections(server) -> int:
    """The server's count of connection attempts, this query's own included."""
    ((_, value),) = _sql(server, "SHOW GLOBAL STATUS LIKE 'Connections'")
    return int(value)


def _hcx_sessions(server) -> set[int]:
    rows = _sql(server, "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'hcx'")
    return {int(row[0]) for row in rows}


def _machine_base(services) -> str:
    """host:port of the machine's MariaDB."""
    return urllib.parse.urlsplit(services["HCX_MYSQL_URL"]).netloc.rsplit("@", 1)[1]


# ------------------------------------------------------------ verdicts


def test_healthy_against_the_real_server(services, mysql_server):
    results = (
        Health()
        .mysql_check(services["HCX_MYSQL_URL"])
        .mysql_check(mysql_server.url, timeout=1, name="private-root")
        .mysql_check(mysql_server.auth_url, timeout=1, name="private-hcx")
        .run()
    )
    assert_healthy(results[0], name="mysql")
    assert_healthy(results[1], name="private-root")
    assert_healthy(results[2], name="private-hcx")


def test_the_real_password_never_appears_in_any_failure(services, mysql_server):
    password = services["HCX_AUTH_PASSWORD"]
    encoded = urllib.parse.quote(password, safe="")
    base = _machine_base(services)
    results = (
        Health()
        .mysql_check(f"mysql://nobody:{encoded}@{base}/hcx_test", name="no-user")
        .mysql_check(f"mysql://hcx:{encoded}@{base}/hcx_test?ssl-mode=REQUIRED", name="no-tls")
        .mysql_check(f"mysql://hcx:{encoded}@{base}/hcx_test?charset=nonsense", name="charset")
        .mysql_check(mysql_server.auth_url.replace("/hcx_test", "/nope"), name="no-grant")
        .run()
    )
    by_name = {r.name: r for r in results}
    assert_unhealthy(by_name["no-user"], 'authentication failed for user "nobody"')
    assert_unhealthy(by_name["no-tls"], "TLS error: server does not support TLS")
    assert_unhealthy(by_name["charset"], 'unknown character set "nonsense"')
    # hcx has no rights outside hcx_test: the server does not say whether "nope" exists.
    assert_unhealthy(by_name["no-grant"], 'access denied for user "hcx" to database "nope"')
    for result in results:
        assert_hides(result, password)
    # Not percent-encoded, the URL cannot be parsed: the error hides the password too.
    with pytest.raises(ValueError) as raised:
        Health().mysql_check(f"mysql://hcx:{password}@{base}/hcx_test")
    assert "mysql" in str(raised.value)
    for form in (password, encoded):
        assert form not in str(raised.value)


def test_missing_database(mysql_server):
    # root may see every database, so the server says the database does not exist.
    result = run_one(Health().mysql_check(mysql_server.url.replace("/hcx_test", "/nope")))
    assert_unhealthy(result, 'database "nope" does not exist')


# ------------------------------------------------------------ restarts


def test_a_kept_connection_to_a_restarted_server_is_replaced(mysql_server):
    health = Health().mysql_check(mysql_server.auth_url, timeout=2)
    assert_healthy(run_one(health))
    mysql_server.kill()
    mysql_server.start()
    before = _connections(mysql_server)
    # The first run after the crash is already healthy, on a new connection.
    assert_healthy(run_one(health))
    # One check connection, plus the counter query's own.
    assert _connections(mysql_server) - before == 1 + 1
    assert len(_hcx_sessions(mysql_server)) == 1


# ---------------------------------------------------- connection reuse


def test_twenty_runs_open_one_connection(mysql_server):
    before = _connections(mysql_server)
    health = Health().mysql_check(mysql_server.auth_url, timeout=2)
    for _ in range(20):
        assert_healthy(run_one(health))
    sessions = _hcx_sessions(mysql_server)
    # One check connection, plus the two counter queries' own.
    assert _connections(mysql_server) - before == 1 + 2
    assert len(sessions) == 1


def test_fifty_simultaneous_runs_share_one_connection(mysql_server):
    before = _connections(mysql_server)
    health = Health().mysql_check(mysql_server.auth_url)
    results, _ = run_while_frozen(health, mysql_server.proc.pid)
    assert len(results) == 50
    for result in results:
        assert_healthy(result[0])
    # One check connection, plus the counter query's own.
    assert _connections(mysql_server) - before == 1 + 1


# ----------------------------------------------------------- URL forms


def test_url_forms(services, mysql_server):
    base = _machine_base(services)
    password = urllib.parse.quote(services["HCX_AUTH_PASSWORD"], safe="")
    forms = {
        # The password contains @ : / %, percent-encoded.
        "encoded-credentials": services["HCX_MYSQL_URL"],
        "private-encoded": mysql_server.auth_url,
        "mariadb-scheme": f"mariadb://hcx:{password}@{base}/hcx_test",
        "no-database": f"mysql://hcx:{password}@{base}",
        "charset": f"{services['HCX_MYSQL_URL']}?charset=utf8mb4",
        "ssl-disabled": f"{services['HCX_MYSQL_URL']}?ssl-mode=DISABLED",
        "ssl-preferred": f"{services['HCX_MYSQL_URL']}?ssl-mode=PREFERRED",
        "both": f"{services['HCX_MYSQL_URL']}?charset=utf8mb4&ssl-mode=DISABLED",
    }
    health = Health()
    for name, url in forms.items():
        health.mysql_check(url, name=name)
    results = health.run()
    assert [r.name for r in results] == list(forms)
    for result in results:
        assert_healthy(result)


def test_unknown_charset_is_unhealthy(services):
    result = run_one(Health().mysql_check(f"{services['HCX_MYSQL_URL']}?charset=nonsense"))
    assert_unhealthy(result, 'unknown character set "nonsense"')


@pytest.mark.parametrize("option", ["ssl-mode=REQUIRED", "sslmode=required", "ssl=true"])
def test_tls_required_against_a_server_without_tls(services, option):
    result = run_one(Health().mysql_check(f"{services['HCX_MYSQL_URL']}?{option}"))
    assert_unhealthy(result, "TLS error: server does not support TLS")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u@127.0.0.1/db",
        "mysql:///db",
        "mysql://127.0.0.1:notaport/db",
        "mysql://u@127.0.0.1/db?ssl-mode=SOMETIMES",
        "mysql://u@127.0.0.1/db?charset=utf8;DROP",
    ],
)
def test_unusable_urls_are_rejected_at_registration(url):
    with pytest.raises(ValueError, match='check "mysql"'):
        Health().mysql_check(url)
