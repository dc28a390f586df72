"""FastAPI / Starlette integration.

```python
adapter = FastAPIAdapter(health)
app.get("/health")(adapter.endpoint)   # one endpoint
app.include_router(adapter.router())   # /health, /healthz, /ready, /startup, /metrics
```
"""

from __future__ import annotations

import json
import warnings
from typing import Any, Awaitable, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from .._health import Health
from .._http import HEADERS, LIVENESS, Answer, Answers, missing_framework, negotiated
from .._report import ShowDetails, check_show_details, details_shown
from .._result import HealthStatus

try:
    from fastapi import APIRouter, Request
    from fastapi.responses import JSONResponse, PlainTextResponse, Response
    from pydantic import BaseModel, Field
except ImportError as exc:  # exercised by the tests with FastAPI hidden
    raise missing_framework("FastAPIAdapter", "FastAPI", "fastapi") from exc

__all__ = ["CheckReport", "FastAPIAdapter", "HealthReport", "HealthResponse", "LivenessReport"]

Tags = Union[str, Iterable[str], None]


class CheckReport(BaseModel):
    """One check in the health body; `message` only on failure."""

    name: str
    status: HealthStatus
    message: Optional[str] = Field(None, description="the one-line reason of a failure")
    duration_ms: Optional[float] = None


class HealthReport(BaseModel):
    """The health body: the overall status and every check that ran."""

    status: HealthStatus
    checks: List[CheckReport]


class LivenessReport(BaseModel):
    """The liveness body, the same for every adapter: the process answers."""

    status: str = Field("ok", description='always "ok"')


_HEALTHY = {"model": HealthReport, "description": "Healthy or degraded"}
_ALIVE = {"model": LivenessReport, "description": "The process answers; no service is checked"}
_UNHEALTHY = {"model": HealthReport, "description": "Unhealthy: a critical check failed"}
PROBE_RESPONSES: Dict[Union[int, str], Dict[str, Any]] = {200: _HEALTHY, 503: _UNHEALTHY}
"""OpenAPI `responses=` of a health endpoint, for `app.get("/health", responses=...)`."""
LIVENESS_RESPONSES: Dict[Union[int, str], Dict[str, Any]] = {200: _ALIVE}
"""OpenAPI `responses=` of a liveness endpoint."""
METRICS_RESPONSES: Dict[Union[int, str], Dict[str, Any]] = {
    200: {
        "description": "Prometheus text (OpenMetrics when Accept prefers it)",
        "content": {"text/plain": {}, "application/openmetrics-text": {}},
    }
}
"""OpenAPI `responses=` of a metrics endpoint."""


def _selection(tags: Tags) -> Optional[List[str]]:
    if tags is None:
        return None
    return [tags] if isinstance(tags, str) else list(tags)


