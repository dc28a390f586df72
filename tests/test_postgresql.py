"""The PostgreSQL check against real servers: verdicts, messages, secrets, deadlines, restarts,
connection reuse, single-flight and the DSN forms.

Servers: the machine's PostgreSQL (HCX_POSTGRES_URL: trust, TLS on, socket in
/var/run/postgresql), the private scram-sha-256 PostgreSQL (HCX_PG_AUTH_URL: user hcx, no TLS)
and the restartable `postgres_server` of this module (trust, no TLS), whose
pg_stat_activity shows the check's connections (application_name healthcheckx).
"""

from __future__ import annotations

import os
import subprocess
import urllib.parse

import pytest
from checkhelpers import (
    assert_healthy,
    assert_hides,
    assert_unhealthy,
    client_sockets_to,
    run_one,
    run_while_frozen,
)
from healthcheckx import Health

MACHINE_SOCKET_DIR = "/var/run/postgresql"


def _psql(server, sql: str) -> list[str]:
    out = subprocess.run(
        [
            str(server.pg_bin / "psql"),
            "-X",
            "-h",
            "127.0.0.1",
            "-p",
            str(server.port),
            "-U",
            "postgres",
            "-d",
            "hcx_test",
            "-Atc",
            sql,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return out.stdout.split()


def _check_backends(server) -> set[int]:
    """Server processes of the check's connections."""
    return {
        int(pid)
        for pid in _psql(
            server, "SELECT pid FROM pg_stat_activity WHERE application_name = 'healthcheckx'"
        )
    }


def _auth_server(services) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(services["HCX_PG_AUTH_URL"])
    return parts.hostname, parts.port


# ------------------------------------------------------------ verdicts


def test_healthy_against_the_real_server(services, postgres_server):
    results = (
        Health()
        .postgresql_check(services["HCX_POSTGRES_URL"])
        .postgresql_check(services["HCX_PG_AUTH_URL"], name="scram")
        .postgresql_check(postgres_server.url, timeout=1, name="private")
        .run()
    )
    assert_healthy(results[0], name="postgresql")
    assert_healthy(results[1], name="scram")
    assert_healthy(results[2], name="private")


def test_the_real_password_never_appears_in_any_failure(services):
    password = services["HCX_AUTH_PASSWORD"]
    encoded = urllib.parse.quote(password, safe="")
    host, port = _auth_server(services)
    results = (
        Health()
        .postgresql_check(f"postgresql://hcx:{encoded}@{host}:{port}/nope", name="no-db")
        .postgresql_check(f"postgresql://nobody:{encoded}@{host}:{port}/hcx_test", name="no-user")
        .postgresql_check(
            f"host={host} port={port} user=hcx password='{password}' dbname=hcx_test "
            "sslmode=require",
            name="no-tls",
        )
        .run()
    )
    by_name = {r.name: r for r in results}
    assert_unhealthy(by_name["no-db"], 'database "nope" does not exist')
    assert_unhealthy(by_name["no-user"], 'authentication failed for user "nobody"')
    assert_unhealthy(by_name["no-tls"], "TLS error: server does not support TLS")
    for result in results:
        assert_hides(result, password)
    # Not percent-encoded, the URL cannot be parsed: the error hides the password too.
    with pytest.raises(ValueError) as raised:
        Health().postgresql_check(f"postgresql://hcx:{password}@{host}:{port}/hcx_test")
    assert "postgresql" in str(raised.value)
    for form in (password, encoded):
        assert form not in str(raised.value)


def test_missing_database(services, postgres_server):
    machine = services["HCX_POSTGRES_URL"].rsplit("/", 1)[0]
    results = (
        Health()
        .postgresql_check(f"{machine}/nope", name="url")
        .postgresql_check(
            f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname=nope",
            name="key-value",
        )
        .run()
    )
    for result in results:
        assert_unhealthy(result, 'database "nope" does not exist')


# ------------------------------------------------------------ restarts


def test_a_kept_connection_to_a_restarted_server_is_replaced(postgres_server):
    health = Health().postgresql_check(postgres_server.url, timeout=2)
    assert_healthy(run_one(health))
    (old,) = _check_backends(postgres_server)
    postgres_server.kill()
    postgres_server.start()
    # The first run after the crash is already healthy, on a new connection.
    assert_healthy(run_one(health))
    (new,) = _check_backends(postgres_server)
    assert new != old


def test_socket_of_a_stopped_server_is_reported_missing(postgres_server):
    dsn = (
        f"host={postgres_server.sockdir} port={postgres_server.port} user=postgres dbname=hcx_test"
    )
    health = Health().postgresql_check(dsn, timeout=2)
    assert_healthy(run_one(health))
    postgres_server.stop()
    socket_path = f"{postgres_server.sockdir}/.s.PGSQL.{postgres_server.port}"
    assert_unhealthy(run_one(health), f'socket "{socket_path}" does not exist')
    postgres_server.start()
    assert_healthy(run_one(health))


# ---------------------------------------------------- connection reuse


def test_twenty_runs_open_one_connection(postgres_server):
    before = _check_backends(postgres_server)
    health = Health().postgresql_check(postgres_server.url, timeout=2)
    assert_healthy(run_one(health))
    first = _check_backends(postgres_server) - before
    assert len(first) == 1, first
    for _ in range(19):
        assert_healthy(run_one(health))
    # Same server process after 20 runs: the same connection, and no other one.
    assert _check_backends(postgres_server) - before == first


def test_fifty_simultaneous_runs_share_one_connection_attempt(postgres_server):
    before_backends = _check_backends(postgres_server)
    before_sockets = client_sockets_to(postgres_server.port)
    health = Health().postgresql_check(postgres_server.url)
    # While the postmaster is stopped, connections wait in its listen queue: count them then.
    results, sockets = run_while_frozen(
        health, postgres_server.proc.pid, probe=lambda: client_sockets_to(postgres_server.port)
    )
    assert sockets - before_sockets == 1
    assert len(results) == 50
    for result in results:
        assert_healthy(result[0])
    assert len(_check_backends(postgres_server) - before_backends) == 1


# ----------------------------------------------------------- DSN forms


def test_dsn_forms(services, postgres_server):
    port = postgres_server.port
    password = services["HCX_AUTH_PASSWORD"]
    auth_host, auth_port = _auth_server(services)
    forms = {
        "url": postgres_server.url,
        "postgres-scheme": f"postgres://postgres@127.0.0.1:{port}/hcx_test",
        "key-value": f"host=127.0.0.1 port={port} user=postgres dbname=hcx_test",
        "key-value-password": (
            f"host={auth_host} port={auth_port} user=hcx dbname=hcx_test password='{password}'"
        ),
        "url-password": services["HCX_PG_AUTH_URL"],
        "machine-socket": f"host={MACHINE_SOCKET_DIR} user=postgres dbname=hcx_test",
        "machine-socket-url": (
            f"postgresql://postgres@{urllib.parse.quote(MACHINE_SOCKET_DIR, safe='')}/hcx_test"
        ),
        "private-socket": (
            f"host={postgres_server.sockdir} port={port} user=postgres dbname=hcx_test"
        ),
        "disable": f"{postgres_server.url}?sslmode=disable",
        "prefer": f"{postgres_server.url}?sslmode=prefer",
        "key-value-prefer": f"host=127.0.0.1 port={port} user=postgres sslmode=prefer",
        # The machine's server has TLS: require encrypts without verifying, as libpq does.
        "require-with-tls": f"{services['HCX_POSTGRES_URL']}?sslmode=require",
    }
    assert os.path.exists(f"{MACHINE_SOCKET_DIR}/.s.PGSQL.5432")
    health = Health()
    for name, dsn in forms.items():
        health.postgresql_check(dsn, name=name)
    results = health.run()
    assert [r.name for r in results] == list(forms)
    for result in results:
        assert_healthy(result)


def test_tls_failures_are_one_line_tls_messages(services, postgres_server):
    require, key_value, verify = (
        Health()
        .postgresql_check(f"{postgres_server.url}?sslmode=require", name="require")
        .postgresql_check(
            f"host=127.0.0.1 port={postgres_server.port} user=postgres sslmode=require",
            name="key-value",
        )
        # The machine's certificate is self-signed: verification fails.
        .postgresql_check(f"{services['HCX_POSTGRES_URL']}?sslmode=verify-full", name="verify")
        .run()
    )
    assert_unhealthy(require, "TLS error: server does not support TLS")
    assert_unhealthy(key_value, "TLS error: server does not support TLS")
    assert_unhealthy(verify)
    assert verify.message.startswith("TLS error: invalid peer certificate"), verify


def test_missing_socket_directory(tmp_path):
    result = run_one(Health().postgresql_check(f"host={tmp_path} port=5999 user=postgres"))
    assert_unhealthy(result, f'socket "{tmp_path}/.s.PGSQL.5999" does not exist')


@pytest.mark.parametrize(
    "dsn",
    [
        "mysql://u@127.0.0.1/db",
        "dbname=app user=app",
        "postgresql://127.0.0.1:notaport/db",
        "postgresql://127.0.0.1/db?sslmode=maybe",
    ],
)
def test_unusable_dsns_are_rejected_at_registration(dsn):
    with pytest.raises(ValueError, match='check "postgresql"'):
        Health().postgresql_check(dsn)
