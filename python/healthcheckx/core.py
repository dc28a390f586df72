"""healthcheckx 1.2's `healthcheckx.core`: deprecated, import from `healthcheckx`."""

from ._health import Health
from ._legacy import warn_moved
from ._result import CheckResult, HealthCheck, HealthStatus, overall_status

__all__ = ["CheckResult", "Health", "HealthCheck", "HealthStatus", "overall_status"]

warn_moved("healthcheckx.core", "import Health, overall_status and HealthCheck from healthcheckx")
