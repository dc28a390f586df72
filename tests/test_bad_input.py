"""Bad input at the edge: every registration method, and `Health.check(url)`, given None, empty,
100,000-character, NUL-containing and lone-surrogate strings, malformed IPv6 addresses, ports out of
range and values of the wrong type. Each is refused at registration with a `ValueError` or
`TypeError` whose message names the check, or (the cases in `ACCEPTED`, a long host or path that
is well-formed text) registered and reported unhealthy by its run; never a crash or a hang, never
the password of the connect string. No server is needed: every address is unreachable.
"""

from __future__ import annotations

import faulthandler
import time
import urllib.parse
from typing import Any, Callable, Dict, Iterator, Tuple

import pytest
from checkhelpers import assert_hides, assert_no_secret, assert_unhealthy, run_one
from healthcheckx import Health

SECRET = "Sup3r-S3cret:p@ss"
ENCODED = urllib.parse.quote(SECRET, safe="")
NAME = "target"
TIMEOUT = 0.5
#: Registration and one run of any case: well within this, or something hangs.
BOUND = 2.0
LONG = 100_000

# The value a method is given alone.
PLAIN: Dict[str, Any] = {
    "None": None,
    "empty": "",
    "100k characters": "x" * LONG,
    "NUL": "a\0b",
    "lone surrogate": "\ud800",
    "int": 5,
    "bytes": b"redis://127.0.0.1:6379",
}


def _connect_strings(scheme: str) -> Dict[str, str]:
    """The kind's URL with a password and one thing wrong."""
    base = f"{scheme}://hcx:{ENCODED}@"
    return {
        "NUL in the host": f"{base}db\0host:1/db",
        "lone surrogate in the host": f"{base}\ud800:1/db",
        "lone surrogate in the password": f"{scheme}://hcx:{ENCODED}\ud800@host:1/db",
        "100k-character host": f"{base}{'h' * LONG}:1/db",
        "IPv6 without ]": f"{base}[::1:1/db",
        "IPv6 [:::1]": f"{base}[:::1]:1/db",
        "IPv6 of nine groups": f"{base}[1:2:3:4:5:6:7:8:9]:1/db",
        "port 65536": f"{base}host:65536/db",
        "port -1": f"{base}host:-1/db",
        "port 0": f"{base}host:0/db",
    }


# method -> the scheme of its URLs
URL_KINDS: Dict[str, str] = {
    "redis_check": "redis",
    "keydb_check": "keydb",
    "postgresql_check": "postgresql",
    "mysql_check": "mysql",
    "rabbitmq_check": "amqp",
    "mongodb_check": "mongodb",
    "kafka_check": "kafka",
    "activemq_check": "stomp",
    "mssql_check": "mssql",
    "oracle_check": "oracle",
    "http_check": "http",
    "sqlite_check": "sqlite",
}
# Kinds whose argument is a path (no password to hide) or a host (with `port=`).
PATH_KINDS = ("disk_check",)
HOST_KINDS = ("tcp_check", "memcached_check")

#: Well-formed text that names a place that cannot exist: registered, the run says why.
ACCEPTED = {
    *(
        (method, "100k-character host")
        for method in (
            "postgresql_check",
            "mysql_check",
            "rabbitmq_check",
            "mongodb_check",
            "activemq_check",
            "mssql_check",
            "oracle_check",
            "http_check",
        )
    ),
    ("kafka_check", "100k characters"),
    ("sqlite_check", "100k characters"),
    ("disk_check", "100k characters"),
    ("tcp_check", "host 100k characters"),
    ("memcached_check", "host 100k characters"),
}

Register = Callable[[], Health]


def _cases() -> Iterator[Tuple[str, str, Register]]:
    """(method, case, the registration), for every method and `check(url)`."""
    for method, scheme in URL_KINDS.items():
        values = {**PLAIN, **_connect_strings(scheme)}
        for case, value in values.items():
            yield method, case, _by_method(method, value)
            if isinstance(value, str) and "://" in value:
                yield method, f"check(url) {case}", _by_url(value)
    for method in PATH_KINDS:
        for case, value in PLAIN.items():
            yield method, case, _by_method(method, value)
    for method in HOST_KINDS:
        hosts = {
            **{f"host {case}": value for case, value in PLAIN.items()},
            "host [::1": "[::1",
            "host [:::1]": "[:::1]",
            "host [1:2:3:4:5:6:7:8:9]": "[1:2:3:4:5:6:7:8:9]",
        }
        for case, host in hosts.items():
            yield method, case, _by_method(method, host, 1)
        for port in (0, 65536, -1, "80", None, 1.5, b"80"):
            yield method, f"port {port!r}", _by_method(method, "127.0.0.1", port)
    for case, value in PLAIN.items():
        yield "check", case, _by_url(value)


def _by_method(method: str, *args: Any) -> Register:
    return lambda: getattr(Health(), method)(*args, timeout=TIMEOUT, name=NAME)


def _by_url(url: Any) -> Register:
    return lambda: Health().check(url, timeout=TIMEOUT, name=NAME)


CASES = {f"{method} {case}": (method, case, register) for method, case, register in _cases()}


@pytest.fixture(autouse=True)
def _no_hang():
    """A case that hangs ends the run with every thread's traceback, not a silent wait."""
    faulthandler.dump_traceback_later(30, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_naming_the_check(case):
    method, what, register = CASES[case]
    started = time.monotonic()
    if (method, what.removeprefix("check(url) ")) in ACCEPTED:
        health = register()
        result = run_one(health)
        assert_unhealthy(result)
        assert result.duration_ms <= TIMEOUT * 1000 + 50, result
        assert len(result.message) <= 1000, result  # capped, not the 100k characters
        assert_hides(result, SECRET)
        assert_no_secret(SECRET, repr(health))
    else:
        with pytest.raises((ValueError, TypeError)) as raised:
            register()
        message = str(raised.value)
        assert message.startswith(f'check "{NAME}": '), message
        assert "\n" not in message and len(message) <= 1000, message
        assert_no_secret(SECRET, message, repr(raised.value))
    assert time.monotonic() - started < BOUND
