"""What a probe answers (issue #14): every format of the engine's renderer against real servers,
content negotiation, /metrics from the latest results (promtool and prometheus_client's
parsers), status changes logged once and damped, details hidden per caller, and the HTML page
in headless Chromium."""

from __future__ import annotations

import json
import logging
import random
import shutil
import socket
import subprocess
import tempfile
from datetime import datetime
from typing import Dict, List

import httpx
import jsonschema
import pytest
from appservers import uvicorn_example
from fastapi import FastAPI
from fastapi.testclient import TestClient
from flask import Flask
from healthcheckx import CheckResult, FastAPIAdapter, Health, HealthStatus
from healthcheckx._report import FORMATS, NotAcceptable, negotiate, negotiate_metrics
from healthcheckx.contrib.flask import flask_health_endpoint, flask_metrics_endpoint
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_prometheus

# draft-inadarei-api-health-check-06, the parts a report fills in.
HEALTH_JSON_SCHEMA = {
    "type": "object",
    "required": ["status", "checks"],
    "properties": {
        "status": {"enum": ["pass", "warn", "fail"]},
        "output": {"type": "string"},
        "checks": {
            "type": "object",
            "propertyNames": {"pattern": "^[^:]+:responseTime$"},
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["componentType", "status", "time"],
                    "additionalProperties": False,
                    "properties": {
                        "componentType": {"enum": ["component", "datastore", "system"]},
                        "observedValue": {"type": "number", "minimum": 0},
                        "observedUnit": {"const": "ms"},
                        "status": {"enum": ["pass", "warn", "fail"]},
                        "time": {"type": "string"},
                        "output": {"type": "string"},
                    },
                },
            },
        },
    },
    "additionalProperties": False,
}


