"""The app's endpoints negotiate their format, serve /metrics from the latest results, and hide
details per caller (`HEALTHCHECKX["SHOW_DETAILS"]`)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess

import pytest
from django.core.checks import run_checks
from django.test import AsyncClient, Client, override_settings
from django.urls import reverse
from healthcheckx import django_health_view
from prometheus_client.parser import text_string_to_metric_families

FAILING = {"HEALTH": "testproject.health.failing"}
FORMATS = "json, health+json, text, html, prometheus, openmetrics"


def test_the_app_negotiates_each_format():
    client = Client()
    with override_settings(HEALTHCHECKX=FAILING):
        default = client.get("/health/")
        assert (default.status_code, default["Content-Type"]) == (503, "application/json")
        assert set(default.json()) == {"status", "checks"}
        draft = client.get("/ready/", HTTP_ACCEPT="application/health+json")
        assert draft["Content-Type"] == "application/health+json"
        assert json.loads(draft.content)["status"] == "fail"
        text = client.get("/health/?format=text")
        assert text.content.decode().splitlines() == [
            "[-]redis failed: Connection refused",
            "[+]database ok",
            "healthz check failed",
        ]
        page = client.get("/health/", HTTP_ACCEPT="text/html,*/*;q=0.8")
        assert page["Content-Type"] == "text/html; charset=utf-8" and page.status_code == 503
        unmet = client.get("/health/", HTTP_ACCEPT="image/png")
        assert (unmet.status_code, unmet["Content-Type"]) == (503, "application/json")
        refused = client.get("/health/?format=yaml")
        assert refused.status_code == 406
        assert refused.content.decode().strip() == f'unknown format "yaml": use one of {FORMATS}'

        async def on_the_loop():
            return await AsyncClient().get("/health/?format=text")

        assert asyncio.run(on_the_loop()).content.decode().startswith("[-]redis failed")


def test_a_guide_view_negotiates_too(project_health):
    from django.test import RequestFactory

    view = django_health_view(project_health.failing, show_details="never")
    response = view(RequestFactory().get("/x/?format=text"))
    assert response.content.decode().startswith("[-]redis failed: reason withheld\n")


def test_metrics_url_serves_the_latest_results():
    assert reverse("metrics") == "/metrics/"
    client = Client()
    with override_settings(HEALTHCHECKX=FAILING):
        first = client.get("/metrics/")
        assert first.status_code == 200
        assert first["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        # The same results again: a scrape runs nothing while results are at hand.
        assert client.get("/metrics/").content == first.content
        client.get("/ready/")  # a probe's run shows in the next scrape
        assert client.get("/metrics/").content != first.content
        text = first.content.decode()
        values = {
            (sample.name, sample.labels.get("check")): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }
        assert values[("healthcheckx_up", None)] == 0.0
        assert values[("healthcheckx_check_up", "redis")] == 0.0
        assert values[("healthcheckx_check_up", "database")] == 1.0
        promtool = shutil.which("promtool")
        assert promtool, "scripts/services.sh installs promtool (Debian package prometheus)"
        done = subprocess.run(
            [promtool, "check", "metrics"], input=text, capture_output=True, text=True
        )
        assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
        openmetrics = client.get("/metrics/", HTTP_ACCEPT="application/openmetrics-text")
        assert openmetrics.content.decode().endswith("# EOF\n")

        async def on_the_loop():
            return await AsyncClient().get("/metrics/")

        assert asyncio.run(on_the_loop()).content == client.get("/metrics/").content


HIDDEN = {
    "status": "unhealthy",
    "checks": [{"name": "redis", "status": "unhealthy"}, {"name": "database", "status": "healthy"}],
}


@pytest.mark.parametrize(
    "policy",
    [
        "never",
        "testproject.health.details_for_staff",
        lambda r: r.headers.get("X-Token") == "s3cret",
    ],
)
def test_show_details_hides_messages_from_callers_who_may_not_see_them(policy):
    client = Client()
    with override_settings(HEALTHCHECKX={**FAILING, "SHOW_DETAILS": policy}):
        assert client.get("/health/").json() == HIDDEN
        assert b"refused" not in client.get("/health/?format=html").content
        assert b"refused" not in client.get("/health/?format=health+json").content
        staff = client.get("/health/", HTTP_X_TOKEN="s3cret").json()
        if policy == "never":
            assert staff == HIDDEN
        else:
            assert staff["checks"][0]["message"] == "Connection refused"
            assert "duration_ms" in staff["checks"][1]


def test_show_details_setting_is_checked():
    with override_settings(HEALTHCHECKX={**FAILING, "SHOW_DETAILS": "sometimes"}):
        messages = [m for m in run_checks(tags=["healthcheckx"]) if m.id == "healthcheckx.E007"]
    assert len(messages) == 1 and "SHOW_DETAILS" in messages[0].msg and messages[0].hint
    with override_settings(HEALTHCHECKX={**FAILING, "SHOW_DETAILS": "testproject.health.nope"}):
        messages = [m for m in run_checks(tags=["healthcheckx"]) if m.id == "healthcheckx.E007"]
    assert len(messages) == 1 and "cannot be imported" in messages[0].msg
