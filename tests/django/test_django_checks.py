"""The checks that go through Django (`django_database_check`, `django_cache_check`,
`django_migrations_check`) and `Health.from_django_settings()`, against the real servers."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from djangotest import DATABASE, count_connections
from healthcheckx import Health

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def results(health: Health) -> list:
    return [(r.name, r.status.value, r.message) for r in health.run()]


def pg_entry(services: dict, **changes) -> dict:
    url = urlsplit(services["HCX_PG_AUTH_URL"])
    entry = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE,
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname,
        "PORT": url.port,
    }
    entry.update(changes)
    return entry


@contextlib.contextmanager
def extra_database(alias: str, entry: dict):
    """Adds a DATABASES alias for the duration (to the settings and to Django's handler)."""
    with override_settings(DATABASES={**settings.DATABASES, alias: entry}):
        connections.settings[alias] = connections.configure_settings({"default": dict(entry)})[
            "default"
        ]
        try:
            yield
        finally:
            if alias in connections.settings:
                connections[alias].close()
                del connections.settings[alias]
                with contextlib.suppress(AttributeError):
                    delattr(connections._connections, alias)


# --------------------------------------------------------------------- database


def test_database_check_through_django_connections():
    health = Health().django_database_check().django_database_check("sqlite")
    assert results(health) == [
        ("django-db", "healthy", None),
        ("django-db-sqlite", "healthy", None),
    ]


def test_database_check_closes_the_connection_it_opened_in_its_thread():
    from healthcheckx.contrib.django import probes

    check = probes.database_probe("default", "db")
    seen = {}

    def worker():
        seen["result"] = check()
        seen["open_after"] = connections["default"].connection is not None

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["result"].status == "healthy"
    assert seen["open_after"] is False


def test_database_check_holds_no_connection_between_runs(services):
    health = Health().django_database_check(name="db")
    counts = []
    for _ in range(30):
        assert results(health) == [("db", "healthy", None)]
        counts.append(count_connections(services["HCX_PG_AUTH_URL"], DATABASE))
    assert max(counts) == 0


def test_database_check_failures_are_one_line_without_the_password(services, closed_port):
    password = unquote(urlsplit(services["HCX_PG_AUTH_URL"]).password or "")
    with extra_database("refused", pg_entry(services, PORT=closed_port)):
        refused = results(Health().django_database_check("refused"))
    assert refused == [("django-db-refused", "unhealthy", "Connection refused")]
    with extra_database("badpass", pg_entry(services, PASSWORD=password + "x")):
        [(name, status, message)] = results(Health().django_database_check("badpass"))
    assert status == "unhealthy"
    assert message == 'password authentication failed for user "hcx"'
    assert password not in message


def test_database_check_times_out_at_its_deadline(services, tarpit):
    with extra_database("stuck", pg_entry(services, PORT=tarpit)):
        health = Health().django_database_check("stuck", timeout=0.5)
        started = time.monotonic()
        assert results(health) == [("django-db-stuck", "unhealthy", "timed out after 0.5s")]
        assert time.monotonic() - started < 1.0


def test_database_check_rejects_an_unknown_alias():
    with pytest.raises(ValueError, match='"nope" is not an alias of DATABASES'):
        Health().django_database_check("nope")


# ------------------------------------------------------------------------ cache


def test_cache_check_redis_and_local_memory():
    health = Health().django_cache_check().django_cache_check("locmem")
    assert results(health) == [
        ("django-cache", "healthy", None),
        ("django-cache-locmem", "healthy", None),
    ]


def test_cache_check_failures(closed_port, services):
    auth = urlsplit(services["HCX_REDIS_AUTH_URL"])
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        "refused": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        },
        "badpass": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{auth.port}/0",
            "OPTIONS": {"PASSWORD": "Wr0ng-P@ss:w/rd%"},
        },
    }
    with override_settings(CACHES=caches):
        health = (
            Health()
            .django_cache_check()
            .django_cache_check("refused", name="refused")
            .django_cache_check("badpass", name="badpass")
        )
        got = results(health)
    assert got[0] == (
        "django-cache",
        "unhealthy",
        "value written to the cache was not read back",
    )
    assert got[1] == ("refused", "unhealthy", "Connection refused")
    assert got[2][:2] == ("badpass", "unhealthy")
    assert "Wr0ng-P@ss:w/rd%" not in got[2][2]


def test_cache_check_rejects_an_unknown_alias():
    with pytest.raises(ValueError, match='"nope" is not an alias of CACHES'):
        Health().django_cache_check("nope")


# ------------------------------------------------------------------- migrations


def test_migrations_check_unhealthy_until_migrate():
    health = Health().django_migrations_check()
    [(name, status, message)] = results(health)
    assert (name, status) == ("migrations", "unhealthy")
    assert message.endswith(
        "unapplied migrations (auth, contenttypes, sessions): run manage.py migrate"
    )
    call_command("migrate", verbosity=0)
    assert results(health) == [("migrations", "healthy", None)]
    call_command("migrate", "sessions", "zero", verbosity=0)
    [(_, status, message)] = results(health)
    assert status == "unhealthy"
    assert message == "1 unapplied migration (sessions): run manage.py migrate"
    call_command("migrate", verbosity=0)


