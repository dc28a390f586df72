"""What code written against healthcheckx 1.2.0 spells differently from the README: its module
paths, its factories, and the call forms its broken adapters forced on users. Each still works,
with a DeprecationWarning naming the current spelling where the spelling is deprecated."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import warnings

import flask
import healthcheckx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from healthcheckx import CheckResult, FastAPIAdapter, Health, HealthStatus, flask_health_endpoint
from legacy import DJANGO_SETUP, FRAMEWORKS, result, run_code

# ------------------------------------------------------------------------ module paths

# The warnings of this package among those `caught` (importing a framework may add its own).
OURS = (
    "[w for w in caught if any(name in str(w.message) for name in "
    "('healthcheckx', 'django_health_view', 'flask_health_endpoint', 'FastAPIAdapter'))]"
)

MOVED = {
    "healthcheckx.core": (
        ["Health", "overall_status", "HealthCheck", "CheckResult", "HealthStatus"],
        "import Health, overall_status and HealthCheck from healthcheckx",
    ),
    "healthcheckx.result": (
        ["CheckResult", "HealthStatus"],
        "import CheckResult and HealthStatus from healthcheckx",
    ),
    "healthcheckx.adapters.django": (
        ["django_health_view", "overall_status"],
        "import django_health_view from healthcheckx",
    ),
    "healthcheckx.adapters.fastapi": (
        ["FastAPIAdapter", "overall_status"],
        "import FastAPIAdapter from healthcheckx",
    ),
    "healthcheckx.adapters.flask": (
        ["flask_health_endpoint", "overall_status"],
        "import flask_health_endpoint from healthcheckx",
    ),
}


@pytest.mark.parametrize("module", MOVED)
def test_a_1_2_module_path_reexports_the_same_objects_with_a_deprecation_warning(module):
    names, spelling = MOVED[module]
    framework = module.rsplit(".", 1)[1]
    hidden = [f for f in FRAMEWORKS if f != framework]
    seen = run_code(
        "import healthcheckx\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        f"    from {module} import {', '.join(names)}\n"
        f"same = [{', '.join(names)}] == [getattr(healthcheckx, n) for n in {names!r}]\n"
        + result(f"[same, [[w.category.__name__, str(w.message), w.filename] for w in {OURS}]]"),
        hidden=hidden,
    )
    assert seen == [
        True,
        [["DeprecationWarning", f"{module} is deprecated: {spelling}", "<string>"]],
    ]


def test_the_warning_shows_under_python_default_filters():
    # Python shows a DeprecationWarning by default only when it is attributed to __main__: the
    # warning must name the line that imported the old path, not the import machinery.
    completed = subprocess.run(
        [sys.executable, "-c", "import healthcheckx.result"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert "<string>:1: DeprecationWarning: healthcheckx.result is deprecated" in completed.stderr


def test_exceptions_module_exists_and_is_empty_as_in_1_2():
    seen = run_code(
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    import healthcheckx.exceptions as exceptions\n"
        + result("[exceptions.__all__, [str(w.message) for w in caught]]")
    )
    assert seen == [
        [],
        [
            "healthcheckx.exceptions is deprecated: "
            "it defines nothing; bad configuration raises ValueError"
        ],
    ]


def test_disk_check_function_returns_a_check_result():
    seen = run_code(
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    from healthcheckx.check import disk_check\n"
        "everything, nothing = disk_check(min_free_percent=0), disk_check(min_free_percent=100)\n"
        + result(
            "[type(everything).__name__, everything.name, everything.status.value, "
            "everything.message, nothing.status.value, bool(nothing.message), "
            "[str(w.message) for w in caught]]"
        )
    )
    assert seen == [
        "CheckResult",
        "disk",
        "healthy",
        None,
        "unhealthy",
        True,
        ["healthcheckx.check is deprecated: use Health().disk_check(path, min_free_percent)"],
    ]


# --------------------------------------------------------------------------- factories

FACTORIES = {
    "cache.redis": ("redis://127.0.0.1:{port}/0",),
    "cache.keydb": ("keydb://127.0.0.1:{port}",),
    "cache.memcached": ("127.0.0.1", "{port}"),
    "messageQueue.rabbitmq": ("amqp://guest:guest@127.0.0.1:{port}/%2F",),
    "messageQueue.kafka": ("127.0.0.1:{port}",),
    "messageQueue.activemq": ("stomp://127.0.0.1:{port}",),
    "nosqlDB.mongodb": ("mongodb://127.0.0.1:{port}",),
    "relationalDB.postgresql": ("postgresql://app:secret@127.0.0.1:{port}/app",),
    "relationalDB.mysql": ("mysql://app:secret@127.0.0.1:{port}/app",),
    "relationalDB.sqlite": ("/nonexistent/{port}.db",),
    "relationalDB.oracle": ("oracle://app:secret@127.0.0.1:{port}/XE",),
    "relationalDB.mssql": ("mssql://app:secret@127.0.0.1:{port}/master",),
}


@pytest.mark.parametrize("family_service", FACTORIES)
def test_every_1_2_factory_returns_a_check_of_the_same_service(family_service, closed_port):
    family, service = family_service.split(".")
    module = f"healthcheckx.checks.{family}.{service}_check"
    arguments = [a.format(port=closed_port) for a in FACTORIES[family_service]]
    if service == "memcached":
        arguments[1] = int(arguments[1])
    code = (
        "import healthcheckx\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        f"    from {module} import create_{service}_check\n"
        f"check = create_{service}_check(*{arguments!r}, timeout=1)\n"
        "direct = check()\n"
        "[registered] = healthcheckx.Health().register(check).run()\n"
        + result(
            "[[r.name, r.status.value, bool(r.message), r.error == r.message] "
            "for r in (direct, registered)] + [[str(w.message) for w in caught]]"
        )
    )
    direct, registered, caught = run_code(code)
    assert direct == registered == [service, "unhealthy", True, True]
    assert caught == [f"{module} is deprecated: use Health().{service}_check(...)"]


def test_a_factory_check_against_a_live_service(services):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from healthcheckx.checks.cache.redis_check import create_redis_check
        from healthcheckx.checks.relationalDB.postgresql_check import create_postgresql_check
    health = Health()
    health.register(create_redis_check(services["HCX_REDIS_URL"], 2, "cache"))
    health.register(create_postgresql_check(services["HCX_POSTGRES_URL"]))
    assert [(r.name, r.status, r.message) for r in health.run()] == [
        ("cache", HealthStatus.healthy, None),
        ("postgresql", HealthStatus.healthy, None),
    ]


# ------------------------------------------------------- without any web framework


def test_star_import_without_any_framework_gives_false_adapters_that_name_the_extra():
    seen = run_code(
        "from healthcheckx import *\n"
        "adapters = [FastAPIAdapter, flask_health_endpoint, django_health_view]\n"
        "errors = []\n"
        "for adapter in adapters:\n"
        "    try:\n"
        "        adapter(Health())\n"
        "    except ImportError as exc:\n"
        "        errors.append(str(exc))\n"
        + result("[[bool(a) for a in adapters], errors, Health().run()]")
    )
    assert seen == [
        [False, False, False],
        [
            "FastAPIAdapter needs FastAPI: pip install 'healthcheckx[fastapi]'",
            "flask_health_endpoint needs Flask: pip install 'healthcheckx[flask]'",
            "django_health_view needs Django: pip install 'healthcheckx[django]'",
        ],
        [],
    ]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_star_import_with_one_framework_gives_its_adapter(framework):
    seen = run_code(
        "from healthcheckx import *\n"
        + result("[bool(FastAPIAdapter), bool(flask_health_endpoint), bool(django_health_view)]"),
        hidden=[f for f in FRAMEWORKS if f != framework],
    )
    assert seen == [framework == "fastapi", framework == "flask", framework == "django"]


# ----------------------------------------------------------- custom checks: `error`


def failing(message=None, error=None, name="billing"):
    return lambda: CheckResult(name, HealthStatus.unhealthy, message=message, error=error)


@pytest.mark.parametrize("runner", ["run", "arun"])
def test_a_custom_check_keeps_the_error_it_gives_beside_its_message(runner):
    health = (
        Health()
        .register(failing("API returned 500", "HTTPError: 500 Server Error"))
        .register(failing(error="Connection refused", name="ledger"))
        .register(failing("queue full", name="queue"))
        .register(lambda: CheckResult("fine", HealthStatus.healthy, message="all good"))
    )
    results = health.run() if runner == "run" else asyncio.run(health.arun())
    assert [(r.name, r.status.value, r.message, r.error) for r in results] == [
        ("billing", "unhealthy", "API returned 500", "HTTPError: 500 Server Error"),
        ("ledger", "unhealthy", "Connection refused", "Connection refused"),
        ("queue", "unhealthy", "queue full", "queue full"),
        ("fine", "healthy", None, None),  # healthy results carry no message
    ]


def test_the_error_follows_the_latest_result_of_the_check():
    answers = iter([("timeout", "ReadTimeout after 2s"), ("timeout", None)])

    def flaky():
        message, error = next(answers)
        return CheckResult("api", HealthStatus.degraded, message=message, error=error)

    health = Health().register(flaky)
    assert [(r.message, r.error) for r in health.run()] == [("timeout", "ReadTimeout after 2s")]
    assert [(r.message, r.error) for r in health.run()] == [("timeout", "timeout")]


# ------------------------------------------------ the call forms 1.2's adapters forced


def redis_health(services, closed_port, alive):
    url = services["HCX_REDIS_URL"] if alive else f"redis://127.0.0.1:{closed_port}"
    return Health().redis_check(url)


def assert_redis_body(body, alive):
    assert body["status"] == ("healthy" if alive else "unhealthy")
    assert [c["name"] for c in body["checks"]] == ["redis"]


@pytest.mark.parametrize("alive", [True, False])
def test_django_view_called_with_the_request_first(services, closed_port, alive):
    url = services["HCX_REDIS_URL"] if alive else f"redis://127.0.0.1:{closed_port}"
    seen = run_code(
        "from django.urls import path\n"
        "from healthcheckx import Health, django_health_view\n"
        f"health = Health().redis_check({url!r})\n"
        'urlpatterns = [path("health/", lambda r: django_health_view(r, health))]\n'
        + DJANGO_SETUP
        + "from django.test import Client\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    response = Client().get('/health/')\n"
        "post = Client().post('/health/')\n"
        + result(
            "[response.status_code, response['Cache-Control'], response.json(), "
            f"post.status_code, [str(w.message) for w in {OURS}]]"
        ),
        hidden=["fastapi", "flask"],
    )
    code, cache_control, body, post_code, caught = seen
    assert (code, cache_control, post_code) == (200 if alive else 503, "no-store", 405)
    assert_redis_body(body, alive)
    assert caught == [
        "django_health_view(request, health) is deprecated: route django_health_view(health) "
        "itself, or return django_health_view(health)(request)"
    ]


def test_django_view_with_something_else_than_a_request_is_a_type_error():
    with pytest.raises(TypeError, match="takes a Health"):
        healthcheckx.django_health_view(Health(), Health())  # type: ignore[call-overload]


@pytest.mark.parametrize("alive", [True, False])
def test_flask_view_returning_the_endpoint(services, closed_port, alive):
    health = redis_health(services, closed_port, alive)
    app = flask.Flask(__name__)
    app.route("/health")(lambda: flask_health_endpoint(health))
    with pytest.warns(DeprecationWarning, match="returning flask_health_endpoint"):
        response = app.test_client().get("/health")
    assert response.status_code == (200 if alive else 503)
    assert response.headers["Cache-Control"] == "no-store"
    assert_redis_body(json.loads(response.get_data()), alive)


@pytest.mark.parametrize("alive", [True, False])
def test_fastapi_endpoint_unpacked_into_body_and_status(services, closed_port, alive):
    adapter = FastAPIAdapter(redis_health(services, closed_port, alive))
    app = FastAPI()

    @app.get("/health")
    async def health_endpoint():
        body, code = await adapter.endpoint()
        return JSONResponse(body, status_code=code)

    with pytest.warns(DeprecationWarning, match="instead of unpacking it"):
        response = TestClient(app).get("/health")
    assert response.status_code == (200 if alive else 503)
    assert_redis_body(response.json(), alive)


# -------------------------------------------------------------------------- liveness


def test_one_liveness_body_for_every_adapter():
    client = TestClient(FastAPI())
    client.app.include_router(FastAPIAdapter(Health().redis_check("redis://db")).router())
    fastapi_body = client.get("/healthz").json()
    django_body = run_code(
        DJANGO_SETUP + "from django.test import RequestFactory\n"
        "from healthcheckx.contrib.django.views import liveness\n"
        + result("json.loads(liveness(RequestFactory().get('/healthz/')).content)"),
        hidden=["fastapi", "flask"],
    )
    assert fastapi_body == django_body == {"status": "ok"}
    schema = client.app.openapi()["paths"]["/healthz"]["get"]["responses"]["200"]
    assert schema["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LivenessReport"
    }
