"""FastAPI / Starlette integration."""

from __future__ import annotations

from typing import Iterable, Optional

from .._health import Health
from .._http import HEADERS, health_payload, missing_framework

try:
    from starlette.responses import JSONResponse
except ImportError as exc:  # pragma: no cover - exercised without FastAPI installed
    raise missing_framework("FastAPIAdapter", "FastAPI", "fastapi") from exc


class FastAPIAdapter:
    """`app.get("/health")(FastAPIAdapter(health).endpoint)`, or `await adapter.endpoint()`."""

    def __init__(self, health: Health, *, tags: Optional[Iterable[str]] = None) -> None:
        self.health = health
        self.tags = None if tags is None else list(tags)

    async def endpoint(self) -> JSONResponse:
        """Runs the checks without blocking the event loop; 200 or 503 with the JSON body."""
        body, status = health_payload(await self.health.arun(self.tags))
        return JSONResponse(body, status_code=status, headers=dict(HEADERS))
