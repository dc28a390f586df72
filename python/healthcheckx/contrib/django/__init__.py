"""Django integration.

- `django_health_view(health, *, tags=None)`: a view answering the health JSON (200/503).
- The app `healthcheckx.contrib.django` (add it to `INSTALLED_APPS`): `HEALTHCHECKX = {"HEALTH":
  "api.health.health"}` in settings, `path("", include("healthcheckx.contrib.django.urls"))` for
  `health/`, `healthz/`, `ready/` and `startup/`, `manage.py healthcheck`, and system checks that
  report a broken configuration at `manage.py check`.
- `Health.django_database_check()`, `django_cache_check()`, `django_migrations_check()` and
  `Health.from_django_settings()` (implemented in `probes` and `discovery`).

Nothing here is imported by `import healthcheckx`.
"""
