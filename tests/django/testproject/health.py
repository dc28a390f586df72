"""`Health` objects that HEALTHCHECKX["HEALTH"] names in the tests."""

import os

from healthcheckx import Health

REFUSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1

# Every check healthy: native Redis and PostgreSQL, and the same through Django.
health = (
    Health()
    .redis_check(os.environ.get("HCX_REDIS_URL"), name="redis", tags=["ready"])
    .postgresql_check(os.environ.get("HCX_PG_AUTH_URL"), name="database", tags=["ready"])
    .django_database_check(tags=["startup"])
    .django_cache_check(tags=["startup"])
)

# Redis refused (critical), the database healthy.
failing = (
    Health()
    .redis_check(REFUSED, name="redis", tags=["ready"])
    .postgresql_check(os.environ.get("HCX_PG_AUTH_URL"), name="database", tags=["startup"])
)

# A non-critical check failing: degraded.
degraded = (
    Health()
    .redis_check(REFUSED, name="redis", critical=False)
    .postgresql_check(os.environ.get("HCX_PG_AUTH_URL"), name="database")
)

# A check that waits on a listener that never answers (HCX_DJANGO_TARPIT_PORT), 2 s deadline.
if tarpit_port := os.environ.get("HCX_DJANGO_TARPIT_PORT"):
    stuck = Health().redis_check(f"redis://127.0.0.1:{tarpit_port}/0", timeout=2, name="stuck")


def factory():
    """A factory: HEALTHCHECKX["HEALTH"] may name a function returning a Health."""
    return Health().redis_check(os.environ.get("HCX_REDIS_URL"), name="from-factory")


not_a_health = 42


def returns_none():
    return None


def details_for_staff(request):
    """HEALTHCHECKX["SHOW_DETAILS"] by dotted path: details for callers with the staff token."""
    return request.headers.get("X-Token") == "s3cret"
