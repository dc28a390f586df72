"""`Health.from_django_settings()`: native checks for the databases and caches of the settings.

DATABASES: PostgreSQL (and PostGIS), MySQL/MariaDB and SQLite become `postgresql_check`,
`mysql_check` and `sqlite_check` with the URL built from the entry, credentials percent-encoded
(so a password like `p@ss:w/rd%` works). An engine without a native check is checked through
Django's own connection (`django_database_check`), and so is PostgreSQL under Django's test
runner, which must be able to drop its test database. In-memory SQLite databases and the dummy
engine have nothing to check.

The dependency goes one way: this module builds the checks and registers them on the `Health` it
is given (the probes through Django by `probes.register`); the core only forwards
`Health.from_django_settings()` here, importing this module when that method is called.

CACHES: Redis (Django's `RedisCache`, django-redis, any backend naming redis or valkey) becomes one
`redis_check` per server; Memcached one check per server. Process-local backends (local memory,
dummy, file, database) have no service of their own; any other backend is checked through
Django's cache framework (`django_cache_check`).

Names: `database` and `cache` for the `default` aliases (the guide's names), `database-<alias>`
and `cache-<alias>` otherwise, with `-1`, `-2`... when a cache has several servers. Nothing is
logged, and no error message carries a password.
"""

from __future__ import annotations

import configparser
import getpass
import os
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ..._health import Health, Tags
from .probes import register

Selection = Union[None, bool, Iterable[str]]

_LOCAL_CACHES = ("locmem", "dummy", "filebased", "db.DatabaseCache")
_PG_SOCKET_DIRS = ("/var/run/postgresql", "/run/postgresql", "/tmp")
_MYSQL_SOCKETS = ("/run/mysqld/mysqld.sock", "/var/run/mysqld/mysqld.sock", "/tmp/mysql.sock")


def add_settings_checks(
    health: Health,
    *,
    databases: Selection = None,
    caches: Selection = None,
    critical: bool = True,
    tags: Tags = (),
) -> Health:
    """Registers on `health` a check per entry of DATABASES and CACHES (or of the aliases given).

    `databases` / `caches`: `None` or `True` for every alias, `False` for none, or the aliases.
    """
    from django.conf import settings

    for alias, entry in _select(settings.DATABASES, databases, "DATABASES"):
        _add_database(health, alias, entry, critical=critical, tags=tags)
    for alias, entry in _select(settings.CACHES, caches, "CACHES"):
        _add_cache(health, alias, entry, critical=critical, tags=tags)
    return health


def _select(
    configured: Dict[str, Any], selection: Selection, setting: str
) -> List[Tuple[str, Any]]:
    if selection is False:
        return []
    if selection is None or selection is True:
        return list(configured.items())
    aliases = [selection] if isinstance(selection, str) else list(selection)
    missing = [alias for alias in aliases if alias not in configured]
    if missing:
        raise ValueError(f"{setting} has no alias {', '.join(map(repr, missing))}")
    return [(alias, configured[alias]) for alias in aliases]


def _name(kind: str, alias: str) -> str:
    return kind if alias == "default" else f"{kind}-{alias}"


def _credentials(user: Optional[str], password: Optional[str]) -> str:
    if not user and not password:
        return ""
    text = quote(str(user or ""), safe="")
    if password:
        text += ":" + quote(str(password), safe="")
    return text + "@"


def _url(
    scheme: str,
    user: Any,
    password: Any,
    host: str,
    port: str,
    database: Any,
    query: Dict[str, str],
) -> str:
    """`scheme://user:password@host:port/database?query`, every part percent-encoded (a unix
    socket directory as host too)."""
    if host.startswith("/"):
        host = quote(host, safe="")
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    netloc = f"{_credentials(user, password)}{host}:{port}"
    path = "/" + quote(str(database), safe="")
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


# -------------------------------------------------------------------------------- databases


