"""The fault matrix: every kind of check × every fault, the verdict each cell must show, and
FAULTS.md, the table written from what the tests saw.

The tests of tests/test_contract.py and tests/test_faults.py call `record(kind, fault, ...)` once a
cell's assertions have passed; `write_if_complete()` (called by conftest.py at the end of the
session) rewrites FAULTS.md only when every cell that applies was recorded in this session, so
a partial or failing run leaves the committed file alone. Cells that cannot apply are
`NOT_APPLICABLE`, with the reason the table shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from healthcheckx import CheckResult

#: The rows: every kind of check, in every form whose connection path differs.
KINDS: Tuple[str, ...] = (
    "redis",
    "keydb",
    "postgresql",
    "mysql",
    "mongodb",
    "rabbitmq",
    "kafka",
    "memcached",
    "activemq stomp://",
    "activemq tcp://",
    "mssql",
    "oracle url",
    "oracle descriptor",
    "http",
    "tcp",
    "sqlite",
    "disk",
)

#: Each kind's timeout when registered without one (README, "What a check verifies").
DEFAULT_TIMEOUTS: Dict[str, float] = {
    **dict.fromkeys(KINDS, 3.0),
    **dict.fromkeys(
        ("redis", "keydb", "rabbitmq", "kafka", "memcached", "activemq stomp://", "http", "tcp"),
        2.0,
    ),
    "activemq tcp://": 2.0,
}

#: The columns: fault -> its heading in FAULTS.md.
FAULTS: Dict[str, str] = {
    "refused": "server stopped (refused)",
    "silent": "silent (accepts, never answers)",
    "wrong password": "wrong password",
    "missing database": "missing database / vhost",
    "restart": "restart between two runs",
    "tls absent": "TLS required, server without TLS",
    "dns": "DNS name that does not resolve",
    "unknown ca": "TLS, self-signed certificate (unknown CA)",
}

#: The slack over the deadline every cell keeps, in milliseconds.
SLACK_MS = 50.0
#: Kinds whose driver needs more slack past a silent peer's deadline (the contract suite's bound).
SILENT_SLACK_MS: Dict[str, float] = {}

_NO_SERVER = "no server, nothing to reach"
_NO_ORACLE = "no Oracle server here"
NOT_APPLICABLE: Dict[Tuple[str, str], str] = {
    **{(k, f): _NO_SERVER for k in ("sqlite", "disk") for f in FAULTS if f != "missing database"},
    **{(k, "wrong password"): _NO_ORACLE for k in ("oracle url", "oracle descriptor")},
    **{(k, "missing database"): _NO_ORACLE for k in ("oracle url", "oracle descriptor")},
    **{(k, "restart"): _NO_ORACLE for k in ("oracle url", "oracle descriptor")},
    **{(k, "tls absent"): _NO_ORACLE for k in ("oracle url", "oracle descriptor")},
    ("memcached", "wrong password"): "the text protocol has no authentication",
    ("memcached", "missing database"): "no databases",
    ("memcached", "tls absent"): "the check has no TLS option",
    ("kafka", "missing database"): "the check names no topic (Metadata of the cluster)",
    ("activemq tcp://", "wrong password"): "the OpenWire check reads the greeting, sends no login",
    ("activemq tcp://", "missing database"): "OpenWire has no virtual host",
    (
        "activemq stomp://",
        "restart",
    ): "the ActiveMQ broker is the machine's, shared; no private instance to stop",
    (
        "activemq tcp://",
        "restart",
    ): "the ActiveMQ broker is the machine's, shared; no private instance to stop",
    ("mssql", "tls absent"): "the test server (pysqlbridge) always offers TLS",
    **{
        (k, "unknown ca"): "TLS starts inside the protocol; the test server offers none"
        for k in ("postgresql", "mysql")
    },
    **{(k, "unknown ca"): _NO_ORACLE for k in ("oracle url", "oracle descriptor")},
    ("memcached", "unknown ca"): "the check has no TLS option",
    ("tcp", "unknown ca"): "no TLS option",
    ("http", "missing database"): "no database (a wrong path is an unexpected status)",
    ("tcp", "wrong password"): "no login",
    ("tcp", "missing database"): "no database",
    ("tcp", "tls absent"): "no TLS option",
}

#: Notes shown under the table: (kind, fault) -> what the reader needs to read the cell.
NOTES: Dict[Tuple[str, str], str] = {}

# (kind, fault) -> (verdict, message, duration in ms, timeout in s)
_cells: Dict[Tuple[str, str], Tuple[str, Optional[str], float, float]] = {}


def record(
    kind: str, fault: str, result: CheckResult, timeout: float, note: Optional[str] = None
) -> None:
    """Records what a passing test saw in the cell (kind, fault): the result and the timeout it
    ran under, and `note`, shown with the cell. Asserts the cell exists and applies, and the
    duration bound every cell keeps."""
    assert kind in KINDS and fault in FAULTS, (kind, fault)
    assert (kind, fault) not in NOT_APPLICABLE, (kind, fault)
    slack = SILENT_SLACK_MS.get(kind, SLACK_MS) if fault == "silent" else SLACK_MS
    assert result.duration_ms <= timeout * 1000 + slack, (kind, fault, result)
    _cells[(kind, fault)] = (result.status.value, result.message, result.duration_ms, timeout)
    if note:
        NOTES[(kind, fault)] = note


def record_sequence(kind: str, fault: str, results: Sequence[CheckResult], timeout: float) -> None:
    """A cell made of several runs (a restart): the last one is the verdict, every one is shown."""
    for result in results:
        record(kind, fault, result, timeout)
    shown = " → ".join(
        result.status.value + (f" `{result.message}`" if result.message else "")
        for result in results
    )
    _cells[(kind, fault)] = ("sequence", shown, max(r.duration_ms for r in results), timeout)


def missing() -> List[Tuple[str, str]]:
    """The cells that apply and were not recorded in this session."""
    return [
        (k, f)
        for k in KINDS
        for f in FAULTS
        if (k, f) not in NOT_APPLICABLE and (k, f) not in _cells
    ]


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _cell(kind: str, fault: str) -> str:
    if (kind, fault) in NOT_APPLICABLE:
        return f"n/a: {_escape(NOT_APPLICABLE[(kind, fault)])}"
    verdict, message, duration, timeout = _cells[(kind, fault)]
    if verdict == "sequence":
        text = _escape(message or "")
    else:
        text = f"**{verdict}**" + (f" `{_escape(message)}`" if message else "")
    text += f" ({duration:.0f} ms of {timeout:g} s)"
    note = NOTES.get((kind, fault))
    return text + (f" [{note}]" if note else "")


HEADER = """\
# Fault matrix

