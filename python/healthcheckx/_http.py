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


class Answers:
    """The answers of one endpoint to its latest report, per format and details: with
    `cache_ttl` or `refresh_interval`, every probe gets a copy of the same report, whose body is
    rendered once per format instead of once per request (an HTML page's "healthy for 3 s" is
    then that of the report's time, as its "Checked" line)."""

    __slots__ = ("_finished", "_answers")

    def __init__(self) -> None:
        self._finished = -1
        self._answers: Dict[Tuple[str, bool], Answer] = {}

    def __call__(self, report: Report, format: str, show_details: bool) -> Answer:
        return self._cached(report, (format, show_details), answer)

    def metrics(self, report: Report, accept: Optional[str]) -> Answer:
        return self._cached(
            report, (negotiate_metrics(accept), True), lambda r, f, _: metrics_answer(r, accept)
        )

    def _cached(self, report: Report, key: Tuple[str, bool], make: Any) -> Answer:
        finished = report.finished
        answers = self._answers  # read once: another thread may replace it meanwhile
        if finished != self._finished:
            answers = {}
            self._finished, self._answers = finished, answers
        found = answers.get(key)
        if found is None:
            found = answers[key] = make(report, *key)
        return found


def missing_framework(adapter: str, framework: str, extra: str) -> ImportError:
    return ImportError(f"{adapter} needs {framework}: pip install 'healthcheckx[{extra}]'")
