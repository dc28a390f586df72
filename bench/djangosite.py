"""The Django project of scenario 3: settings and URLs in one module, one `/health/` per contender.

    cd bench && BENCH_CONTENDER=A DJANGO_SETTINGS_MODULE=djangosite \
        gunicorn "django.core.wsgi:get_wsgi_application()"

BENCH_CONTENDER selects the view behind `/health/`, each checking PostgreSQL, Redis and RabbitMQ
(the services django-health-check covers: its database, cache and RabbitMQ checks):
  A         this project, `django_health_view(health)` as the README shows
  A_cached  the same with `Health(cache_ttl=1)`
  A_refresh the same with `Health(refresh_interval=1)` (a background task reruns the checks)
            (A and its variants also serve `/metrics/`, from the latest results; `/health/` takes
            `?format=html` and the other formats)
  B         healthcheckx 1.2.0, wrapped as `lambda r: django_health_view(r, health)`
  C         django-health-check: Database, Cache (Django's RedisCache) and RabbitMQ
  D         a constant JsonResponse (the ceiling)
Services come from the HCX_* variables of scripts/services.sh.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.http import JsonResponse
from django.urls import path

CONTENDER = os.environ.get("BENCH_CONTENDER", "D")
REDIS_URL = os.environ["HCX_REDIS_URL"]
POSTGRES_URL = os.environ["HCX_POSTGRES_URL"]
AMQP_URL = os.environ["HCX_AMQP_URL"]

SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
USE_TZ = True
MIDDLEWARE: list = []
INSTALLED_APPS: list = []
TEMPLATES = [
    {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True},
]
LOGGING_CONFIG = None

DATABASES: dict = {}
CACHES: dict = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CONTENDER == "C":
    pg = urlsplit(POSTGRES_URL)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": pg.path.lstrip("/"),
            "USER": pg.username or "",
            "PASSWORD": pg.password or "",
            "HOST": pg.hostname,
            "PORT": pg.port or 5432,
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    INSTALLED_APPS = ["health_check"]


def constant(request):  # D
    return JsonResponse({"status": "healthy"})


HEALTH = None


def health_view():
    global HEALTH
    if CONTENDER in ("A", "A_cached", "A_refresh"):
        from healthcheckx import Health, django_health_view

        health = HEALTH = (
            Health(
                cache_ttl=1 if CONTENDER == "A_cached" else 0,
                refresh_interval=1 if CONTENDER == "A_refresh" else None,
            )
            .postgresql_check(POSTGRES_URL, timeout=2, name="database")
            .redis_check(REDIS_URL, timeout=2, name="redis")
            .rabbitmq_check(AMQP_URL, timeout=2, name="rabbitmq")
        )
        return django_health_view(health)
    if CONTENDER == "B":
        from healthcheckx import Health, django_health_view

        health = (
            Health()
            .postgresql_check(POSTGRES_URL, timeout=2, name="database")
            .redis_check(REDIS_URL, timeout=2, name="redis")
            .rabbitmq_check(AMQP_URL, timeout=2, name="rabbitmq")
        )
        return lambda r: django_health_view(r, health)
    if CONTENDER == "C":
        from health_check.views import HealthCheckView

        return HealthCheckView.as_view(
            checks=[
                "health_check.checks.Database",
                "health_check.checks.Cache",
                ("health_check.contrib.rabbitmq.RabbitMQ", {"amqp_url": AMQP_URL}),
            ]
        )
    return constant


urlpatterns = [path("health/", health_view())]
if HEALTH is not None:
    from healthcheckx.contrib.django.views import MetricsView

    urlpatterns.append(path("metrics/", MetricsView(HEALTH)))
