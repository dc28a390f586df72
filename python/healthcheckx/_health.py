"""`Health`: the registry of checks, a thin wrapper over the native engine."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Tuple, Union

if TYPE_CHECKING:  # asyncio costs ~40 ms to import: only arun() needs it
    import asyncio

from . import _changes, _native, _runner
from ._report import Report
from ._result import CheckResult, EngineRow, HealthCheck, _from_engine

Tags = Union[str, Iterable[str], None]


def _tag_list(tags: Tags) -> List[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        return [tags]
    return [str(tag) for tag in tags]


def _target(name: str, value: Any) -> Optional[str]:
    """`value` as the text the engine parses, or an error naming the check (and never showing the
    value, which may hold a password): numbers and byte strings are a `TypeError`; a NUL character
    or a lone surrogate (text that has no UTF-8 form) a `ValueError`. `None` goes through (the
    engine says what is missing); other objects (paths, URL objects) are taken as `str(value)`."""
    if value is None or isinstance(value, str):
        text = value
    elif isinstance(value, (bytes, bytearray, int, float)):
        raise TypeError(f'check "{name}": expected a str, not {type(value).__name__}')
    else:
        text = str(value)
    if text is None:
        return None
    if "\0" in text:
        raise ValueError(f'check "{name}": NUL character at position {text.index(chr(0))}')
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            f'check "{name}": not valid text (a lone surrogate at position {error.start})'
        ) from None
    return text


def _ipv6_address(name: str, host: str) -> None:
    """A host with a colon or a bracket must be an IPv6 address, `::1` or `[::1]`."""
    import ipaddress  # only for such hosts: the import costs ~2 ms

    bare = host.strip()
    if bare.startswith("[") and bare.endswith("]"):
        bare = bare[1:-1]
    try:
        ipaddress.IPv6Address(bare)
    except ValueError:
        raise ValueError(
            f'check "{name}": invalid IPv6 address (expected the form ::1 or [::1])'
        ) from None


def _results(raw: List[EngineRow]) -> List[CheckResult]:
    return [_from_engine(*entry) for entry in raw]


def _resolve(future: asyncio.Future[_native.NativeReport], raw: _native.NativeReport) -> None:
    if not future.done():  # the caller may have been cancelled meanwhile
        future.set_result(raw)


class Health:
    """A set of health checks, run concurrently, each under a hard deadline.

    `timeout` (seconds) is the deadline of every check registered without one (otherwise each
    kind has its own default: 2 s for network services, 3 s for databases and custom checks).
    `cache_ttl` (seconds): results younger than this are returned without touching the services.
    `refresh_interval` (seconds): after the first run, runs return the latest results at once
    while a background task reruns the checks every interval (it ends with the `Health`, at
    `stop_refresh()`, and does not survive `fork()`: the child starts its own on its first run).
    `deadline` (seconds): every run answers within it, whatever the checks' own timeouts; a
    check still running then is reported unhealthy, `timed out after <deadline>s` (set it below
    the timeout of whatever calls the endpoint: a Kubernetes probe gives up after 1 s by default).
    Simultaneous `run()` calls share one execution. Safe to share between threads and across
    `fork()`. Every registration method returns the `Health`, so calls chain, and takes
    keyword-only `critical`, `tags`, and the damping `failure_threshold=N` (reported failing only
    after N failing runs in a row; meanwhile its message says `1 of N failures: <reason>`) and
    `success_threshold=M` (passing again only after M passing runs in a row).
    """

    def __init__(
        self,
        *,
        timeout: Optional[float] = None,
        cache_ttl: float = 0.0,
        refresh_interval: Optional[float] = None,
        deadline: Optional[float] = None,
    ) -> None:
        self._native = _native.NativeHealth(
            timeout=timeout,
            cache_ttl=cache_ttl,
            refresh_interval=refresh_interval,
            deadline=deadline,
        )
        self.timeout = timeout
        self.cache_ttl = cache_ttl
        self.refresh_interval = refresh_interval
        self.deadline = deadline
        # A partial over the list, not a bound method: the engine holds no reference to `self`.
        self._change_callbacks: List[_changes.ChangeCallback] = []
        self._native.on_change(functools.partial(_changes.dispatch, self._change_callbacks))

    def stop_refresh(self) -> None:
        """Stops the background refresh of `refresh_interval` (the next run starts it again)."""
        self._native.stop_refresh()

    def close(self) -> None:
        """Closes every connection the checks keep, now, and stops the background refresh.

        The `Health` stays usable: the next run opens new connections (and starts the refresh
        again). Meant for when no run is in flight (shutdown, the end of a test): a run in flight
        ends normally. `with Health() as health:` and `async with` call it on exit.
        """
        self._native.close()

    def __enter__(self) -> Health:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Health:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Health(checks={self._native.names()!r})"

    def __len__(self) -> int:
        return len(self._native)

    @property
    def names(self) -> List[str]:
        """Names of the registered checks, in registration order."""
        return self._native.names()

    # -- registration -------------------------------------------------------------------------

    def _add(
        self,
        kind: str,
        target: Optional[str],
        name: Optional[str],
        timeout: Optional[float],
        critical: bool,
        tags: Tags,
        damping: Tuple[int, int],
        **extra: int,
    ) -> Health:
        self._native.add_check(
            kind,
            _target(name or kind, target),
            name=name,
            timeout=timeout,
            critical=critical,
            tags=_tag_list(tags),
            damping=damping,
            **extra,
        )
        return self

    def check(
        self,
        url: Optional[str],
        *,
        name: Optional[str] = None,
        timeout: Optional[float] = None,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """Adds the check a URL names, the kind taken from its scheme: `redis://`,
        `postgresql://`, `mysql://`, `amqp://`, `mongodb://`, `kafka://`, `memcached://`,
        `stomp://`, `openwire://`, `mssql://`, `oracle://`, `sqlite:///path`, `http(s)://`,
        `tcp://host:port`, `disk:///path?min_free_percent=10`. The name defaults to the kind."""
        self._native.add_url(
            _target(name or "check", url),
            name=name,
            timeout=timeout,
            critical=critical,
            tags=_tag_list(tags),
            damping=(failure_threshold, success_threshold),
        )
        return self

    def register(
        self,
        check: HealthCheck,
        *,
        name: Optional[str] = None,
        timeout: Optional[float] = None,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """Adds a custom check: a function (or `async def`) returning a `CheckResult`.

        It runs concurrently with the others; if it raises, the result is unhealthy with the
        exception text; if it does not return within `timeout`, it is reported timed out.
        """
        if not callable(check):
            raise TypeError(f"register() expects a callable, not {type(check).__name__}")
        fallback = getattr(check, "__name__", None) or type(check).__name__
        self._native.add_callable(
            check,
            _runner.call_check,
            fallback,
            name=name,
            timeout=timeout,
            critical=critical,
            tags=_tag_list(tags),
            damping=(failure_threshold, success_threshold),
        )
        return self

    def redis_check(
        self,
        redis_url: Optional[str],
        timeout: Optional[float] = None,
        name: str = "redis",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """Redis `PING`: `redis://`, `rediss://`, `unix://`, `redis+unix://` (2 s by default)."""
        return self._add(
            "redis",
            redis_url,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
        )

    def keydb_check(
        self,
        keydb_url: Optional[str],
        timeout: Optional[float] = None,
        name: str = "keydb",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """KeyDB `PING`: `keydb://`, `keydbs://` and every Redis form (default timeout 2 s)."""
        return self._add(
            "keydb",
            keydb_url,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
        )

    def postgresql_check(
        self,
        dsn: Optional[str],
        timeout: Optional[float] = None,
        name: str = "postgresql",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """PostgreSQL `SELECT 1`: URL or libpq key=value DSN (default timeout 3 s)."""
        return self._add(
            "postgresql", dsn, name, timeout, critical, tags, (failure_threshold, success_threshold)
        )

    def mysql_check(
        self,
        dsn: Optional[str],
        timeout: Optional[float] = None,
        name: str = "mysql",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """MySQL / MariaDB `SELECT 1`: `mysql://user:pass@host:3306/db` (default timeout 3 s)."""
        return self._add(
            "mysql", dsn, name, timeout, critical, tags, (failure_threshold, success_threshold)
        )

    def rabbitmq_check(
        self,
        amqp_url: Optional[str],
        timeout: Optional[float] = None,
        name: str = "rabbitmq",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """RabbitMQ: AMQP connection and channel, `amqp://` / `amqps://` (default timeout 2 s)."""
        return self._add(
            "rabbitmq",
            amqp_url,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
        )

    def mongodb_check(
        self,
        connection_string: Optional[str],
        timeout: Optional[float] = None,
        name: str = "mongodb",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """MongoDB `ping`: `mongodb://`, `mongodb+srv://` (default timeout 3 s)."""
        return self._add(
            "mongodb",
            connection_string,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
        )

    def sqlite_check(
        self,
        db_path: Optional[str],
        timeout: Optional[float] = None,
        name: str = "sqlite",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """SQLite: an existing file (never created), `:memory:` or `sqlite:///path` (3 s)."""
        return self._add(
            "sqlite",
            db_path,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
        )

    def tcp_check(
        self,
        host: Optional[str],
        port: int,
        timeout: Optional[float] = None,
        name: str = "tcp",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """A TCP connection to `host:port` is accepted (default timeout 2 s)."""
        if not isinstance(port, int) or not 0 < port < 65536:
            raise ValueError(f'check "{name}": port must be between 1 and 65535, not {port!r}')
        host = _target(name, host)
        if host is not None and any(c in host for c in ":[]"):
            _ipv6_address(name, host)
        return self._add(
            "tcp",
            host,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
            port=port,
        )

    def http_check(
        self,
        url: Optional[str],
        timeout: Optional[float] = None,
        name: str = "http",
        expect_status: int = 200,
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """`GET url` answers `expect_status` (default timeout 2 s)."""
        if not isinstance(expect_status, int) or not 100 <= expect_status <= 599:
            raise ValueError(f'check "{name}": invalid expected status {expect_status!r}')
        return self._add(
            "http",
            url,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
            expect_status=expect_status,
        )

    def memcached_check(
        self,
        host: Optional[str] = "localhost",
        port: int = 11211,
        timeout: Optional[float] = None,
        name: str = "memcached",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """Memcached `version`: `host`/`port`, or `memcached://host:port` as `host` (2 s)."""
        if not isinstance(port, int) or not 0 < port < 65536:
            raise ValueError(f'check "{name}": port must be between 1 and 65535, not {port!r}')
        return self._add(
            "memcached",
            host,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
            port=port,
        )

    def kafka_check(
        self,
        bootstrap_servers: Optional[str],
        timeout: Optional[float] = None,
        name: str = "kafka",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """Kafka: a broker of `"h1:9092,h2:9092"` answers a Metadata request (2 s)."""
        return self._add(
            "kafka",
            bootstrap_servers,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
        )

    def activemq_check(
        self,
        broker_url: Optional[str],
        timeout: Optional[float] = None,
        name: str = "activemq",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """ActiveMQ: STOMP CONNECT (`stomp://`) or OpenWire greeting (`tcp://`, `host:port`)."""
        return self._add(
            "activemq",
            broker_url,
            name,
            timeout,
            critical,
            tags,
            (failure_threshold, success_threshold),
        )

    def mssql_check(
        self,
        dsn: Optional[str],
        timeout: Optional[float] = None,
        name: str = "mssql",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """SQL Server login and `SELECT 1`: `mssql://user:pass@host:1433/db` (3 s)."""
        return self._add(
            "mssql", dsn, name, timeout, critical, tags, (failure_threshold, success_threshold)
        )

    def oracle_check(
        self,
        dsn: Optional[str],
        timeout: Optional[float] = None,
        name: str = "oracle",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """Oracle login and `SELECT 1 FROM DUAL`: `oracle://user:pass@host:1521/service` (3 s)."""
        return self._add(
            "oracle", dsn, name, timeout, critical, tags, (failure_threshold, success_threshold)
        )

    def disk_check(
        self,
        path: str = "/",
        min_free_percent: float = 10,
        warn_percent: Optional[float] = None,
        timeout: Optional[float] = None,
        name: str = "disk",
        *,
        critical: bool = True,
        tags: Tags = (),
        failure_threshold: int = 1,
        success_threshold: int = 1,
    ) -> Health:
        """Free space of the file system holding `path`: below `min_free_percent` unhealthy,
        below `warn_percent` (if given) degraded (2 s)."""
        self._native.add_check(
            "disk",
            _target(name, path),
            name=name,
            timeout=timeout,
            critical=critical,
            tags=_tag_list(tags),
            damping=(failure_threshold, success_threshold),
            min_free_percent=float(min_free_percent),
            warn_percent=None if warn_percent is None else float(warn_percent),
        )
        return self

    # -- running ------------------------------------------------------------------------------

    def run(self, tags: Tags = None, *, deadline: Optional[float] = None) -> List[CheckResult]:
        """Runs the checks (or those with one of `tags`) concurrently; registration order.

        `deadline` (seconds): this run answers within it (and within `Health(deadline=...)`).
        """
        return _results(self._run_raw(tags, deadline))

    def _run_raw(self, tags: Tags = None, deadline: Optional[float] = None) -> List[EngineRow]:
        """`run()` as the engine answers it: `(name, status, message, duration_ms)` tuples (the
        adapters encode these straight to JSON)."""
        return self._native.run(None if tags is None else _tag_list(tags), deadline)

    async def arun(
        self, tags: Tags = None, *, deadline: Optional[float] = None
    ) -> List[CheckResult]:
        """`run()` for asyncio code, never blocking the event loop.

        Native checks are awaited as tasks of the engine (no thread each); `async def` custom
        checks run on this event loop; sync custom checks run on the engine's bounded pool.
        Cancelling the caller does not cancel the run, which other callers may share.
        """
        return (await self.areport(tags, deadline=deadline)).results

    # -- reports ------------------------------------------------------------------------------

    def report(self, tags: Tags = None, *, deadline: Optional[float] = None) -> Report:
        """`run()` as a `Report`: `status`, `results`, `to_dict()`, `render(format)`."""
        return Report(self._native.report(None if tags is None else _tag_list(tags), deadline))

    async def areport(self, tags: Tags = None, *, deadline: Optional[float] = None) -> Report:
        """`arun()` as a `Report`."""
        import asyncio

        loop = asyncio.get_running_loop()
        future: asyncio.Future[_native.NativeReport] = loop.create_future()

        def complete(raw: _native.NativeReport) -> None:
            # Called from an engine thread when the run ends.
            try:
                loop.call_soon_threadsafe(_resolve, future, raw)
            except RuntimeError:  # the loop was closed: nobody is waiting any more
                pass

        selection = None if tags is None else _tag_list(tags)
        self._native.run_async(selection, loop, complete, deadline)
        return Report(await future)

    def latest(self) -> Report:
        """The latest result of every check, without running anything when every check has one
        (younger than `cache_ttl` when there is one and no `refresh_interval`); else a run of every
        check. What `/metrics` serves: a scrape never runs the checks itself."""
        return Report(self._native.latest())

    def on_change(self, callback: _changes.ChangeCallback) -> _changes.ChangeCallback:
        """Calls `callback(change)` once for every change of a check's reported status, as the
        run that changed it ends (a check's first result is not a change), from that run's
        thread. `change` is a `Change`: `name`, `previous`, `status`, `message`. Changes are
        also logged by the `healthcheckx` logger, WARNING going bad and INFO recovering. Usable as
        a decorator."""
        self._change_callbacks.append(callback)
        return callback

    def collector(self, registry: Any = None) -> Any:
        """Registers the checks' metrics with a `prometheus_client` registry (the default one
        unless `registry` is given), so that an app's own `/metrics` serves them too; returns the
        collector. Each scrape reads `latest()`."""
        from ._metrics import register_collector

        return register_collector(self, registry)

    # -- Django ---

    @classmethod
    def from_django_settings(
        cls,
        *,
        databases: Union[bool, Iterable[str], None] = None,
        caches: Union[bool, Iterable[str], None] = None,
        timeout: Optional[float] = None,
        cache_ttl: float = 0.0,
        refresh_interval: Optional[float] = None,
        deadline: Optional[float] = None,
        critical: bool = True,
        tags: Tags = (),
    ) -> Health:
        """A `Health` checking every entry of `DATABASES` and `CACHES` (or the aliases given).

        `timeout`, `cache_ttl`, `refresh_interval` and `deadline` are those of `Health(...)`.

        PostgreSQL, MySQL and SQLite databases, Redis and Memcached caches get native checks
        built from the settings (credentials percent-encoded); other backends are checked
        through Django. Named `database` / `cache` for `default`, else `database-<alias>`...
        """
        from .contrib.django.discovery import add_settings_checks

        health = cls(
            timeout=timeout,
            cache_ttl=cache_ttl,
            refresh_interval=refresh_interval,
            deadline=deadline,
        )
        return add_settings_checks(
            health, databases=databases, caches=caches, critical=critical, tags=tags
        )

    def django_database_check(
        self,
        alias: str = "default",
        timeout: Optional[float] = None,
        name: Optional[str] = None,
        *,
        critical: bool = True,
        tags: Tags = (),
    ) -> Health:
        """`SELECT 1` through Django's connection `alias`, closed afterwards (`django-db`)."""
        from .contrib.django.probes import register

        return register(self, "db", alias, name, timeout, critical, tags)

    def django_cache_check(
        self,
        alias: str = "default",
        timeout: Optional[float] = None,
        name: Optional[str] = None,
        *,
        critical: bool = True,
        tags: Tags = (),
    ) -> Health:
        """Sets, reads and deletes a unique key in Django's cache `alias` (`django-cache`)."""
        from .contrib.django.probes import register

        return register(self, "cache", alias, name, timeout, critical, tags)

    def django_migrations_check(
        self,
        alias: str = "default",
        timeout: Optional[float] = None,
        name: Optional[str] = None,
        *,
        critical: bool = True,
        tags: Tags = (),
    ) -> Health:
        """Unhealthy while migrations are unapplied on database `alias` (`migrations`)."""
        from .contrib.django.probes import register

        return register(self, "migrations", alias, name, timeout, critical, tags)
