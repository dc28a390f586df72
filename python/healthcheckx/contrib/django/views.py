"""Django views answering the health JSON."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from ..._health import Health
from ..._http import HEADERS, health_payload, missing_framework

try:
    from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
    from django.views.decorators.csrf import csrf_exempt
except ImportError as exc:  # pragma: no cover - exercised without Django installed
    raise missing_framework("django_health_view", "Django", "django") from exc


def django_health_view(
    health: Health, *, tags: Optional[Iterable[str]] = None
) -> Callable[..., HttpResponse]:
    """A view running `health` (or its checks with one of `tags`): 200 healthy/degraded, 503
    unhealthy, `Cache-Control: no-store`, GET and HEAD, CSRF-exempt, no authentication."""
    selection = None if tags is None else list(tags)

    @csrf_exempt
    def health_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        body, status = health_payload(health.run(selection))
        response = JsonResponse(body, status=status)
        for key, value in HEADERS.items():
            response[key] = value
        return response

    return health_view
