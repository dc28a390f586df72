"""ActiveMQ check (STOMP side) against fake brokers that misbehave: endless headers, an endless
header line, an endless body, a huge content-length, a reply trickled one byte every 100 ms,
endless heart-beats, a close before any reply, bytes of another protocol, a frame that does not
answer CONNECT, an ERROR frame with control characters.

Each fake broker is a socket server in a thread of this process; each check runs in a child
process under an address-space limit (a runaway allocation kills the child instead of growing),
and must come back unhealthy within its deadline, with a one-line printable message, its peak RSS
grown by less than 50 MiB. A well-behaved fake broker (heart-beats, receipts) shows that the same
harness sees a healthy STOMP server as healthy, on one kept session."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from typing import Callable, Iterator, Union

import checkhelpers
import pytest
from healthcheckx import Health

TIMEOUT = 1.0
# How far past the deadline a result may end, and how long the whole `run()` may take beyond it.
DEADLINE_SLACK_MS = 50
RUN_SLACK_MS = 200
# Peak RSS growth allowed for one check (ru_maxrss is in KiB on Linux).
RSS_GROWTH_LIMIT_KIB = 50 * 1024
# The child's address-space limit. Each glibc malloc arena reserves 64 MiB of address space per
# thread that allocates; the child keeps two, so that the limit measures what is used.
ADDRESS_SPACE_LIMIT = 400 * 1024 * 1024

CONNECTED = b"CONNECTED\nversion:1.2\nserver:fake\nheart-beat:0,0\n\n\x00"

Peer = Callable[[socket.socket], None]


class FakeBroker:
    """A listener on 127.0.0.1 that hands each accepted connection to `peer`, in a thread."""

    def __init__(self, peer: Peer) -> None:
        self._peer = peer
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind((checkhelpers.LOOPBACK, 0))
        self._listener.listen(16)
        self.port: int = self._listener.getsockname()[1]
        self.connections = 0
        self._threads: list[threading.Thread] = []
        self._closing = threading.Event()
        self._accepter = threading.Thread(target=self._accept_loop, daemon=True)
        self._accepter.start()

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self._peer(conn)

    def close(self) -> None:
        self._closing.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._accepter.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)


@contextlib.contextmanager
def fake_broker(peer: Peer) -> Iterator[FakeBroker]:
    broker = FakeBroker(peer)
    try:
        yield broker
    finally:
        broker.close()


def read_frame(conn: socket.socket, timeout: float = 3.0) -> bytes:
    """The next frame the client sends (up to its NUL), or b"" when it closes first."""
    conn.settimeout(timeout)
    data = b""
    while b"\x00" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return b""
        data += chunk
    return data


def hold(conn: socket.socket, timeout: float = 5.0) -> None:
    """Keeps the connection open until the client closes it (or `timeout` passes)."""
    conn.settimeout(timeout)
    while conn.recv(4096):
        pass


def flood(head: bytes, unit: bytes) -> Peer:
    """Reads CONNECT, sends `head`, then `unit` over and over until the client goes away."""

    def peer(conn: socket.socket) -> None:
        read_frame(conn)
        conn.sendall(head)
        chunk = unit * max(1, 16384 // len(unit))
        while True:
            conn.sendall(chunk)

    return peer


def trickle(conn: socket.socket) -> None:
    """A valid CONNECTED frame, one byte every 100 ms."""
    read_frame(conn)
    for byte in CONNECTED:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


def huge_content_length(conn: socket.socket) -> None:
    """Announces a 4 TB body, then sends it slowly."""
    read_frame(conn)
    conn.sendall(b"CONNECTED\ncontent-length:4294967296000\n\n")
    while True:
        conn.sendall(b"\x00" * 1024)
        time.sleep(0.01)


def close_at_once(conn: socket.socket) -> None:
    conn.close()


def garbage(conn: socket.socket) -> None:
    """Another protocol's greeting, then its error, without reading anything."""
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" + bytes(range(256)))
    hold(conn)


def receipt_instead(conn: socket.socket) -> None:
    read_frame(conn)
    conn.sendall(b"RECEIPT\nreceipt-id:nothing\n\n\x00")
    hold(conn)


def error_with_control_characters(conn: socket.socket) -> None:
    """An ERROR frame whose message holds escaped and raw line breaks, an ESC colour sequence,
    U+2028 and 5,000 more characters, and a multi-line body."""
    read_frame(conn)
    message = "Bad\\nthing\\r\x1b[31mred\x0b\u2028tail " + "x" * 5000
    conn.sendall(
        b"ERROR\nmessage:" + message.encode() + b"\n\n\r\nfirst line\x1b[0m\nsecond line\n\x00"
    )
    hold(conn)


