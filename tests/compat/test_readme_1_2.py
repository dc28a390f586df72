"""Every ``python`` block of healthcheckx 1.2.0's README, run as written against this package.

Each block runs in a fresh interpreter where the web frameworks it does not import cannot be
imported (as when they are not installed); the framework examples also run with all three
installed. A block that uses names defined by the blocks above it in the README (``health``,
``CheckResult``...) gets them from ``from healthcheckx import *`` and ``health = Health()``, which
must therefore work without any framework. See ``legacy.py`` for where the README comes from.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from legacy import (
    DJANGO_SETUP,
    FRAMEWORKS,
    PRELUDE,
    docstring_examples,
    readme_blocks,
    result,
    run_code,
)

BLOCKS = readme_blocks()
STATUSES = {"healthy", "degraded", "unhealthy"}

# Each block in an interpreter of its own, the framework examples serving HTTP.
pytestmark = pytest.mark.servers


def run_block(
    heading: str,
    after: str = "",
    *,
    hidden=FRAMEWORKS,
    env=None,
    before: str = PRELUDE,
    raises: str = "",
):
    """Runs the README block under `heading` (its tracebacks name the heading; what it prints
    is in `printed`), then `after`. With `raises`, the block must raise that exception, whose
    text is then in `error`."""
    statement = (
        f"exec(compile({BLOCKS[heading]!r}, {'README: ' + heading!r}, 'exec', "
        "__future__.annotations.compiler_flag))"
    )
    if raises:
        statement = (
            f"try:\n    {statement}\nexcept {raises} as exc:\n    error = str(exc)\n"
            f"else:\n    raise SystemExit('no {raises}')"
        )
    code = (
        f"{before}\nimport __future__, contextlib, io\n_out = io.StringIO()\n"
        f"with contextlib.redirect_stdout(_out):\n{textwrap.indent(statement, '    ')}\n"
        f"printed = _out.getvalue()\n{after}"
    )
    return run_code(code, hidden=hidden, env=env)


def other_frameworks(framework: str) -> tuple:
    return tuple(f for f in FRAMEWORKS if f != framework)


COVERED = set()


def covers(*headings: str):
    """Records the README blocks a test runs (every one must be); returns `headings`."""
    COVERED.update(headings)
    return headings


def covering(*headings: str):
    """`covers`, as a decorator of the test."""
    covers(*headings)
    return lambda test: test


# ------------------------------------------------------------- registration, URL forms


REGISTERED = {
    "Redis": ["redis", "redis-primary", "redis-secondary"],
    "KeyDB": ["keydb", "keydb", "keydb"],
    "Memcached": ["memcached", "memcached", "memcached-1", "memcached-2"],
    "RabbitMQ": ["rabbitmq"],
    "PostgreSQL": ["postgresql", "postgres-main", "postgres-analytics"],
    "MySQL": ["mysql", "mysql-users-db", "mysql-orders-db"],
    "SQLite": ["sqlite", "sqlite"],
    "Oracle": ["oracle", "oracle"],
    "MS SQL Server": ["mssql"],
    "MongoDB": ["mongodb", "mongodb", "mongodb"],
    "Dynamic Check Registration": ["postgresql", "mysql"],
    "Custom Timeout Configuration": ["redis", "postgresql", "mongodb"],
    "HTTP Service Check Example": ["check"],
}


@pytest.mark.parametrize("hidden", [FRAMEWORKS, ()], ids=["no framework", "all three"])
@pytest.mark.parametrize("heading", covers(*REGISTERED))
def test_every_documented_url_form_registers(heading, hidden):
    assert run_block(heading, result("health.names"), hidden=hidden) == REGISTERED[heading]


@covering("SQLite")
def test_a_missing_sqlite_file_is_unhealthy_and_memory_is_healthy():
    checks = run_block(
        "SQLite", result("[[r.name, r.status.value, r.message] for r in health.run()]")
    )
    assert checks[1] == ["sqlite", "healthy", None]
    assert checks[0][:2] == ["sqlite", "unhealthy"]  # 1.2 created the file and said healthy
    assert "/path/to/database.db" in checks[0][2] or "no such file" in checks[0][2].lower()


# ------------------------------------------------------------------------- quick start


@covering("Basic Usage")
def test_basic_usage_prints_each_check_and_the_reason_of_each_failure():
    printed, checks = run_block(
        "Basic Usage", result("[printed, [[r.name, r.status.value] for r in results]]")
    )
    assert [name for name, _ in checks] == ["redis", "postgresql", "mongodb"]
    lines = printed.splitlines()
    for name, status in checks:
        line = lines.pop(0)
        assert re.fullmatch(rf"{name}: {status} \(\d+\.\d\dms\)", line), line
        if status != "healthy":  # 1.2 put a built-in check's failure in `error`, not `message`
            assert re.fullmatch(r"  Message: \S.*", lines.pop(0))
    assert lines == []


@covering("Aggregate Status")
def test_aggregate_status_prints_the_plain_status():
    status = run_block("Aggregate Status", result("str(status)"))
    assert status in STATUSES


# --------------------------------------------------------------------------- frameworks

FASTAPI_REQUEST = """
from fastapi.testclient import TestClient
response = TestClient(app).get("/health")
body = response.json()
"""
FLASK_REQUEST = """
response = app.test_client().get("/health")
body = response.get_json()
"""
DJANGO_REQUEST = (
    DJANGO_SETUP
    + """
