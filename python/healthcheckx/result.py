"""healthcheckx 1.2's `healthcheckx.result`: deprecated, import from `healthcheckx`."""

from ._legacy import warn_moved
from ._result import CheckResult, HealthStatus

__all__ = ["CheckResult", "HealthStatus"]

warn_moved("healthcheckx.result", "import CheckResult and HealthStatus from healthcheckx")