class HealthResponse(Response):
    """The answer of an endpoint, in the negotiated format (the guide's JSON by default).
    `payload` is the JSON body as a dict (the text of another format). 1.2's `endpoint()`
    returned `(body, status_code)`: unpacking this response (`body, code = await
    adapter.endpoint()`) still gives those two, with a `DeprecationWarning` (return the
    response itself instead)."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(
            answer.body,
            status_code=answer.status,
            headers=dict(HEADERS),
            media_type=answer.content_type,
        )

    @property
    def payload(self) -> Any:
        text = bytes(self.body).decode()
        return json.loads(text) if self.media_type == "application/json" else text

    def __iter__(self) -> Iterator[Any]:
        warnings.warn(
            "FastAPIAdapter.endpoint() returns a JSONResponse: return it as it is (or read its "
            ".payload and .status_code) instead of unpacking it into (body, status_code)",
            DeprecationWarning,
            stacklevel=2,
        )
        return iter((self.payload, self.status_code))


def _query(request: Optional[Request]) -> Dict[str, Optional[str]]:
    if request is None:
        return {"accept": None, "format": None}
    return {
        "accept": request.headers.get("accept"),
        "format": request.query_params.get("format"),
    }


class FastAPIAdapter:
    """Health endpoints for FastAPI: 200 healthy/degraded, 503 unhealthy, SPEC §3's JSON body.

    `tags` limits the endpoint to the checks carrying one of them. The checks run through
    `Health.arun()`: the event loop keeps serving other requests while they wait. The body's
    format is negotiated (`?format=`, then `Accept`; the guide's JSON by default).
    `show_details`: `"always"`, `"never"` (names and statuses only), or a function of the
    request answering whether it may see messages and durations.
    """

    def __init__(
        self, health: Health, *, tags: Tags = None, show_details: ShowDetails = "always"
    ) -> None:
        self.health = health
        self.tags = _selection(tags)
        self.show_details = check_show_details(show_details)
        # One per selection of checks (each has its own runs) and one for /metrics.
        self._answers: Dict[Optional[Tuple[str, ...]], Answers] = {}
        self._metrics_answers = Answers()

    async def endpoint(self, request: Request = None) -> HealthResponse:  # type: ignore[assignment]
        """`app.get("/health")(adapter.endpoint)`, or `return await adapter.endpoint(request)`
        (without the request: the default format, details as for no caller in particular)."""
        return await self._respond(self.tags, request)

    async def metrics(self, request: Request = None) -> Response:  # type: ignore[assignment]
        """The checks' Prometheus metrics (OpenMetrics when `Accept` prefers it) from
        `Health.latest()`: a scrape runs the checks only when no result is at hand yet."""
        import asyncio

        report = await asyncio.get_running_loop().run_in_executor(None, self.health.latest)
        found = self._metrics_answers.metrics(report, _query(request)["accept"])
        return Response(
            found.body, status_code=200, headers=dict(HEADERS), media_type=found.content_type
        )

    async def _respond(
        self, tags: Optional[List[str]], request: Optional[Request]
    ) -> HealthResponse:
        format = negotiated(**_query(request))
        if isinstance(format, Answer):
            return HealthResponse(format)
        report = await self.health.areport(tags)
        key = None if tags is None else tuple(tags)
        answers = self._answers.get(key) or self._answers.setdefault(key, Answers())
        return HealthResponse(answers(report, format, details_shown(self.show_details, request)))

    def _probe(self, tags: Tags, name: str) -> Callable[[Request], Awaitable[Response]]:
        selection = self.tags if tags is None else _selection(tags)

        async def probe(request: Request) -> Response:
            return await self._respond(selection, request)

        probe.__name__ = probe.__qualname__ = name
        return probe

    def router(
        self, prefix: str = "", *, ready_tags: Tags = None, startup_tags: Tags = None
    ) -> APIRouter:
        """An `APIRouter` with GET and HEAD on `/health`, `/ready` and `/startup` (the checks),
        `/healthz` (liveness: the process answers, no service is touched) and `/metrics` (the
        checks' Prometheus metrics from the latest results).

        `/ready` and `/startup` run the adapter's checks, or those tagged `ready_tags` /
        `startup_tags`. Every route documents its 200 and 503 bodies in the OpenAPI schema.
        """
        router = APIRouter(prefix=prefix, tags=["health"])
        probes: Dict[str, Tuple[Callable[..., Any], Dict[Union[int, str], Any], str]] = {
            "/health": (self._probe(None, "health"), PROBE_RESPONSES, "Health of every check"),
            "/ready": (self._probe(ready_tags, "readiness"), PROBE_RESPONSES, "Readiness probe"),
            "/startup": (self._probe(startup_tags, "startup"), PROBE_RESPONSES, "Startup probe"),
            "/healthz": (_liveness, LIVENESS_RESPONSES, "Liveness probe: touches no service"),
            "/metrics": (self.metrics, METRICS_RESPONSES, "Prometheus metrics of the checks"),
        }
        for path, (probe, responses, summary) in probes.items():
            router.add_api_route(
                path,
                probe,
                methods=["GET"],
                responses=responses,
                summary=summary,
                response_class=PlainTextResponse if path == "/metrics" else JSONResponse,
            )
            # A route of its own keeps HEAD out of the schema (one operation id per path).
            router.add_api_route(path, probe, methods=["HEAD"], include_in_schema=False)
        return router


async def _liveness() -> JSONResponse:
    return JSONResponse(LIVENESS, status_code=200, headers=dict(HEADERS))


_liveness.__name__ = _liveness.__qualname__ = "liveness"
