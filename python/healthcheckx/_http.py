"""The HTTP answer shared by every framework adapter (SPEC §3)."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Tuple

from ._health import _results
from ._result import CheckResult, EngineRow, HealthStatus, overall_status

HEADERS = {"Cache-Control": "no-store"}
LIVENESS = {"status": "ok"}
"""The body of every adapter's liveness probe (`/healthz`): the process answers, nothing checked."""


def health_payload(results: Iterable[CheckResult]) -> Tuple[Dict[str, Any], int]:
    """The JSON body and HTTP status: 200 for healthy and degraded, 503 for unhealthy."""
    results = list(results)
    status = overall_status(results)
    checks: List[Dict[str, Any]] = [r.to_dict() for r in results]
    body = {"status": status.value, "checks": checks}
    return body, 503 if status is HealthStatus.unhealthy else 200


class EncodedPayload:
    """The JSON body (bytes) and HTTP status of a run, encoded once per distinct report.

    With `cache_ttl`, every probe within the TTL gets the very same report from the engine: its
    body is encoded once instead of once per request (the per-request cost of an endpoint is then
    about that of a constant view).
    """

    __slots__ = ("_last_raw", "_last")

    def __init__(self) -> None:
        self._last_raw: Any = None
        self._last: Tuple[bytes, int] = (b"", 200)

    def __call__(self, raw: List[EngineRow]) -> Tuple[bytes, int]:
        last = self._last  # read once: another thread may replace it meanwhile
        if raw == self._last_raw:
            return last
        body, status = health_payload(_results(raw))
        encoded = (json.dumps(body).encode(), status)
        self._last_raw, self._last = raw, encoded
        return encoded


def missing_framework(adapter: str, framework: str, extra: str) -> ImportError:
    return ImportError(f"{adapter} needs {framework}: pip install 'healthcheckx[{extra}]'")
