"""`django_health_view` and the app's views, in this process through Django's test clients
(WSGI-style `Client`, ASGI-style `AsyncClient`), against the real servers."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
from django.test import AsyncClient, Client, RequestFactory, override_settings
from django.urls import reverse
from healthcheckx import Health, django_health_view
from healthcheckx.contrib.django import conf


def assert_health_response(response, status: int, expected: dict) -> dict:
    """The contract's answer: status code, JSON body, no-store; `expected` maps check name to
    (status, message)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert list(body) == ["status", "checks"]
    got = {c["name"]: (c["status"], c.get("message")) for c in body["checks"]}
    assert got == expected
    for check in body["checks"]:
        assert list(check) == (
            ["name", "status", "message", "duration_ms"]
            if "message" in check
            else ["name", "status", "duration_ms"]
        )
        assert isinstance(check["duration_ms"], float)
    return body


HEALTHY = {
    "redis": ("healthy", None),
    "database": ("healthy", None),
    "django-db": ("healthy", None),
    "django-cache": ("healthy", None),
}


def test_app_urls_have_the_kubernetes_names():
    assert reverse("health") == "/health/"
    assert reverse("liveness") == "/healthz/"
    assert reverse("readiness") == "/ready/"
    assert reverse("startup") == "/startup/"


@pytest.mark.parametrize("path", ["/health/", "/ready/", "/startup/"])
def test_app_views_run_the_configured_health(path):
    body = assert_health_response(Client().get(path), 200, HEALTHY)
    assert body["status"] == "healthy"


def test_liveness_answers_without_touching_any_service():
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.failing"}):
        response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_unhealthy_is_503_with_the_failing_check_and_its_message():
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.failing"}):
        response = Client().get("/health/")
    body = assert_health_response(
        response,
        503,
        {"redis": ("unhealthy", "Connection refused"), "database": ("healthy", None)},
    )
    assert body["status"] == "unhealthy"


def test_degraded_is_200():
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.degraded"}):
        response = Client().get("/health/")
    body = assert_health_response(
        response,
        200,
        {"redis": ("degraded", "Connection refused"), "database": ("healthy", None)},
    )
    assert body["status"] == "degraded"


def test_tags_settings_select_the_checks_of_each_probe():
    tags = {
        "HEALTH": "testproject.health.health",
        "READY_TAGS": ["ready"],
        "STARTUP_TAGS": "startup",
    }
    with override_settings(HEALTHCHECKX=tags):
        client = Client()
        ready = client.get("/ready/").json()["checks"]
        startup = client.get("/startup/").json()["checks"]
        everything = client.get("/health/").json()["checks"]
    assert [c["name"] for c in ready] == ["redis", "database"]
    assert [c["name"] for c in startup] == ["django-db", "django-cache"]
    assert len(everything) == 4


def test_view_with_tags_runs_only_those_checks():
    body = Client().get("/ready-only/").json()
    assert [c["name"] for c in body["checks"]] == ["redis", "database"]


def test_head_answers_the_status_and_headers():
    client = Client()
    response = client.head("/health/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.content == b""
    assert client.head("/failing/").status_code == 503


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_are_not_allowed(method):
    response = getattr(Client(), method)("/health/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/health/", "/failing/", "/wrapped/"])
def test_csrf_never_rejects_a_probe(path):
    """With CSRF enforced, a POST without a token reaches the view (405), it is not a 403."""
    client = Client(enforce_csrf_checks=True)
    assert client.post(path).status_code == 405
    assert client.get(path).status_code in (200, 503)


def test_guides_csrf_exempt_wrapper_and_async_wrapper():
    assert_health_response(Client().get("/wrapped/"), 200, HEALTHY)
    assert_health_response(Client().get("/wrapped-async/"), 200, HEALTHY)


