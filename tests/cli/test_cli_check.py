"""`healthcheckx check`: one run against the real servers; the guide's lines or its JSON body;
exit 0 healthy or degraded, 1 unhealthy, 2 bad configuration."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from conftest import clean_env

# Each test runs the built command (and most, the servers): not a pure-logic test.
pytestmark = pytest.mark.servers

LINE = re.compile(
    r"^(?P<name>\S+): (?P<status>healthy|degraded|unhealthy) "
    r"\((?P<ms>\d+\.\d{2})ms\)(?: - (?P<message>.+))?$"
)


def five(services: dict[str, str]) -> list[str]:
    return [
        f"--check=database={services['HCX_POSTGRES_URL']}",
        f"--check=cache={services['HCX_REDIS_URL']}",
        f"--check=mariadb={services['HCX_MYSQL_URL']}",
        f"--check=broker={services['HCX_AMQP_URL']}",
        f"--check=port=tcp://127.0.0.1:{services['HCX_POSTGRES_URL'].split(':')[-1].split('/')[0]}",
    ]


def lines(out: str) -> list[dict]:
    parsed = []
    for line in out.splitlines():
        match = LINE.match(line)
        assert match, f"not the guide's line: {line!r}"
        parsed.append(match.groupdict())
    return parsed


def test_every_service_healthy_prints_the_guides_lines_and_exits_0(run_cli, services):
    ran = run_cli("check", *five(services))
    assert ran.code == 0, ran.err
    got = lines(ran.out)
    assert [g["name"] for g in got] == ["database", "cache", "mariadb", "broker", "port"]
    assert {g["status"] for g in got} == {"healthy"}
    assert all(g["message"] is None for g in got)
    assert "\x1b[" not in ran.out  # not a terminal: no colour
    assert ran.err == ""


def test_urls_alone_are_named_by_their_kind(run_cli, services):
    ran = run_cli(
        "check", services["HCX_REDIS_URL"], services["HCX_POSTGRES_URL"], "redis://127.0.0.1:6379/1"
    )
    assert ran.code == 0, ran.err
    assert [g["name"] for g in lines(ran.out)] == ["redis", "postgresql", "redis-2"]


def test_one_unhealthy_check_exits_1_with_its_reason(run_cli, services, closed_port):
    ran = run_cli(
        "check", services["HCX_REDIS_URL"], f"--check=queue=tcp://127.0.0.1:{closed_port}"
    )
    assert ran.code == 1
    got = {g["name"]: g for g in lines(ran.out)}
    assert got["redis"]["status"] == "healthy"
    assert got["queue"]["status"] == "unhealthy"
    assert got["queue"]["message"] == "Connection refused"


def test_json_is_the_guides_body(run_cli, services, closed_port):
    ran = run_cli(
        "check", "--format", "json", services["HCX_REDIS_URL"], f"tcp://127.0.0.1:{closed_port}"
    )
    assert ran.code == 1
    body = json.loads(ran.out)
    assert body["status"] == "unhealthy"
    assert [c["name"] for c in body["checks"]] == ["redis", "tcp"]
    redis, tcp = body["checks"]
    assert set(redis) == {"name", "status", "duration_ms"}  # no message when there is none
    assert redis["status"] == "healthy" and isinstance(redis["duration_ms"], float)
    assert tcp == {
        "name": "tcp",
        "status": "unhealthy",
        "message": "Connection refused",
        "duration_ms": tcp["duration_ms"],
    }
    ok = run_cli("check", "-f", "json", services["HCX_REDIS_URL"])
    assert ok.code == 0 and json.loads(ok.out)["status"] == "healthy"


def test_other_formats_come_from_the_engines_renderer(run_cli, services, closed_port):
    text = run_cli(
        "check", "-f", "text", services["HCX_REDIS_URL"], f"tcp://127.0.0.1:{closed_port}"
    )
    assert text.code == 1
    assert text.out.splitlines() == [
        "[+]redis ok",
        "[-]tcp failed: Connection refused",
        "healthz check failed",
    ]
    prom = run_cli("check", "-f", "prometheus", services["HCX_REDIS_URL"])
    assert prom.code == 0
    assert re.search(r'^healthcheckx_check_up\{check="redis"[^}]*\} 1$', prom.out, re.M), prom.out


def test_a_non_critical_failure_is_degraded_and_exits_0(run_cli, services, closed_port, tmp_path):
    (tmp_path / "healthcheckx.toml").write_text(
        f"""
