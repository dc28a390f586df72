"""The command lines and configuration files of examples/docker and examples/kubernetes are valid:
each one runs (against the local servers where it can), none is a usage or configuration error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import clean_env

# Each test runs the built command (and most, the servers): not a pure-logic test.
pytestmark = pytest.mark.servers

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def block_list(text: str, key: str) -> list[str]:
    """The items of the YAML block list under the first `key:` (`- item` lines)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    items = []
    for line in lines[start + 1 :]:
        match = re.match(r"^\s*- (.+)$", line)
        if not match:
            break
        items.append(match.group(1).strip())
    return items


def configmap_toml(text: str) -> str:
    """The `healthcheckx.toml: |` block of the ConfigMap, unindented."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "healthcheckx.toml: |")
    body = []
    for line in lines[start + 1 :]:
        if line.strip() and not line.startswith("    "):
            break
        body.append(line[4:])
    return "\n".join(body) + "\n"


def test_the_docker_config_checks_the_guides_services(run_cli, services):
    env = clean_env(
        DB_USER="postgres",
        DB_HOST="127.0.0.1",
        DB_NAME="hcx_test",
        REDIS_URL=services["HCX_REDIS_URL"],
        HEALTHCHECKX_CONFIG=str(EXAMPLES / "docker" / "healthcheckx.toml"),
    )
    ran = run_cli("check", env=env)
    assert ran.code == 0, ran.err
    assert [line.split(":")[0] for line in ran.out.splitlines()] == ["database", "cache"]
    # The compose file's command, as the container runs it (gunicorn replaced by `true`).
    command = block_list((EXAMPLES / "docker" / "docker-compose.yml").read_text(), "command")
    assert command[:2] == ["healthcheckx", "wait"] and "--" in command
    args = command[1 : command.index("--") + 1] + ["true"]
    waited = run_cli(*args, env=env)
    assert waited.code == 0, waited.err


def test_the_dockerfile_healthcheck_is_a_probe(run_cli, closed_port):
    text = (EXAMPLES / "docker" / "Dockerfile").read_text()
    match = re.search(r'CMD \["healthcheckx", "probe", (.+)\]', text)
    assert match, "no `healthcheckx probe` HEALTHCHECK"
    args = [a.strip().strip('"') for a in match.group(1).split(",")]
    args[-1] = args[-1].replace("localhost:8000", f"127.0.0.1:{closed_port}")
    ran = run_cli("probe", *args)
    assert (ran.code, ran.err) == (1, "healthcheckx: probe failed: Connection refused\n")


def test_the_kubernetes_init_container_and_sidecar_run(run_cli, tmp_path):
    plain = (EXAMPLES / "kubernetes" / "deployment.yaml").read_text()
    command = block_list(plain, "command")
    assert command[:2] == ["healthcheckx", "wait"]
    # Here the cluster's hosts do not resolve: the wait runs, and times out (124), its
    # arguments valid.
    args = [a if not a.startswith("--timeout") else "--timeout=0.5s" for a in command[1:]]
    ran = run_cli(*args)
    assert ran.code == 124, ran.err
    assert "database (" in ran.err and "cache (" in ran.err

    sidecar = (EXAMPLES / "kubernetes" / "deployment-sidecar.yaml").read_text()
    (tmp_path / "healthcheckx.toml").write_text(configmap_toml(sidecar))
    checked = run_cli("check", "--timeout", "0.5s", "--config", "healthcheckx.toml")
    assert checked.code == 1, checked.err  # ran (unresolvable hosts), not a configuration error
    names = [line.split(":")[0] for line in checked.out.splitlines()]
    assert names == ["database", "cache", "search"]
    serve = block_list(sidecar, "args")
    assert serve[0] == "serve"
    for flag in ("--ready-tags=ready", "--startup-tags=startup"):
        assert flag in serve
