"""The HTTP answer shared by every framework adapter (SPEC §3)."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Tuple

from ._result import CheckResult, HealthStatus, overall_status

HEADERS = {"Cache-Control": "no-store"}


def health_payload(results: Iterable[CheckResult]) -> Tuple[Dict[str, Any], int]:
    """The JSON body and HTTP status: 200 for healthy and degraded, 503 for unhealthy."""
    results = list(results)
    status = overall_status(results)
    checks: List[Dict[str, Any]] = [r.to_dict() for r in results]
    body = {"status": status.value, "checks": checks}
    return body, 503 if status is HealthStatus.unhealthy else 200


def missing_framework(adapter: str, framework: str, extra: str) -> ImportError:
    return ImportError(f"{adapter} needs {framework}: pip install 'healthcheckx[{extra}]'")
