"""System checks (`manage.py check`): a malformed `HEALTHCHECKX` setting, or a `Health` that
cannot be built (bad dotted path, bad URL), is reported with a hint before the first request;
so are probe paths that Django would answer itself, without `ProbeMiddleware`:

- `healthcheckx.W002`: `DEBUG = False` and `ALLOWED_HOSTS` without `"*"`: a Kubernetes probe
  sends the pod's IP as `Host` and gets 400 (`DisallowedHost`).
- `healthcheckx.W003`: `SECURE_SSL_REDIRECT` (with `SecurityMiddleware`) and a probe path not in
  `SECURE_REDIRECT_EXEMPT`: the plain-HTTP probe gets 301 to https.
- `healthcheckx.W004`: a login middleware that may not honour `login_not_required` (a middleware
  class with `Login` in its name, other than Django's `LoginRequiredMiddleware`, which the views
  are exempt from): 302.
- `healthcheckx.W005`: `ProbeMiddleware` installed after one of those middleware, which then see
  the probes first.
"""

from __future__ import annotations

import re
from typing import Any, List

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from . import conf

PROBE_MIDDLEWARE = "healthcheckx.contrib.django.middleware.ProbeMiddleware"
SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
COMMON_MIDDLEWARE = "django.middleware.common.CommonMiddleware"
DJANGO_LOGIN_MIDDLEWARE = "django.contrib.auth.middleware.LoginRequiredMiddleware"
PROBE_HINT = f"Put '{PROBE_MIDDLEWARE}' first in MIDDLEWARE: it answers the probe paths before it."


def check_configuration(app_configs: Any = None, **kwargs: Any) -> List[CheckMessage]:
    messages: List[CheckMessage] = []
    try:
        unknown = conf.unknown_keys()
        if unknown:
            messages.append(
                Warning(
                    f"{conf.SETTING} has unknown key(s): {', '.join(unknown)}",
                    hint=f"Known keys: {', '.join(conf.KEYS)}.",
                    id="healthcheckx.W001",
                )
            )
        for view in conf.TAG_KEYS:
            conf.tags_for(view)
        conf.deadline()
        conf.show_details()
        conf.get_health()
    except conf.ConfigurationError as exc:
        messages.append(Error(exc.message, hint=exc.hint, id=exc.id))
    return messages + check_probes()


def _login_middleware(path: str) -> bool:
    """A login middleware that may not honour `login_not_required` (Django's own does)."""
    return "login" in path.rsplit(".", 1)[-1].lower() and path != DJANGO_LOGIN_MIDDLEWARE


def check_probes() -> List[CheckMessage]:
    """Warnings for the probe paths that a middleware before the views would answer itself."""
    from .middleware import probe_paths

    if not getattr(settings, "ROOT_URLCONF", None):
        return []
    paths = sorted(probe_paths())
    if not paths:
        return []
    middleware = [str(path) for path in settings.MIDDLEWARE]
    listed = ", ".join(paths)
    if PROBE_MIDDLEWARE in middleware:
        before = [
            path
            for path in middleware[: middleware.index(PROBE_MIDDLEWARE)]
            if path in (SECURITY_MIDDLEWARE, COMMON_MIDDLEWARE) or _login_middleware(path)
        ]
        if not before:
            return []
        return [
            Warning(
                f"ProbeMiddleware comes after {', '.join(before)}, which see the probes of "
                f"{listed} first.",
                hint=PROBE_HINT,
                id="healthcheckx.W005",
            )
        ]
    messages: List[CheckMessage] = []
    if not settings.DEBUG and "*" not in settings.ALLOWED_HOSTS:
        messages.append(
            Warning(
                f"Probes of {listed} that send the pod's IP as Host (as Kubernetes does) are "
                "answered 400 (DisallowedHost): ALLOWED_HOSTS does not list it.",
                hint=PROBE_HINT,
                id="healthcheckx.W002",
            )
        )
    if settings.SECURE_SSL_REDIRECT and SECURITY_MIDDLEWARE in middleware:
        exempt = [re.compile(pattern) for pattern in settings.SECURE_REDIRECT_EXEMPT]
        redirected = [p for p in paths if not any(e.search(p.lstrip("/")) for e in exempt)]
        if redirected:
            messages.append(
                Warning(
                    f"Plain-HTTP probes of {', '.join(redirected)} are answered 301 to https: "
                    "SECURE_SSL_REDIRECT is on.",
                    hint=PROBE_HINT,
                    id="healthcheckx.W003",
                )
            )
    login = [path for path in middleware if _login_middleware(path)]
    if login:
        messages.append(
            Warning(
                f"Probes of {listed} may be sent to the login page by {', '.join(login)}, "
                "unless it honours login_not_required.",
                hint=PROBE_HINT,
                id="healthcheckx.W004",
            )
        )
    return messages
