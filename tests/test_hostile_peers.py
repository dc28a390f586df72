"""Checks against peers that misbehave: endless replies, huge length fields, error text with
control characters. Each case runs in a child process under an address-space limit
(`fakepeers.run_isolated`): the process must survive, answer `unhealthy` (or, for HTTP, the
status it read) within the deadline, grow its memory by a bounded amount, and report one
printable line. The peers are fakes (`tests/fakepeers.py`): no real server misbehaves on demand.
"""

from __future__ import annotations

import socket
import struct

import pytest
from fakepeers import FakePeer, endless, read_some, reply, run_isolated, stream_forever

pytestmark = pytest.mark.servers  # fake peers of its own (see conftest.py)

TIMEOUT = 1.0
#: Deadline slack: scheduling and the child's own overhead.
SLACK = 0.1
#: Peak RSS growth allowed over the runs: buffers, a read budget, a TLS stack, never the
#: gigabyte a length field promises.
RSS_BOUND_KIB = 48 * 1024


def assert_contained(outcome: dict, status: str = "unhealthy", contains: str = "") -> str:
    """Every run ended as `status` within the deadline, memory stayed bounded; returns the last
    message after checking that it is one printable line."""
    assert outcome["rss_growth_kib"] < RSS_BOUND_KIB, outcome
    message = ""
    for result in outcome["results"]:
        assert result["status"] == status, outcome
        assert result["elapsed"] < TIMEOUT + SLACK, outcome
        message = result["message"] or ""
        assert message.isprintable() and len(message.splitlines()) <= 1, repr(message)
        assert contains in message, outcome
    return message


# --- HTTP: only the status matters; a body is never read past a small cap ---------------------

HTTP_CASES = {
    "content-length": (b"HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n", b"A"),
    "chunked": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"8000\r\n" + b"A" * 0x8000 + b"\r\n",
    ),
    "until-close": (b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", b"A"),
}


@pytest.mark.parametrize("case", sorted(HTTP_CASES))
def test_http_endless_body_is_not_read(case):
    head, filler = HTTP_CASES[case]
    with FakePeer(endless(head, filler)) as peer:
        outcome = run_isolated("http_check", f"http://127.0.0.1:{peer.port}/", runs=3)
    assert_contained(outcome, status="healthy")
    # Well within the deadline: the verdict does not wait for the body.
    assert all(r["elapsed"] < 0.5 for r in outcome["results"]), outcome


def test_http_error_status_with_endless_body():
    head = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100000000000\r\n\r\n"
    with FakePeer(endless(head)) as peer:
        outcome = run_isolated("http_check", f"http://127.0.0.1:{peer.port}/", runs=2)
    assert_contained(outcome, contains="unexpected HTTP status 503 (expected 200)")


def test_http_endless_headers():
    with FakePeer(endless(b"HTTP/1.1 200 OK\r\n", b"X-Filler: aaaaaaaaaaaaaaaa\r\n")) as peer:
        outcome = run_isolated("http_check", f"http://127.0.0.1:{peer.port}/", runs=2)
    assert_contained(outcome)


# --- PostgreSQL: message lengths checked before the driver buffers them ----------------------


def postgres_peer(after_startup: bytes, filler: bytes = b"A", tls_answer: bytes = b"N"):
    """Answers the TLS request with `tls_answer`, then the startup message with `after_startup`
    followed by `filler` without end."""

    def handle(conn: socket.socket) -> None:
        first = read_some(conn)
        if first[4:8] == b"\x04\xd2\x16\x2f":  # SSLRequest
            conn.sendall(tls_answer)
            if tls_answer != b"N":
                return
            read_some(conn)
        stream_forever(conn, after_startup, filler)

    return handle


@pytest.mark.parametrize(
    "name, first",
    [
        ("2 GiB message", b"R" + struct.pack(">I", 0x7FFFFFFF)),
        ("0x41414141 length", b"A"),
        ("endless authentication request", b"R" + struct.pack(">I", 0x00100000)),
    ],
)
@pytest.mark.parametrize("sslmode", ["prefer", "disable"])
def test_postgresql_huge_or_endless_message(name, first, sslmode):
    with FakePeer(postgres_peer(first)) as peer:
        url = f"postgresql://app@127.0.0.1:{peer.port}/db?sslmode={sslmode}"
        outcome = run_isolated("postgresql_check", url, runs=2)
    assert_contained(outcome, contains="reply larger than 1 MiB: not a PostgreSQL server")


