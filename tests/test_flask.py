"""Flask: examples/flask_app served by gunicorn (preloaded, forked, threaded workers) against the
real Redis and PostgreSQL, every registration form under Flask's test client, and the
ImportError when Flask is missing."""

from __future__ import annotations

import flask
import httpx
import pytest
from appservers import (
    EXAMPLE_HEALTHY,
    assert_simultaneous,
    gunicorn_example,
    load_example,
    readme_snippet,
    strip_durations,
    without_frameworks,
)
from healthcheckx import Health, flask_health_endpoint

PROBES = ("/health", "/ready", "/status")


@pytest.fixture(scope="module")
def example_env(redis_server, services) -> dict:
    return {"REDIS_URL": redis_server.url, "DATABASE_URL": services["HCX_POSTGRES_URL"]}


@pytest.fixture(scope="module")
def gunicorn_server(example_env):
    with gunicorn_example(example_env) as server:
        yield server


@pytest.fixture
def failing_health(services, closed_port) -> Health:
    health = Health().redis_check(services["HCX_REDIS_URL"], name="cache", tags=["ready"])
    return health.tcp_check("127.0.0.1", closed_port, name="search")


UNHEALTHY = {
    "status": "unhealthy",
    "checks": [
        {"name": "cache", "status": "healthy"},
        {"name": "search", "status": "unhealthy", "message": "Connection refused"},
    ],
}


def assert_answer(response, code: int, body: dict) -> None:
    assert response.status_code == code, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert strip_durations(response.get_json()) == body


# ---------------------------------------------------------- gunicorn, real HTTP


def test_gunicorn_answers_200_with_the_body_when_every_dependency_answers(gunicorn_server):
    with httpx.Client(base_url=gunicorn_server.url, timeout=10) as client:
        for path in PROBES:
            response = client.get(path)
            assert response.status_code == 200, (path, response.text)
            assert response.headers["content-type"] == "application/json"
            assert response.headers["cache-control"] == "no-store"
            assert response.text.startswith('{"status": "healthy", "checks": [{"name": "redis"')
            assert strip_durations(response.json()) == EXAMPLE_HEALTHY, path
        assert client.get("/status").headers["x-service"] == "example"
        head = client.head("/health")
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["cache-control"] == "no-store"
        assert client.post("/health").status_code == 405
        assert client.get("/healthz").json() == {"status": "ok"}


def test_gunicorn_answers_503_with_the_message_while_redis_is_down(gunicorn_server, redis_server):
    redis_server.stop()
    with httpx.Client(base_url=gunicorn_server.url, timeout=10) as client:
        # Several requests so that both workers answer.
        for path in PROBES * 3:
            response = client.get(path)
            assert response.status_code == 503, (path, response.text)
            assert strip_durations(response.json()) == {
                "status": "unhealthy",
                "checks": [
                    {"name": "redis", "status": "unhealthy", "message": "Connection refused"},
                    {"name": "database", "status": "healthy"},
                ],
            }, path
        assert client.head("/health").status_code == 503
        assert client.get("/healthz").status_code == 200
        redis_server.start()
        assert client.get("/health").status_code == 200


def test_gunicorn_answers_200_simultaneous_requests(gunicorn_server):
    label = "/health, gunicorn with 2 workers x 8 threads"
    assert_simultaneous(f"{gunicorn_server.url}/health", 200, 200, EXAMPLE_HEALTHY, label)


# ------------------------------------------------------------ Flask test client


def test_example_app_factory_under_the_test_client(example_env, monkeypatch):
    example = load_example("flask_app/app.py", example_env, monkeypatch)
    for app in (example.create_app(), example.create_app()):  # one view, two apps
        client = app.test_client()
        for path in PROBES:
            assert_answer(client.get(path), 200, EXAMPLE_HEALTHY)
        assert client.get("/ping").get_json() == {"ping": "pong"}


def test_readme_snippet(redis_server, monkeypatch):
    snippet = readme_snippet("flask_app", {"REDIS_URL": redis_server.url}, monkeypatch)
    client = snippet["app"].test_client()
    redis = {"status": "healthy", "checks": [{"name": "redis", "status": "healthy"}]}
    for path in ("/health", "/ready", "/status"):
        assert_answer(client.get(path), 200, redis)
    redis_server.stop()
    down = {
        "status": "unhealthy",
        "checks": [{"name": "redis", "status": "unhealthy", "message": "Connection refused"}],
    }
    for path in ("/health", "/ready", "/status"):
        assert_answer(client.get(path), 503, down)


