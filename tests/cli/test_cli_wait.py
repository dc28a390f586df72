"""`healthcheckx wait`: reruns the checks until every one is up; 124 at --timeout naming what is
down; `-- cmd args` then replaces the process (its exit code is the exit code)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import servers
from conftest import clean_env

# Each test runs the built command (and most, the servers): not a pure-logic test.
pytestmark = pytest.mark.servers


def listen_later(port: int, delay: float) -> tuple[threading.Thread, list[socket.socket]]:
    """Starts accepting on `port` after `delay` seconds (kept open until the list is closed)."""
    held: list[socket.socket] = []

    def serve() -> None:
        time.sleep(delay)
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((servers.LOOPBACK, port))
        sock.listen(16)
        held.append(sock)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread, held


def test_waits_for_a_server_started_two_seconds_later(cli):
    port = servers.free_port()
    thread, held = listen_later(port, 2.0)
    try:
        started = time.monotonic()
        done = subprocess.run(
            [cli, "wait", "--timeout", "10", f"--check=late=tcp://127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            env=clean_env(),
            timeout=20,
        )
        elapsed = time.monotonic() - started
    finally:
        thread.join()
        for sock in held:
            sock.close()
    assert done.returncode == 0, done.stderr
    # Up at 2.0 s; the pause between runs is capped at 1 s by default.
    assert 2.0 <= elapsed < 3.2, elapsed
    # One line per change of state, not one per run.
    assert done.stderr.count("late: unhealthy - Connection refused") == 1, done.stderr
    assert done.stderr.count("late: healthy") == 1, done.stderr
    assert done.stderr.splitlines()[-1].startswith("healthcheckx: 1 check up after ")


def test_a_server_that_never_starts_is_124_at_the_deadline(run_cli, closed_port):
    ran = run_cli("wait", "--timeout", "2", f"--check=db=tcp://127.0.0.1:{closed_port}")
    assert ran.code == 124
    assert abs(ran.seconds - 2.0) <= 0.3, ran.seconds
    assert ran.err.splitlines()[-1] == (
        "healthcheckx: timed out after 2.0s waiting for db (Connection refused)"
    )


def test_a_server_that_never_answers_is_124_at_the_deadline(run_cli, tarpit, services):
    # The check's own deadline (2 s) outlasts the wait's: the wait still ends on time.
    ran = run_cli(
        "wait",
        "--timeout",
        "1.5",
        services["HCX_REDIS_URL"],
        f"--check=pit=redis://127.0.0.1:{tarpit}",
    )
    assert ran.code == 124
    assert abs(ran.seconds - 1.5) <= 0.3, ran.seconds
    last = ran.err.splitlines()[-1]
    assert last.startswith(
        "healthcheckx: timed out after 1.5s waiting for pit (timed out after "
    ), last
    assert "redis" not in last  # up, not waited for


def test_up_at_once_exits_0_at_once(run_cli, services):
    ran = run_cli(
        "wait",
        services["HCX_POSTGRES_URL"],
        services["HCX_REDIS_URL"],
        services["HCX_MYSQL_URL"],
        services["HCX_AMQP_URL"],
    )
    assert ran.code == 0, ran.err
    assert ran.seconds < 3, ran.seconds
    assert ran.err.splitlines()[-1].startswith("healthcheckx: all 4 checks up after ")
    quiet = run_cli("wait", "-q", services["HCX_REDIS_URL"])
    assert quiet.code == 0 and quiet.err == ""


def test_the_command_replaces_the_process_and_its_exit_code_is_the_exit_code(cli, services):
    probe = "import os, sys; print(os.getpid()); sys.exit(7)"
    proc = subprocess.Popen(
        [cli, "wait", "-q", services["HCX_REDIS_URL"], "--", sys.executable, "-c", probe],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 7, err
    assert int(out.strip()) == proc.pid  # exec'd in place, not a child


def test_signals_reach_the_command(cli, services):
    proc = subprocess.Popen(
        [cli, "wait", "-q", services["HCX_REDIS_URL"], "--", "sleep", "30"],
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    time.sleep(1.0)
    proc.terminate()
    assert proc.wait(timeout=5) == -15


def test_the_command_is_not_run_when_the_wait_times_out(run_cli, closed_port, tmp_path):
    marker = tmp_path / "ran"
    ran = run_cli(
        "wait", "--timeout", "0.5", f"tcp://127.0.0.1:{closed_port}", "--", "touch", str(marker)
    )
    assert ran.code == 124
    assert not marker.exists()


def test_a_missing_command_is_127(run_cli, services):
    ran = run_cli("wait", "-q", services["HCX_REDIS_URL"], "--", "no-such-command-hcx")
    assert ran.code == 127
    assert ran.err == "healthcheckx: no-such-command-hcx: command not found\n"


def test_the_console_script_execs_too(run_cli, console, services):
    ran = run_cli(
        "wait", "-q", services["HCX_REDIS_URL"], "--", "sh", "-c", "exit 5", program=console
    )
    assert ran.code == 5, ran.err
    timeout = run_cli("wait", "--timeout", "0.5", "tcp://127.0.0.1:1", program=console)
    assert timeout.code == 124


def test_a_terminal_gets_a_live_status_line(cli, closed_port):
    leader, follower = os.openpty()
    try:
        proc = subprocess.Popen(
            [cli, "wait", "--timeout", "1", f"--check=db=tcp://127.0.0.1:{closed_port}"],
            stdout=subprocess.DEVNULL,
            stderr=follower,
            env=clean_env(TERM="xterm"),
        )
        os.close(follower)
        assert proc.wait(timeout=10) == 124
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
    text = output.decode()
    # Redrawn in place (carriage return, erase line) while waiting, coloured state changes.
    assert "\r\x1b[2Kwaiting " in text, text
    assert "of 1.0s: db (Connection refused)" in text, text
    assert "db: \x1b[31munhealthy\x1b[0m - Connection refused" in text, text
    assert text.rstrip().endswith("timed out after 1.0s waiting for db (Connection refused)")


def test_non_critical_checks_are_waited_for_too(run_cli, services, closed_port, tmp_path):
    (tmp_path / "healthcheckx.toml").write_text(
        f"""
[checks.cache]
url = "{services["HCX_REDIS_URL"]}"

[checks.search]
url = "tcp://127.0.0.1:{closed_port}"
critical = false
"""
    )
    ran = run_cli("wait", "--timeout", "0.5")
    assert ran.code == 124
    assert ran.err.splitlines()[-1].endswith("waiting for search (Connection refused)")
    assert run_cli("wait", "--timeout", "0.5", "--tags", "nothing").code == 2