[checks.cache]
url = "{services["HCX_REDIS_URL"]}"

[checks.search]
url = "tcp://127.0.0.1:{closed_port}"
critical = false
"""
    )
    ran = run_cli("check")
    assert ran.code == 0, ran.err
    got = {g["name"]: g for g in lines(ran.out)}
    assert got["search"]["status"] == "degraded"
    assert got["search"]["message"] == "Connection refused"


def test_tags_select_the_checks(run_cli, services, closed_port, tmp_path):
    (tmp_path / "healthcheckx.toml").write_text(
        f"""
[checks.cache]
url = "{services["HCX_REDIS_URL"]}"
tags = ["ready"]

[checks.down]
url = "tcp://127.0.0.1:{closed_port}"
tags = ["startup"]
"""
    )
    ready = run_cli("check", "--tags", "ready")
    assert ready.code == 0, ready.err
    assert [g["name"] for g in lines(ready.out)] == ["cache"]
    both = run_cli("check", "--tags", "ready, startup")
    assert both.code == 1
    assert [g["name"] for g in lines(both.out)] == ["cache", "down"]
    none = run_cli("check", "--tags", "nothing")
    assert none.code == 2
    assert none.err == "healthcheckx: no check carries the tag nothing\n"


def test_timeout_bounds_the_run(run_cli, tarpit):
    ran = run_cli(
        "check",
        "--timeout",
        "500ms",
        f"--check=pit=tcp://127.0.0.1:{tarpit}",
        f"--check=pg=postgresql://postgres@127.0.0.1:{tarpit}/x",
    )
    assert ran.code == 1
    got = {g["name"]: g for g in lines(ran.out)}
    assert got["pg"]["message"] == "timed out after 0.5s"
    assert ran.seconds < 1.5, ran.seconds


def test_wrong_password_is_reported_and_never_printed(run_cli, services):
    password = services["HCX_AUTH_PASSWORD"]
    wrong = services["HCX_MYSQL_URL"].replace("hcx-P%40ss", "wrong-P%40ss")
    ran = run_cli("check", "-f", "json", f"--check=db={wrong}")
    assert ran.code == 1
    assert "authentication failed" in json.loads(ran.out)["checks"][0]["message"]
    for secret in ("wrong-P", "P%40ss", password):
        assert secret not in ran.out + ran.err


def test_colour_on_a_terminal_and_when_asked(run_cli, services, closed_port, cli):
    forced = run_cli(
        "check", "--color", "always", services["HCX_REDIS_URL"], f"tcp://127.0.0.1:{closed_port}"
    )
    assert "redis: \x1b[32mhealthy\x1b[0m" in forced.out
    assert "tcp: \x1b[31munhealthy\x1b[0m" in forced.out
    # A real terminal: a pseudo-terminal as standard output.
    leader, follower = os.openpty()
    try:
        proc = subprocess.Popen(
            [cli, "check", services["HCX_REDIS_URL"]],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=clean_env(TERM="xterm"),
        )
        os.close(follower)
        assert proc.wait(timeout=20) == 0
        output = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(leader)
    assert b"\x1b[32mhealthy\x1b[0m" in output, output
    no_color = run_cli("check", "--color", "never", services["HCX_REDIS_URL"])
    assert "\x1b[" not in no_color.out


def test_the_console_script_is_the_same_command(run_cli, console, services, closed_port):
    args = ("check", "-f", "json", services["HCX_REDIS_URL"], f"tcp://127.0.0.1:{closed_port}")
    binary = run_cli(*args)
    script = run_cli(*args, program=console)
    assert script.code == binary.code == 1

    def strip(body: str) -> list:
        return [(c["name"], c["status"], c.get("message")) for c in json.loads(body)["checks"]]

    assert strip(script.out) == strip(binary.out)
    bad = run_cli("check", "gopher://x", program=console)
    assert bad.code == 2
    assert bad.err.startswith("healthcheckx: URL argument 1: unsupported URL scheme")
    version = run_cli("--version", program=console)
    assert version.code == 0 and version.out.startswith("healthcheckx ")
