"""FastAPI: examples/fastapi_app served by uvicorn against the real Redis and PostgreSQL, the
adapter's forms under Starlette's TestClient, the router and its OpenAPI schema, and the
ImportError when FastAPI is missing."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import servers
from appservers import (
    EXAMPLE_HEALTHY,
    assert_simultaneous,
    load_example,
    readme_snippet,
    strip_durations,
    uvicorn_example,
    without_frameworks,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from healthcheckx import CheckResult, FastAPIAdapter, Health

PROBES = ("/health", "/ready", "/startup", "/status")


@pytest.fixture(scope="module")
def example_env(redis_server, services) -> dict:
    return {"REDIS_URL": redis_server.url, "DATABASE_URL": services["HCX_POSTGRES_URL"]}


@pytest.fixture(scope="module")
def uvicorn_server(example_env):
    with uvicorn_example(example_env) as server:
        yield server


# ----------------------------------------------------------- uvicorn, real HTTP


def test_uvicorn_answers_200_with_the_body_when_every_dependency_answers(uvicorn_server):
    with httpx.Client(base_url=uvicorn_server.url, timeout=10) as client:
        for path in PROBES:
            response = client.get(path)
            assert response.status_code == 200, (path, response.text)
            assert response.headers["content-type"] == "application/json"
            assert response.headers["cache-control"] == "no-store"
            assert strip_durations(response.json()) == EXAMPLE_HEALTHY, path
        assert client.get("/status").headers["x-service"] == "example"
        liveness = client.get("/healthz")
        assert (liveness.status_code, liveness.json()) == (200, {"status": "ok"})


def test_uvicorn_answers_503_with_the_message_while_redis_is_down(uvicorn_server, redis_server):
    redis_server.stop()
    with httpx.Client(base_url=uvicorn_server.url, timeout=10) as client:
        for path in PROBES:
            response = client.get(path)
            assert response.status_code == 503, (path, response.text)
            assert response.headers["cache-control"] == "no-store"
            assert strip_durations(response.json()) == {
                "status": "unhealthy",
                "checks": [
                    {"name": "redis", "status": "unhealthy", "message": "Connection refused"},
                    {"name": "database", "status": "healthy"},
                ],
            }, path
        assert client.get("/healthz").status_code == 200  # liveness touches no service
        redis_server.start()
        assert client.get("/health").status_code == 200


def test_uvicorn_serves_head_with_the_status_and_no_body(uvicorn_server, redis_server):
    with httpx.Client(base_url=uvicorn_server.url, timeout=10) as client:
        for path in ("/health", "/ready", "/startup", "/healthz"):
            response = client.head(path)
            assert (response.status_code, response.content) == (200, b""), path
            assert response.headers["cache-control"] == "no-store"
        redis_server.stop()
        assert client.head("/health").status_code == 503
        assert client.post("/health").status_code == 405


@pytest.fixture(scope="module")
def hung_redis_server(services):
    """The example on one uvicorn worker, its Redis a tarpit: every run waits out the 2 s."""
    pit = servers.Tarpit()
    env = {
        "REDIS_URL": f"redis://127.0.0.1:{pit.port}/0",
        "DATABASE_URL": services["HCX_POSTGRES_URL"],
    }
    try:
        with uvicorn_example(env) as server:
            yield server, pit
    finally:
        pit.close()


HUNG = {
    "status": "unhealthy",
    "checks": [
        {"name": "redis", "status": "unhealthy", "message": "timed out after 2.0s"},
        {"name": "database", "status": "healthy"},
    ],
}


def test_ping_answers_within_50ms_while_health_waits_on_a_tarpit(hung_redis_server):
    """If /health blocked the worker's event loop, /ping would wait the 2 s too."""
    server, pit = hung_redis_server
    with httpx.Client(base_url=server.url) as client, ThreadPoolExecutor(1) as pool:
        for _ in range(3):
            assert client.get("/ping").json() == {"ping": "pong"}  # warm connection
        reached = pit.connections
        started = time.perf_counter()
        pending = pool.submit(httpx.get, f"{server.url}/health", timeout=10)
        while pit.connections == reached and time.perf_counter() - started < 2:
            time.sleep(0.005)
        assert pit.connections > reached, "the redis check never reached the tarpit"
        latencies = []
        for _ in range(20):
            before = time.perf_counter()
            assert client.get("/ping").json() == {"ping": "pong"}
            latencies.append(time.perf_counter() - before)
            time.sleep(0.04)
        assert not pending.done(), "/health answered before the pings ended"
        response = pending.result()
        elapsed = time.perf_counter() - started
    print(
        f"/ping while /health waits: median {statistics.median(latencies) * 1000:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms over {len(latencies)}; /health {elapsed:.2f} s"
    )
    assert max(latencies) < 0.05, latencies
    assert response.status_code == 503
    assert strip_durations(response.json()) == HUNG
    assert 1.9 < elapsed < 3.0


