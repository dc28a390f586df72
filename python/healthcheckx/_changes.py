"""Status changes of checks: logged once as they happen, and handed to `Health.on_change`
callbacks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional

from ._result import _SEVERITY, HealthStatus

#: The logger's name. `logging` is imported at the first change, not with the package: it is
#: about a third of the import time of `import healthcheckx`.
LOGGER = "healthcheckx"


@dataclass(frozen=True)
class Change:
    """A check's reported status changed: `previous` → `status`, with the result's `message`
    (the reason, when it went bad)."""

    name: str
    previous: HealthStatus
    status: HealthStatus
    message: Optional[str] = None

    @property
    def worse(self) -> bool:
        """Whether the check went bad (healthy → degraded, or to unhealthy)."""
        return _SEVERITY[self.status] > _SEVERITY[self.previous]


ChangeCallback = Callable[[Change], object]


def dispatch(
    callbacks: List[ChangeCallback],
    name: str,
    previous: str,
    status: str,
    message: Optional[str],
) -> None:
    """Called by the engine, from the thread of the run, once per change: logs it (WARNING going
    bad, INFO recovering) and calls every callback; a callback that raises is logged."""
    import logging

    logger = logging.getLogger(LOGGER)
    change = Change(name, HealthStatus(previous), HealthStatus(status), message)
    reason = f": {message}" if message else ""
    logger.log(
        logging.WARNING if change.worse else logging.INFO,
        'check "%s" is %s (was %s)%s',
        name,
        change.status.value,
        change.previous.value,
        reason,
    )
    for callback in list(callbacks):
        try:
            callback(change)
        except Exception:
            logger.exception('on_change callback %r failed for check "%s"', callback, name)
