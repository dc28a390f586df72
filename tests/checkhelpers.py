"""Assertions and probes shared by the service check tests.

* ``run_one``: runs a ``Health`` holding one check and returns its result.
* ``assert_healthy`` / ``assert_unhealthy``: the result contract (message, error,
  duration) in one place.
* ``assert_hides``: no form of a password appears in a result.
* ``run_while_frozen``: many simultaneous ``run()`` calls while the server process
  is stopped with SIGSTOP, so that every call is issued while the first one is
  still waiting for the server.
* ``client_sockets_to`` / ``connections_to``: client TCP connections to a local port.
* ``open_fds`` / ``threads`` / ``settle`` / ``steady``: what this process holds, read from
  /proc, to prove that checks reuse their connection and leak nothing.
* ``silent_listener``: a port whose connections are never accepted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator, Optional

import pytest
from healthcheckx import CheckResult, Health, HealthStatus

# A wrong password with the characters that need percent-encoding in a URL.
WRONG_PASSWORD = "Wr0ng-P@ss:w/rd%"
WRONG_PASSWORD_ENCODED = urllib.parse.quote(WRONG_PASSWORD, safe="")


def run_one(health: Health) -> CheckResult:
    results = health.run()
    assert len(results) == 1, results
    return results[0]


def assert_healthy(result: CheckResult, name: Optional[str] = None) -> None:
    assert result.status is HealthStatus.healthy, result
    assert result.message is None, result
    assert result.error is None, result
    assert isinstance(result.duration_ms, float) and result.duration_ms > 0, result
    if name is not None:
        assert result.name == name


def assert_unhealthy(result: CheckResult, message: Optional[str] = None) -> None:
    """Unhealthy with a one-line message (equal to ``message`` when given)."""
    assert result.status is HealthStatus.unhealthy, result
    assert result.message, result
    assert "\n" not in result.message and "\r" not in result.message, result
    assert result.error == result.message
    assert isinstance(result.duration_ms, float) and result.duration_ms >= 0, result
    if message is not None:
        assert result.message == message, result


def assert_times_out(health: Health, timeout: float = 0.5) -> CheckResult:
    """The one check of ``health`` is reported timed out, at its deadline and not much later."""
    result = run_one(health)
    assert_unhealthy(result, f"timed out after {timeout}s")
    assert timeout * 1000 <= result.duration_ms <= timeout * 1000 + 100, result
    return result


def assert_recovers_from_restart(health: Health, server: Any) -> list[CheckResult]:
    """Healthy, ``Connection refused`` while ``server`` is stopped, healthy once it is started
    again: the same registration, nothing registered again. Returns the three results."""
    results = [run_one(health)]
    assert_healthy(results[-1])
    server.stop()
    results.append(run_one(health))
    assert_unhealthy(results[-1], "Connection refused")
    server.start()
    results.append(run_one(health))
    assert_healthy(results[-1])
    return results


def assert_refuses_wrong_password(health: Health, user: str, *secrets: str) -> CheckResult:
    """The one check of ``health`` names ``user`` as refused, and neither its result nor the
    repr of ``health`` shows any of ``secrets``; returns the result."""
    result = run_one(health)
    assert_unhealthy(result, f'authentication failed for user "{user}"')
    for secret in secrets:
        assert_hides(result, secret)
        assert_no_secret(secret, repr(health))
    return result


def password_forms(password: str) -> set[str]:
    """The password as written in a config file and as percent-encoded in URLs."""
    return {
        password,
        urllib.parse.quote(password, safe=""),
        urllib.parse.quote(password),
        urllib.parse.quote_plus(password),
    }


def assert_hides(result: CheckResult, password: str) -> None:
    """No form of `password` in anything a result shows: message, error, repr, dict."""
    assert_no_secret(password, result.message, result.error, repr(result), result.to_dict())


def run_while_frozen(
    health: Health,
    pid: int,
    *,
    callers: int = 50,
    hold: float = 0.3,
    probe: Optional[Callable[[], object]] = None,
) -> tuple[list[list[CheckResult]], object]:
    """``callers`` threads call ``health.run()`` together while process ``pid`` is
    stopped (SIGSTOP); after ``hold`` seconds ``probe()`` is called (server still
    stopped) and the process is continued. Returns every caller's results and
    what ``probe`` returned."""
    barrier = threading.Barrier(callers + 1)

    def call() -> list[CheckResult]:
        barrier.wait(timeout=10)
        return health.run()

    observed = None
    with ThreadPoolExecutor(max_workers=callers) as pool:
        os.kill(pid, signal.SIGSTOP)
        try:
            futures = [pool.submit(call) for _ in range(callers)]
            barrier.wait(timeout=10)
            time.sleep(hold)
            if probe is not None:
                observed = probe()
        finally:
            os.kill(pid, signal.SIGCONT)
        results = [f.result(timeout=30) for f in futures]
    return results, observed


def client_sockets_to(port: int) -> int:
    """TCP sockets connecting or connected to 127.0.0.1:``port`` (client side:
    the remote end is that port), from /proc/net/tcp."""
    count = 0
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            remote, state = fields[2], fields[3]
            address, remote_port = remote.split(":")
            # 01 ESTABLISHED, 02 SYN_SENT; 0100007F is 127.0.0.1.
            if int(remote_port, 16) == port and address == "0100007F" and state in ("01", "02"):
                count += 1
    return count


LOOPBACK = "127.0.0.1"
ESTABLISHED = "01"


def open_fds() -> int:
    """Open file descriptors of this process."""
    return len(os.listdir("/proc/self/fd"))


def threads() -> int:
    """OS threads of this process, native ones included (`threading` sees only Python's)."""
    return len(os.listdir("/proc/self/task"))


def _socket_inodes() -> set[str]:
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed since listdir
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def connections_to(port: int) -> set[int]:
    """Local ports of this process's established TCP connections to `port` (any address)."""
    ours = _socket_inodes()
    local_ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for row in rows:
            fields = row.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if state == ESTABLISHED and int(remote.rsplit(":", 1)[1], 16) == port and inode in ours:
                local_ports.add(int(local.rsplit(":", 1)[1], 16))
    return local_ports


def settle(measure: Callable[[], int], at_most: int, timeout: float = 2.0) -> int:
    """`measure()` once it is <= at_most, or its last value after `timeout` seconds.

    Threads and sockets of an abandoned connection end shortly after the run that abandoned it
    returns; this waits for that instead of sleeping a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        value = measure()
        if value <= at_most or time.monotonic() >= deadline:
            return value
        time.sleep(0.05)


def steady(measure: Callable[[], int], timeout: float = 2.0) -> int:
    """`measure()` once two readings 0.1 s apart agree (a baseline taken while the threads of
    earlier runs may still be ending)."""
    deadline = time.monotonic() + timeout
    last = measure()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        value = measure()
        if value == last:
            return value
        last = value
    return last


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """Port of a listener that never accepts: connections complete in the kernel's backlog and
    never get a byte. Unlike the `tarpit` fixture, this process holds no descriptor per
    connection, so descriptor counts measure the client side alone."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(4096)
        yield listener.getsockname()[1]


def with_password(url: str, password: str) -> str:
    """`url` (with a user and a port) with its password replaced, percent-encoded."""
    parts = urllib.parse.urlsplit(url)
    userinfo = f"{parts.username}:{urllib.parse.quote(password, safe='')}"
    return urllib.parse.urlunsplit(
        parts._replace(netloc=f"{userinfo}@{parts.hostname}:{parts.port}")
    )


def assert_no_secret(password: str, *texts: object) -> None:
    for text in texts:
        for form in password_forms(password):
            assert form not in str(text), f"{form!r} in {text!r}"


SETUP_HINT = "run `sudo scripts/services.sh` (as root) to install and start the test services"


def require_services(services: dict[str, str], *keys: str) -> dict[str, str]:
    """`services`, failing (never skipping) when one of `keys` (variables of services.env beyond
    servers.REQUIRED_ENV) is missing."""
    missing = [k for k in keys if not services.get(k)]
    if missing:
        pytest.fail(
            f"missing test service variables {', '.join(missing)}: {SETUP_HINT}", pytrace=False
        )
    return services