def test_200_simultaneous_requests_on_a_hung_dependency_wait_one_deadline(hung_redis_server):
    server, _ = hung_redis_server
    label = "/health, Redis hung, one uvicorn worker"
    assert assert_simultaneous(f"{server.url}/health", 200, 503, HUNG, label) < 3.5


def test_uvicorn_answers_200_simultaneous_requests(uvicorn_server):
    label = "/health, one uvicorn worker"
    assert_simultaneous(f"{uvicorn_server.url}/health", 200, 200, EXAMPLE_HEALTHY, label)


def test_uvicorn_openapi_lists_the_router_responses(uvicorn_server):
    schema = httpx.get(f"{uvicorn_server.url}/openapi.json", timeout=10).json()
    for path in ("/health", "/ready", "/startup"):
        assert set(schema["paths"][path]) == {"get"}, path
        assert set(schema["paths"][path]["get"]["responses"]) == {"200", "503"}, path
    assert set(schema["paths"]["/healthz"]["get"]["responses"]) == {"200"}
    metrics = schema["paths"]["/metrics"]["get"]
    assert set(metrics["responses"]["200"]["content"]) == {
        "text/plain",
        "application/openmetrics-text",
    }
    assert "parameters" not in metrics  # the request is read, not asked of the caller


# ---------------------------------------------------------- Starlette TestClient


def test_example_app_under_the_test_client(example_env, monkeypatch):
    example = load_example("fastapi_app/main.py", example_env, monkeypatch)
    with TestClient(example.app) as client:
        for path in PROBES:
            response = client.get(path)
            assert response.status_code == 200, path
            assert strip_durations(response.json()) == EXAMPLE_HEALTHY, path
        assert client.get("/ping").json() == {"ping": "pong"}