def test_async_client_gets_the_same_answers():
    async def requests():
        client = AsyncClient()
        return (
            await client.get("/health/"),
            await client.get("/failing/"),
            await client.head("/health/"),
            await client.post("/health/"),
            await client.get("/healthz/"),
            await client.get("/wrapped/"),
        )

    health, failing, head, post, liveness, wrapped = asyncio.run(requests())
    assert_health_response(health, 200, HEALTHY)
    assert_health_response(
        failing,
        503,
        {"redis": ("unhealthy", "Connection refused"), "database": ("healthy", None)},
    )
    assert head.status_code == 200 and head["Cache-Control"] == "no-store"
    assert post.status_code == 405
    assert liveness.status_code == 200 and liveness.json() == {"status": "ok"}
    assert_health_response(wrapped, 200, HEALTHY)


class Recording(Health):
    """A Health that records which of `run` / `arun` served a request, and in which thread."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list = []

    def report(self, tags=None, *, deadline=None):
        # The synchronous path: the views render the report of this run.
        self.calls.append(("run", threading.current_thread().name))
        return super().report(tags, deadline=deadline)

    async def areport(self, tags=None, *, deadline=None):
        self.calls.append(("arun", threading.current_thread().name))
        return await super().areport(tags, deadline=deadline)


def test_view_is_sync_for_wsgi_and_awaits_arun_under_asgi(monkeypatch, project_health):
    recording = Recording().postgresql_check(os.environ["HCX_PG_AUTH_URL"])
    monkeypatch.setattr(project_health, "recording", recording, raising=False)
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.recording"}):
        assert Client().get("/health/").status_code == 200
        assert recording.calls == [("run", threading.current_thread().name)]
        recording.calls.clear()

        async def asgi_request():
            loop_thread = threading.current_thread().name
            return loop_thread, await AsyncClient().get("/health/")

        loop_thread, response = asyncio.run(asgi_request())
    assert response.status_code == 200
    # Awaited on the event loop's own thread: no thread was taken for the request.
    assert recording.calls == [("arun", loop_thread)]


def test_view_called_directly_returns_a_response_or_a_coroutine(project_health):
    view = django_health_view(project_health.health)
    request = RequestFactory().get("/anywhere/")
    response = view(request)
    assert response.status_code == 200

    async def on_loop():
        result = view(request)
        assert asyncio.iscoroutine(result)
        return await result

    assert asyncio.run(on_loop()).status_code == 200


def test_view_is_marked_non_atomic_and_csrf_exempt(project_health):
    view = django_health_view(project_health.health)
    assert view.csrf_exempt is True
    assert view._non_atomic_requests == {"default", "sqlite"}


def test_atomic_requests_do_not_wrap_the_probe():
    """With ATOMIC_REQUESTS the probe still answers, under both handlers."""
    from django.db import connections

    for alias in connections:
        connections.settings[alias]["ATOMIC_REQUESTS"] = True
    try:
        assert Client().get("/health/").status_code == 200
        assert asyncio.run(AsyncClient().get("/health/")).status_code == 200
    finally:
        for alias in connections:
            connections.settings[alias]["ATOMIC_REQUESTS"] = False


def test_django_health_view_rejects_what_is_not_a_health():
    with pytest.raises(TypeError, match="expects a Health"):
        django_health_view(None)  # type: ignore[arg-type]


def test_app_builds_the_health_once_and_again_after_a_settings_change(project_health):
    first = conf.get_health()
    assert conf.get_health() is first is project_health.health
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.factory"}):
        built = conf.get_health()
        assert built is conf.get_health()
        assert built.names == ["from-factory"]
    assert conf.get_health() is project_health.health


def test_without_health_setting_the_app_checks_databases_and_caches():
    with override_settings(HEALTHCHECKX={}):
        body = Client().get("/health/").json()
    assert {c["name"]: c["status"] for c in body["checks"]} == {
        "database": "healthy",
        "database-sqlite": "healthy",
        "cache": "healthy",
    }
