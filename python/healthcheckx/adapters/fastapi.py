"""healthcheckx 1.2's `healthcheckx.adapters.fastapi`: deprecated, import from `healthcheckx`."""

from .._legacy import warn_moved
from .._result import overall_status
from ..contrib.fastapi import FastAPIAdapter

__all__ = ["FastAPIAdapter", "overall_status"]

warn_moved("healthcheckx.adapters.fastapi", "import FastAPIAdapter from healthcheckx")