def test_postgresql_wrong_port_streaming_bytes():
    with FakePeer(endless(b"", b"A")) as peer:
        outcome = run_isolated("postgresql_check", f"postgresql://app@127.0.0.1:{peer.port}/db")
    assert_contained(outcome, contains="not a PostgreSQL server")


def error_response(message: str) -> bytes:
    fields = b"SFATAL\0CXX000\0M" + message.encode() + b"\0\0"
    return b"E" + struct.pack(">I", len(fields) + 4) + fields


# --- Redis: a reply may not grow past the read budget ----------------------------------------


@pytest.mark.parametrize(
    "first, filler",
    [
        (b"$1000000000\r\n", b"A"),
        (b"*100000000\r\n", b":1\r\n"),
        (b"+", b"A"),
    ],
    ids=["bulk string", "array", "simple string"],
)
def test_redis_endless_reply(first, filler):
    with FakePeer(endless(first, filler)) as peer:
        outcome = run_isolated("redis_check", f"redis://127.0.0.1:{peer.port}/0", runs=2)
    assert_contained(outcome, contains="reply larger than 64 KiB: not a Redis server")


# --- Oracle: the driver's packet length is checked before it allocates ------------------------

ACCEPT_PAYLOAD = bytes.fromhex(
    "013f"  # protocol version 319 (large SDU: 4-byte packet lengths from here on)
    "0001"
    "2000"
    "ffff"
    "0000"
    "0000"
    "0000"
    "04"
    "04"
    "0000000000000000"
    "00002000"
    "0000000000"
    "10000000"
)
ACCEPT = struct.pack(">HHBBH", 8 + len(ACCEPT_PAYLOAD), 0, 2, 0, 0) + ACCEPT_PAYLOAD


def test_oracle_four_gib_packet_length():
    huge_data_packet = struct.pack(">IBBH", 0xFFFFFFF0, 6, 0, 0)
    with FakePeer(reply(ACCEPT, huge_data_packet + b"\0" * 64)) as peer:
        outcome = run_isolated("oracle_check", f"oracle://app:pw@127.0.0.1:{peer.port}/svc", runs=2)
    assert_contained(outcome, contains="packet length 4294967280 exceeds the largest SDU")


def test_oracle_endless_response():
    # DATA packets of 8 KiB that never carry the end-of-response flag.
    payload = b"\0\0" + b"A" * 8182
    packet = struct.pack(">IBBH", 8 + len(payload), 6, 0, 0) + payload

    def handle(conn: socket.socket) -> None:
        read_some(conn)
        conn.sendall(ACCEPT)
        read_some(conn)
        while True:
            conn.sendall(packet * 8)

    with FakePeer(handle) as peer:
        outcome = run_isolated("oracle_check", f"oracle://app:pw@127.0.0.1:{peer.port}/svc", runs=2)
    assert_contained(outcome)


def test_oracle_descriptor_nested_without_end_is_a_value_error():
    import healthcheckx

    descriptor = "app/secret@(DESCRIPTION=" + "(A=" * 100_000
    with pytest.raises(ValueError, match="nested deeper than 32 levels") as raised:
        healthcheckx.Health().oracle_check(descriptor)
    assert "secret" not in str(raised.value)


# --- RabbitMQ: an oversized frame leaves no thread or socket behind ---------------------------


def test_rabbitmq_oversized_frame_leaks_nothing():
    frame_header = struct.pack(">BHI", 1, 0, 0xFFFFFFF0)
    with FakePeer(endless(frame_header, b"A")) as peer:
        outcome = run_isolated(
            "rabbitmq_check", f"amqp://guest:guest@127.0.0.1:{peer.port}/", runs=6, pause=0.2
        )
    assert_contained(outcome, contains="frame larger than the receive buffer")
    first, *_, last = outcome["results"]
    assert last["threads"] <= first["threads"], outcome
    assert last["fds"] <= first["fds"], outcome


# --- Server text in messages: one printable line ----------------------------------------------

FORGED = "bad\r\x0b\x1b[31mforged\u2028line"


def redis_peer(answer: bytes):
    """Answers every command with `answer` (the client pipelines its first two)."""

    def handle(conn: socket.socket) -> None:
        while True:
            sent = read_some(conn)
            if not sent:
                return
            conn.sendall(answer * (sent.count(b"\r\n*") + sent.startswith(b"*")))

    return handle


