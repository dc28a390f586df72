"""The core imports no web framework and nothing of `healthcheckx.contrib`: proved by importing
every core module in a fresh interpreter where Django, FastAPI, Flask and Starlette cannot be
imported at all. (`lint-imports`, in the test command, checks the same statically.)"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

FRAMEWORKS = ("django", "fastapi", "flask", "starlette")

PROGRAM = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys, warnings

    FRAMEWORKS = {frameworks!r}

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in FRAMEWORKS:
                raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    warnings.simplefilter("ignore")  # the deprecated 1.2 module paths warn when imported

    import healthcheckx

    core = []
    packages = [healthcheckx]
    while packages:  # every module below healthcheckx but contrib/ and adapters/ (walk_packages
        package = packages.pop()  # would import those packages to look inside them)
        core.append(package.__name__)
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if info.name in ("healthcheckx.contrib", "healthcheckx.adapters"):
                continue
            module = importlib.import_module(info.name)
            if info.ispkg:
                packages.append(module)
            else:
                core.append(info.name)

    results = healthcheckx.Health().sqlite_check(":memory:", name="db").run()
    loaded = sorted(
        m for m in sys.modules
        if m.split(".")[0] in FRAMEWORKS or m.startswith("healthcheckx.contrib")
    )
    try:
        healthcheckx.Health.from_django_settings()
        forwarded = "no error"
    except ImportError as exc:
        forwarded = type(exc).__name__ + ": " + str(exc)
    print(json.dumps({{
        "core": core,
        "loaded": loaded,
        "status": [r.status.value for r in results],
        "forwarded": forwarded,
    }}))
    """
).format(frameworks=FRAMEWORKS)


@functools.cache
def _run() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_core_imports_no_framework_and_nothing_of_contrib():
    report = _run()
    assert "healthcheckx._health" in report["core"], report
    assert "healthcheckx._runner" in report["core"], report
    assert report["loaded"] == [], report
    assert report["status"] == ["healthy"], report


def test_the_django_forwarder_imports_contrib_only_when_called():
    report = _run()
    # Called without Django, the forwarder reaches contrib, which needs Django.
    assert report["forwarded"].startswith("ModuleNotFoundError"), report
    assert "django" in report["forwarded"], report


def test_the_static_contract_lists_every_core_module():
    """`lint-imports` checks the modules its contract names: a new core module must be named."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the test command's Python has it
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    config = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    listed = set(contract["source_modules"])
    core = {name for name in _run()["core"] if name not in ("healthcheckx", "healthcheckx._native")}
    unlisted = sorted(
        name
        for name in core
        if not any(name == module or name.startswith(module + ".") for module in listed)
    )
    assert unlisted == [], f"add to [tool.importlinter] source_modules: {unlisted}"
