"""Django views answering the health JSON (SPEC §3).

`django_health_view(health)` returns a view that Django runs synchronously under WSGI and as a
coroutine under ASGI: the view takes the form of the code that calls it. Called where no event
loop runs (a WSGI worker, a sync view, the guide's `@csrf_exempt` wrapper) it runs the checks and
returns the response; called on an event loop (Django's ASGI handler, `await` in an async view)
it returns a coroutine that awaits `Health.arun()`, so the loop is never blocked.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Union, overload

from ..._health import Health
from ..._http import (
    HEADERS,
    LIVENESS,
    Answer,
    Answers,
    missing_framework,
    negotiated,
)
from ..._report import ShowDetails, check_show_details, details_shown
from .testenv import close_under_tests

try:
    from asgiref.sync import markcoroutinefunction
    from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
except ImportError as exc:  # pragma: no cover - exercised without Django installed
    raise missing_framework("django_health_view", "Django", "django") from exc

try:  # Django 5.1+
    from django.contrib.auth.decorators import login_not_required
except ImportError:  # Django 4.2: there is no LoginRequiredMiddleware to be exempt from

    def login_not_required(view_func: Any) -> Any:
        return view_func


HealthSource = Union[Health, Callable[[], Health]]
METHODS = ("GET", "HEAD")


def _coroutine_marks() -> Dict[str, Any]:
    """The attributes by which asgiref (and so Django) recognises a coroutine function, read
    from a marked probe: they differ between Python versions."""

    def probe() -> None: ...

    before = set(vars(probe))
    markcoroutinefunction(probe)
    return {key: value for key, value in vars(probe).items() if key not in before}


_MARKS = _coroutine_marks()


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _answer(answer: Answer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    for key, value in HEADERS.items():
        response[key] = value
    return response


def _json(body: Dict[str, Any], status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    for key, value in HEADERS.items():
        response[key] = value
    return response


class _ProbeView:
    """A view function for both handlers: a plain call without an event loop returns the
    response, a call on an event loop returns a coroutine (and Django, which asks whether the
    view is a coroutine function from its handler's thread, awaits it under ASGI only).

    CSRF-exempt (a probe posts nothing), exempt from `LoginRequiredMiddleware` (Django 5.1+: a
    probe has no session), outside `ATOMIC_REQUESTS` transactions (it runs no query in the
    request's connection), GET and HEAD only.
    """

    csrf_exempt = True

    def __init__(self, name: str, doc: Optional[str]) -> None:
        self.__name__ = self.__qualname__ = name
        self.__module__ = __name__
        self.__doc__ = doc
        login_not_required(self)

    def __getattr__(self, name: str) -> Any:
        if name in _MARKS and _on_event_loop():
            return _MARKS[name]
        raise AttributeError(name)

    @property
    def _non_atomic_requests(self) -> Set[str]:
        from django.db import connections

        return set(connections.settings)

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if _on_event_loop():
            return self.respond_async(request)
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        return self.respond(request)

    async def respond_async(self, request: HttpRequest) -> HttpResponse:
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        return await self.respond_on_loop(request)

    def respond(self, request: HttpRequest) -> HttpResponse:  # pragma: no cover - abstract
        raise NotImplementedError

    async def respond_on_loop(self, request: HttpRequest) -> HttpResponse:
        return self.respond(request)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.__name__}>"


class HealthView(_ProbeView):
    """Runs the checks of a `Health` (those with one of `tags` when given): 200 when healthy or
    degraded, 503 when unhealthy, `Cache-Control: no-store`. The body's format is negotiated
    (`?format=`, then `Accept`; the guide's JSON by default); `show_details` decides who sees
    messages and durations."""

    def __init__(
        self,
        health: HealthSource,
        tags: Optional[Iterable[str]] = None,
        *,
        name: str = "health_view",
        tags_source: Optional[Callable[[], Optional[List[str]]]] = None,
        deadline_source: Optional[Callable[[], Optional[float]]] = None,
        show_details: ShowDetails = "always",
        show_details_source: Optional[Callable[[], ShowDetails]] = None,
    ) -> None:
        super().__init__(name, HealthView.__doc__)
        if isinstance(tags, str):
            tags = [tags]
        self._source = health
        self._tags = None if tags is None else list(tags)
        self._tags_source = tags_source
        self._deadline_source = deadline_source
        self._show_details = check_show_details(show_details)
        self._show_details_source = show_details_source
        self._answers = Answers()

    @property
    def health(self) -> Health:
        source = self._source
        return source if isinstance(source, Health) else source()

    @property
    def tags(self) -> Optional[List[str]]:
        return self._tags_source() if self._tags_source is not None else self._tags

    @property
    def deadline(self) -> Optional[float]:
        return self._deadline_source() if self._deadline_source is not None else None

    @property
    def show_details(self) -> ShowDetails:
        if self._show_details_source is not None:
            return self._show_details_source()
        return self._show_details

    def respond(self, request: HttpRequest) -> HttpResponse:
        format = negotiated(request.headers.get("Accept"), request.GET.get("format"))
        if isinstance(format, Answer):
            return _answer(format)
        health = self.health
        report = health.report(self.tags, deadline=self.deadline)
        shown = details_shown(self.show_details, request)
        response = _answer(self._answers(report, format, shown))
        close_under_tests(health)
        return response

    async def respond_on_loop(self, request: HttpRequest) -> HttpResponse:
        format = negotiated(request.headers.get("Accept"), request.GET.get("format"))
        if isinstance(format, Answer):
            return _answer(format)
        health = self.health
        report = await health.areport(self.tags, deadline=self.deadline)
        shown = details_shown(self.show_details, request)
        response = _answer(self._answers(report, format, shown))
        close_under_tests(health)
        return response


class MetricsView(_ProbeView):
    """The checks' Prometheus metrics (OpenMetrics when `Accept` prefers it) from the latest
    results: a scrape runs the checks only when no result is at hand yet."""

    def __init__(self, health: HealthSource, *, name: str = "metrics") -> None:
        super().__init__(name, MetricsView.__doc__)
        self._source = health
        self._answers = Answers()

    def respond(self, request: HttpRequest) -> HttpResponse:
        source = self._source
        health = source if isinstance(source, Health) else source()
        response = _answer(self._answers.metrics(health.latest(), request.headers.get("Accept")))
        close_under_tests(health)
        return response

    async def respond_on_loop(self, request: HttpRequest) -> HttpResponse:
        # `latest()` runs the checks when no result is at hand yet: not on the event loop.
        return await asyncio.get_running_loop().run_in_executor(None, self.respond, request)


class LivenessView(_ProbeView):
    """200 `{"status": "ok"}` while the process answers requests; touches no service."""

    def respond(self, request: HttpRequest) -> HttpResponse:
        return _json(LIVENESS, 200)


@overload
def django_health_view(
    health: Health,
    *,
    tags: Optional[Iterable[str]] = None,
    show_details: ShowDetails = "always",
) -> HealthView: ...


@overload
def django_health_view(request: HttpRequest, health: Health, /) -> HttpResponse: ...


def django_health_view(
    health: Union[Health, HttpRequest],
    *args: Health,
    tags: Optional[Iterable[str]] = None,
    show_details: ShowDetails = "always",
) -> Union[HealthView, HttpResponse]:
    """A view running `health` (or its checks with one of `tags`): 200 healthy/degraded, 503
    unhealthy, `Cache-Control: no-store`, GET and HEAD, CSRF-exempt, no authentication.

    The body is the guide's JSON unless `?format=` (json, health+json, text, html, prometheus,
    openmetrics) or the `Accept` header asks for another. `show_details`: `"always"`,
    `"never"` (names and statuses only), or a function of the request.

    Works as a WSGI view, as an ASGI view (it then awaits `health.arun()`), and called from
    another view: `return django_health_view(health)(request)` in a sync view, `return await
    django_health_view(health)(request)` in an `async def` view.

    1.2's form, `django_health_view(request, health)`, still answers the request (synchronously),
    with a `DeprecationWarning`.
    """
    if isinstance(health, HttpRequest) and len(args) == 1 and isinstance(args[0], Health):
        warnings.warn(
            "django_health_view(request, health) is deprecated: route django_health_view(health) "
            "itself, or return django_health_view(health)(request)",
            DeprecationWarning,
            stacklevel=2,
        )
        request = health
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        return HealthView(args[0], tags).respond(request)
    if args:
        raise TypeError(
            "django_health_view() takes a Health (or 1.2's request and Health), "
            f"not {len(args) + 1} arguments"
        )
    if not isinstance(health, Health):
        raise TypeError(f"django_health_view() expects a Health, not {type(health).__name__}")
    return HealthView(health, tags, show_details=show_details)


# The views of `healthcheckx.contrib.django.urls`: the `Health` and the tags come from the
# HEALTHCHECKX setting (see `conf`), read on the first request.


def _app_view(view: str) -> HealthView:
    from . import conf

    return HealthView(
        conf.get_health,
        name=view,
        tags_source=lambda: conf.tags_for(view),
        deadline_source=conf.deadline,
        show_details_source=conf.show_details,
    )


health = _app_view("health")
readiness = _app_view("readiness")
startup = _app_view("startup")
liveness = LivenessView("liveness", LivenessView.__doc__)


def _app_health() -> Health:
    from . import conf

    return conf.get_health()


metrics = MetricsView(_app_health)
