"""Settings of the Django test project, from the variables of scripts/services.sh.

Databases: `default` is PostgreSQL (the private server with a password full of URL-special
characters, database HCX_DJANGO_DB), `sqlite` a file. Caches: `default` is Redis through
django-redis (HCX_DJANGO_REDIS_URL, else the machine's Redis), `locmem` local memory.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

_pg = urlsplit(os.environ.get("HCX_PG_AUTH_URL", "postgresql://hcx@127.0.0.1:55432/hcx_test"))

SECRET_KEY = "healthcheckx-tests"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
    "healthcheckx.contrib.django",
]

MIDDLEWARE = [
    "healthcheckx.contrib.django.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "testproject.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("HCX_DJANGO_DB", "hcx_django_tests"),
        "USER": unquote(_pg.username or "hcx"),
        "PASSWORD": unquote(_pg.password or ""),
        "HOST": _pg.hostname or "127.0.0.1",
        "PORT": str(_pg.port or 5432),
    },
    "sqlite": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(
            "HCX_DJANGO_SQLITE", str(Path(tempfile.gettempdir()) / "hcx-django-tests.sqlite3")
        ),
    },
}

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get(
            "HCX_DJANGO_REDIS_URL", os.environ.get("HCX_REDIS_URL", "redis://127.0.0.1:6379/0")
        ),
    },
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

HEALTHCHECKX = {"HEALTH": os.environ.get("HCX_DJANGO_HEALTH", "testproject.health.health")}