from django.test import Client
response = Client().get("/health/")
body = response.json()
"""
)
ANSWER = result(
    "[response.status_code, response.headers['Content-Type'], "
    "response.headers['Cache-Control'], body]"
)
FRAMEWORK_EXAMPLES = {
    "FastAPI": ("fastapi", FASTAPI_REQUEST, ["redis", "postgresql"]),
    "Flask": ("flask", FLASK_REQUEST, ["redis", "mysql"]),
    "Django": ("django", DJANGO_REQUEST, ["redis", "postgresql"]),
}


def assert_health_answer(answer, names):
    code, content_type, cache_control, body = answer
    assert content_type == "application/json"
    assert cache_control == "no-store"
    assert set(body) == {"status", "checks"}
    assert [check["name"] for check in body["checks"]] == names
    assert code == (503 if body["status"] == "unhealthy" else 200)
    for check in body["checks"]:
        assert check["status"] in STATUSES
        assert ("message" in check) == (check["status"] != "healthy"), check


@pytest.mark.parametrize("installed", ["alone", "with all three"])
@pytest.mark.parametrize("heading", covers(*FRAMEWORK_EXAMPLES))
def test_framework_example_answers_the_health_json(heading, installed):
    framework, request, names = FRAMEWORK_EXAMPLES[heading]
    hidden = other_frameworks(framework) if installed == "alone" else ()
    assert_health_answer(run_block(heading, request + ANSWER, hidden=hidden), names)


# ----------------------------------------------------------------------- custom checks


@covering("Creating Custom Checks")
def test_custom_check_reports_under_its_own_name():
    checks = run_block(
        "Creating Custom Checks", result("[[r.name, r.status.value, r.message] for r in results]")
    )
    [[name, status, message]] = checks
    assert name == "external-api"
    if status == "healthy":
        assert message is None
    else:
        assert message and "\n" not in message


@covering("Reusable Custom Checks (Factory Pattern)")
def test_factory_pattern_disk_check():
    checks = run_block(
        "Reusable Custom Checks (Factory Pattern)",
        result("[[r.name, r.status.value, r.message, r.duration_ms] for r in results]"),
    )
    [[name, status, message, duration_ms]] = checks
    assert name == "disk" and status in STATUSES and duration_ms >= 0
    assert (message is None) == (status == "healthy")


# ------------------------------------------------------------------------ API reference


@covering("`CheckResult` Class")
def test_check_result_has_the_documented_fields_and_defaults():
    fields = run_block(
        "`CheckResult` Class",
        "import dataclasses, healthcheckx\n"
        "def described(cls):\n"
        "    return [[f.name, repr(f.default)] for f in dataclasses.fields(cls)]\n"
        + result("[described(CheckResult), described(healthcheckx.CheckResult)]"),
        before="from dataclasses import dataclass\nfrom healthcheckx import HealthStatus\n",
    )
    documented, actual = fields
    assert actual[: len(documented)] == documented
    assert actual[len(documented) :] == [["error", "None"]]  # 1.2's undocumented field


@covering("`HealthStatus` Enum")
def test_health_status_has_the_documented_members():
    members = run_block(
        "`HealthStatus` Enum",
        "import healthcheckx\n"
        + result(
            "[{m.name: m.value for m in HealthStatus}, "
            "{m.name: m.value for m in healthcheckx.HealthStatus}, "
            "issubclass(healthcheckx.HealthStatus, str)]"
        ),
        before="from enum import Enum\n",
    )
    assert members == [members[0], members[0], True]
    assert members[0] == {s: s for s in ("healthy", "degraded", "unhealthy")}


@covering("`overall_status()` Function")
def test_overall_status_has_the_documented_signature():
    signatures = run_block(
        "`overall_status()` Function",
        "import inspect, healthcheckx\n"
        + result(
            "[list(inspect.signature(overall_status).parameters), "
            "list(inspect.signature(healthcheckx.overall_status).parameters)]"
        ),
        before="from typing import List\nfrom healthcheckx import CheckResult, HealthStatus\n",
    )
    assert signatures == [["results"], ["results"]]


# ---------------------------------------------------------------------- advanced usage


@covering("Conditional Health Checks")
def test_conditional_checks_with_an_unset_variable_raise_value_error():
    error = run_block(
        "Conditional Health Checks",
        result("error"),
        before=PRELUDE + "import os\nos.environ.pop('DATABASE_URL', None)\n",
        raises="ValueError",
    )
    # 1.2 passed None to psycopg2, which checked the default local server.
    assert error.startswith('check "postgresql"'), error


def test_conditional_checks_with_the_variables_set(services):
    env = {
        "DATABASE_URL": services["HCX_POSTGRES_URL"],
        "REDIS_URL": services["HCX_REDIS_URL"],
        "ENV": "production",
    }
    checks = run_block(
        "Conditional Health Checks",
        result("[[r.name, r.status.value] for r in health.run()]"),
        env=env,
    )
    assert checks == [["postgresql", "healthy"], ["redis", "healthy"]]


@covering("Multiple Instances of Same Service")
def test_multiple_instances_print_the_documented_names_in_order():
    block = BLOCKS["Multiple Instances of Same Service"]
    documented = re.findall(r"^# ([\w-]+): healthy$", block, re.M)
    printed = run_block(
        "Multiple Instances of Same Service",
        result("[[r.name, r.status.value] for r in results]"),
    )
    assert [name for name, _ in printed] == documented
    assert len(documented) == 8
    assert {status for _, status in printed} <= STATUSES


@covering("Health Check with Environment Variables")
def test_environment_variables_against_live_services(services):
    env = {
        "REDIS_URL": services["HCX_REDIS_URL"],
        "DATABASE_URL": services["HCX_POSTGRES_URL"],
        "MONGODB_URL": services["HCX_MONGODB_URL"],
    }
    checks = run_block(
        "Health Check with Environment Variables",
        result("[[r.name, r.status.value, r.message] for r in health.run()]"),
        env=env,
    )
    assert checks == [
        ["redis", "healthy", None],
        ["postgresql", "healthy", None],
        ["mongodb", "healthy", None],
    ]


@covering("🧪 Testing Your Application")
def test_testing_example_asserts_on_real_results():
    outcome = run_block(
        "🧪 Testing Your Application",
        "try:\n"
        "    test_application_health()\n"
        "    outcome = 'passed'\n"
        "except AssertionError:\n"
        "    outcome = 'failed'\n" + result("outcome"),
    )
    # Which one depends on the machine's servers; anything else (a TypeError comparing
    # duration_ms, an exception from a check) would have raised.
    assert outcome in ("passed", "failed")


@covering("🔍 Monitoring & Observability")
def test_monitoring_example_logs_the_reason_of_each_failure():
    logged = run_block(
        "🔍 Monitoring & Observability",
        result("[record.getMessage() for record in records]"),
        before=PRELUDE
        + "import logging\n"
        + "records = []\n"
        + "class Keep(logging.Handler):\n"
        + "    def emit(self, record):\n"
        + "        records.append(record)\n"
        + "logging.getLogger().addHandler(Keep())\n",
    )
    # postgresql://localhost/db names no user the server knows: at least that one fails.
    assert logged, "no check failed"
    for line in logged:
        match = re.fullmatch(r"(redis|postgresql) is (unhealthy|degraded): (.+)", line)
        assert match, line
        assert match.group(3) != "None"  # 1.2 logged None: the text was in `error`


def test_every_python_block_of_the_readme_is_run():
    assert set(BLOCKS) == COVERED


# ------------------------------------------------- 1.2.0's docstrings (core.py examples)

EXAMPLES = docstring_examples()
# What 1.2.0's docstrings show that this package refuses at registration, on purpose: a TNS
# alias needs an Oracle client's tnsnames.ora (give host:port/service), and SQL Server's Windows
# authentication needs a Windows client (give a SQL Server login).
REFUSED = {
    'health.oracle_check("user/pass@PROD_DB", name="oracle-prod")': 'check "oracle-prod"',
    'health.mssql_check("mssql://sqlserver/MyDatabase", name="mssql-windows")': (
        'check "mssql-windows"'
    ),
}


@pytest.mark.parametrize("method", EXAMPLES)
def test_docstring_examples_of_1_2(method):
    statements = EXAMPLES[method]
    outcomes, names = run_code(
        "from healthcheckx import *\n"
        "outcomes = []\n"
        f"for statement in {statements!r}:\n"
        "    try:\n"
        "        exec(compile(statement, '1.2.0 core.py', 'exec'))\n"
        "        outcomes.append(None)\n"
        "    except ValueError as exc:\n"
        "        outcomes.append(str(exc))\n" + result("[outcomes, health.names]")
    )
    for statement, outcome in zip(statements, outcomes):
        if statement in REFUSED:
            assert outcome.startswith(REFUSED[statement]), outcome
        else:
            assert outcome is None, (statement, outcome)
    if method != "Health":
        accepted = [s for s in statements if s not in REFUSED]
        assert names == re.findall(r'name="([^"]+)"', "\n".join(accepted))
    else:  # its last `health` ran `custom_check`, which names its result
        assert names == ["my-service"]