# ---------------------------------------------------------- from_django_settings


def test_from_django_settings_checks_every_database_and_cache_of_the_project():
    health = Health.from_django_settings()
    # The PostgreSQL password has '@', ':', '/' and '%': it works percent-encoded.
    assert results(health) == [
        ("database", "healthy", None),
        ("database-sqlite", "healthy", None),
        ("cache", "healthy", None),
    ]


def test_from_django_settings_keeps_one_native_connection(services):
    before = count_connections(services["HCX_PG_AUTH_URL"], DATABASE)
    health = Health.from_django_settings(databases=["default"], caches=False)
    for _ in range(10):
        assert results(health) == [("database", "healthy", None)]
    assert count_connections(services["HCX_PG_AUTH_URL"], DATABASE) == before + 1


@pytest.mark.parametrize("option", ["cache_ttl", "refresh_interval"])
def test_from_django_settings_takes_the_run_options_of_health(option):
    health = Health.from_django_settings(databases=["default"], caches=False, **{option: 60})
    try:
        first, second = health.run(), health.run()
    finally:
        health.stop_refresh()
    assert [r.status.value for r in first] == ["healthy"]
    # The second run answers with the first one's result (the same measured duration), not
    # with a round trip of its own.
    assert [r.duration_ms for r in second] == [r.duration_ms for r in first]


def test_from_django_settings_under_the_test_runner_holds_no_connection(services):
    """Under `manage.py test` a kept connection would stop Django from dropping the test
    database: PostgreSQL is then checked through Django's connection, closed after each run."""
    before = count_connections(services["HCX_PG_AUTH_URL"], DATABASE)
    mail.outbox = []
    try:
        health = Health.from_django_settings(databases=["default"], caches=False)
    finally:
        del mail.outbox
    for _ in range(10):
        assert results(health) == [("database", "healthy", None)]
    assert count_connections(services["HCX_PG_AUTH_URL"], DATABASE) == before


def test_from_django_settings_mysql_with_special_password(services, tmp_path):
    url = urlsplit(services["HCX_MYSQL_URL"])
    password = unquote(url.password or "")
    entry = {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "hcx_test",
        "USER": "hcx",
        "PASSWORD": password,
        "HOST": url.hostname,
        "PORT": str(url.port),
        "OPTIONS": {"charset": "utf8mb4"},
    }
    option_file = tmp_path / "my.cnf"
    option_file.write_text(f"[client]\nuser = hcx\npassword = {password}\ndatabase = hcx_test\n")
    databases = {
        "default": entry,
        "socket": {**entry, "HOST": ""},
        "optionfile": {
            "ENGINE": "django.db.backends.mysql",
            "HOST": "127.0.0.1",
            "OPTIONS": {"read_default_file": str(option_file)},
        },
        "missing": {**entry, "NAME": "no_such_db"},
    }
    with override_settings(DATABASES=databases, CACHES={}):
        health = Health.from_django_settings()
    assert results(health) == [
        ("database", "healthy", None),
        ("database-socket", "healthy", None),
        ("database-optionfile", "healthy", None),
        ("database-missing", "unhealthy", 'access denied for user "hcx" to database "no_such_db"'),
    ]


def test_from_django_settings_postgresql_forms(services):
    databases = {
        # No HOST: libpq's unix socket directory, as psycopg would use.
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "hcx_test",
            "USER": "postgres",
            "PORT": urlsplit(services["HCX_POSTGRES_URL"]).port,
        },
        "gis": pg_entry(services, ENGINE="django.contrib.gis.db.backends.postgis"),
        "wrong": pg_entry(services, PASSWORD="Wr0ng-P@ss:w/rd%"),
        "require": pg_entry(services, OPTIONS={"sslmode": "require"}),
    }
    with override_settings(DATABASES=databases, CACHES={}):
        health = Health.from_django_settings()
    got = results(health)
    assert got[:3] == [
        ("database", "healthy", None),
        ("database-gis", "healthy", None),
        ("database-wrong", "unhealthy", 'authentication failed for user "hcx"'),
    ]
    # sslmode=require against a server without TLS: refused by the check, not ignored.
    assert got[3][:2] == ("database-require", "unhealthy")
    assert "TLS" in got[3][2] or "SSL" in got[3][2]


def test_from_django_settings_skips_what_has_no_service(tmp_path):
    databases = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        "uri": {"ENGINE": "django.db.backends.sqlite3", "NAME": "file:x?mode=memory&cache=shared"},
        "dummy": {"ENGINE": "django.db.backends.dummy"},
        "missing": {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "absent.db"},
    }
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "dummy": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        "files": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
        "db": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"},
    }
    with override_settings(DATABASES=databases, CACHES=caches):
        health = Health.from_django_settings()
    # Only the SQLite file, which does not exist and is not created.
    [(name, status, message)] = results(health)
    assert (name, status) == ("database-missing", "unhealthy")
    assert not (tmp_path / "absent.db").exists()


