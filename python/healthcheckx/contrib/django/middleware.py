"""`ProbeMiddleware`: the probes answered before the rest of the middleware.

```python
MIDDLEWARE = [
    "healthcheckx.contrib.django.middleware.ProbeMiddleware",  # first
    "django.middleware.security.SecurityMiddleware",
    ...
]
```

A Kubernetes probe sends the pod's IP as `Host` (`10.1.2.3:8000`), over plain HTTP, without a
session: in a production project Django answers it 400 (`ALLOWED_HOSTS`), 301
(`SECURE_SSL_REDIRECT`) or 302 (a login middleware) before the health view runs. First in
`MIDDLEWARE`, this middleware hands the probe paths straight to their view, so none of that
applies to them; it does so for GET and HEAD only, and every other request, including one to a
probe path with another method, goes through the rest of the middleware untouched.

The probe paths are read from the root URLconf (again when it changes): every path it routes to
a healthcheckx view through routes without parameters — the app's `health/`, `healthz/`, `ready/`
and `startup/` under whatever prefix `include()` puts them, and views made by
`django_health_view()`. A path counts only if Django itself resolves it to that view (an earlier
pattern of the same path wins, as in Django). Paths under `i18n_patterns()` are not covered.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Iterator, Optional, Tuple

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from .views import METHODS, _ProbeView

_found: Tuple[Optional[URLResolver], Dict[str, _ProbeView]] = (None, {})


def _literal(pattern: Any) -> Optional[str]:
    """The one string a route or regex matches, or None when it takes parameters."""
    if isinstance(pattern, RoutePattern):
        return None if pattern.converters else str(pattern)
    if isinstance(pattern, RegexPattern):
        forms = normalize(str(pattern))
        if len(forms) == 1 and not forms[0][1]:
            return str(forms[0][0])
    return None


def _candidates(patterns: Iterable[Any], prefix: str) -> Iterator[Tuple[str, _ProbeView]]:
    for entry in patterns:
        text = _literal(entry.pattern)
        if text is None:
            continue
        if isinstance(entry, URLResolver):
            yield from _candidates(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern) and isinstance(entry.callback, _ProbeView):
            yield prefix + text, entry.callback


def probe_paths() -> Dict[str, _ProbeView]:
    """The probe paths of the root URLconf (leading `/`, as `request.path_info`) and their
    views, computed once per URLconf."""
    global _found
    resolver = get_resolver()
    found_for, paths = _found
    if found_for is not resolver:
        paths = {}
        for path, view in _candidates(resolver.url_patterns, "/"):
            try:
                routed = resolver.resolve(path).func
            except Resolver404:
                continue
            if routed is view:
                paths.setdefault(path, view)
        _found = (resolver, paths)  # two threads may both compute it: same result
    return paths


def probe_view(request: HttpRequest) -> Optional[_ProbeView]:
    """The view answering `request` if it is a probe (GET or HEAD on a probe path)."""
    if request.method not in METHODS:
        return None
    return probe_paths().get(request.path_info)


class ProbeMiddleware:
    """Answers GET and HEAD on the probe paths with their view, before the middleware that
    follows (host validation, HTTPS redirect, login); passes every other request on."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        view = probe_view(request)
        if view is None:
            return self.get_response(request)
        return view(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        view = probe_view(request)
        if view is None:
            return await self.get_response(request)
        return await view(request)
