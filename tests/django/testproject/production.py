"""The test project as production runs it: `DEBUG = False`, one public host name, HTTPS
enforced, a login required everywhere, and `ProbeMiddleware` first. HCX_DJANGO_PROBE_MIDDLEWARE=0
leaves the middleware out (Django's own answers then). `HEALTHCHECKX["DEADLINE"]` is left at its
default."""

import os

import django

from .settings import *  # noqa: F403
from .settings import MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["app.example.com"]
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LOGIN_URL = "/login/"

# Django 5.1+ ships LoginRequiredMiddleware; under 4.2 a login middleware of the project's own.
LOGIN_MIDDLEWARE = (
    "django.contrib.auth.middleware.LoginRequiredMiddleware"
    if django.VERSION >= (5, 1)
    else "testproject.loginwall.LoginWallMiddleware"
)
PROBE_MIDDLEWARE = "healthcheckx.contrib.django.middleware.ProbeMiddleware"
MIDDLEWARE = [path for path in MIDDLEWARE if path != PROBE_MIDDLEWARE] + [LOGIN_MIDDLEWARE]
if os.environ.get("HCX_DJANGO_PROBE_MIDDLEWARE", "1") == "1":
    MIDDLEWARE.insert(0, PROBE_MIDDLEWARE)
