"""Engine behaviour seen from Python: concurrency, deadlines, custom checks, single-flight,
cache, tags, criticality, threads, fork, and configuration errors."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import healthcheckx
import pytest
from healthcheckx import CheckResult, Health, HealthStatus


def test_importing_the_package_imports_no_framework():
    import subprocess
    import sys

    code = (
        "import sys, healthcheckx; "
        "print([m for m in ('django', 'fastapi', 'flask', 'starlette') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert healthcheckx.__version__.count(".") == 2


def test_five_checks_three_on_tarpits_return_within_the_deadline(tarpit):
    health = Health()
    health.tcp_check("127.0.0.1", tarpit, timeout=1, name="tcp-ok")
    health.redis_check(f"redis://127.0.0.1:{tarpit}/0", timeout=1, name="redis-hung")
    health.postgresql_check(f"postgresql://u@127.0.0.1:{tarpit}/db", timeout=1, name="pg-hung")
    health.sqlite_check(":memory:", name="sqlite")
    health.mysql_check(f"mysql://u@127.0.0.1:{tarpit}/db", timeout=1, name="mysql-hung")
    started = time.perf_counter()
    results = health.run()
    elapsed = time.perf_counter() - started
    assert elapsed < 1.2, elapsed
    assert [r.name for r in results] == ["tcp-ok", "redis-hung", "pg-hung", "sqlite", "mysql-hung"]
    statuses = {r.name: r.status for r in results}
    assert statuses["tcp-ok"] is HealthStatus.healthy
    assert statuses["sqlite"] is HealthStatus.healthy
    for name in ("redis-hung", "pg-hung", "mysql-hung"):
        result = next(r for r in results if r.name == name)
        assert result.status is HealthStatus.unhealthy
        assert result.message == "timed out after 1.0s"
        assert result.error == result.message
        assert 1000 <= result.duration_ms < 1150


def test_custom_checks_sync_async_failing_and_hung():
    def django_db_check() -> CheckResult:
        return CheckResult("django-db", HealthStatus.healthy)

    async def async_check() -> CheckResult:
        await asyncio.sleep(0.01)
        return CheckResult("async-check", "degraded", "slow replica")

    def broken() -> CheckResult:
        raise ConnectionError("cache node 3 is gone")

    def hung() -> CheckResult:
        time.sleep(2)
        return CheckResult("hung", "healthy")

    health = (
        Health()
        .register(django_db_check)
        .register(async_check)
        .register(broken)
        .register(hung, timeout=0.3)
        .register(broken, name="named-broken")
    )
    started = time.perf_counter()
    results = health.run()
    assert time.perf_counter() - started < 0.6
    by_name = {r.name: r for r in results}
    assert list(by_name) == ["django-db", "async-check", "broken", "hung", "named-broken"]
    assert by_name["django-db"].status is HealthStatus.healthy
    assert by_name["django-db"].duration_ms is not None
    assert by_name["async-check"].status is HealthStatus.degraded
    assert by_name["async-check"].message == "slow replica"
    assert by_name["broken"].status is HealthStatus.unhealthy
    assert by_name["broken"].message == "cache node 3 is gone"
    assert by_name["hung"].message == "timed out after 0.3s"
    assert 300 <= by_name["hung"].duration_ms < 450
    # The hung call is still running: the next run does not stack another one behind it.
    again = {r.name: r for r in health.run()}
    assert again["hung"].status is HealthStatus.unhealthy
    assert "earlier call has not returned" in again["hung"].message


def test_critical_false_degrades_and_tags_select(closed_port):
    health = (
        Health()
        .redis_check(f"redis://127.0.0.1:{closed_port}", name="cache", critical=False, tags="ready")
        .sqlite_check(":memory:", name="db", tags=["ready", "startup"])
        .tcp_check("127.0.0.1", closed_port, name="other", tags=("live",))
    )
    ready = health.run(tags={"ready"})
    assert [r.name for r in ready] == ["cache", "db"]
    assert ready[0].status is HealthStatus.degraded
    assert ready[0].message == "Connection refused"
    assert healthcheckx.overall_status(ready) is HealthStatus.degraded
    assert [r.name for r in health.run(tags="startup")] == ["db"]
    assert len(health.run()) == 3


def test_cache_ttl_serves_results_without_running_checks():
    calls = []

    def counted() -> CheckResult:
        calls.append(1)
        return CheckResult("counted", "healthy")

    health = Health(cache_ttl=0.5).register(counted)
    health.run()
    health.run()
    assert len(calls) == 1
    time.sleep(0.6)
    health.run()
    assert len(calls) == 2


def test_simultaneous_runs_share_one_execution():
    calls = []

    def slow() -> CheckResult:
        calls.append(1)
        time.sleep(0.3)
        return CheckResult("slow", "healthy")

    health = Health().register(slow)
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda _: health.run(), range(50)))
    assert all(r[0].status is HealthStatus.healthy for r in results)
    assert len(calls) == 1


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_many_threads_many_runs_leak_no_file_descriptors(closed_port):
    # A listener that never accepts: connections complete in the kernel's backlog and hang, and
    # (unlike the `tarpit` fixture) this process holds no descriptor for the server side.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4096)
    tarpit = silent.getsockname()[1]
    health = (
        Health()
        .sqlite_check(":memory:")
        .tcp_check("127.0.0.1", closed_port, name="refused")
        .redis_check(f"redis://127.0.0.1:{tarpit}", timeout=0.05, name="hung")
    )
    health.run()  # runtime threads and kept connections exist from here on
    before = _open_fds()

    def worker() -> None:
        for _ in range(50):
            results = health.run()
            assert results[0].status is HealthStatus.healthy

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(0.2)
    after = _open_fds()
    silent.close()
    assert after <= before + 2, (before, after)


def test_a_forked_child_runs_checks_with_its_own_runtime(tarpit):
    async def coroutine_check() -> CheckResult:
        await asyncio.sleep(0)
        return CheckResult("coroutine", "healthy")

    health = (
        Health().sqlite_check(":memory:").tcp_check("127.0.0.1", tarpit).register(coroutine_check)
    )
    # The parent's runtime, connections and coroutine loop all exist before the fork.
    assert all(r.status is HealthStatus.healthy for r in health.run())
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report through the pipe, never return into pytest
        try:
            results = health.run()
            ok = [r.status.value for r in results] == ["healthy", "healthy", "healthy"]
            os.write(write, b"ok" if ok else repr(results).encode())
        finally:
            os._exit(0)
    os.close(write)
    deadline = time.monotonic() + 10
    _, status = os.waitpid(pid, 0)
    answer = os.read(read, 4096)
    os.close(read)
    assert time.monotonic() < deadline
    assert status == 0
    assert answer == b"ok"
    # The parent keeps working after the fork.
    assert all(r.status is HealthStatus.healthy for r in health.run())


@pytest.mark.parametrize(
    ("method", "url", "fragment"),
    [
        ("redis_check", None, "no URL given"),
        ("redis_check", "not a url", "invalid Redis URL"),
        ("redis_check", "http://u:hunter2@host", 'unsupported URL scheme "http"'),
        ("postgresql_check", "dbname=app", "names no host"),
        ("postgresql_check", "postgresql://u:hunter2@h/db?sslmode=sometimes", "invalid sslmode"),
        ("mysql_check", "mysql://u:hunter2@h/db?ssl-mode=MAYBE", "invalid ssl-mode"),
        ("mysql_check", "", "invalid MySQL URL"),
        ("rabbitmq_check", "amqp://u:hunter2@h:port/", "invalid AMQP URL"),
        ("mongodb_check", "mongo://u:hunter2@h", 'unsupported URL scheme "mongo"'),
        ("sqlite_check", "", "empty"),
        ("http_check", "ftp://u:hunter2@h/", 'unsupported URL scheme "ftp"'),
    ],
)
def test_bad_configuration_raises_value_error_naming_the_check(method, url, fragment):
    with pytest.raises(ValueError) as info:
        getattr(Health(), method)(url, name="my-check")
    message = str(info.value)
    assert 'check "my-check"' in message
    assert fragment in message
    assert "hunter2" not in message


def test_bad_numbers_raise_value_error():
    with pytest.raises(ValueError, match="timeout must be a positive"):
        Health().redis_check("redis://localhost", timeout=0)
    with pytest.raises(ValueError, match="port must be between"):
        Health().tcp_check("localhost", 0)
    with pytest.raises(ValueError, match="cache_ttl"):
        Health(cache_ttl=-1)
    with pytest.raises(TypeError):
        Health().register("not callable")  # type: ignore[arg-type]


def test_registration_chains_and_repr_shows_no_secret():
    health = Health().redis_check("redis://:hunter2@localhost:6379/0").sqlite_check(":memory:")
    assert isinstance(health, Health)
    assert health.names == ["redis", "sqlite"]
    assert len(health) == 2
    assert "hunter2" not in repr(health)


def test_arun_does_not_block_the_event_loop():
    def slow() -> CheckResult:
        time.sleep(0.3)
        return CheckResult("slow", "healthy")

    health = Health().register(slow)

    async def main() -> tuple:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        results = await health.arun()
        task.cancel()
        return results, ticks

    results, ticks = asyncio.run(main())
    assert results[0].status is HealthStatus.healthy
    assert ticks >= 10


def test_the_gil_is_released_while_native_checks_run(tarpit):
    health = Health().redis_check(f"redis://127.0.0.1:{tarpit}", timeout=0.5)
    counted = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal counted
        while not stop.is_set():
            counted += 1

    thread = threading.Thread(target=spin)
    thread.start()
    time.sleep(0.05)
    before = counted
    health.run()
    during = counted - before
    stop.set()
    thread.join()
    # Holding the GIL for the 0.5 s wait would leave the spinning thread only the interpreter's
    # switch interval slices; released, it runs freely (millions of increments).
    assert during > 100_000, during


def test_refresh_interval_serves_the_latest_results_at_once():
    calls = []

    def slow() -> CheckResult:
        calls.append(time.monotonic())
        time.sleep(0.2)
        return CheckResult("slow", "healthy")

    health = Health(refresh_interval=0.1).register(slow)
    assert health.run()[0].status is HealthStatus.healthy  # the first run runs the check
    started = time.perf_counter()
    for _ in range(50):
        assert health.run()[0].status is HealthStatus.healthy
    assert time.perf_counter() - started < 0.1  # 50 answers without waiting 0.2 s each
    time.sleep(0.9)
    refreshed = len(calls)
    assert 3 <= refreshed <= 6, refreshed  # kept fresh in the background, ~every 0.3 s
    health.stop_refresh()
    time.sleep(0.5)
    settled = len(calls)
    time.sleep(0.5)
    assert len(calls) == settled  # stopped
