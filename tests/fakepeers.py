"""Fake peers that misbehave, and a way to run a check against one in a process of its own.

A fake peer is a TCP listener on 127.0.0.1 whose handler gets each accepted socket in a thread
of its own: it reads what a client sends and answers what a wrong port, a broken proxy or a
hostile server would (endless replies, huge length fields, control characters in error text).
No real server can be made to misbehave like this, which is why these tests use fakes.

`run_isolated` runs one registration in a child process under an address-space limit
(`RLIMIT_AS`), so that a check that allocates what a peer's length field promises kills the
child, not the test run, and reports what the child saw: result, duration, peak RSS.
"""

from __future__ import annotations

import itertools
import json
import socket
import subprocess
import sys
import textwrap
import threading
from typing import Callable, Iterator, Optional

Handler = Callable[[socket.socket], None]

#: The child's address-space limit: the interpreter with the extension loaded and its runtime
#: threads take about 200 MiB of it; a check may use the rest, never gigabytes.
ADDRESS_SPACE_LIMIT = 640 * 1024 * 1024


class FakePeer:
    """A listener handing each connection to `handler`; a context manager."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port: int = self.sock.getsockname()[1]
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> FakePeer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed.set()
        self.sock.close()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self.handler(conn)
        except OSError:
            pass  # the check hung up: what a misbehaving peer's handler ends with
        finally:
            conn.close()


def read_some(conn: socket.socket, size: int = 65536) -> bytes:
    """One read (what the client sent first), or b"" once it hung up."""
    conn.settimeout(5)
    try:
        return conn.recv(size)
    except socket.timeout:
        return b""


def stream_forever(conn: socket.socket, first: bytes, filler: bytes) -> None:
    """Sends `first`, then `filler` again and again until the client hangs up."""
    conn.sendall(first)
    chunk = filler * max(1, 65536 // len(filler))
    while True:
        conn.sendall(chunk)


def endless(first: bytes, filler: bytes = b"A", *, wait_for_client: bool = True) -> Handler:
    """A handler that reads the client's first bytes, then streams without end."""

    def handle(conn: socket.socket) -> None:
        if wait_for_client:
            read_some(conn)
        stream_forever(conn, first, filler)

    return handle


def reply(*answers: bytes) -> Handler:
    """A handler that answers each of the client's reads with the next of `answers`, and every
    read after those with the last one, until the client hangs up."""

    def handle(conn: socket.socket) -> None:
        for i in itertools.count():
            if not read_some(conn):
                return
            conn.sendall(answers[min(i, len(answers) - 1)])

    return handle


CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    import healthcheckx

    def peak_rss_kib():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    # The runtime starts with the first run: started here, so that it is not measured.
    warm = healthcheckx.Health()
    warm.tcp_check("127.0.0.1", 9, name="warm-up", timeout=0.2)
    warm.run()
    health = healthcheckx.Health()
    getattr(health, {method!r})(*{args!r}, **{options!r}, name="hostile", timeout={timeout!r})
    before = peak_rss_kib()
    results = []
    for _ in range({runs}):
        started = time.monotonic()
        result = health.run()[0]
        elapsed = time.monotonic() - started
        time.sleep({pause!r})
        results.append(
            {{
                "status": str(result.status.value),
                "message": result.message,
                "duration_ms": result.duration_ms,
                "elapsed": elapsed,
                "threads": len(os.listdir("/proc/self/task")),
                "fds": len(os.listdir("/proc/self/fd")),
            }}
        )
    print(json.dumps({{"results": results, "rss_growth_kib": peak_rss_kib() - before}}))
    """
)


def run_isolated(
    method: str,
    *args: object,
    timeout: float = 1.0,
    runs: int = 1,
    pause: float = 0.0,
    **options: object,
) -> dict[str, object]:
    """Runs `Health().<method>(*args, **options, timeout=...)` `runs` times in a child process under
    `ADDRESS_SPACE_LIMIT`; returns the results (status, message, the result's `duration_ms`, the
    run's `elapsed` seconds) and the growth of the peak RSS over the runs
    (after the runtime has started), with the threads and descriptors the
    process has after each run (`pause` seconds later).
    Fails the test with the child's stderr if the child dies (a crash, an abort)."""
    code = CHILD.format(
        limit=ADDRESS_SPACE_LIMIT,
        method=method,
        args=args,
        options=options,
        timeout=timeout,
        runs=runs,
        pause=pause,
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"the process died (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(done.stdout.splitlines()[-1])


def messages(outcome: dict[str, object]) -> Iterator[Optional[str]]:
    for result in outcome["results"]:  # type: ignore[attr-defined]
        yield result["message"]
