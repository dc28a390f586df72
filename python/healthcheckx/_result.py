"""The result model: `HealthStatus`, `CheckResult`, `overall_status`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Awaitable, Callable, Iterable, Optional, Union


class HealthStatus(str, Enum):
    """Health of a check or of a whole run. Compares and formats as its plain value."""

    healthy = "healthy"
    degraded = "degraded"
    unhealthy = "unhealthy"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


_SEVERITY = {HealthStatus.healthy: 0, HealthStatus.degraded: 1, HealthStatus.unhealthy: 2}


@dataclass
class CheckResult:
    """The result of one check.

    `message` is the human text (on failure, the one-line reason); `error` repeats it on failure
    for code written against older releases. `duration_ms` is always set by `Health.run()`.
    """

    name: str
    status: HealthStatus
    message: Optional[str] = None
    duration_ms: Optional[float] = None
    error: Optional[str] = None

    def __post_init__(self) -> None:
        if not isinstance(self.status, HealthStatus):
            try:
                self.status = HealthStatus(str(self.status))
            except ValueError:
                raise ValueError(
                    f"invalid status {self.status!r} for check {self.name!r} "
                    "(expected healthy, degraded or unhealthy)"
                ) from None

    def to_dict(self) -> dict:
        """The JSON shape of one check: `message` only when there is one."""
        data: dict = {"name": self.name, "status": self.status.value}
        if self.message:
            data["message"] = self.message
        data["duration_ms"] = round(self.duration_ms, 2) if self.duration_ms is not None else None
        return data


HealthCheck = Callable[[], Union[CheckResult, Awaitable[CheckResult]]]
"""A custom check: a function (or `async def`) that returns a `CheckResult`."""


def overall_status(results: Iterable[CheckResult]) -> HealthStatus:
    """Any unhealthy → unhealthy; any degraded → degraded; otherwise (or empty) healthy."""
    worst = HealthStatus.healthy
    for result in results:
        status = result.status
        if not isinstance(status, HealthStatus):
            status = HealthStatus(str(status))
        if _SEVERITY[status] > _SEVERITY[worst]:
            worst = status
    return worst
