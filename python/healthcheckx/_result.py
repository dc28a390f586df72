"""The result model: `HealthStatus`, `CheckResult`, `overall_status`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Awaitable, Callable, Dict, Iterable, Optional, Tuple, Union

# One result as the engine reports it: (name, status, message, duration_ms).
EngineRow = Tuple[str, str, Optional[str], float]


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

    `message` is the human text (on failure, the one-line reason); `error`, on failure, is the
    error a custom check gave, else the message again (for code written against 1.2).
    `duration_ms` is always set by `Health.run()`.
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

    def to_dict(self) -> Dict[str, Any]:
        """The JSON shape of one check: `message` only when there is one."""
        data: Dict[str, Any] = {"name": self.name, "status": self.status.value}
        if self.message:
            data["message"] = self.message
        data["duration_ms"] = round(self.duration_ms, 2) if self.duration_ms is not None else None
        return data


# The engine keeps one line of text per result. When a custom check gives an `error` of its own
# beside its message, the error waits here, under the check's name and that line, for the result
# to be built (a check registered under another `name=` reports its message as its error).
_GIVEN_ERRORS: Dict[Tuple[str, str], str] = {}
_GIVEN_ERRORS_MAX = 1024


def _engine_message(result: CheckResult) -> Optional[str]:
    """The text the engine keeps of a custom check's `result`: its message, else its error."""
    if not result.message:
        return result.error
    line = result.message.strip().split("\n", 1)[0].strip()
    if result.error and result.error != result.message:
        if len(_GIVEN_ERRORS) >= _GIVEN_ERRORS_MAX:
            _GIVEN_ERRORS.clear()
        _GIVEN_ERRORS[result.name, line] = result.error
    else:
        _GIVEN_ERRORS.pop((result.name, line), None)
    return result.message


def _from_engine(
    name: str, status: str, message: Optional[str], duration_ms: Optional[float]
) -> CheckResult:
    """A `CheckResult` from the engine's `(name, status, message, duration_ms)`: on failure,
    `error` is the error the check gave beside its message, else the message."""
    error = None
    if status != "healthy" and message is not None:
        error = _GIVEN_ERRORS.get((name, message), message)
    return CheckResult(
        name=name,
        status=HealthStatus(status),
        message=message,
        duration_ms=duration_ms,
        error=error,
    )


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
