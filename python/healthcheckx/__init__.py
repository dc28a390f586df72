"""healthcheckx: health checks for the services an application depends on.

Every check runs concurrently, under a hard deadline, in a Rust engine with native drivers.
Importing this package imports no web framework: the adapters load theirs on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._changes import Change
from ._health import Health
from ._native import __version__
from ._report import FORMATS, NotAcceptable, Report, negotiate
from ._result import CheckResult, HealthCheck, HealthStatus, overall_status

if TYPE_CHECKING:
    from .contrib.django.views import django_health_view
    from .contrib.fastapi import FastAPIAdapter
    from .contrib.flask import flask_health_endpoint

__all__ = [
    "FORMATS",
    "Change",
    "CheckResult",
    "FastAPIAdapter",
    "Health",
    "HealthCheck",
    "HealthStatus",
    "NotAcceptable",
    "Report",
    "__version__",
    "django_health_view",
    "flask_health_endpoint",
    "negotiate",
    "overall_status",
]

_ADAPTERS = {
    "django_health_view": ("healthcheckx.contrib.django.views", "django_health_view"),
    "FastAPIAdapter": ("healthcheckx.contrib.fastapi", "FastAPIAdapter"),
    "flask_health_endpoint": ("healthcheckx.contrib.flask", "flask_health_endpoint"),
}


class _MissingFramework:
    """An adapter whose web framework is not installed: false, like 1.2's `None` (so that
    `from healthcheckx import *` works without any framework), and raising the `ImportError`
    that names the extra to install when it is used."""

    def __init__(self, name: str, error: ImportError) -> None:
        self.__name__ = name
        self._error = error

    def __bool__(self) -> bool:
        return False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise ImportError(str(self._error)) from self._error.__cause__

    def __repr__(self) -> str:
        return f"<{self.__name__}: {self._error}>"


def __getattr__(name: str) -> Any:
    if name in _ADAPTERS:
        import importlib

        module_name, attribute = _ADAPTERS[name]
        try:
            value = getattr(importlib.import_module(module_name), attribute)
        except ImportError as exc:
            if not str(exc).startswith(f"{name} needs "):
                raise
            value = _MissingFramework(name, exc)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'healthcheckx' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