def _add_database(health: Health, alias: str, entry: Dict[str, Any], **common: Any) -> None:
    if not isinstance(entry, dict):
        raise ValueError(f"DATABASES['{alias}'] must be a dict")
    engine = str(entry.get("ENGINE") or "django.db.backends.dummy")
    backend = engine.rsplit(".", 1)[-1].lower() if engine.startswith("django.") else engine.lower()
    name = _name("database", alias)
    if backend == "dummy":
        return
    if "postgres" in backend or "postgis" in backend or "psycopg" in backend:
        if _testing():
            # A kept connection to the test database would make the test runner fail to drop it.
            register(health, "db", alias, name, None, **common)
        else:
            health.postgresql_check(postgresql_url(alias, entry), name=name, **common)
    elif "mysql" in backend:
        health.mysql_check(mysql_url(alias, entry), name=name, **common)
    elif "sqlite" in backend or "spatialite" in backend:
        path = sqlite_path(entry)
        if path is not None:
            health.sqlite_check(path, name=name, **common)
    else:
        register(health, "db", alias, name, None, **common)


def _testing() -> bool:
    """True under Django's test runner (`setup_test_environment()` creates `mail.outbox`)."""
    from django.core import mail

    return hasattr(mail, "outbox")


def postgresql_url(alias: str, entry: Dict[str, Any]) -> str:
    """`postgresql://user:password@host:port/name?sslmode=...` with libpq's defaults for the
    empty fields (PGHOST, PGPORT..., then the socket directory and the OS user), like psycopg."""
    options = entry.get("OPTIONS") or {}
    if options.get("service") and not entry.get("NAME"):
        raise ValueError(
            f"DATABASES['{alias}'] uses a pg_service.conf service, which the native check "
            f"cannot read: use health.django_database_check({alias!r}) instead"
        )
    host = str(entry.get("HOST") or os.environ.get("PGHOST") or _first_dir(_PG_SOCKET_DIRS))
    port = str(entry.get("PORT") or os.environ.get("PGPORT") or "5432")
    user = entry.get("USER") or os.environ.get("PGUSER") or getpass.getuser()
    password = entry.get("PASSWORD") or os.environ.get("PGPASSWORD")
    database = entry.get("NAME") or os.environ.get("PGDATABASE") or user
    query = {key: str(options[key]) for key in ("sslmode",) if options.get(key)}
    if "," in host:
        raise ValueError(f"DATABASES['{alias}'] lists several hosts: only one can be checked")
    return _url("postgresql", user, password, host, port, database, query)


def _first_dir(candidates: Sequence[str]) -> str:
    for candidate in candidates:
        if os.path.isdir(candidate):
            return candidate
    return candidates[0]


def mysql_url(alias: str, entry: Dict[str, Any]) -> str:
    """`mysql://user:password@host:port/name?...`; fields left empty are read from the option
    file of `OPTIONS['read_default_file']` ([client] group), as mysqlclient does."""
    options = dict(entry.get("OPTIONS") or {})
    defaults = _mysql_option_file(options.get("read_default_file"))
    user = entry.get("USER") or options.get("user") or defaults.get("user") or ""
    password = (
        entry.get("PASSWORD")
        or options.get("password")
        or options.get("passwd")
        or defaults.get("password")
    )
    database = entry.get("NAME") or options.get("database") or defaults.get("database") or ""
    host = str(entry.get("HOST") or defaults.get("host") or "")
    port = str(entry.get("PORT") or defaults.get("port") or "3306")
    socket = options.get("unix_socket") or defaults.get("socket")
    if host.startswith("/"):
        socket, host = host, ""
    query: Dict[str, str] = {}
    if not host or host == "localhost":
        # mysqlclient reaches "localhost" (or no host) through the server's unix socket.
        socket = socket or os.environ.get("MYSQL_UNIX_PORT") or _first_file(_MYSQL_SOCKETS)
    if socket:
        host = "localhost"
        query["socket"] = str(socket)
    ssl_mode = options.get("ssl_mode")
    if ssl_mode:
        query["ssl-mode"] = str(ssl_mode).upper()
    elif options.get("ssl"):
        query["ssl-mode"] = "REQUIRED"
    if options.get("charset"):
        query["charset"] = str(options["charset"])
    return _url("mysql", user, password, host or "127.0.0.1", port, database, query)


def _first_file(candidates: Sequence[str]) -> Optional[str]:
    for candidate in candidates:
        if os.path.exists(candidate):
            return candidate
    return None


def _mysql_option_file(path: Any) -> Dict[str, str]:
    if not path:
        return {}
    parser = configparser.ConfigParser(allow_no_value=True, strict=False, interpolation=None)
    try:
        parser.read(os.path.expanduser(str(path)))
    except configparser.Error:
        return {}
    if not parser.has_section("client"):
        return {}
    values = {key: (value or "").strip().strip("'\"") for key, value in parser["client"].items()}
    if "db" in values and "database" not in values:
        values["database"] = values["db"]
    if "passwd" in values and "password" not in values:
        values["password"] = values["passwd"]
    return values


