"""healthcheckx 1.2's `healthcheckx.adapters.flask`: deprecated, import from `healthcheckx`."""

from .._legacy import warn_moved
from .._result import overall_status
from ..contrib.flask import flask_health_endpoint

__all__ = ["flask_health_endpoint", "overall_status"]

warn_moved("healthcheckx.adapters.flask", "import flask_health_endpoint from healthcheckx")