What every kind of check reports when the service it checks misbehaves, as measured by the test
command (`tests/test_faults.py` and `tests/test_contract.py`; this file is written by the test
run, at its end, only when every cell below ran and passed: do not edit it by hand).

Each cell: the status, the message exactly as the check reported it (one line, the cause first),
and the time the check took out of its timeout. Every cell is asserted: the status and message
shown, a duration within the timeout + {slack:.0f} ms{silent_note}, and no password of the connect
string in the message, the result's repr or the `Health`'s repr. "n/a" cells cannot apply to that
kind, for the reason given.

The peers: *refused*, a port where nothing listens; *silent*, a listener that accepts and never
sends a byte; *wrong password*, the real server (the machine's, or a private one) with a wrong
password; *missing database*, the real server with a database, database number or virtual host
that does not exist; *restart*, a private instance run, stopped, run, started, run with one
registration; *TLS required*, the kind's TLS form pointed at the real server, which speaks no TLS;
*DNS*, a host under `.invalid` (RFC 2606), which never resolves; *self-signed certificate*, the
kind's TLS form pointed at a TLS forwarder in front of the real server, whose certificate no
trusted CA signed (SQL Server: the test server's own TLS, with certificate verification on).

"""


def render() -> str:
    silent = ", ".join(f"{k} {v:.0f} ms" for k, v in SILENT_SLACK_MS.items())
    lines = [
        HEADER.format(
            slack=SLACK_MS,
            silent_note=f" (past a silent peer's deadline: {silent}, as the driver needs)"
            if silent
            else "",
        ).rstrip("\n"),
        "",
        "| kind | " + " | ".join(FAULTS.values()) + " |",
        "|---" * (len(FAULTS) + 1) + "|",
    ]
    for kind in KINDS:
        lines.append(f"| {kind} | " + " | ".join(_cell(kind, f) for f in FAULTS) + " |")
    return "\n".join(lines) + "\n"


def write_if_complete(path: Path) -> bool:
    """Writes FAULTS.md when every applicable cell was recorded; returns whether it did."""
    if not _cells or missing():
        return False
    path.write_text(render(), encoding="utf-8")
    return True
