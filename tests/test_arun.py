"""`Health.arun()`: native checks awaited as engine tasks, coroutine checks on the caller's
loop, the loop never blocked."""

from __future__ import annotations

import asyncio
import os
import time

from healthcheckx import CheckResult, Health, HealthStatus


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_native_checks_need_no_thread_each_and_the_loop_keeps_running(tarpit):
    health = Health()
    for i in range(30):
        health.redis_check(f"redis://127.0.0.1:{tarpit}", timeout=0.5, name=f"hung-{i}")
    health.sqlite_check(":memory:")

    async def main() -> tuple:
        await health.arun()  # warm: the engine's runtime exists from here on
        baseline = _threads()
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        started = time.perf_counter()
        pending = asyncio.ensure_future(health.arun())
        await asyncio.sleep(0.25)
        peak = _threads()
        results = await pending
        elapsed = time.perf_counter() - started
        task.cancel()
        return results, elapsed, ticks, baseline, peak

    results, elapsed, ticks, baseline, peak = asyncio.run(main())
    assert len(results) == 31
    assert all(r.message == "timed out after 0.5s" for r in results[:30])
    assert results[30].status is HealthStatus.healthy
    assert elapsed < 0.7
    assert ticks >= 30, ticks  # ~50 expected in 0.5 s: the loop was free
    assert peak <= baseline + 2, (baseline, peak)


def test_coroutine_checks_run_on_the_callers_loop():
    seen = {}

    async def on_which_loop() -> CheckResult:
        seen["loop"] = asyncio.get_running_loop()
        await asyncio.sleep(0.01)
        return CheckResult("loop-check", "healthy")

    health = Health().register(on_which_loop)

    async def main() -> list:
        seen["caller"] = asyncio.get_running_loop()
        return await health.arun()

    results = asyncio.run(main())
    assert results[0].name == "loop-check"
    assert results[0].status is HealthStatus.healthy
    assert seen["loop"] is seen["caller"]

    # From sync run(), coroutines run on the package's own loop, not on a closed one.
    results = health.run()
    assert results[0].status is HealthStatus.healthy
    assert seen["loop"] is not seen["caller"]


def test_a_hung_coroutine_check_times_out_without_blocking_the_loop():
    async def hung() -> CheckResult:
        await asyncio.sleep(10)
        return CheckResult("hung", "healthy")

    health = Health().register(hung, timeout=0.3)

    async def main() -> tuple:
        started = time.perf_counter()
        results = await health.arun()
        return results, time.perf_counter() - started

    results, elapsed = asyncio.run(main())
    assert results[0].message == "timed out after 0.3s"
    assert elapsed < 0.5


def test_concurrent_awaits_share_one_run_and_cancellation_is_harmless():
    calls = []

    async def counted() -> CheckResult:
        calls.append(1)
        await asyncio.sleep(0.2)
        return CheckResult("counted", "healthy")

    health = Health().register(counted)

    async def main() -> list:
        cancelled = asyncio.ensure_future(health.arun())
        others = [asyncio.ensure_future(health.arun()) for _ in range(20)]
        await asyncio.sleep(0.05)
        cancelled.cancel()
        results = await asyncio.gather(*others)
        # A new run after the shared one ended works normally.
        results.append(await health.arun())
        return results

    results = asyncio.run(main())
    assert all(r[0].status is HealthStatus.healthy for r in results)
    assert len(calls) == 2
