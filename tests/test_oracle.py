"""Oracle check without an Oracle server (none can be installed here): every accepted form of
connect string reaches the network (refused, silent), every bad one is a `ValueError`, and a
server that is not Oracle is unhealthy. The healthy path (login, `SELECT 1 FROM DUAL`) is not
exercised here."""

from __future__ import annotations

import socket
import threading

import checkhelpers
import pytest
from healthcheckx import Health

SECRET = "Sup3r-S3cret:p@ss"


def _forms(port: int) -> dict[str, str]:
    return {
        "url": f"oracle://scott:Sup3r-S3cret%3Ap%40ss@127.0.0.1:{port}/FREEPDB1",
        "ezconnect": f"scott/{SECRET}@127.0.0.1:{port}/freepdb1",
        "ezconnect //": f"scott/{SECRET}@//127.0.0.1:{port}/freepdb1",
        "sid": f"scott/{SECRET}@127.0.0.1:{port}:ORCL",
        "descriptor": (
            f"scott/{SECRET}@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=127.0.0.1)(PORT={port}))"
            "(CONNECT_DATA=(SERVICE_NAME=freepdb1)))"
        ),
    }


def test_unresolvable_host_is_named():
    result = checkhelpers.run_one(
        Health().oracle_check(f"scott/{SECRET}@no-such-host.invalid:1521/svc")
    )
    checkhelpers.assert_unhealthy(result, 'name resolution failed for "no-such-host.invalid"')


def test_a_server_that_is_not_oracle_is_unhealthy():
    # Accepts, reads the TNS CONNECT packet, answers with bytes that are no TNS packet.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        stop = threading.Event()

        def serve() -> None:
            listener.settimeout(0.1)
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                with conn:
                    conn.settimeout(2)
                    try:
                        conn.recv(4096)
                        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
                    except OSError:
                        pass

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            health = Health().oracle_check(_forms(port)["url"], timeout=2)
            result = checkhelpers.run_one(health)
        finally:
            stop.set()
            thread.join(timeout=5)
    checkhelpers.assert_unhealthy(result)
    assert result.message != "timed out after 2.0s", result
    checkhelpers.assert_hides(result, SECRET)


@pytest.mark.parametrize(
    ("dsn", "problem"),
    [
        ("mysql://app:hunter2@h/db", 'unsupported URL scheme "mysql"'),
        ("oracle://app:hunter2@h:1521", "names no service"),
        ("oracle://app:hunter2@h/svc?mode=sysdba", 'unknown option "mode"'),
        ("oracle://h:1521/svc", "names no user"),
        ("app/hunter2@h:1521", "names no service"),
        ("app/hunter2@h:99999/svc", "invalid port"),
        ("app@h:1521/svc", "expected user/password@"),
        ("(DESCRIPTION=(ADDRESS=(HOST=h))(CONNECT_DATA=(SID=x)))", "names no user"),
        ("app/hunter2@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521))", "unbalanced parentheses"),
        ("app/hunter2@(DESCRIPTION=(ADDRESS=(HOST=h)))", "no (CONNECT_DATA=...)"),
        ("app/hunter2@(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=s)))", "no (ADDRESS=...)"),
        (
            "app/hunter2@(DESCRIPTION=(ADDRESS=(PROTOCOL=IPC)(KEY=x))(CONNECT_DATA=(SID=x)))",
            "has no HOST",
        ),
        ("", "the DSN is empty"),
    ],
)
def test_bad_configuration_is_a_value_error_naming_the_check(dsn, problem):
    with pytest.raises(ValueError) as caught:
        Health().oracle_check(dsn, name="erp")
    text = str(caught.value)
    assert text.startswith('check "erp": '), text
    assert problem in text, text
    assert "hunter2" not in text


def test_an_unset_dsn_is_a_value_error():
    with pytest.raises(ValueError, match='"oracle"'):
        Health().oracle_check(None)
