"""Checks that go through Django itself: its database connections, its cache framework, its
migrations. `Health.django_database_check()` and friends register the functions built here.

They run in the engine's worker threads. Django opens one database connection per thread, so
every check closes the connections it opened before returning: a probe every few seconds must
not leave one connection behind per call.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import uuid
from typing import Callable, Iterable, List, Optional

from ..._health import Health, Tags
from ..._result import CheckResult, HealthStatus

# redis-py: "Error 111 connecting to 127.0.0.1:6379. Connection refused."
_ERRNO_FAILURE = re.compile(r"^Error (\d+) connecting to ")
_LIBPQ_FAILURE = re.compile(r"^(?:connection failed: )?connection to server .* failed: (.+)$")
# Network causes worth naming first when a driver wraps them (redis-py, pymemcache...).
_NETWORK_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.EHOSTUNREACH, errno.ENETUNREACH}


def register(
    health: Health,
    kind: str,
    alias: str,
    name: Optional[str],
    timeout: Optional[float],
    critical: bool,
    tags: Tags,
) -> Health:
    """Registers on `health` the check of `kind` (`db`, `cache`, `migrations`) for `alias`.

    Default names: `django-db`, `django-cache` for `default` (the guide's), `django-db-<alias>`
    otherwise; `migrations`.
    """
    if name is None:
        suffix = "" if alias == "default" else f"-{alias}"
        name = "migrations" + suffix if kind == "migrations" else f"django-{kind}{suffix}"
    build = {"db": database_probe, "cache": cache_probe, "migrations": migrations_probe}[kind]
    return health.register(
        build(alias, name), name=name, timeout=timeout, critical=critical, tags=tags
    )


def describe(exc: BaseException, secrets: Iterable[Optional[str]] = ()) -> str:
    """One line, cause first, without secrets: `Connection refused`, or the driver's first line."""
    seen = set()
    current: Optional[BaseException] = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return "name resolution failed"
        if isinstance(current, OSError) and current.errno in _NETWORK_ERRNOS:
            return current.strerror or errno.errorcode[current.errno]
        if isinstance(current, TimeoutError):
            return "timed out"
        current = current.__cause__ or current.__context__
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    match = _ERRNO_FAILURE.match(text)
    if match and int(match.group(1)) in _NETWORK_ERRNOS:
        return os.strerror(int(match.group(1)))
    match = _LIBPQ_FAILURE.match(text)
    if match:
        text = match.group(1)
    text = re.sub(r"^(?:FATAL|ERROR):\s+", "", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text[:300]


def _unhealthy(name: str, message: str) -> CheckResult:
    return CheckResult(name, HealthStatus.unhealthy, message)


def _require_alias(kind: str, alias: str, configured: Callable[[], Iterable[str]]) -> None:
    from django.conf import settings

    if not isinstance(alias, str) or not alias:
        raise ValueError(f"django_{kind}_check: alias must be a non-empty string, not {alias!r}")
    if settings.configured and alias not in configured():
        setting = "DATABASES" if kind == "database" else "CACHES"
        raise ValueError(f'django_{kind}_check: "{alias}" is not an alias of {setting}')


def database_probe(alias: str, name: str) -> Callable[[], CheckResult]:
    """`SELECT 1` through `django.db.connections[alias]`, closed afterwards."""
    from django.conf import settings

    _require_alias("database", alias, lambda: settings.DATABASES)

    def check() -> CheckResult:
        from django.db import connections

        connection = connections[alias]
        try:
            query = "SELECT 1 FROM DUAL" if connection.vendor == "oracle" else "SELECT 1"
            with connection.cursor() as cursor:
                cursor.execute(query)
                cursor.fetchone()
        except Exception as exc:
            return _unhealthy(name, describe(exc, [connection.settings_dict.get("PASSWORD")]))
        finally:
            connection.close()
        return CheckResult(name, HealthStatus.healthy)

    check.__name__ = name
    return check


def cache_probe(alias: str, name: str) -> Callable[[], CheckResult]:
    """Sets, reads back and deletes a unique key through `django.core.cache.caches[alias]`."""
    from django.conf import settings

    _require_alias("cache", alias, lambda: settings.CACHES)

    def check() -> CheckResult:
        from django.core.cache import caches

        cache = caches[alias]
        key = f"healthcheckx:{uuid.uuid4().hex}"
        value = uuid.uuid4().hex
        try:
            cache.set(key, value, 30)
            read = cache.get(key)
            cache.delete(key)
        except Exception as exc:
            return _unhealthy(name, describe(exc, _cache_secrets(alias)))
        finally:
            cache.close()
        if read != value:
            return _unhealthy(name, "value written to the cache was not read back")
        return CheckResult(name, HealthStatus.healthy)

    check.__name__ = name
    return check


def _cache_secrets(alias: str) -> List[Optional[str]]:
    from django.conf import settings

    options = settings.CACHES.get(alias, {}).get("OPTIONS") or {}
    return [options.get("PASSWORD"), options.get("password")]


def migrations_probe(alias: str, name: str) -> Callable[[], CheckResult]:
    """Unhealthy while migrations of the project are not applied to `DATABASES[alias]`."""
    from django.conf import settings

    _require_alias("database", alias, lambda: settings.DATABASES)

    def check() -> CheckResult:
        from django.db import connections
        from django.db.migrations.executor import MigrationExecutor

        connection = connections[alias]
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:
            return _unhealthy(name, describe(exc, [connection.settings_dict.get("PASSWORD")]))
        finally:
            connection.close()
        if plan:
            apps = sorted({migration.app_label for migration, _ in plan})
            count = len(plan)
            return _unhealthy(
                name,
                f"{count} unapplied migration{'s' if count > 1 else ''} "
                f"({', '.join(apps)}): run manage.py migrate",
            )
        return CheckResult(name, HealthStatus.healthy)

    check.__name__ = name
    return check