def test_route_decorator_and_add_url_rule(failing_health):
    app = flask.Flask(__name__)
    app.route("/health")(flask_health_endpoint(failing_health))
    app.add_url_rule("/ready", "ready", flask_health_endpoint(failing_health, tags=["ready"]))
    app.add_url_rule("/ready-str", "ready_str", flask_health_endpoint(failing_health, tags="ready"))
    client = app.test_client()
    assert_answer(client.get("/health"), 503, UNHEALTHY)
    ready = {"status": "healthy", "checks": [{"name": "cache", "status": "healthy"}]}
    assert_answer(client.get("/ready"), 200, ready)
    assert_answer(client.get("/ready-str"), 200, ready)
    with app.test_request_context():
        assert flask.url_for("ready") == "/ready"


def test_a_failing_non_critical_check_is_degraded_and_200(services, closed_port):
    health = Health().tcp_check("127.0.0.1", closed_port, name="search", critical=False)
    app = flask.Flask(__name__)
    app.route("/health")(flask_health_endpoint(health))
    body = {
        "status": "degraded",
        "checks": [{"name": "search", "status": "degraded", "message": "Connection refused"}],
    }
    assert_answer(app.test_client().get("/health"), 200, body)


def test_several_endpoints_in_one_app_do_not_clash(failing_health):
    app = flask.Flask(__name__)
    views = [flask_health_endpoint(failing_health, tags=tags) for tags in (None, ["ready"], None)]
    for path, view in zip(("/a", "/b", "/c"), views):
        app.route(path)(view)
    app.route("/a-again")(views[0])  # one view under two rules keeps one endpoint name
    assert len({view.__name__ for view in views}) == 3
    client = app.test_client()
    assert [client.get(p).status_code for p in ("/a", "/b", "/c", "/a-again")] == [
        503,
        200,
        503,
        503,
    ]


def test_blueprint_and_factory_with_a_view_made_before_any_app(failing_health):
    assert not flask.has_app_context()
    view = flask_health_endpoint(failing_health)
    blueprint = flask.Blueprint("ops", __name__)
    blueprint.route("/health")(view)

    def create_app() -> flask.Flask:
        app = flask.Flask(__name__)
        app.register_blueprint(blueprint, url_prefix="/ops")
        return app

    for app in (create_app(), create_app()):
        client = app.test_client()
        assert_answer(client.get("/ops/health"), 503, UNHEALTHY)
        with app.test_request_context():
            assert flask.url_for(f"ops.{view.__name__}") == "/ops/health"


def test_called_inside_a_view_of_ones_own(failing_health):
    app = flask.Flask(__name__)

    @app.route("/status/<region>")
    def status(region):
        response = flask_health_endpoint(failing_health)()
        response.headers["X-Region"] = region
        return response

    response = app.test_client().get("/status/eu")
    assert_answer(response, 503, UNHEALTHY)
    assert response.headers["X-Region"] == "eu"


def test_get_and_head_only_and_the_key_order_whatever_the_json_provider(failing_health):
    app = flask.Flask(__name__)
    app.json.sort_keys = True
    app.route("/health")(flask_health_endpoint(failing_health))
    client = app.test_client()
    text = client.get("/health").get_data(as_text=True)
    assert text.startswith('{"status": "unhealthy", "checks": [{"name": "cache", "status"')
    head = client.head("/health")
    assert (head.status_code, head.get_data(), head.headers["Cache-Control"]) == (
        503,
        b"",
        "no-store",
    )
    assert client.post("/health").status_code == 405


# ------------------------------------------------------------------ imports


def test_the_endpoint_without_flask_raises_import_error_naming_the_extra():
    code = (
        "import healthcheckx\n"
        "assert healthcheckx.FastAPIAdapter\n"
        "from healthcheckx import flask_health_endpoint\n"
        "assert not flask_health_endpoint\n"
        "try:\n"
        "    flask_health_endpoint(healthcheckx.Health())\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    completed = without_frameworks(("flask",), code)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == (
        "flask_health_endpoint needs Flask: pip install 'healthcheckx[flask]'"
    )
