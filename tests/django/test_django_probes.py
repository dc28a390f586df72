"""Probes that get through a production Django: `ProbeMiddleware` answers the probe paths before
host validation, the HTTPS redirect and the login middleware (and nothing else), the views are
exempt from `LoginRequiredMiddleware`, `manage.py check` warns when a probe would be turned
away, and `HEALTHCHECKX["DEADLINE"]` answers before the probe gives up.

The production project (testproject.production) is served by gunicorn and asked over plain
HTTP with the pod's IP as `Host`, as the kubelet does."""

from __future__ import annotations

import asyncio
import http.client
import json
import sys
import time
from typing import Dict, Optional, Tuple

import django
import pytest
import servers
from appservers import AppServer
from django.core.checks import run_checks
from django.test import AsyncClient, Client, override_settings
from djangotest import HERE
from healthcheckx import Health
from healthcheckx.contrib.django import conf
from healthcheckx.contrib.django.middleware import probe_paths

POD = "10.1.2.3:8000"
PUBLIC = "app.example.com"
HTTPS = {"X-Forwarded-Proto": "https"}
PROBE_MIDDLEWARE = "healthcheckx.contrib.django.middleware.ProbeMiddleware"
SECURITY = "django.middleware.security.SecurityMiddleware"
DJANGO_LOGIN = "django.contrib.auth.middleware.LoginRequiredMiddleware"
LOGIN_WALL = "testproject.loginwall.LoginWallMiddleware"
HAS_LOGIN_REQUIRED = django.VERSION >= (5, 1)
# The test project's middleware, without ProbeMiddleware.
PLAIN_MIDDLEWARE = [
    SECURITY,
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
# The app's metrics/ counts as a probe path: Prometheus scrapes the pod's IP, over plain HTTP.
TEST_PROJECT_PROBES = [
    "/failing/",
    "/health/",
    "/healthz/",
    "/metrics/",
    "/ready-only/",
    "/ready/",
    "/startup/",
]

Answer = Tuple[int, Dict[str, str], bytes]


def ask(
    server: AppServer,
    method: str,
    path: str,
    host: str = POD,
    headers: Optional[Dict[str, str]] = None,
) -> Answer:
    """One plain-HTTP request on its own connection with this `Host`."""
    connection = http.client.HTTPConnection(servers.LOOPBACK, server.port, timeout=30)
    try:
        connection.request(method, path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def production_gunicorn(project_env: dict, **env: str) -> AppServer:
    """The production settings on gunicorn (one sync worker, so that one process answers)."""
    port = servers.free_port()
    argv = [sys.executable, "-m", "gunicorn", "--chdir", str(HERE), "--workers", "1"]
    argv += ["--bind", f"{servers.LOOPBACK}:{port}", "--log-level", "warning"]
    argv += ["django.core.wsgi:get_wsgi_application()"]
    settings = {"DJANGO_SETTINGS_MODULE": "testproject.production"}
    return AppServer("gunicorn", argv, {**project_env, **settings, **env}, port)


def from_us(answer: Answer) -> dict:
    """The health body of an answer of healthcheckx (not a page of Django's)."""
    status, headers, body = answer
    assert headers["Cache-Control"] == "no-store", answer
    assert headers["Content-Type"] == "application/json", answer
    return json.loads(body)


@pytest.fixture(scope="module")
def production(project_env):
    with production_gunicorn(project_env) as server:
        yield server


# ------------------------------------------------------------------ gunicorn


def test_probes_with_the_pods_ip_over_plain_http_get_our_answer(production):
    assert from_us(ask(production, "GET", "/healthz/")) == {"status": "ok"}
    for path in ("/ready/", "/health/", "/startup/", "/ready/?full=1"):
        answer = ask(production, "GET", path)
        assert answer[0] == 200, answer
        assert from_us(answer)["status"] == "healthy"
    assert [c["name"] for c in from_us(ask(production, "GET", "/ready/"))["checks"]] == [
        "redis",
        "database",
        "django-db",
        "django-cache",
    ]
    status, headers, body = ask(production, "HEAD", "/health/")
    assert (status, headers["Cache-Control"]) == (200, "no-store")
    # Views made by django_health_view() are probes too: 200, and 503 with the cause.
    assert ask(production, "GET", "/ready-only/")[0] == 200
    failing = ask(production, "GET", "/failing/")
    assert failing[0] == 503
    assert from_us(failing)["checks"][0]["message"] == "Connection refused"


def test_everything_else_still_meets_django(production):
    # The pod's IP as Host: 400 for any other path, and for a probe path with another method.
    for method, path in [
        ("GET", "/ping/"),
        ("GET", "/wrapped/"),  # a view of the project's that calls the adapter
        ("GET", "/healthz"),
        ("GET", "/health/custom/"),
        ("GET", "/HEALTH/"),
        ("POST", "/health/"),
        ("PUT", "/ready/"),
        ("OPTIONS", "/healthz/"),
    ]:
        status, headers, body = ask(production, method, path)
        assert status == 400, (method, path, status, body)
        assert "Cache-Control" not in headers
    # The public host over plain HTTP: 301 to https.
    for method, path in [("GET", "/ping/"), ("POST", "/health/")]:
        status, headers, _ = ask(production, method, path, host=PUBLIC)
        assert (status, headers["Location"]) == (301, f"https://{PUBLIC}{path}")
    # The public host over HTTPS, anonymous: 302 to the login page.
    status, headers, _ = ask(production, "GET", "/ping/", host=PUBLIC, headers=HTTPS)
    assert status == 302
    assert headers["Location"].startswith("/login/?next=")


def test_a_silent_service_answers_503_before_a_one_second_probe_gives_up(project_env):
    pit = servers.Tarpit()
    env = {"HCX_DJANGO_HEALTH": "testproject.health.stuck", "HCX_DJANGO_TARPIT_PORT": str(pit.port)}
    try:
        with production_gunicorn(project_env, **env) as server:
            assert ask(server, "GET", "/healthz/")[0] == 200  # the URLconf is loaded
            for path in ("/health/", "/ready/", "/startup/", "/health/"):
                started = time.monotonic()
                answer = ask(server, "GET", path)
                elapsed = time.monotonic() - started
                assert answer[0] == 503, answer
                # The check's own timeout is 2 s; the app's default DEADLINE is 0.8 s.
                assert from_us(answer)["checks"] == [
                    {
                        "name": "stuck",
                        "status": "unhealthy",
                        "duration_ms": pytest.approx(800, abs=100),
                        "message": "timed out after 0.8s",
                    }
                ]
                assert 0.8 <= elapsed < 0.9, (path, elapsed)
    finally:
        pit.close()


# ---------------------------------------------------------------- in process


def pod_client() -> Client:
    return Client(HTTP_HOST=POD, raise_request_exception=False)


def test_probe_paths_are_read_from_the_urlconf_with_their_prefixes():
    assert sorted(probe_paths()) == TEST_PROJECT_PROBES
    with override_settings(ROOT_URLCONF="testproject.prefixed_urls"):
        assert sorted(probe_paths()) == [
            # /ops/health/ is routed to another view first; <slug:tenant>/ takes a parameter;
            # /wrapped/ is a view of the project's own.
            "/legacy/v1.0/health/",
            "/legacy/v1.0/healthz/",
            "/legacy/v1.0/metrics/",
            "/legacy/v1.0/ready/",
            "/legacy/v1.0/startup/",
            "/ops/healthz/",
            "/ops/metrics/",
            "/ops/ready/",
            "/ops/startup/",
            "/ready-only/",
        ]
        with override_settings(ALLOWED_HOSTS=[PUBLIC], SECURE_SSL_REDIRECT=True):
            client = pod_client()
            assert client.get("/ops/healthz/").json() == {"status": "ok"}
            assert client.head("/legacy/v1.0/ready/").status_code == 200
            for path in ("/ops/health/", "/healthz/", "/tenant/healthz/", "/wrapped/"):
                assert client.get(path).status_code == 400, path
    assert sorted(probe_paths()) == TEST_PROJECT_PROBES


def test_the_middleware_answers_on_the_event_loop_too():
    async def main():
        client = AsyncClient(headers={"host": POD}, raise_request_exception=False)
        return [(await client.get(path)).status_code for path in ("/healthz/", "/ready/", "/ping/")]

    with override_settings(ALLOWED_HOSTS=[PUBLIC], SECURE_SSL_REDIRECT=True):
        assert asyncio.run(main()) == [200, 200, 400]


def test_without_the_middleware_the_walls_stand():
    with override_settings(
        MIDDLEWARE=PLAIN_MIDDLEWARE, ALLOWED_HOSTS=[PUBLIC], SECURE_SSL_REDIRECT=True
    ):
        assert pod_client().get("/healthz/").status_code == 400
        response = Client(HTTP_HOST=PUBLIC).get("/healthz/")
        assert (response.status_code, response["Location"]) == (301, f"https://{PUBLIC}/healthz/")


@pytest.mark.skipif(not HAS_LOGIN_REQUIRED, reason="LoginRequiredMiddleware is Django 5.1+")
def test_the_views_are_exempt_from_login_required_middleware():
    with override_settings(MIDDLEWARE=[*PLAIN_MIDDLEWARE, DJANGO_LOGIN], LOGIN_URL="/login/"):
        client = Client()
        for path in ("/healthz/", "/ready/", "/health/", "/startup/", "/ready-only/"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["Cache-Control"] == "no-store"
        assert client.get("/failing/").status_code == 503
        # Other views are not: the middleware is at work.
        for path in ("/ping/", "/wrapped/"):
            response = client.get(path)
            assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")


def test_the_views_are_csrf_exempt():
    client = Client(enforce_csrf_checks=True)
    with override_settings(MIDDLEWARE=PLAIN_MIDDLEWARE):
        assert client.post("/ready/").status_code == 405  # not 403: the view answers
        assert client.post("/wrapped/").status_code == 405
        assert client.post("/ping/").status_code == 403


# ------------------------------------------------------------ system checks


def probe_warnings() -> list:
    return [
        (m.id, m.msg)
        for m in run_checks(tags=["healthcheckx"])
        if m.id and m.id.startswith("healthcheckx.W")
    ]


def ids(**settings) -> list:
    with override_settings(**settings):
        return [check_id for check_id, _ in probe_warnings()]


def test_check_warns_for_each_wall_without_the_middleware():
    production = dict(ALLOWED_HOSTS=[PUBLIC], SECURE_SSL_REDIRECT=True, DEBUG=False)
    with override_settings(MIDDLEWARE=[*PLAIN_MIDDLEWARE, LOGIN_WALL], **production):
        warnings = dict(probe_warnings())
    assert sorted(warnings) == ["healthcheckx.W002", "healthcheckx.W003", "healthcheckx.W004"]
    listed = ", ".join(TEST_PROJECT_PROBES)
    assert warnings["healthcheckx.W002"] == (
        f"Probes of {listed} that send the pod's IP as Host (as Kubernetes does) are answered "
        "400 (DisallowedHost): ALLOWED_HOSTS does not list it."
    )
    assert warnings["healthcheckx.W003"] == (
        f"Plain-HTTP probes of {listed} are answered 301 to https: SECURE_SSL_REDIRECT is on."
    )
    assert warnings["healthcheckx.W004"] == (
        f"Probes of {listed} may be sent to the login page by {LOGIN_WALL}, unless it honours "
        "login_not_required."
    )
    with override_settings(MIDDLEWARE=[*PLAIN_MIDDLEWARE, LOGIN_WALL], **production):
        hints = {m.id: m.hint for m in run_checks(tags=["healthcheckx"])}
    assert PROBE_MIDDLEWARE in hints["healthcheckx.W002"]


def test_check_is_quiet_when_nothing_turns_a_probe_away():
    assert (
        ids(MIDDLEWARE=[PROBE_MIDDLEWARE, *PLAIN_MIDDLEWARE, LOGIN_WALL], SECURE_SSL_REDIRECT=True)
        == []
    )
    plain = dict(MIDDLEWARE=PLAIN_MIDDLEWARE, SECURE_SSL_REDIRECT=False)
    assert ids(ALLOWED_HOSTS=["*"], **plain) == []
    assert ids(DEBUG=True, **plain) == []  # Django's development hosts: settings for later
    assert ids(ALLOWED_HOSTS=[PUBLIC], **plain) == ["healthcheckx.W002"]
    # Every probe path exempt from the redirect, or no SecurityMiddleware to redirect.
    exempt = [r"^(health|healthz|ready|startup|ready-only|failing|metrics)/$"]
    everywhere = dict(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=True)
    assert ids(MIDDLEWARE=PLAIN_MIDDLEWARE, SECURE_REDIRECT_EXEMPT=exempt, **everywhere) == []
    assert ids(MIDDLEWARE=PLAIN_MIDDLEWARE[1:], **everywhere) == []
    with override_settings(
        MIDDLEWARE=PLAIN_MIDDLEWARE, SECURE_REDIRECT_EXEMPT=[r"^health"], **everywhere
    ):
        assert probe_warnings() == [
            (
                "healthcheckx.W003",
                "Plain-HTTP probes of /failing/, /metrics/, /ready-only/, /ready/, /startup/ are "
                "answered 301 to https: SECURE_SSL_REDIRECT is on.",
            )
        ]
    # Django's LoginRequiredMiddleware honours the views' login_not_required.
    assert ids(MIDDLEWARE=[*PLAIN_MIDDLEWARE, DJANGO_LOGIN], ALLOWED_HOSTS=["*"]) == []
    # No probe path routed: nothing to warn about.
    assert ids(ROOT_URLCONF="testproject.plain_urls", ALLOWED_HOSTS=[PUBLIC]) == []


def test_check_warns_when_the_middleware_comes_too_late():
    late = [SECURITY, PROBE_MIDDLEWARE, *PLAIN_MIDDLEWARE[1:], LOGIN_WALL]
    with override_settings(MIDDLEWARE=late, ALLOWED_HOSTS=[PUBLIC]):
        assert [m[0] for m in probe_warnings()] == ["healthcheckx.W005"]
        assert probe_warnings()[0][1].startswith(f"ProbeMiddleware comes after {SECURITY}, ")
    assert ids(MIDDLEWARE=["django.middleware.gzip.GZipMiddleware", PROBE_MIDDLEWARE]) == []


# ------------------------------------------------------------------ deadline


def test_deadline_setting_defaults_below_a_one_second_probe_and_is_validated():
    assert conf.deadline() == 0.8
    with override_settings(HEALTHCHECKX={"DEADLINE": None}):
        assert conf.deadline() is None
    with override_settings(HEALTHCHECKX={"DEADLINE": 2}):
        assert conf.deadline() == 2.0
    for bad in (0, -1, "0.8", True, float("nan")):
        with override_settings(
            HEALTHCHECKX={"HEALTH": "testproject.health.health", "DEADLINE": bad}
        ):
            errors = [
                (m.id, m.msg) for m in run_checks(tags=["healthcheckx"]) if m.id.endswith("E006")
            ]
        message = f"must be a positive number of seconds or None, not {bad!r}"
        assert errors == [("healthcheckx.E006", f"HEALTHCHECKX['DEADLINE'] {message}")], bad


def test_the_app_views_run_within_the_deadline_setting(monkeypatch, tarpit, project_health):
    stuck = Health().redis_check(f"redis://127.0.0.1:{tarpit}/0", timeout=5, name="stuck")
    monkeypatch.setattr(project_health, "stuck_now", stuck, raising=False)
    for deadline in (0.3, 1.2):
        setting = {"HEALTH": "testproject.health.stuck_now", "DEADLINE": deadline}
        with override_settings(HEALTHCHECKX=setting):
            started = time.monotonic()
            response = Client().get("/ready/")
            elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert response.json()["checks"][0]["message"] == f"timed out after {deadline}s"
        assert deadline <= elapsed < deadline + 0.15
