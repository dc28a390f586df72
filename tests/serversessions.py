"""Sessions that servers list for the health checks' connections, read on the server's side.

* ``pg_sessions``: backend pids of PostgreSQL sessions named healthcheckx (pg_stat_activity).
* ``mysql_sessions``: MariaDB thread ids of user hcx (information_schema.PROCESSLIST).
* ``redis_clients``: Redis CLIENT LIST ids, the probe's own left out.
* ``settled``: a measure once it is empty (a closed session ends a moment later on the server).
"""

from __future__ import annotations

import socket
import time
from typing import Callable, Set

import psycopg
import pymysql


def pg_sessions(server) -> Set[int]:
    """Backend pids of the checks' sessions (application_name healthcheckx)."""
    with psycopg.connect(server.url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'healthcheckx'"
        ).fetchall()
    return {row[0] for row in rows}


def mysql_sessions(server) -> Set[int]:
    """Thread ids of the sessions of user hcx (the checks here connect as hcx, this probe as
    root)."""
    admin = pymysql.connect(host="127.0.0.1", port=server.port, user="root")
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'hcx'")
            return {row[0] for row in cursor.fetchall()}
    finally:
        admin.close()


def redis_clients(server) -> Set[int]:
    """Client ids of CLIENT LIST, the probe's own connection left out."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as probe:
        probe.sendall(b"*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n*2\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n")
        reader = probe.makefile("rb")
        own = int(reader.readline()[1:])
        header = reader.readline()
        assert header.startswith(b"$"), header
        body = reader.read(int(header[1:]) + 2).decode()
    ids = {int(line.split("id=", 1)[1].split()[0]) for line in body.splitlines() if "id=" in line}
    return ids - {own}


def settled(measure: Callable[[], Set[int]], timeout: float = 3.0) -> Set[int]:
    """`measure()` once it is empty, or as it is after `timeout`: the server ends a session a
    moment after the client closed it."""
    deadline = time.monotonic() + timeout
    while True:
        found = measure()
        if not found or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)
