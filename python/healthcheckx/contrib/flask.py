"""Flask integration.

```python
app.route("/health")(flask_health_endpoint(health))
app.add_url_rule("/health", "health", flask_health_endpoint(health))
```
"""

from __future__ import annotations

import itertools
import json
import warnings
from typing import Any, Callable, Iterable, Union

from .._health import Health
from .._http import HEADERS, health_payload, missing_framework

try:
    import flask
except ImportError as exc:  # exercised by the tests with Flask hidden
    raise missing_framework("flask_health_endpoint", "Flask", "flask") from exc

__all__ = ["flask_health_endpoint"]

_counter = itertools.count(1)


def flask_health_endpoint(
    health: Health, *, tags: Union[str, Iterable[str], None] = None
) -> Callable[..., flask.Response]:
    """A view function running `health` (or its checks with one of `tags`): 200 healthy or
    degraded, 503 unhealthy, `Cache-Control: no-store`, GET and HEAD.

    It needs no application or request context: create it at import time, register it on apps,
    blueprints or in app factories, or call it from your own view (`return endpoint()`).
    """
    selection = None if tags is None else [tags] if isinstance(tags, str) else list(tags)

    def health_endpoint(*args: Any, **kwargs: Any) -> Any:
        body, status = health_payload(health.run(selection))
        # json.dumps keeps SPEC §3's key order, whatever the app's JSON provider sorts.
        response = flask.Response(
            json.dumps(body),
            status=status,
            mimetype="application/json",
            headers=HEADERS,
        )
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

    # Flask names an endpoint after its function: distinct names let several coexist in one app.
    number = next(_counter)
    name = "health_endpoint" if number == 1 else f"health_endpoint_{number}"
    health_endpoint.__name__ = health_endpoint.__qualname__ = name
    health_endpoint.methods = ["GET", "HEAD"]  # type: ignore[attr-defined]
    return health_endpoint