class Toggle:
    """A TCP port that is listened on (a TCP check passes) or closed (it is refused)."""

    def __init__(self) -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.sock: socket.socket | None = None

    def up(self) -> None:
        if self.sock is None:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.port))
            sock.listen(64)
            self.sock = sock

    def down(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@pytest.fixture
def toggle():
    port = Toggle()
    yield port
    port.down()


def promtool_check(text: str) -> None:
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: scripts/services.sh installs the Debian package prometheus"
    done = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def families(text: str) -> Dict[str, Dict[tuple, float]]:
    """Prometheus text parsed by prometheus_client: family → {(sample name, labels): value}."""
    found: Dict[str, Dict[tuple, float]] = {}
    for family in parse_prometheus(text):
        for sample in family.samples:
            labels = tuple(sorted(sample.labels.items()))
            found.setdefault(family.name, {})[(sample.name, labels)] = sample.value
    return found


def three_checks(services, closed_port) -> Health:
    return (
        Health()
        .redis_check(services["HCX_REDIS_URL"], name="redis", tags=["cache", "ready"])
        .postgresql_check(services["HCX_POSTGRES_URL"], name="database")
        .tcp_check("127.0.0.1", closed_port, name="queue", critical=False)
        .tcp_check("127.0.0.1", closed_port, name="broker")
    )


# ------------------------------------------------------------------ every format, one report


def test_every_format_renders_one_report_of_real_servers(services, closed_port):
    health = three_checks(services, closed_port)
    report = health.report()
    assert (report.status, report.http_status) == (HealthStatus.unhealthy, 503)
    assert [r.name for r in report] == ["redis", "database", "queue", "broker"]

    # The guide's JSON, byte for byte what the adapters encoded before the renderer.
    body = report.render("json")
    assert body == json.dumps(report.to_dict())
    checks = json.loads(body)["checks"]
    assert [set(c) for c in checks] == [
        {"name", "status", "duration_ms"},
        {"name", "status", "duration_ms"},
        {"name", "status", "message", "duration_ms"},
        {"name", "status", "message", "duration_ms"},
    ]
    assert checks[2] == {**checks[2], "status": "degraded", "message": "Connection refused"}

    draft = json.loads(report.render("health+json"))
    jsonschema.validate(draft, HEALTH_JSON_SCHEMA)
    assert draft["status"] == "fail"
    redis = draft["checks"]["redis:responseTime"][0]
    assert (redis["componentType"], redis["status"], redis["observedUnit"]) == (
        "datastore",
        "pass",
        "ms",
    )
    assert draft["checks"]["queue:responseTime"][0]["status"] == "warn"
    broker = draft["checks"]["broker:responseTime"][0]
    assert (broker["componentType"], broker["output"]) == ("component", "Connection refused")
    datetime.fromisoformat(broker["time"].replace("Z", "+00:00"))

    assert report.render("text").splitlines() == [
        "[+]redis ok",
        "[+]database ok",
        "[+]queue degraded: Connection refused",
        "[-]broker failed: Connection refused",
        "healthz check failed",
    ]

    prometheus = report.render("prometheus")
    promtool_check(prometheus)
    parsed = families(prometheus)
    redis_labels = (("check", "redis"), ("tags", "cache,ready"))
    broker_labels = (("check", "broker"), ("tags", ""))
    assert parsed["healthcheckx_up"] == {("healthcheckx_up", ()): 0.0}
    assert parsed["healthcheckx_check_up"][("healthcheckx_check_up", redis_labels)] == 1.0
    assert parsed["healthcheckx_check_up"][("healthcheckx_check_up", broker_labels)] == 0.0
    queue_up = (("check", "queue"), ("tags", ""))
    assert parsed["healthcheckx_check_up"][("healthcheckx_check_up", queue_up)] == 1.0
    statuses = parsed["healthcheckx_check_status"]
    assert {
        dict(labels)["status"]: value
        for (_, labels), value in statuses.items()
        if dict(labels)["check"] == "queue"
    } == {"healthy": 0.0, "degraded": 1.0, "unhealthy": 0.0}
    failures = parsed["healthcheckx_check_failures"]
    assert failures[("healthcheckx_check_failures_total", broker_labels)] == 1.0
    assert failures[("healthcheckx_check_failures_total", redis_labels)] == 0.0
    successes = parsed["healthcheckx_check_last_success_timestamp_seconds"]
    assert set(dict(labels)["check"] for (_, labels) in successes) == {"redis", "database"}
    durations = parsed["healthcheckx_check_duration_seconds"]
    assert all(0 <= value < 5 for value in durations.values()) and len(durations) == 4

    openmetrics = report.render("openmetrics")
    assert openmetrics.endswith("# EOF\n")
    open_families = {f.name: f for f in parse_openmetrics(openmetrics)}
    assert open_families["healthcheckx_check_failures"].type == "counter"
    assert open_families["healthcheckx_check_duration_seconds"].unit == "seconds"

    page = report.render("html")
    assert "<script" not in page.lower() and page.count("<svg") == 4
    assert 'name="viewport"' in page and "Connection refused" in page

    with pytest.raises(ValueError, match="unknown format"):
        report.render("xml")
    health.close()


def test_a_check_named_with_quotes_and_markup_stays_well_formed(closed_port):
    name = 'a"b\\c<i>'
    health = Health().tcp_check("127.0.0.1", closed_port, name=name)
    report = health.report()
    assert json.loads(report.render("json"))["checks"][0]["name"] == name
    promtool_check(report.render("prometheus"))
    up = families(report.render("prometheus"))["healthcheckx_check_up"]
    assert [dict(labels)["check"] for (_, labels) in up] == [name]
    assert "<i>" not in report.render("html") and "a&quot;b\\c&lt;i&gt;" in report.render("html")


# ------------------------------------------------------------------ negotiation


@pytest.mark.parametrize(
    ("accept", "format", "expected"),
    [
        (None, None, "json"),
        ("*/*", None, "json"),
        ("", None, "json"),
        ("image/png", None, "json"),  # names nothing we make: the default, never a 406
        ("application/xml, image/*;q=0.9", None, "json"),
        ("application/json", None, "json"),
        ("application/health+json", None, "health+json"),
        ("application/json;q=0, */*", None, "health+json"),  # q=0: never JSON
        ("text/html;q=0", None, "json"),
        ("text/html;q=zero", None, "json"),  # an unreadable q drops the range
        ("text/plain", None, "text"),
        ("text/*", None, "text"),
        ("TEXT/HTML", None, "html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, "html"),
        ("text/html;q=0.5, application/health+json;q=0.6", None, "health+json"),
        ("text/plain;version=0.0.4", None, "prometheus"),
        (
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
            None,
            "openmetrics",
        ),
        ("text/html", "json", "json"),  # ?format= wins over Accept
        (None, "health json", "health+json"),  # an unescaped + in a query string
        (None, "TEXT", "text"),
        (None, "", "json"),
    ]
    + [(None, name, name) for name in FORMATS],
)
def test_negotiation(accept, format, expected):
    assert negotiate(accept, format) == expected


def test_unknown_format_is_refused_naming_the_formats():
    with pytest.raises(NotAcceptable) as refused:
        negotiate("application/json", "xml")
    assert str(refused.value) == (
        'unknown format "xml": use one of json, health+json, text, html, prometheus, openmetrics'
    )


def test_metrics_negotiation():
    assert negotiate_metrics(None) == "prometheus"
    assert negotiate_metrics("*/*") == "prometheus"
    assert negotiate_metrics("application/openmetrics-text; version=1.0.0") == "openmetrics"
    assert negotiate_metrics(
        "text/plain;version=0.0.4;q=0.9, application/openmetrics-text;q=0.5"
    ) == ("prometheus")


# ------------------------------------------------------------------ over HTTP


@pytest.fixture(scope="module")
def uvicorn_server(redis_server, services):
    env = {"REDIS_URL": redis_server.url, "DATABASE_URL": services["HCX_POSTGRES_URL"]}
    with uvicorn_example(env) as server:
        yield server


def test_uvicorn_negotiates_every_format(uvicorn_server, redis_server):
    with httpx.Client(base_url=uvicorn_server.url, timeout=10) as client:
        default = client.get("/health")
        assert default.headers["content-type"] == "application/json"
        assert set(default.json()) == {"status", "checks"}
        for accept, content_type in [
            ("application/health+json", "application/health+json"),
            ("text/plain", "text/plain; charset=utf-8"),
            ("text/html,*/*;q=0.8", "text/html; charset=utf-8"),
            ("text/plain;version=0.0.4", "text/plain; version=0.0.4; charset=utf-8"),
            ("image/png", "application/json"),
        ]:
            response = client.get("/ready", headers={"Accept": accept})
            assert response.status_code == 200, (accept, response.text)
            assert response.headers["content-type"] == content_type, accept
            assert response.headers["cache-control"] == "no-store"
            assert "Accept" in response.headers["vary"]
        assert client.get("/health?format=text").text == (
            "[+]redis ok\n[+]database ok\nhealthz check passed\n"
        )
        refused = client.get("/health?format=xml", headers={"Accept": "application/json"})
        assert refused.status_code == 406
        assert refused.text.strip().endswith(", ".join(FORMATS))
        head = client.head("/health?format=html")
        assert (head.status_code, head.content) == (200, b"")

        redis_server.stop()
        try:
            for format in FORMATS:
                down = client.get(f"/health?format={format}")
                assert down.status_code == 503, format
            text = client.get("/health", headers={"Accept": "text/plain"}).text
            assert text.splitlines()[0].startswith("[-]redis failed: ")
            assert client.get("/health", headers={"Accept": "image/png"}).status_code == 503

            metrics = client.get("/metrics")
            assert metrics.status_code == 200  # the metrics say what is down
            assert metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
            promtool_check(metrics.text)
            up = families(metrics.text)["healthcheckx_check_up"]
            assert up[("healthcheckx_check_up", (("check", "redis"), ("tags", "")))] == 0.0
            scraped = client.get(
                "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
            )
            assert scraped.headers["content-type"].startswith("application/openmetrics-text")
            list(parse_openmetrics(scraped.text))
        finally:
            redis_server.start()


# ------------------------------------------------------------------ /metrics from the latest


def counting(calls: List[int], healthy: bool = True):
    def counted() -> CheckResult:
        calls.append(1)
        status = HealthStatus.healthy if healthy else HealthStatus.unhealthy
        return CheckResult("counted", status, None if healthy else "down")

    return counted


def test_metrics_never_run_the_checks_while_results_are_at_hand(services):
    calls: List[int] = []
    health = Health().redis_check(services["HCX_REDIS_URL"]).register(counting(calls))
    app = FastAPI()
    app.include_router(FastAPIAdapter(health).router())
    flask_app = Flask(__name__)
    flask_app.add_url_rule("/metrics", view_func=flask_metrics_endpoint(health))
    with TestClient(app) as client, flask_app.test_client() as flask_client:
        first = client.get("/metrics")  # nothing cached yet: one run
        assert first.status_code == 200 and len(calls) == 1
        for _ in range(5):
            assert client.get("/metrics").text == first.text
            assert flask_client.get("/metrics").get_data(as_text=True) == first.text
        assert len(calls) == 1
        client.get("/health")  # a probe runs the checks; the next scrape shows that run
        assert len(calls) == 2
        after = families(client.get("/metrics").text)["healthcheckx_check_duration_seconds"]
        before = families(first.text)["healthcheckx_check_duration_seconds"]
        assert after != before and len(calls) == 2
        # A run of some checks (tags) updates those checks only; the rest keep theirs.
        client.get("/ready")
        assert len(calls) == 3
    health.close()


def test_metrics_follow_the_cache_ttl_and_the_background_refresh(services):
    import time

    calls: List[int] = []
    cached = Health(cache_ttl=0.3).register(counting(calls))
    cached.latest()
    cached.latest()
    assert len(calls) == 1
    time.sleep(0.35)
    cached.latest()  # older than the TTL: one run
    assert len(calls) == 2

    refreshed: List[int] = []
    background = Health(refresh_interval=0.1).register(counting(refreshed))
    background.latest()
    time.sleep(0.45)
    assert 3 <= len(refreshed) <= 6  # the background task ran, not the scrapes
    count = len(refreshed)
    background.latest()
    assert len(refreshed) in (count, count + 1)
    background.close()


def test_collector_serves_one_registry_with_the_apps_own_metrics(services):
    from prometheus_client import Counter

    calls: List[int] = []
    health = Health().redis_check(services["HCX_REDIS_URL"]).register(counting(calls))
    registry = CollectorRegistry()
    requests = Counter("app_requests", "Requests served", registry=registry)
    requests.inc()
    health.collector(registry)
    assert calls == []  # registering runs nothing
    text = generate_latest(registry).decode()
    assert len(calls) == 1
    promtool_check(text)
    parsed = families(text)
    assert parsed["app_requests"][("app_requests_total", ())] == 1.0
    assert (
        parsed["healthcheckx_check_up"][
            ("healthcheckx_check_up", (("check", "redis"), ("tags", "")))
        ]
        == 1.0
    )
    generate_latest(registry)
    assert len(calls) == 1
    health.close()


# ------------------------------------------------------------------ state changes


def test_a_flapping_service_logs_one_line_per_transition(toggle, caplog):
    rng = random.Random(14)
    health = Health().tcp_check("127.0.0.1", toggle.port, name="flappy", timeout=1)
    changes = []
    health.on_change(changes.append)
    reported = []
    caplog.set_level(logging.INFO, logger="healthcheckx")
    for _ in range(100):
        toggle.up() if rng.random() < 0.5 else toggle.down()
        reported.append(health.run()[0].status)
    transitions = [(a, b) for a, b in zip(reported, reported[1:]) if a != b]
    assert 20 < len(transitions) < 80  # it did flap
    records = [r for r in caplog.records if r.name == "healthcheckx"]
    assert len(records) == len(transitions)
    assert [(c.previous, c.status) for c in changes] == transitions
    for record, (_, after) in zip(records, transitions):
        assert '"flappy"' in record.getMessage()
        if after is HealthStatus.unhealthy:
            assert record.levelno == logging.WARNING
            assert record.getMessage().endswith("(was healthy): Connection refused")
        else:
            assert record.levelno == logging.INFO
    health.close()


def test_first_result_is_not_a_change_and_a_failing_callback_is_logged(closed_port, caplog):
    health = Health().tcp_check("127.0.0.1", closed_port, name="down")

    @health.on_change
    def broken(change):
        raise RuntimeError("pager down")

    caplog.set_level(logging.INFO, logger="healthcheckx")
    health.run()
    health.run()
    assert [r for r in caplog.records if r.name == "healthcheckx"] == []


def test_damping_counts_failures_then_successes(toggle):
    health = Health().tcp_check(
        "127.0.0.1",
        toggle.port,
        name="db",
        timeout=1,
        failure_threshold=3,
        success_threshold=2,
    )
    changes = []
    health.on_change(changes.append)
    seen = []
    for up in [True, False, False, False, True, True, False, True, False]:
        toggle.up() if up else toggle.down()
        result = health.run()[0]
        seen.append((result.status.value, result.message))
    assert seen == [
        ("healthy", None),
        ("healthy", "1 of 3 failures: Connection refused"),
        ("healthy", "2 of 3 failures: Connection refused"),
        ("unhealthy", "Connection refused"),
        ("unhealthy", "1 of 2 successes; last failure: Connection refused"),
        ("healthy", None),
        ("healthy", "1 of 3 failures: Connection refused"),
        ("healthy", None),  # a pass between failures starts the count again
        ("healthy", "1 of 3 failures: Connection refused"),
    ]
    assert [(c.previous.value, c.status.value) for c in changes] == [
        ("healthy", "unhealthy"),
        ("unhealthy", "healthy"),
    ]
    # The JSON body says so too, and the metrics count every failed run.
    report = health.report()
    assert report.to_dict()["checks"][0]["message"] == "2 of 3 failures: Connection refused"
    failures = families(report.render("prometheus"))["healthcheckx_check_failures"]
    assert list(failures.values()) == [6.0]
    with pytest.raises(ValueError, match="at least 1"):
        Health().register(counting([]), failure_threshold=0)


# ------------------------------------------------------------------ details per caller


def staff_only(request) -> bool:
    return request.headers.get("x-token") == "s3cret"


def test_details_hidden_per_caller_in_fastapi_and_flask(services, closed_port, caplog):
    health = (
        Health()
        .redis_check(services["HCX_REDIS_URL"], name="redis")
        .tcp_check("127.0.0.1", closed_port, name="queue")
    )
    app = FastAPI()
    app.get("/health")(FastAPIAdapter(health, show_details=staff_only).endpoint)
    flask_app = Flask(__name__)
    flask_app.add_url_rule("/health", view_func=flask_health_endpoint(health, show_details="never"))
    hidden = {
        "status": "unhealthy",
        "checks": [
            {"name": "redis", "status": "healthy"},
            {"name": "queue", "status": "unhealthy"},
        ],
    }
    with TestClient(app) as client, flask_app.test_client() as flask_client:
        anonymous = client.get("/health")
        assert (anonymous.status_code, anonymous.json()) == (503, hidden)
        staff = client.get("/health", headers={"x-token": "s3cret"}).json()
        assert staff["checks"][1]["message"] == "Connection refused"
        assert "duration_ms" in staff["checks"][0]
        text = client.get("/health?format=text").text
        assert "[-]queue failed: reason withheld" in text and "refused" not in text
        for format in ("health+json", "html", "prometheus"):
            body = client.get(f"/health?format={format}").text
            assert "refused" not in body, format
        assert (
            "healthcheckx_check_duration_seconds"
            not in client.get("/health?format=prometheus").text
        )
        flask_hidden = flask_client.get("/health")
        assert (flask_hidden.status_code, flask_hidden.get_json()) == (503, hidden)
        assert "refused" not in flask_client.get("/health?format=html").get_data(as_text=True)
        assert flask_client.get("/health?format=xml").status_code == 406
    # Called from an endpoint of one's own without the request: nobody in particular.
    import asyncio

    direct = asyncio.run(FastAPIAdapter(health, show_details=staff_only).endpoint())
    assert (direct.status_code, direct.payload) == (503, hidden)
    with pytest.raises(ValueError, match="show_details"):
        FastAPIAdapter(health, show_details="sometimes")
    health.close()


# ------------------------------------------------------------------ the HTML page in Chromium


def chromium(*args: str) -> str:
    """Headless Chromium with a fresh profile and a phone's window; its stdout."""
    binary = shutil.which("chromium")
    assert binary, "chromium missing: scripts/services.sh installs the Debian package"
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=390,844",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_html_status_page_in_headless_chromium(uvicorn_server, redis_server, tmp_path):
    with httpx.Client(base_url=uvicorn_server.url, timeout=10) as client:
        for _ in range(5):
            client.get("/health")
        redis_server.stop()
        try:
            client.get("/health")
            client.get("/health")
            screenshot = tmp_path / "health-page.png"
            page = f"{uvicorn_server.url}/health?format=html"
            chromium(f"--screenshot={screenshot}", page)
            dom = chromium("--dump-dom", page)
        finally:
            redis_server.start()
    print(f"screenshot: {screenshot}")
    assert screenshot.stat().st_size > 3000 and screenshot.read_bytes()[:4] == b"\x89PNG"
    # The page as Chromium parsed it: no script anywhere, nothing on it needs one.
    assert "<title>Health: unhealthy</title>" in dom
    assert '<li class="check unhealthy"><div class="head"><span class="name">redis</span>' in dom
    assert '<li class="check healthy"><div class="head"><span class="name">database</span>' in dom
    assert "Connection refused" in dom
    assert "unhealthy for " in dom and "healthy for " in dom and " ms" in dom
    assert dom.count("<svg") == 2 and 'class="failure"' in dom
    assert "<script" not in dom


def test_a_cached_report_is_rendered_once_per_format(services):
    from healthcheckx._http import Answers

    cached = Health(cache_ttl=30).redis_check(services["HCX_REDIS_URL"])
    answers = Answers()
    page = answers(cached.report(), "html", True)
    assert answers(cached.report(), "html", True) is page  # a copy of the same run
    assert answers(cached.report(), "html", False) is not page
    assert answers(cached.report(), "json", True).body == cached.report().render("json")
    uncached = Health().redis_check(services["HCX_REDIS_URL"])
    first = answers(uncached.report(), "json", True)
    assert answers(uncached.report(), "json", True) is not first  # a new run, rendered anew
    cached.close()
    uncached.close()
