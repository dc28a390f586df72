"""Flask integration.

```python
app.route("/health")(flask_health_endpoint(health))
app.add_url_rule("/health", "health", flask_health_endpoint(health))
app.add_url_rule("/metrics", "metrics", flask_metrics_endpoint(health))
```
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any, Callable, Iterable, Union

from .._health import Health
from .._http import HEADERS, Answer, Answers, missing_framework, negotiated
from .._report import ShowDetails, check_show_details, details_shown

try:
    import flask
except ImportError as exc:  # exercised by the tests with Flask hidden
    raise missing_framework("flask_health_endpoint", "Flask", "flask") from exc

__all__ = ["flask_health_endpoint", "flask_metrics_endpoint"]

_counter = itertools.count(1)


def _response(answer: Answer) -> flask.Response:
    return flask.Response(
        answer.body, status=answer.status, content_type=answer.content_type, headers=HEADERS
    )


def _named(view: Any, base: str) -> None:
    # Flask names an endpoint after its function: distinct names let several coexist in one app.
    number = next(_counter)
    name = base if number == 1 else f"{base}_{number}"
    view.__name__ = view.__qualname__ = name
    view.methods = ["GET", "HEAD"]


def flask_health_endpoint(
    health: Health,
    *,
    tags: Union[str, Iterable[str], None] = None,
    show_details: ShowDetails = "always",
) -> Callable[..., flask.Response]:
    """A view function running `health` (or its checks with one of `tags`): 200 healthy or
    degraded, 503 unhealthy, `Cache-Control: no-store`, GET and HEAD. The body's format is
    negotiated (`?format=`, then `Accept`; the guide's JSON by default); `show_details`:
    `"always"`, `"never"` (names and statuses only), or a function of the request.

    It needs no application or request context: create it at import time, register it on apps,
    blueprints or in app factories, or call it from your own view (`return endpoint()`).
    """
    selection = None if tags is None else [tags] if isinstance(tags, str) else list(tags)
    policy = check_show_details(show_details)
    answers = Answers()

    def health_endpoint(*args: Any, **kwargs: Any) -> Any:
        request = flask.request
        format = negotiated(request.headers.get("Accept"), request.args.get("format"))
        if isinstance(format, Answer):
            response = _response(format)
        else:
            report = health.report(selection)
            response = _response(answers(report, format, details_shown(policy, request)))
        if len(args) == 2 and isinstance(args[0], dict) and "wsgi.version" in args[0]:
            # 1.2's `lambda: flask_health_endpoint(health)` returns this function from a view,
            # and Flask calls a returned callable as a WSGI application.
            warnings.warn(
                "returning flask_health_endpoint(health) from a view is deprecated: route it "
                "itself, or return flask_health_endpoint(health)()",
                DeprecationWarning,
                stacklevel=2,
            )
            return response(*args)
        return response

    _named(health_endpoint, "health_endpoint")
    return health_endpoint


def flask_metrics_endpoint(health: Health) -> Callable[..., flask.Response]:
    """A view function answering the checks' Prometheus metrics (OpenMetrics when `Accept`
    prefers it) from `health.latest()`: a scrape runs the checks only when no result is at hand
    yet. GET and HEAD, `Cache-Control: no-store`."""

    answers = Answers()

    def metrics_endpoint(*args: Any, **kwargs: Any) -> flask.Response:
        return _response(answers.metrics(health.latest(), flask.request.headers.get("Accept")))

    _named(metrics_endpoint, "metrics_endpoint")
    return metrics_endpoint
