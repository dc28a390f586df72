"""`Health(deadline=...)` and `run(deadline=...)`: a run answers within its deadline whatever the
checks' own timeouts; the checks still running are reported timed out, the others keep their
results, and the checks' connections work as before on the next run."""

from __future__ import annotations

import asyncio
import time

import pytest
from healthcheckx import CheckResult, Health, HealthStatus


def outcomes(results) -> list:
    return [(r.name, r.status.value, r.message) for r in results]


def timed(call):
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started


def test_the_health_deadline_caps_every_check(tarpit):
    def slow() -> CheckResult:
        time.sleep(1)
        return CheckResult("slow", HealthStatus.healthy)

    health = (
        Health(deadline=0.4)
        .redis_check(f"redis://127.0.0.1:{tarpit}/0", timeout=5, name="redis-silent")
        .postgresql_check(f"postgresql://u@127.0.0.1:{tarpit}/db", name="pg-silent")
        .register(slow, timeout=3)
        .sqlite_check(":memory:", name="sqlite")
    )
    assert health.deadline == 0.4
    results, elapsed = timed(health.run)
    assert 0.4 <= elapsed < 0.55, elapsed
    assert outcomes(results) == [
        ("redis-silent", "unhealthy", "timed out after 0.4s"),
        ("pg-silent", "unhealthy", "timed out after 0.4s"),
        ("slow", "unhealthy", "timed out after 0.4s"),
        ("sqlite", "healthy", None),
    ]
    assert all(400 <= r.duration_ms < 550 for r in results[:3])


def test_a_deadline_longer_than_the_checks_changes_nothing(tarpit):
    health = Health(deadline=5).redis_check(f"redis://127.0.0.1:{tarpit}/0", timeout=0.3)
    results, elapsed = timed(health.run)
    assert elapsed < 0.45
    assert outcomes(results) == [("redis", "unhealthy", "timed out after 0.3s")]


def test_a_run_deadline_applies_to_that_run_and_the_shorter_one_wins(tarpit):
    health = Health(cache_ttl=60).redis_check(f"redis://127.0.0.1:{tarpit}/0", timeout=0.6)
    results, elapsed = timed(lambda: health.run(deadline=0.2))
    assert elapsed < 0.35
    assert outcomes(results) == [("redis", "unhealthy", "timed out after 0.2s")]
    # Without a deadline the run is not served that result from the cache: the check's own.
    results, elapsed = timed(health.run)
    assert 0.6 <= elapsed < 0.75
    assert outcomes(results) == [("redis", "unhealthy", "timed out after 0.6s")]

    capped = Health(deadline=0.2).redis_check(f"redis://127.0.0.1:{tarpit}/0", timeout=5)
    assert outcomes(capped.run(deadline=0.3)) == [("redis", "unhealthy", "timed out after 0.2s")]
    assert outcomes(capped.run(deadline=0.1)) == [("redis", "unhealthy", "timed out after 0.1s")]


def test_arun_takes_the_deadline_too(tarpit):
    health = Health().redis_check(f"redis://127.0.0.1:{tarpit}/0", timeout=5)

    async def main():
        started = time.perf_counter()
        results = await health.arun(deadline=0.25)
        return results, time.perf_counter() - started

    results, elapsed = asyncio.run(main())
    assert elapsed < 0.4
    assert outcomes(results) == [("redis", "unhealthy", "timed out after 0.25s")]


def test_a_live_service_stays_healthy_run_after_run_under_a_deadline(services):
    health = Health(deadline=0.8).redis_check(services["HCX_REDIS_URL"], timeout=5)
    for _ in range(3):
        assert outcomes(health.run()) == [("redis", "healthy", None)]


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_a_deadline_must_be_a_positive_number_of_seconds(bad):
    with pytest.raises(ValueError, match="deadline must be a positive number of seconds"):
        Health(deadline=bad)
    with pytest.raises(ValueError, match="deadline must be a positive number of seconds"):
        Health().run(deadline=bad)
