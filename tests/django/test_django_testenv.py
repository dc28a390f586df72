"""The views close their Health's connections after each response while Django's test
environment is in force (django.test.utils.setup_test_environment(), which Django's runner and
pytest-django call), and keep them otherwise. Connections are counted on the server: Redis
CLIENT LIST of a private server."""

from __future__ import annotations

from typing import Iterator

import pytest
from django.test import RequestFactory
from django.test.utils import setup_test_environment, teardown_test_environment
from healthcheckx import Health
from healthcheckx.contrib.django.testenv import in_test_environment
from healthcheckx.contrib.django.views import django_health_view
from serversessions import redis_clients, settled


@pytest.fixture
def test_environment() -> Iterator[None]:
    setup_test_environment()
    try:
        yield
    finally:
        teardown_test_environment()


def test_the_test_environment_is_told_from_its_setup_to_its_teardown():
    assert not in_test_environment()
    setup_test_environment()
    try:
        assert in_test_environment()
    finally:
        teardown_test_environment()
    assert not in_test_environment()


def test_outside_tests_the_view_keeps_its_connection(redis_server):
    health = Health().redis_check(redis_server.url)
    view = django_health_view(health)
    request = RequestFactory().get("/health/")
    assert view(request).status_code == 200
    kept = redis_clients(redis_server)
    assert len(kept) == 1
    for _ in range(3):
        assert view(request).status_code == 200
    assert redis_clients(redis_server) == kept
    health.close()


def test_under_the_test_environment_the_view_closes_after_each_response(
    redis_server, test_environment
):
    health = Health().redis_check(redis_server.url)
    view = django_health_view(health)
    request = RequestFactory().get("/health/")
    for _ in range(2):
        assert view(request).status_code == 200  # checked: connected, then closed
        assert settled(lambda: redis_clients(redis_server)) == set()
