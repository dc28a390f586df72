"""The HTTP answer shared by every framework adapter (SPEC §3)."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Tuple, Union

from ._report import NotAcceptable, Report, content_type, negotiate, negotiate_metrics
from ._result import CheckResult, HealthStatus, overall_status

HEADERS = {"Cache-Control": "no-store", "Vary": "Accept"}
LIVENESS = {"status": "ok"}
"""The body of every adapter's liveness probe (`/healthz`): the process answers, nothing checked."""


def health_payload(results: Iterable[CheckResult]) -> Tuple[Dict[str, Any], int]:
    """The JSON body and HTTP status: 200 for healthy and degraded, 503 for unhealthy."""
    results = list(results)
    status = overall_status(results)
    checks: List[Dict[str, Any]] = [r.to_dict() for r in results]
    body = {"status": status.value, "checks": checks}
    return body, 503 if status is HealthStatus.unhealthy else 200


class Answer(NamedTuple):
    """An endpoint's answer, whatever the framework: body, HTTP status, `Content-Type`."""

    body: str
    status: int
    content_type: str


def negotiated(accept: Optional[str], format: Optional[str]) -> Union[str, Answer]:
    """The format to answer in, or the 406 answer naming the formats (an unknown `?format=`)."""
    try:
        return negotiate(accept, format)
    except NotAcceptable as exc:
        return Answer(str(exc) + "\n", 406, content_type("text"))


def answer(report: Report, format: str, show_details: bool) -> Answer:
    """A health endpoint's answer: `report` in `format`, 200 (healthy, degraded) or 503."""
    return Answer(
        report.render(format, show_details=show_details),
        report.http_status,
        content_type(format),
    )


def metrics_answer(report: Report, accept: Optional[str]) -> Answer:
    """A `/metrics` answer: Prometheus text, or OpenMetrics when `Accept` prefers it; always
    200 (the metrics say what is down)."""
    format = negotiate_metrics(accept)
    return Answer(report.render(format), 200, content_type(format))


def missing_framework(adapter: str, framework: str, extra: str) -> ImportError:
    return ImportError(f"{adapter} needs {framework}: pip install 'healthcheckx[{extra}]'")
