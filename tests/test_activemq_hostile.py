"""ActiveMQ check (STOMP side) against fake brokers that misbehave: endless headers, an endless
header line, an endless body, a huge content-length, a reply trickled one byte every 100 ms,
endless heart-beats, a close before any reply, bytes of another protocol, a frame that does not
answer CONNECT, an ERROR frame with control characters.

Each case runs in a child process under an address-space limit (`fakepeers.run_isolated`): it
must come back unhealthy within its deadline (the result's duration at most 50 ms past it), with
the expected one-line printable message, its peak RSS grown by less than 50 MiB. A well-behaved
fake broker (heart-beats around every frame, receipts) shows that the same peers are read as a
healthy STOMP server on one kept session, and what CONNECT carries."""

from __future__ import annotations

import socket
import time
from typing import Callable, Union

import checkhelpers
import pytest
from fakepeers import FakePeer, endless, read_some, reply, run_isolated
from healthcheckx import Health

pytestmark = pytest.mark.servers  # fake peers of its own (see conftest.py)

TIMEOUT = 1.0
#: How far past the deadline a result's duration may end, and the whole `run()` call.
DURATION_SLACK_MS = 50
RUN_SLACK = 0.1
#: Peak RSS growth allowed over the runs of one case (the runtime's own start-up included).
RSS_GROWTH_LIMIT_KIB = 50 * 1024

CONNECTED = b"CONNECTED\nversion:1.2\nserver:fake\nheart-beat:0,0\n\n\x00"
TIMED_OUT = f"timed out after {TIMEOUT}s"


def read_frame(conn: socket.socket, timeout: float = 5.0) -> bytes:
    """The client's bytes up to the end of a frame (its NUL), or b"" once it hung up."""
    conn.settimeout(timeout)
    data = b""
    while b"\x00" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return b""
        data += chunk
    return data


def trickle(conn: socket.socket) -> None:
    """A valid CONNECTED frame, one byte every 100 ms."""
    read_some(conn)
    for byte in CONNECTED:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


def close_at_once(conn: socket.socket) -> None:
    conn.close()


#: An ERROR frame whose message holds escaped and raw line breaks, an ESC colour sequence, a
#: vertical tab, U+2028 and 5,000 more characters, with a multi-line body.
ERROR_FRAME = (
    b"ERROR\nmessage:"
    + ("Bad\\nthing\\r\x1b[31mred\x0b\u2028tail " + "x" * 5000).encode()
    + b"\n\n\r\nfirst line\x1b[0m\nsecond line\n\x00"
)


def error_message_is_quoted_on_one_short_line(message: str) -> bool:
    return (
        message.startswith("STOMP error: Bad thing [31mred tail xxx")
        and ": first line [0m" in message
        and len(message) <= 300
    )


LARGE_HEADER = b"x-h:" + b"v" * 8000 + b"\n"

# case: (peer, the exact message or a predicate on it)
CASES: dict[str, tuple[Callable[[socket.socket], None], Union[str, Callable[[str], bool]]]] = {
    "endless headers": (
        endless(b"CONNECTED\n", b"x-header:value\n"),
        "STOMP reply with more than 64 headers",
    ),
    "endless header line": (
        endless(b"CONNECTED\nx-header:", b"a"),
        "STOMP reply line longer than 8 KiB",
    ),
    "endless body": (endless(b"CONNECTED\n\n", b"b"), "STOMP reply larger than 64 KiB"),
    "endless large headers": (
        endless(b"MESSAGE\n", LARGE_HEADER),
        "STOMP reply larger than 64 KiB",
    ),
    "huge content-length": (
        endless(b"CONNECTED\ncontent-length:4294967296000\n\n", b"\x00"),
        "STOMP reply larger than 64 KiB",
    ),
    "one byte every 100 ms": (trickle, TIMED_OUT),
    "endless heart-beats": (endless(b"", b"\n"), TIMED_OUT),
    "immediate close": (close_at_once, "Connection reset by peer"),
    "another protocol's reply": (
        reply(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
        "the server does not speak STOMP (invalid frame)",
    ),
    "binary garbage first": (
        endless(bytes(range(256)), bytes(range(256)), wait_for_client=False),
        "the server does not speak STOMP (invalid frame)",
    ),
    "a frame other than CONNECTED": (
        reply(b"RECEIPT\nreceipt-id:nothing\n\n\x00"),
        "unexpected STOMP frame in answer to CONNECT",
    ),
    "ERROR with control characters": (
        reply(ERROR_FRAME),
        error_message_is_quoted_on_one_short_line,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_stomp_peer_is_unhealthy_in_time_and_memory(case):
    peer, expected = CASES[case]
    with FakePeer(peer) as fake:
        outcome = run_isolated("activemq_check", f"stomp://127.0.0.1:{fake.port}", runs=2)
    assert outcome["rss_growth_kib"] < RSS_GROWTH_LIMIT_KIB, outcome
    for result in outcome["results"]:
        assert result["status"] == "unhealthy", outcome
        message = result["message"]
        assert message and message.isprintable(), outcome
        if isinstance(expected, str):
            assert message == expected, outcome
        else:
            assert expected(message), outcome
        assert result["duration_ms"] <= TIMEOUT * 1000 + DURATION_SLACK_MS, outcome
        assert result["elapsed"] < TIMEOUT + RUN_SLACK, outcome


def good_broker(conn: socket.socket) -> None:
    """Heart-beats around every frame; CONNECTED to CONNECT, RECEIPT to every receipt asked."""
    while True:
        frame = read_frame(conn, timeout=30)
        if not frame:
            return
        if frame.lstrip(b"\r\n").startswith(b"CONNECT\n"):
            conn.sendall(b"\n\r\n" + CONNECTED + b"\n")
            continue
        for line in frame.split(b"\n"):
            if line.startswith(b"receipt:"):
                receipt = line[len(b"receipt:") :]
                conn.sendall(b"\nRECEIPT\nreceipt-id:" + receipt + b"\n\n\x00\n\n")


def test_the_same_harness_sees_a_well_behaved_broker_as_healthy():
    with FakePeer(good_broker) as fake:
        outcome = run_isolated("activemq_check", f"stomp://127.0.0.1:{fake.port}", runs=3)
    assert [r["status"] for r in outcome["results"]] == ["healthy"] * 3, outcome


def test_heartbeats_are_tolerated_on_a_kept_session():
    accepted = []

    def counting(conn: socket.socket) -> None:
        accepted.append(conn)
        good_broker(conn)

    with FakePeer(counting) as fake:
        health = Health().activemq_check(f"stomp://u:secret@127.0.0.1:{fake.port}/vh")
        for _ in range(5):
            checkhelpers.assert_healthy(checkhelpers.run_one(health))
        assert len(accepted) == 1


def test_connect_carries_version_vhost_and_credentials():
    seen: list[bytes] = []

    def recorder(conn: socket.socket) -> None:
        seen.append(read_frame(conn))
        conn.sendall(CONNECTED)

    with FakePeer(recorder) as fake:
        url = f"stomp://hcx:p%40ss%3Aword@127.0.0.1:{fake.port}/my%2Fvhost"
        checkhelpers.assert_healthy(checkhelpers.run_one(Health().activemq_check(url)))
    (connect,) = seen
    lines = connect.rstrip(b"\x00").split(b"\n")
    assert lines[0] == b"CONNECT"
    assert set(lines[1:]) >= {
        b"accept-version:1.2",
        b"host:my/vhost",
        b"login:hcx",
        b"passcode:p@ss:word",
    }, connect