def test_redis_error_text_is_one_printable_line():
    with FakePeer(redis_peer(("-ERR " + FORGED + "\r\n").encode())) as peer:
        outcome = run_isolated("redis_check", f"redis://127.0.0.1:{peer.port}/0")
    message = assert_contained(outcome)
    assert message.startswith("Redis error: ERR bad"), message
    assert "forged" not in message


def test_postgresql_error_text_is_one_printable_line():
    with FakePeer(reply(b"N", error_response("no \x1b[31mway\u2028forged"))) as peer:
        outcome = run_isolated("postgresql_check", f"postgresql://app@127.0.0.1:{peer.port}/db")
    message = assert_contained(outcome)
    assert message == "no \\x1b[31mway", message


def test_mysql_error_text_is_one_printable_line():
    text = ("#28000" + "denied \x1b[2J" + FORGED).encode()
    err = b"\xff" + struct.pack("<H", 1045) + text
    packet = struct.pack("<I", len(err))[:3] + b"\0" + err

    def handle(conn: socket.socket) -> None:
        conn.sendall(packet)
        read_some(conn)

    with FakePeer(handle) as peer:
        outcome = run_isolated("mysql_check", f"mysql://app:pw@127.0.0.1:{peer.port}/db")
    message = assert_contained(outcome)
    assert "forged" not in message and "\x1b" not in message, message


def test_memcached_reply_is_one_printable_line():
    with FakePeer(reply(("SERVER_ERROR " + FORGED + "\r\n").encode())) as peer:
        outcome = run_isolated("memcached_check", "127.0.0.1", port=peer.port)
    message = assert_contained(outcome)
    assert "forged" not in message, message


def test_custom_check_message_is_one_printable_line():
    import healthcheckx
    from healthcheckx import CheckResult, HealthStatus

    health = healthcheckx.Health()
    health.register(
        lambda: CheckResult("custom", HealthStatus.unhealthy, message=FORGED), name="custom"
    )
    message = health.run()[0].message
    assert message == "bad", repr(message)


# --- Configuration that cannot work is refused at registration -------------------------------


@pytest.mark.parametrize("url", ["amqp://", "amqp:///", "amqp://:@", "amqps://"])
def test_rabbitmq_url_without_host_is_refused(url):
    import healthcheckx

    with pytest.raises(ValueError, match="names no host"):
        healthcheckx.Health().rabbitmq_check(url)


@pytest.mark.parametrize(
    "method, url",
    [
        ("redis_check", "redis://127.0.0.1:0"),
        ("keydb_check", "keydb://127.0.0.1:0"),
        ("postgresql_check", "postgresql://app:hunter22@127.0.0.1:0/db"),
        ("postgresql_check", "host=127.0.0.1 port=0 user=app password=hunter22"),
        ("mysql_check", "mysql://app:hunter22@127.0.0.1:0/db"),
        ("rabbitmq_check", "amqp://app:hunter22@127.0.0.1:0/"),
        ("mssql_check", "mssql://sa:hunter22@127.0.0.1:0/db"),
        ("oracle_check", "oracle://app:hunter22@127.0.0.1:0/svc"),
        ("http_check", "http://127.0.0.1:0/"),
        ("mongodb_check", "mongodb://app:hunter22@127.0.0.1:0/db"),
        ("activemq_check", "stomp://app:hunter22@127.0.0.1:0"),
        ("activemq_check", "tcp://127.0.0.1:0"),
    ],
)
def test_port_zero_is_refused(method, url):
    import healthcheckx

    with pytest.raises(ValueError, match="between 1 and 65535") as raised:
        getattr(healthcheckx.Health(), method)(url)
    assert "hunter22" not in str(raised.value)


@pytest.mark.parametrize(
    "method, url",
    [
        ("postgresql_check", "postgresql://app:hunter22@[:::1]/db"),
        ("postgresql_check", "postgresql://app:hunter22@[1:2:3:4:5:6:7:8:9]/db"),
        ("redis_check", "redis://:hunter22@[:::1]:6379"),
        ("mssql_check", "mssql://sa:hunter22@[:::1]/db"),
    ],
)
def test_invalid_ipv6_is_refused(method, url):
    import healthcheckx

    with pytest.raises(ValueError, match="invalid") as raised:
        getattr(healthcheckx.Health(), method)(url)
    assert "hunter22" not in str(raised.value)
