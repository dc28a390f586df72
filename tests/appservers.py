"""Web servers and clients for the framework adapter tests.

* ``AppServer``: uvicorn or gunicorn serving one of ``examples/*_app`` on a free port of
  127.0.0.1, in a subprocess with the environment the test gives (REDIS_URL, DATABASE_URL).
* ``load_example``: the same example module imported in this process, for test clients.
* ``fetch_many``: that many simultaneous requests, one connection each.
* ``without_frameworks``: Python code run in a subprocess where some packages cannot be imported.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Iterable, List, Mapping, Optional

import httpx
import servers

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# What the examples answer when REDIS_URL and DATABASE_URL name live servers (no durations).
EXAMPLE_HEALTHY = {
    "status": "healthy",
    "checks": [
        {"name": "redis", "status": "healthy"},
        {"name": "database", "status": "healthy"},
    ],
}
_loaded = itertools.count(1)


class AppServer:
    """A web server process serving an example app at ``.url`` until ``close()``."""

    def __init__(self, what: str, argv: List[str], env: Mapping[str, str], port: int) -> None:
        self.what = what
        self.port = port
        self.url = f"http://{servers.LOOPBACK}:{port}"
        self._log = tempfile.NamedTemporaryFile(prefix=f"hcx-{what}-", suffix=".log", delete=False)
        self.log_path = Path(self._log.name)
        self.proc = subprocess.Popen(
            argv,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            servers.wait_for_port(
                port, timeout=30, what=what, proc=self.proc, log_path=self.log_path
            )
        except BaseException:
            self.close()
            raise

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> AppServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def uvicorn_example(env: Mapping[str, str]) -> AppServer:
    """examples/fastapi_app on one uvicorn worker (one process, one event loop)."""
    port = servers.free_port()
    argv = [sys.executable, "-m", "uvicorn", "--app-dir", str(EXAMPLES / "fastapi_app")]
    argv += ["main:app", "--host", servers.LOOPBACK, "--port", str(port)]
    argv += ["--workers", "1", "--log-level", "warning", "--backlog", "1024"]
    return AppServer("uvicorn", argv, env, port)


def gunicorn_example(env: Mapping[str, str]) -> AppServer:
    """examples/flask_app's factory on gunicorn: the app preloaded in the master, then two forked
    workers with eight threads each sharing its `Health`."""
    port = servers.free_port()
    argv = [sys.executable, "-m", "gunicorn", "--chdir", str(EXAMPLES / "flask_app")]
    argv += ["--bind", f"{servers.LOOPBACK}:{port}", "--preload", "--workers", "2"]
    argv += ["--worker-class", "gthread", "--threads", "8", "--backlog", "1024"]
    argv += ["--log-level", "warning", "app:create_app()"]
    return AppServer("gunicorn", argv, env, port)


def load_example(relative: str, env: Mapping[str, str], monkeypatch) -> types.ModuleType:
    """Imports examples/<relative> afresh under a private module name, with `env` set."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    path = EXAMPLES / relative
    name = f"hcx_example_{path.parent.name}_{next(_loaded)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fetch_many(url: str, count: int) -> List[httpx.Response]:
    """`count` GET requests to `url` sent at once, each on its own connection."""

    async def main() -> List[httpx.Response]:
        limits = httpx.Limits(max_connections=count, max_keepalive_connections=0)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            return await asyncio.gather(*(client.get(url) for _ in range(count)))

    return asyncio.run(main())


def assert_simultaneous(url: str, count: int, code: int, body: dict, label: str) -> float:
    """Sends `count` simultaneous GETs to `url`, checks every answer, returns the seconds taken."""
    started = time.perf_counter()
    responses = fetch_many(url, count)
    elapsed = time.perf_counter() - started
    print(f"{count} simultaneous requests, {label}: {elapsed:.2f} s")
    assert [r.status_code for r in responses] == [code] * count
    assert all(strip_durations(r.json()) == body for r in responses)
    return elapsed


def without_frameworks(
    hidden: Iterable[str], code: str, env: Optional[Mapping[str, str]] = None
) -> subprocess.CompletedProcess:
    """Runs `code` in a fresh interpreter where importing any of `hidden` raises ImportError
    (as when the package is not installed), with `env` added to the environment."""
    prelude = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in hidden)
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def strip_durations(body: dict) -> dict:
    """The health body with each check's `duration_ms` removed, after checking it is a number."""
    assert isinstance(body, dict), body
    for check in body["checks"]:
        duration = check.pop("duration_ms")
        assert isinstance(duration, float) and duration >= 0, check
    return body


def readme_snippet(example: str, env: Mapping[str, str], monkeypatch) -> dict:
    """Runs the first Python block of examples/<example>/README.md; returns its namespace."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    text = (EXAMPLES / example / "README.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {"__name__": f"hcx_readme_{example}"}
    exec(compile(code, f"examples/{example}/README.md", "exec"), namespace)
    return namespace
