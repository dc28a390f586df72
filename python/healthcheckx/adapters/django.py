"""healthcheckx 1.2's `healthcheckx.adapters.django`: deprecated, import from `healthcheckx`."""

from .._legacy import warn_moved
from .._result import overall_status
from ..contrib.django.views import django_health_view

__all__ = ["django_health_view", "overall_status"]

warn_moved("healthcheckx.adapters.django", "import django_health_view from healthcheckx")
