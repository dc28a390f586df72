"""`Report`: the results of a run, rendered by the engine in every format the endpoints answer;
and the content negotiation every adapter shares."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

from . import _native
from ._result import CheckResult, HealthStatus, _from_engine

FORMATS: Tuple[str, ...] = tuple(_native.formats())
"""The names `?format=` takes: json, health+json, text, html, prometheus, openmetrics."""


class NotAcceptable(ValueError):
    """`?format=` names no format we make: the endpoints answer it 406, with this text."""


def negotiate(accept: Optional[str], format: Optional[str] = None) -> str:
    """The format of a health endpoint's answer: `format` (the `?format=` parameter) when given,
    else the best of the `Accept` header (q-values honoured), else `json`.

    An unknown `format` raises `NotAcceptable`; an `Accept` header naming nothing we make gets
    `json` (a probe must never read 406 as "down").
    """
    chosen, refused = _native.negotiate(accept, format)
    if chosen is None:
        raise NotAcceptable(refused)
    return chosen


def negotiate_metrics(accept: Optional[str]) -> str:
    """`openmetrics` when the `Accept` header prefers it (as Prometheus does), else
    `prometheus` (the text format 0.0.4)."""
    return _native.negotiate_metrics(accept)


def content_type(format: str) -> str:
    """The `Content-Type` of a body in `format`."""
    return _native.content_type(format)


ShowDetails = Union[str, Callable[[Any], bool]]
"""`"always"`, `"never"`, or a function of the request answering whether it may see them."""


def check_show_details(value: ShowDetails) -> ShowDetails:
    """`value` if it is a valid `show_details`, else `ValueError`."""
    if value in ("always", "never") or callable(value):
        return value
    raise ValueError(
        f'show_details must be "always", "never" or a function of the request, not {value!r}'
    )


def details_shown(policy: ShowDetails, request: Any) -> bool:
    """Whether `request` may see messages and durations under `policy` (no request, as when a
    view of your own calls an endpoint without one: only under `"always"`)."""
    if policy == "always":
        return True
    if policy == "never" or not callable(policy) or request is None:
        return False
    return bool(policy(request))


class Report:
    """The results of one run (or the latest results), in registration order.

    `status` is the overall status, `results` the `CheckResult`s; `to_dict()` is the guide's JSON
    body and `render(format)` the body in any of `FORMATS`, both from the engine's one renderer.
    With `show_details=False`, checks show their name and status only.
    """

    __slots__ = ("_native", "_results")

    def __init__(self, native: _native.NativeReport) -> None:
        self._native = native
        self._results: Optional[List[CheckResult]] = None

    @property
    def results(self) -> List[CheckResult]:
        if self._results is None:
            self._results = [_from_engine(*row) for row in self._native.results()]
        return self._results

    @property
    def status(self) -> HealthStatus:
        return HealthStatus(self._native.status())

    @property
    def finished(self) -> int:
        """When the run ended, in nanoseconds since the epoch (the same for a cached copy)."""
        return self._native.finished()

    @property
    def http_status(self) -> int:
        """The HTTP status of a health endpoint: 503 when unhealthy, else 200."""
        return self._native.http_status()

    def to_dict(self, *, show_details: bool = True) -> Dict[str, Any]:
        """The guide's JSON body: `{"status", "checks": [{"name", "status", "message"?,
        "duration_ms"}]}`."""
        checks = []
        for result in self.results:
            data = result.to_dict()
            checks.append(
                data if show_details else {"name": data["name"], "status": data["status"]}
            )
        return {"status": self.status.value, "checks": checks}

    def render(self, format: str = "json", *, show_details: bool = True) -> str:
        """The body in `format` (one of `FORMATS`); `ValueError` for another name."""
        return self._native.render(format, show_details)

    def __iter__(self) -> Iterator[CheckResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"Report(status={self.status.value!r}, checks={[r.name for r in self.results]!r})"
