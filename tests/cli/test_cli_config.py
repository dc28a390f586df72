"""The configuration file and the command line's targets: `${VAR}` / `${VAR:-default}` from the
environment, `healthcheckx.toml` by default, `HEALTHCHECKX_CONFIG`; every bad configuration exits
2 naming the file, line and column (or the argument) and the reason, never a secret."""

from __future__ import annotations

import json

import pytest
from conftest import clean_env

# Each test runs the built command (and most, the servers): not a pure-logic test.
pytestmark = pytest.mark.servers

SECRET = "hunter22-Sekret"


def test_variables_and_defaults_come_from_the_environment(run_cli, services, tmp_path):
    (tmp_path / "healthcheckx.toml").write_text(
        """
timeout = "3s"

[checks.database]
url = "postgresql://${PGUSER_HCX}@${PGHOST_HCX:-127.0.0.1}:5432/hcx_test"
tags = ["ready"]

[checks.cache]
url = "${REDIS_URL_HCX}"
timeout = 1
critical = false
tags = ["${CACHE_TAG:-ready}"]
"""
    )
    env = clean_env(PGUSER_HCX="postgres", REDIS_URL_HCX=services["HCX_REDIS_URL"])
    ran = run_cli("check", "-f", "json", "--tags", "ready", env=env)
    assert ran.code == 0, ran.err
    assert [(c["name"], c["status"]) for c in json.loads(ran.out)["checks"]] == [
        ("database", "healthy"),
        ("cache", "healthy"),
    ]


def test_the_file_is_found_by_flag_variable_or_default_name(run_cli, services, tmp_path):
    text = f'[checks.only]\nurl = "{services["HCX_REDIS_URL"]}"\n'
    (tmp_path / "elsewhere.toml").write_text(text)
    by_flag = run_cli("check", "--config", "elsewhere.toml")
    assert by_flag.code == 0 and by_flag.out.startswith("only: healthy"), by_flag.err
    by_env = run_cli("check", env=clean_env(HEALTHCHECKX_CONFIG=str(tmp_path / "elsewhere.toml")))
    assert by_env.code == 0 and by_env.out.startswith("only: healthy"), by_env.err
    nothing = run_cli("check")
    assert nothing.code == 2
    assert nothing.err.startswith("healthcheckx: no checks: give URLs")
    (tmp_path / "healthcheckx.toml").write_text(text.replace("only", "default"))
    by_default = run_cli("check")
    assert by_default.code == 0 and by_default.out.startswith("default: healthy")
    # URLs on the command line replace the default file; --config adds to them.
    urls = run_cli("check", services["HCX_REDIS_URL"])
    assert [line.split(":")[0] for line in urls.out.splitlines()] == ["redis"]
    both = run_cli("check", "--config", "elsewhere.toml", services["HCX_REDIS_URL"])
    assert [line.split(":")[0] for line in both.out.splitlines()] == ["only", "redis"]


BAD_FILES = [
    # (file text, the message after "healthcheckx: hc.toml:")
    (
        f'[checks.db]\nurl = "postgresql://app:{SECRET}@127.0.0.1/db\n',
        "2:",  # unterminated string
    ),
    ('[checks.db]\nurl = "redis://127.0.0.1"\ntimout = 3\n', "3:1: unknown field `timout`"),
    (
        f'[checks.db]\nurl = "redis://127.0.0.1"\ncritical = "{SECRET}"\n',
        "3:12: invalid type: string, expected a boolean",
    ),
    ("[checks.db]\ntags = []\n", "1:1: missing field `url`"),
    (
        '[checks.db]\nurl = "redis://${HCX_UNSET_PASSWORD}@127.0.0.1"\n',
        '2:16: check "db": environment variable HCX_UNSET_PASSWORD is not set (write ${HCX_UNSET',
    ),
    ('[checks.db]\nurl = "redis://${bad name}"\n', '2:16: check "db": invalid variable reference'),
    ('[checks.db]\nurl = "redis://${OPEN"\n', '2:16: check "db": unterminated ${'),
    (
        f'[checks.db]\nurl = "postgresq://app:{SECRET}@127.0.0.1/db"\n',
        '2:7: check "db": unsupported URL scheme "postgresq" (expected one of: ',
    ),
    (
        '\n\n[checks.queue]\nurl = "tcp://127.0.0.1"\n',
        '4:7: check "queue": the URL names no port: expected tcp://host:port',
    ),
    (
        '[checks.db]\nurl = "redis://127.0.0.1"\ntimeout = 0\n',
        '3:11: check "db": timeout must be a positive number of seconds',
    ),
    (
        '[checks.db]\nurl = "redis://127.0.0.1"\ntimeout = "soon"\n',
        '3:11: check "db": invalid timeout',
    ),
    (
        'timeout = -2\n[checks.db]\nurl = "redis://127.0.0.1"\n',
        "1:11: timeout must be a positive number of seconds",
    ),
    (
        '[checks.db]\nurl = "redis://127.0.0.1"\ntags = ["ready", ""]\n',
        '3:18: check "db": empty tag',
    ),
    ('[checks.db]\nurl = "${HCX_EMPTY:-}"\n', '2:7: check "db": url is empty'),
    (
        '[checks."two words"]\nurl = "redis://127.0.0.1"\n',
        '1:1: check "two words": a name may not hold spaces',
    ),
    ('[checks.db]\nurl = "redis://127.0.0.1"\n[checks.db]\nurl = "redis://127.0.0.1"\n', "3:"),
    ("timeout = 2\n", "2:1: no checks: add one as [checks.NAME]"),
    ("[checks]\n", "2:1: no checks: add one as [checks.NAME]"),
    (
        '[check.db]\nurl = "redis://127.0.0.1"\n',
        "1:2: unknown field `check`, expected `timeout` or `checks`",
    ),
]