def sqlite_path(entry: Dict[str, Any]) -> Optional[str]:
    """The database file, or `None` for an in-memory database (nothing outside the process)."""
    name = entry.get("NAME")
    if not name:
        return None
    text = str(name) if isinstance(name, (str, Path)) else os.fsdecode(name)
    if text == ":memory:":
        return None
    if text.startswith("file:"):
        parts = urlsplit(text)
        if "mode=memory" in parts.query or parts.path in ("", ":memory:"):
            return None
        return parts.path
    return text


# ----------------------------------------------------------------------------------- caches


def _add_cache(health: Health, alias: str, entry: Dict[str, Any], **common: Any) -> None:
    if not isinstance(entry, dict):
        raise ValueError(f"CACHES['{alias}'] must be a dict")
    backend = str(entry.get("BACKEND") or "")
    lowered = backend.lower()
    base = _name("cache", alias)
    options = entry.get("OPTIONS") or {}
    if backend.startswith("django.core.cache.backends.") and any(
        local in backend for local in _LOCAL_CACHES
    ):
        return
    if "redis" in lowered or "valkey" in lowered:
        if options.get("SENTINELS") or "sentinel" in str(options.get("CLIENT_CLASS", "")).lower():
            register(health, "cache", alias, base, None, **common)
            return
        urls = [redis_url(alias, location, options) for location in _locations(entry, ",")]
        for name, url in _numbered(base, urls):
            health.redis_check(url, name=name, **common)
    elif "memcache" in lowered:
        servers = [memcached_server(alias, location) for location in _locations(entry, ";,")]
        for name, (host, port) in _numbered(base, servers):
            health.memcached_check(host, port, name=name, **common)
    else:
        register(health, "cache", alias, base, None, **common)


def _locations(entry: Dict[str, Any], separators: str) -> List[str]:
    location = entry.get("LOCATION") or ""
    if isinstance(location, str):
        for separator in separators[1:]:
            location = location.replace(separator, separators[0])
        items = location.split(separators[0])
    else:
        items = list(location)
    return [str(item).strip() for item in items if str(item).strip()]


def _numbered(base: str, items: List[Any]) -> List[Tuple[str, Any]]:
    if len(items) == 1:
        return [(base, items[0])]
    return [(f"{base}-{number}", item) for number, item in enumerate(items, 1)]


def redis_url(alias: str, location: str, options: Dict[str, Any]) -> str:
    """The LOCATION URL, with the password and db of OPTIONS added when it has none."""
    if "://" not in location:
        raise ValueError(f"CACHES['{alias}'] LOCATION must be a redis:// URL")
    parts = urlsplit(location)
    pool = options.get("CONNECTION_POOL_KWARGS") or {}
    password = options.get("PASSWORD") or options.get("password") or pool.get("password")
    username = options.get("username") or pool.get("username")
    netloc = parts.netloc
    if password and parts.password is None and parts.scheme not in ("unix", "redis+unix"):
        host = netloc.rpartition("@")[2]
        netloc = _credentials(parts.username or username or "", password) + host
    path, query = parts.path, parts.query
    db = options.get("db", pool.get("db"))
    if db is not None and path in ("", "/") and "db=" not in query:
        if parts.scheme in ("unix", "redis+unix"):
            query = "&".join(filter(None, [query, f"db={int(db)}"]))
        else:
            path = f"/{int(db)}"
    return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))


def memcached_server(alias: str, location: str) -> Tuple[str, int]:
    """`host:port` (or `[v6]:port`, or `host`) of a Memcached LOCATION; unix sockets unsupported."""
    text = location
    for prefix in ("inet6:", "inet:"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if text.startswith(("unix:", "/")):
        raise ValueError(
            f"CACHES['{alias}'] uses a unix socket, which the native check cannot reach: "
            f"use health.django_cache_check({alias!r}) instead"
        )
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.lstrip(":") or "11211"
    elif text.count(":") == 1:
        host, port = text.split(":")
    else:
        host, port = text, "11211"
    try:
        number = int(port)
    except ValueError:
        raise ValueError(f"CACHES['{alias}'] LOCATION has an invalid port {port!r}") from None
    return host, number
