"""Flask integration."""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterable, Optional

from .._health import Health
from .._http import HEADERS, health_payload, missing_framework

try:
    import flask
except ImportError as exc:  # pragma: no cover - exercised without Flask installed
    raise missing_framework("flask_health_endpoint", "Flask", "flask") from exc

_counter = itertools.count(1)


def flask_health_endpoint(
    health: Health, *, tags: Optional[Iterable[str]] = None
) -> Callable[..., Any]:
    """A view function: `app.route("/health")(flask_health_endpoint(health))`."""
    selection = None if tags is None else list(tags)

    def health_endpoint(*args: Any, **kwargs: Any) -> Any:
        body, status = health_payload(health.run(selection))
        response = flask.jsonify(body)
        response.status_code = status
        response.headers.update(HEADERS)
        return response

    # Flask names endpoints after the function: distinct names let several views coexist.
    number = next(_counter)
    health_endpoint.__name__ = "health_endpoint" if number == 1 else f"health_endpoint_{number}"
    return health_endpoint
