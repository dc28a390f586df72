"""The app `healthcheckx.contrib.django`: system checks (`manage.py check`) and the
`healthcheck` management command, in this process and as a real `manage.py` subprocess."""

from __future__ import annotations

import io
import json
import time

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings
from djangotest import manage
from healthcheckx import Health


def healthcheckx_messages():
    return [
        (m.id, m.msg, m.hint)
        for m in run_checks(tags=["healthcheckx"])
        if m.id and m.id.startswith("healthcheckx.")
    ]


def test_valid_configuration_passes_the_system_checks():
    assert healthcheckx_messages() == []


@pytest.mark.parametrize(
    ("setting", "check_id", "fragment"),
    [
        (["api.health.health"], "healthcheckx.E001", "HEALTHCHECKX must be a dict, not list"),
        ({"HEALTH": "nodots"}, "healthcheckx.E002", "must be a dotted path"),
        ({"HEALTH": "testproject.nowhere.health"}, "healthcheckx.E002", "cannot be imported"),
        ({"HEALTH": "testproject.health.helth"}, "healthcheckx.E002", "cannot be imported"),
        (
            {"HEALTH": "testproject.broken_health.health"},
            "healthcheckx.E003",
            'check "cache"',
        ),
        ({"HEALTH": "testproject.health.not_a_health"}, "healthcheckx.E004", "is a int"),
        ({"HEALTH": "testproject.health.returns_none"}, "healthcheckx.E004", "is a NoneType"),
        (
            {"HEALTH": "testproject.health.health", "READY_TAGS": 3},
            "healthcheckx.E005",
            "must be a list of tags",
        ),
    ],
)
def test_malformed_configuration_is_a_system_check_error_with_a_hint(setting, check_id, fragment):
    with override_settings(HEALTHCHECKX=setting):
        messages = healthcheckx_messages()
    assert len(messages) == 1, messages
    got_id, message, hint = messages[0]
    assert got_id == check_id
    assert fragment in message
    assert hint


def test_unknown_keys_are_a_warning():
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.health", "HELTH": 1}):
        assert healthcheckx_messages() == [
            (
                "healthcheckx.W001",
                "HEALTHCHECKX has unknown key(s): HELTH",
                "Known keys: HEALTH, HEALTH_TAGS, READY_TAGS, STARTUP_TAGS, DEADLINE, "
                "SHOW_DETAILS.",
            )
        ]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_bad_database_settings_without_health_setting_are_reported():
    databases = {
        "default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"service": "x"}}
    }
    with override_settings(HEALTHCHECKX={}, DATABASES=databases, CACHES={}):
        messages = healthcheckx_messages()
    assert [m[0] for m in messages] == ["healthcheckx.E003"]
    assert "pg_service.conf" in messages[0][1]


def test_manage_py_check_reports_the_error_and_fails(project_env):
    env = {**project_env, "HCX_DJANGO_HEALTH": "testproject.broken_health.health"}
    completed = manage(env, "check")
    assert completed.returncode == 1
    assert "healthcheckx.E003" in completed.stderr
    assert "HINT: Fix the check it names" in completed.stderr
    assert manage(project_env, "check").returncode == 0


# ------------------------------------------------------------------------- command


def command(*args: str):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("healthcheck", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_command_prints_one_line_per_check_and_exits_0():
    code, out, _ = command()
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Running health checks..."
    assert [line.split(":")[0] for line in lines[1:]] == [
        "redis",
        "database",
        "django-db",
        "django-cache",
    ]
    for line in lines[1:]:
        assert line.split(": ", 1)[1].startswith("healthy (")
        assert line.endswith("ms)")


def test_command_exits_1_when_unhealthy_with_the_message():
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.failing"}):
        code, out, _ = command()
    assert code == 1
    assert "redis: unhealthy (" in out
    assert out.splitlines()[1].endswith("ms) - Connection refused")
    assert "database: healthy (" in out


def test_command_exits_0_when_degraded():
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.degraded"}):
        code, out, _ = command()
    assert code == 0
    assert "redis: degraded (" in out


def test_command_json_is_the_endpoint_body():
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.failing"}):
        code, out, _ = command("--json")
    assert code == 1
    body = json.loads(out)
    assert body["status"] == "unhealthy"
    assert [(c["name"], c["status"], c.get("message")) for c in body["checks"]] == [
        ("redis", "unhealthy", "Connection refused"),
        ("database", "healthy", None),
    ]


def test_command_tags_select_checks():
    code, out, _ = command("--tags", "ready", "--json")
    assert code == 0
    assert [c["name"] for c in json.loads(out)["checks"]] == ["redis", "database"]
    code, out, _ = command("--tags", "nothing,startup", "--json")
    assert [c["name"] for c in json.loads(out)["checks"]] == ["django-db", "django-cache"]
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.failing"}):
        # Only the healthy database check is selected: exit 0.
        assert command("--tags", "startup")[0] == 0


def test_command_timeout_gives_up_and_exits_1(monkeypatch, tarpit, project_health):
    stuck = Health().redis_check(f"redis://127.0.0.1:{tarpit}/0", timeout=3, name="stuck")
    monkeypatch.setattr(project_health, "stuck_now", stuck, raising=False)
    with override_settings(HEALTHCHECKX={"HEALTH": "testproject.health.stuck_now"}):
        started = time.monotonic()
        code, out, err = command("--timeout", "0.5")
        elapsed = time.monotonic() - started
        assert code == 1
        assert 0.5 <= elapsed < 1.5
        assert err.strip() == "the health checks did not finish within 0.5s"
        code, out, _ = command("--timeout", "0.5", "--json")
        assert code == 1
        assert json.loads(out)["status"] == "unhealthy"
        # A timeout longer than the checks' deadline: the results, the check timed out.
        code, out, _ = command("--timeout", "10")
        assert code == 1
        assert out.splitlines()[1].endswith("- timed out after 3.0s")


def test_manage_py_healthcheck_exit_codes_and_colours(project_env):
    healthy = manage(project_env, "healthcheck", "--force-color")
    assert healthy.returncode == 0, healthy.stderr
    assert "redis: \x1b[32;1mhealthy\x1b[0m (" in healthy.stdout
    plain = manage(project_env, "healthcheck")
    assert "\x1b[" not in plain.stdout
    unhealthy = manage(
        {**project_env, "HCX_DJANGO_HEALTH": "testproject.health.failing"},
        "healthcheck",
        "--force-color",
    )
    assert unhealthy.returncode == 1
    assert "redis: \x1b[31;1munhealthy\x1b[0m (" in unhealthy.stdout
    broken = manage(
        {**project_env, "HCX_DJANGO_HEALTH": "testproject.health.helth"},
        "healthcheck",
        "--skip-checks",
    )
    assert broken.returncode == 2
    assert "cannot be imported" in broken.stderr
