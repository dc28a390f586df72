"""The Django app `healthcheckx.contrib.django`."""

from __future__ import annotations

from django.apps import AppConfig


class HealthcheckxConfig(AppConfig):
    name = "healthcheckx.contrib.django"
    label = "healthcheckx"
    verbose_name = "Health checks"

    def ready(self) -> None:
        from django.core import checks

        from . import checks as system_checks

        checks.register(system_checks.check_configuration, "healthcheckx")
