"""The disk check against a real file system filled to known levels.

`small_tmpfs` is a 10 MiB tmpfs: 2560 pages of 4 KiB and no blocks reserved for root, so a file of
N pages leaves exactly (2560 - N) / 2560 of it free. There is no server, hence no refused port, no
tarpit and no credentials: the equivalents are a missing path (unhealthy) and space freed between
two runs (unhealthy, then healthy without registering again).
"""

from __future__ import annotations

import os

import pytest
from checkhelpers import assert_healthy, assert_unhealthy, run_one
from healthcheckx import Health, HealthStatus

PAGE = 4096
PAGES = 2560


def fill(directory, free_percent: float, name: str = "fill") -> None:
    """Writes a file leaving `free_percent` of the file system free."""
    stats = os.statvfs(directory)
    assert (stats.f_blocks, stats.f_frsize) == (PAGES, PAGE), "not the 10 MiB tmpfs"
    used_pages = PAGES - round(PAGES * free_percent / 100) - (stats.f_blocks - stats.f_bavail)
    with open(directory / name, "wb") as f:
        f.write(b"\0" * used_pages * PAGE)
    stats = os.statvfs(directory)
    assert stats.f_bavail * 100 / stats.f_blocks == pytest.approx(free_percent), stats


def test_healthy_degraded_and_unhealthy_levels(small_tmpfs):
    health = Health().disk_check(str(small_tmpfs), min_free_percent=10, warn_percent=20)
    assert_healthy(run_one(health), name="disk")

    fill(small_tmpfs, 15)
    degraded = run_one(health)
    assert degraded.status is HealthStatus.degraded, degraded
    assert degraded.message == "15.0% free (warn below 20%)"

    fill(small_tmpfs, 5, name="more")
    assert_unhealthy(run_one(health), "5.0% free (minimum 10%)")


def test_space_freed_between_runs_is_seen_without_registering_again(small_tmpfs):
    health = Health().disk_check(small_tmpfs, min_free_percent=50)
    fill(small_tmpfs, 12.5)
    assert_unhealthy(run_one(health), "12.5% free (minimum 50%)")
    (small_tmpfs / "fill").unlink()
    assert_healthy(run_one(health))


def test_thresholds_at_the_edges(small_tmpfs):
    fill(small_tmpfs, 25)
    at_minimum, at_warning, defaults = (
        Health()
        .disk_check(small_tmpfs, min_free_percent=25, name="at-minimum")
        .disk_check(small_tmpfs, min_free_percent=10, warn_percent=25, name="at-warning")
        .disk_check(small_tmpfs, name="defaults")
        .run()
    )
    # "Below" the threshold: exactly at it is still fine.
    for result in (at_minimum, at_warning, defaults):
        assert_healthy(result)


def test_a_full_file_system(small_tmpfs):
    fill(small_tmpfs, 0)
    assert_unhealthy(run_one(Health().disk_check(small_tmpfs)), "0.0% free (minimum 10%)")


def test_a_non_critical_check_below_the_minimum_is_degraded(small_tmpfs):
    fill(small_tmpfs, 5)
    result = run_one(Health().disk_check(small_tmpfs, critical=False))
    assert result.status is HealthStatus.degraded, result
    assert result.message == "5.0% free (minimum 10%)"


def test_missing_path_is_unhealthy(tmp_path):
    missing = tmp_path / "not-mounted"
    assert_unhealthy(run_one(Health().disk_check(missing)), f'path "{missing}" does not exist')


def test_default_path_is_the_root_file_system():
    result = run_one(Health().disk_check(min_free_percent=0))
    assert_healthy(result, name="disk")


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"min_free_percent": 10, "warn_percent": 5}, "warn_percent (5) must not be below"),
        ({"min_free_percent": 150}, "min_free_percent must be between 0 and 100"),
        ({"min_free_percent": -1}, "min_free_percent must be between 0 and 100"),
        ({"warn_percent": float("nan")}, "warn_percent must be between 0 and 100"),
        ({"path": ""}, "path must not be empty"),
    ],
)
def test_unusable_configurations_are_rejected_at_registration(kwargs, problem):
    with pytest.raises(ValueError, match='check "disk"') as raised:
        Health().disk_check(**kwargs)
    assert problem in str(raised.value)


def test_none_path_is_rejected():
    with pytest.raises(ValueError, match='check "data"'):
        Health().disk_check(None, name="data")
