"""The result model: HealthStatus, CheckResult, overall_status."""

from __future__ import annotations

import pytest
from healthcheckx import CheckResult, HealthStatus, overall_status


def test_status_formats_as_its_value():
    assert str(HealthStatus.healthy) == "healthy"
    assert f"{HealthStatus.unhealthy}" == "unhealthy"
    assert f"{HealthStatus.degraded:>10}" == "  degraded"
    assert HealthStatus.healthy == "healthy"
    assert HealthStatus("degraded") is HealthStatus.degraded


def test_check_result_accepts_plain_strings_and_positional_message():
    result = CheckResult("cache", "unhealthy", "Cache read/write failed")
    assert result.status is HealthStatus.unhealthy
    assert result.message == "Cache read/write failed"
    assert result.duration_ms is None


def test_check_result_rejects_unknown_status():
    with pytest.raises(ValueError, match="invalid status 'ok'"):
        CheckResult("x", "ok")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], HealthStatus.healthy),
        (["healthy", "healthy"], HealthStatus.healthy),
        (["healthy", "degraded"], HealthStatus.degraded),
        (["degraded", "unhealthy", "healthy"], HealthStatus.unhealthy),
    ],
)
def test_overall_status_is_the_worst(statuses, expected):
    results = [CheckResult(f"c{i}", s) for i, s in enumerate(statuses)]
    assert overall_status(results) is expected


def test_to_dict_omits_an_empty_message():
    assert CheckResult("db", "healthy", duration_ms=1.234).to_dict() == {
        "name": "db",
        "status": "healthy",
        "duration_ms": 1.23,
    }
    assert CheckResult("db", "unhealthy", "Connection refused", 2.0).to_dict()["message"] == (
        "Connection refused"
    )