def test_readme_snippet(redis_server, monkeypatch):
    snippet = readme_snippet("fastapi_app", {"REDIS_URL": redis_server.url}, monkeypatch)
    client = TestClient(snippet["app"])
    redis = {"status": "healthy", "checks": [{"name": "redis", "status": "healthy"}]}
    for path in ("/health", "/ready", "/startup", "/api/health", "/status"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert strip_durations(response.json()) == redis, path
    redis_server.stop()
    assert client.get("/api/health").json()["checks"][0]["message"] == "Connection refused"
    assert client.get("/status").status_code == 503


def _failing_health(services: dict, closed_port: int, *, critical: bool) -> Health:
    health = Health().redis_check(services["HCX_REDIS_URL"], name="cache")
    return health.tcp_check("127.0.0.1", closed_port, name="search", critical=critical)


@pytest.mark.parametrize(
    ("critical", "code", "overall", "search"),
    [(True, 503, "unhealthy", "unhealthy"), (False, 200, "degraded", "degraded")],
)
def test_endpoint_registered_with_app_get_or_awaited_in_an_own_endpoint(
    services, closed_port, critical, code, overall, search
):
    adapter = FastAPIAdapter(_failing_health(services, closed_port, critical=critical))
    app = FastAPI()
    app.get("/health")(adapter.endpoint)

    @app.get("/ready")
    async def ready():
        return await adapter.endpoint()

    expected = {
        "status": overall,
        "checks": [
            {"name": "cache", "status": "healthy"},
            {"name": "search", "status": search, "message": "Connection refused"},
        ],
    }
    client = TestClient(app)
    for path in ("/health", "/ready"):
        response = client.get(path)
        assert response.status_code == code, path
        assert response.headers["cache-control"] == "no-store"
        assert strip_durations(response.json()) == expected, path


def test_adapter_tags_select_the_checks(services, closed_port):
    health = Health().redis_check(services["HCX_REDIS_URL"], name="cache", tags=["ready"])
    health.tcp_check("127.0.0.1", closed_port, name="search", tags=["deep"])
    app = FastAPI()
    app.get("/all")(FastAPIAdapter(health).endpoint)
    app.get("/ready")(FastAPIAdapter(health, tags=["ready"]).endpoint)
    app.get("/ready-str")(FastAPIAdapter(health, tags="ready").endpoint)
    client = TestClient(app)
    assert client.get("/all").status_code == 503
    for path in ("/ready", "/ready-str"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert [c["name"] for c in response.json()["checks"]] == ["cache"], path


def test_router_paths_prefix_probe_tags_and_a_liveness_that_touches_nothing(services):
    calls = []

    def counted() -> CheckResult:
        calls.append(1)
        return CheckResult("counted", "unhealthy", "down")

    health = Health().redis_check(services["HCX_REDIS_URL"], name="cache", tags=["ready"])
    health.register(counted, tags=["startup"])
    app = FastAPI()
    app.include_router(
        FastAPIAdapter(health).router(prefix="/ops", ready_tags=["ready"], startup_tags="startup")
    )
    client = TestClient(app)

    assert client.get("/health").status_code == 404
    health_response = client.get("/ops/health")
    assert health_response.status_code == 503
    assert [c["name"] for c in health_response.json()["checks"]] == ["cache", "counted"]
    ready = client.get("/ops/ready")
    assert (ready.status_code, [c["name"] for c in ready.json()["checks"]]) == (200, ["cache"])
    startup = client.get("/ops/startup")
    assert startup.status_code == 503
    assert startup.json()["checks"][0]["message"] == "down"
    head = client.head("/ops/startup")
    assert (head.status_code, head.content) == (503, b"")
    assert len(calls) == 3

    for method in (client.get, client.head):
        liveness = method("/ops/healthz")
        assert liveness.status_code == 200
        assert liveness.headers["cache-control"] == "no-store"
    assert client.get("/ops/healthz").json() == {"status": "ok"}  # the Django app's body
    assert len(calls) == 3


def test_router_openapi_documents_200_and_503_with_the_body_model():
    app = FastAPI()
    app.include_router(FastAPIAdapter(Health()).router())
    schema = app.openapi()
    assert set(schema["paths"]) == {"/health", "/ready", "/startup", "/healthz", "/metrics"}
    ref = {"$ref": "#/components/schemas/HealthReport"}
    for path in ("/health", "/ready", "/startup"):
        operation = schema["paths"][path]
        assert set(operation) == {"get"}, path  # HEAD is served but not a second operation
        responses = operation["get"]["responses"]
        assert set(responses) == {"200", "503"}
        for code in ("200", "503"):
            assert responses[code]["content"]["application/json"]["schema"] == ref
    assert set(schema["paths"]["/healthz"]["get"]["responses"]) == {"200"}
    metrics = schema["paths"]["/metrics"]["get"]
    assert set(metrics["responses"]["200"]["content"]) == {
        "text/plain",
        "application/openmetrics-text",
    }
    assert "parameters" not in metrics  # the request is read, not asked of the caller
    components = schema["components"]["schemas"]
    assert set(components["HealthReport"]["required"]) == {"status", "checks"}
    assert components["HealthStatus"]["enum"] == ["healthy", "degraded", "unhealthy"]
    assert set(components["CheckReport"]["properties"]) == {
        "name",
        "status",
        "message",
        "duration_ms",
    }


# ------------------------------------------------------------------ imports


def test_importing_healthcheckx_imports_no_framework():
    code = (
        "import sys, healthcheckx\n"
        "frameworks = ('django', 'fastapi', 'starlette', 'pydantic', 'flask', 'werkzeug')\n"
        "print([m for m in frameworks if m in sys.modules])\n"
    )
    completed = without_frameworks((), code)
    assert (completed.returncode, completed.stdout.strip()) == (0, "[]"), completed.stderr


def test_the_adapter_without_fastapi_raises_import_error_naming_the_extra():
    code = (
        "import healthcheckx\n"
        "healthcheckx.Health().run()\n"
        "assert callable(healthcheckx.flask_health_endpoint)\n"
        "from healthcheckx import FastAPIAdapter\n"
        "assert not FastAPIAdapter\n"
        "for attempt in (1, 2):\n"
        "    try:\n"
        "        FastAPIAdapter(healthcheckx.Health())\n"
        "    except ImportError as exc:\n"
        "        print(exc)\n"
        "try:\n"
        "    import healthcheckx.contrib.fastapi\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    completed = without_frameworks(("fastapi",), code)
    assert completed.returncode == 0, completed.stderr
    message = "FastAPIAdapter needs FastAPI: pip install 'healthcheckx[fastapi]'"
    assert completed.stdout.splitlines() == [message, message, message]
