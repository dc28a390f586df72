"""FastAPI / Starlette integration.

```python
adapter = FastAPIAdapter(health)
app.get("/health")(adapter.endpoint)   # one endpoint
app.include_router(adapter.router())   # /health, /healthz, /ready, /startup with OpenAPI docs
```
"""

from __future__ import annotations

import warnings
from typing import Any, Awaitable, Callable, Dict, Iterable, Iterator, List, Optional, Union

from .._health import Health
from .._http import HEADERS, LIVENESS, health_payload, missing_framework
from .._result import HealthStatus

try:
    from fastapi import APIRouter
    from fastapi.responses import JSONResponse
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


def _selection(tags: Tags) -> Optional[List[str]]:
    if tags is None:
        return None
    return [tags] if isinstance(tags, str) else list(tags)


class HealthResponse(JSONResponse):
    """The JSON answer of an endpoint. 1.2's `endpoint()` returned `(body, status_code)`: unpacking
    this response (`body, code = await adapter.endpoint()`) still gives those two, with a
    `DeprecationWarning` (return the response itself instead)."""

    def __init__(self, body: Dict[str, Any], status: int) -> None:
        super().__init__(body, status_code=status, headers=dict(HEADERS))
        self.payload = body

    def __iter__(self) -> Iterator[Any]:
        warnings.warn(
            "FastAPIAdapter.endpoint() returns a JSONResponse: return it as it is (or read its "
            ".payload and .status_code) instead of unpacking it into (body, status_code)",
            DeprecationWarning,
            stacklevel=2,
        )
        return iter((self.payload, self.status_code))


def _json(body: Dict[str, Any], status: int) -> HealthResponse:
    return HealthResponse(body, status)


class FastAPIAdapter:
    """Health endpoints for FastAPI: 200 healthy/degraded, 503 unhealthy, SPEC §3's JSON body.

    `tags` limits the endpoint to the checks carrying one of them. The checks run through
    `Health.arun()`: the event loop keeps serving other requests while they wait.
    """

    def __init__(self, health: Health, *, tags: Tags = None) -> None:
        self.health = health
        self.tags = _selection(tags)

    async def endpoint(self) -> HealthResponse:
        """`app.get("/health")(adapter.endpoint)`, or `return await adapter.endpoint()`."""
        return await self._respond(self.tags)

    async def _respond(self, tags: Optional[List[str]]) -> HealthResponse:
        return _json(*health_payload(await self.health.arun(tags)))

    def _probe(self, tags: Tags, name: str) -> Callable[[], Awaitable[JSONResponse]]:
        selection = self.tags if tags is None else _selection(tags)

        async def probe() -> JSONResponse:
            return await self._respond(selection)

        probe.__name__ = probe.__qualname__ = name
        return probe

    def router(
        self, prefix: str = "", *, ready_tags: Tags = None, startup_tags: Tags = None
    ) -> APIRouter:
        """An `APIRouter` with GET and HEAD on `/health`, `/ready` and `/startup` (the checks),
        and `/healthz` (liveness: the process answers, no service is touched).

        `/ready` and `/startup` run the adapter's checks, or those tagged `ready_tags` /
        `startup_tags`. Every route documents its 200 and 503 bodies in the OpenAPI schema.
        """
        router = APIRouter(prefix=prefix, tags=["health"])
        probes = {
            "/health": (self._probe(None, "health"), PROBE_RESPONSES, "Health of every check"),
            "/ready": (self._probe(ready_tags, "readiness"), PROBE_RESPONSES, "Readiness probe"),
            "/startup": (self._probe(startup_tags, "startup"), PROBE_RESPONSES, "Startup probe"),
            "/healthz": (_liveness, LIVENESS_RESPONSES, "Liveness probe: touches no service"),
        }
        for path, (probe, responses, summary) in probes.items():
            router.add_api_route(path, probe, methods=["GET"], responses=responses, summary=summary)
            # A route of its own keeps HEAD out of the schema (one operation id per path).
            router.add_api_route(path, probe, methods=["HEAD"], include_in_schema=False)
        return router


async def _liveness() -> HealthResponse:
    return _json(LIVENESS, 200)


_liveness.__name__ = _liveness.__qualname__ = "liveness"