@pytest.mark.parametrize(("text", "want"), BAD_FILES)
def test_bad_files_exit_2_with_file_line_column_and_no_secret(run_cli, tmp_path, text, want):
    (tmp_path / "hc.toml").write_text(text)
    ran = run_cli("check", "--config", "hc.toml")
    assert ran.code == 2, ran.out
    assert ran.out == ""
    assert ran.err.startswith(f"healthcheckx: hc.toml:{want}"), ran.err
    assert len(ran.err.splitlines()) == 1, ran.err
    assert SECRET not in ran.err


def test_bad_files_stop_every_subcommand_before_anything_runs(run_cli, tmp_path):
    (tmp_path / "hc.toml").write_text('[checks.db]\nurl = "gopher://x"\n')
    for command in (["check"], ["wait", "--", "touch", "ran"], ["serve"]):
        ran = run_cli(command[0], "--config", "hc.toml", *command[1:])
        assert ran.code == 2, command
        assert ran.err.startswith(
            'healthcheckx: hc.toml:2:7: check "db": unsupported URL scheme'
        ), ran.err
    assert not (tmp_path / "ran").exists()


def test_unreadable_files_exit_2(run_cli, tmp_path):
    missing = run_cli("check", "--config", "nope.toml")
    assert (missing.code, missing.err) == (
        2,
        "healthcheckx: nope.toml: No such file or directory\n",
    )
    (tmp_path / "latin1.toml").write_bytes(b'[checks.db]\nurl = "caf\xe9"\n')
    binary = run_cli("check", "--config", "latin1.toml")
    assert (binary.code, binary.err) == (2, "healthcheckx: latin1.toml: not UTF-8 text\n")
    by_env = run_cli("check", env=clean_env(HEALTHCHECKX_CONFIG=str(tmp_path / "gone.toml")))
    assert by_env.code == 2 and "gone.toml: No such file or directory" in by_env.err


@pytest.mark.parametrize(
    ("args", "want"),
    [
        ([f"gopher://u:{SECRET}@h"], 'URL argument 1: unsupported URL scheme "gopher"'),
        (["redis://127.0.0.1", f"u:{SECRET}@h"], "URL argument 2: not a URL"),
        ([f"app@{SECRET}:h"], "URL argument 1: not a URL"),
        ([f"--check=db=tcp://u:{SECRET}@h:1"], "--check db: tcp:// URLs take no credentials"),
        (["--check=db"], "--check expects NAME=URL"),
        (["--check==redis://h"], "--check : the name is empty"),
        (
            ["--check=a=tcp://h:1", "--check=a=tcp://h:2"],
            '--check a: the name "a" is given to two checks',
        ),
        (["tcp://127.0.0.1:99999"], "URL argument 1:"),
        ([f"mysql://app:{SECRET}@127.0.0.1:3306/db?nonsense=1"], "URL argument 1:"),
    ],
)
def test_bad_arguments_exit_2_naming_the_argument_and_no_secret(run_cli, args, want):
    ran = run_cli("check", *args)
    assert ran.code == 2, ran.out
    assert ran.err.startswith(f"healthcheckx: {want}"), ran.err
    assert SECRET not in ran.err


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "yaml", "redis://h"],
        ["check", "--timeout", "-1", "redis://h"],
        ["wait", "--interval", "0", "redis://h"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(run_cli, args):
    ran = run_cli(*args)
    assert ran.code == 2
    assert ran.out == ""
    assert ran.err