def test_from_django_settings_redis_caches(services, closed_port):
    auth = urlsplit(services["HCX_REDIS_AUTH_URL"])
    password = unquote(auth.password or "")
    plain = services["HCX_REDIS_URL"]
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": [plain, f"redis://127.0.0.1:{closed_port}/0"],
        },
        # The password in OPTIONS (django-redis), not in the URL.
        "secret": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{auth.port}/1",
            "OPTIONS": {"PASSWORD": password},
        },
        # Django's RedisCache: pool options, and several servers in one string.
        "pool": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{auth.port},redis://127.0.0.1:{auth.port}/3",
            "OPTIONS": {"password": password, "db": 2},
        },
    }
    with override_settings(CACHES=caches, DATABASES={}):
        health = Health.from_django_settings()
    assert results(health) == [
        ("cache-1", "healthy", None),
        ("cache-2", "unhealthy", "Connection refused"),
        ("cache-secret", "healthy", None),
        ("cache-pool-1", "healthy", None),
        ("cache-pool-2", "healthy", None),
    ]


def test_from_django_settings_memcached_servers(closed_port):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": f"127.0.0.1:{closed_port}",
        },
        "many": {
            "BACKEND": "django.core.cache.backends.memcached.PyLibMCCache",
            "LOCATION": f"127.0.0.1:{closed_port};[::1]:{closed_port}",
        },
    }
    with override_settings(CACHES=caches, DATABASES={}):
        health = Health.from_django_settings()
    got = results(health)
    assert [(name, status) for name, status, _ in got] == [
        ("cache", "unhealthy"),
        ("cache-many-1", "unhealthy"),
        ("cache-many-2", "unhealthy"),
    ]
    assert got[0][2] == "Connection refused"


def test_from_django_settings_other_backends_go_through_django():
    databases = {"default": {"ENGINE": "django.db.backends.oracle", "NAME": "x"}}
    caches = {"default": {"BACKEND": "testproject.cachebackend.Backend"}}
    with override_settings(DATABASES=databases, CACHES=caches):
        connections.settings["default"]["ENGINE"] = "django.db.backends.oracle"
        try:
            health = Health.from_django_settings()
            got = results(health)
        finally:
            connections.settings["default"]["ENGINE"] = "django.db.backends.postgresql"
            with contextlib.suppress(AttributeError):
                delattr(connections._connections, "default")
    # The Oracle entry went to Django, which reports its missing driver; the custom cache
    # backend (local memory underneath) was exercised through the cache framework.
    assert got[0][:2] == ("database", "unhealthy")
    assert "oracledb" in got[0][2].lower() or "cx_oracle" in got[0][2].lower()
    assert got[1] == ("cache", "healthy", None)


def test_from_django_settings_selection_and_options(services):
    health = Health.from_django_settings(
        databases=["sqlite"], caches=["locmem", "default"], timeout=1.5, tags=["ready"]
    )
    assert health.names == ["database-sqlite", "cache"]
    assert Health.from_django_settings(databases=False, caches=False).names == []
    assert [r.name for r in health.run(tags=["ready"])] == ["database-sqlite", "cache"]
    assert health.run(tags=["other"]) == []
    with pytest.raises(ValueError, match="DATABASES has no alias 'nope'"):
        Health.from_django_settings(databases=["nope"])


@pytest.mark.parametrize(
    ("databases", "caches", "fragment"),
    [
        (
            {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"service": "s"}}},
            {},
            "pg_service.conf",
        ),
        (
            {},
            {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "localhost"}},
            "must be a redis:// URL",
        ),
        (
            {},
            {
                "default": {
                    "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                    "LOCATION": "unix:/tmp/memcached.sock",
                }
            },
            "unix socket",
        ),
        (
            {},
            {
                "default": {
                    "BACKEND": "django_redis.cache.RedisCache",
                    "LOCATION": "redis://:s3cr3t-pw@127.0.0.1:notaport/0",
                }
            },
            'check "cache"',
        ),
    ],
)
def test_from_django_settings_bad_entries_raise_value_error(databases, caches, fragment):
    with override_settings(DATABASES=databases, CACHES=caches):
        with pytest.raises(ValueError) as error:
            Health.from_django_settings()
    assert fragment in str(error.value)
    assert "s3cr3t-pw" not in str(error.value)


def test_settings_file_of_the_project_is_untouched_by_from_django_settings():
    before = repr(settings.DATABASES) + repr(settings.CACHES)
    Health.from_django_settings()
    assert repr(settings.DATABASES) + repr(settings.CACHES) == before
    assert Path(settings.DATABASES["sqlite"]["NAME"]).exists()
