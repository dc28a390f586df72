"""healthcheckx 1.2's `healthcheckx.check`: deprecated, use `Health().disk_check(...)`."""

from ._health import Health
from ._legacy import warn_moved
from ._result import CheckResult, HealthStatus

__all__ = ["CheckResult", "HealthStatus", "disk_check"]

warn_moved("healthcheckx.check", "use Health().disk_check(path, min_free_percent)")


def disk_check(min_free_percent: float = 10) -> CheckResult:
    """The free space of `/` now: unhealthy below `min_free_percent`."""
    return Health().disk_check("/", min_free_percent).run()[0]