TIMED_OUT = f"timed out after {TIMEOUT}s"

# case: (peer, the exact message, or a predicate on it)
CASES: dict[str, tuple[Peer, Union[str, Callable[[str], bool]]]] = {
    "endless headers": (
        flood(b"CONNECTED\n", b"x-header:value\n"),
        "STOMP reply with more than 64 headers",
    ),
    "endless header line": (
        flood(b"CONNECTED\nx-header:", b"a"),
        "STOMP reply line longer than 8 KiB",
    ),
    "endless body": (flood(b"CONNECTED\n\n", b"b"), "STOMP reply larger than 64 KiB"),
    "endless body of a large frame": (
        flood(b"MESSAGE\n" + b"x-h:" + b"v" * 8000 + b"\n", b"x-h:" + b"v" * 8000 + b"\n"),
        "STOMP reply larger than 64 KiB",
    ),
    "huge content-length": (huge_content_length, "STOMP reply larger than 64 KiB"),
    "one byte every 100 ms": (trickle, TIMED_OUT),
    "endless heart-beats": (flood(b"", b"\n"), TIMED_OUT),
    "immediate close": (close_at_once, "Connection reset by peer"),
    "garbage": (garbage, "the server does not speak STOMP (invalid frame)"),
    "a frame other than CONNECTED": (
        receipt_instead,
        "unexpected STOMP frame in answer to CONNECT",
    ),
    "ERROR with control characters": (
        error_with_control_characters,
        lambda message: (
            message.startswith("STOMP error: Bad thing [31mred tail xxx")
            and ": first line [0m" in message
            and message.isprintable()
            and "\u2028" not in message
            and len(message) <= 300
        ),
    ),
}

# The child: a warm-up run against a well-behaved broker (runtime, threads and allocator set up),
# then the measured run.
CHILD = """
import json, resource, sys, time
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from healthcheckx import Health
timeout = float(sys.argv[4])
Health().activemq_check(sys.argv[1], timeout=timeout).run()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
health = Health().activemq_check(sys.argv[2], timeout=timeout)
start = time.monotonic()
(result,) = health.run()
wall_ms = (time.monotonic() - start) * 1000
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "status": str(result.status), "message": result.message, "error": result.error,
    "duration_ms": result.duration_ms, "wall_ms": wall_ms, "rss_growth_kib": after - before,
}))
"""


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
                conn.sendall(b"\n" + b"RECEIPT\nreceipt-id:" + receipt + b"\n\n\x00\n\n")


def run_in_child(url: str, warm_url: str) -> dict:
    env = dict(os.environ, MALLOC_ARENA_MAX="2")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, warm_url, url, str(ADDRESS_SPACE_LIMIT), str(TIMEOUT)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def good() -> Iterator[FakeBroker]:
    with fake_broker(good_broker) as broker:
        yield broker


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_stomp_peer_is_unhealthy_in_time_and_memory(good, case):
    peer, expected = CASES[case]
    with fake_broker(peer) as broker:
        outcome = run_in_child(f"stomp://127.0.0.1:{broker.port}", f"stomp://127.0.0.1:{good.port}")
    assert outcome["status"] == "unhealthy", outcome
    message = outcome["message"]
    assert message and "\n" not in message and "\r" not in message, outcome
    assert outcome["error"] == message, outcome
    if isinstance(expected, str):
        assert message == expected, outcome
    else:
        assert expected(message), outcome
    assert outcome["duration_ms"] <= TIMEOUT * 1000 + DEADLINE_SLACK_MS, outcome
    assert outcome["wall_ms"] <= TIMEOUT * 1000 + RUN_SLACK_MS, outcome
    assert outcome["rss_growth_kib"] < RSS_GROWTH_LIMIT_KIB, outcome


def test_the_harness_sees_a_well_behaved_broker_as_healthy(good):
    outcome = run_in_child(f"stomp://127.0.0.1:{good.port}", f"stomp://127.0.0.1:{good.port}")
    assert outcome["status"] == "healthy", outcome


def test_heartbeats_are_tolerated_on_a_kept_session():
    with fake_broker(good_broker) as broker:
        health = Health().activemq_check(f"stomp://u:secret@127.0.0.1:{broker.port}/vh")
        for _ in range(5):
            checkhelpers.assert_healthy(checkhelpers.run_one(health))
        assert broker.connections == 1


def test_connect_carries_version_vhost_and_credentials():
    seen: list[bytes] = []

    def recorder(conn: socket.socket) -> None:
        seen.append(read_frame(conn))
        conn.sendall(CONNECTED)

    with fake_broker(recorder) as broker:
        url = f"stomp://hcx:p%40ss%3Aword@127.0.0.1:{broker.port}/my%2Fvhost"
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
