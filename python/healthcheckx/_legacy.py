"""What the module paths of healthcheckx 1.2 need: a deprecation warning aimed at the code that
imports them, and the `create_<service>_check` factories, built on `Health`."""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Callable

from ._health import Health
from ._result import CheckResult

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _outside_the_import(frame: Any) -> bool:
    name = frame.f_globals.get("__name__") or ""
    return not (
        frame.f_code.co_filename.startswith("<frozen ")
        or name == "importlib"
        or name.startswith("importlib.")
        or os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE)
    )


def warn_moved(old: str, new: str) -> None:
    """A `DeprecationWarning` that `old` (a 1.2 module path) is now spelt `new`, attributed to
    the module that imported it (so Python's default filters show it in `__main__`)."""
    level, frame = 1, sys._getframe(0)
    while frame.f_back is not None and not _outside_the_import(frame):
        frame = frame.f_back
        # `stacklevel` does not count importlib's bootstrap frames: `warnings` skips them.
        name = frame.f_code.co_filename
        if not ("importlib" in name and "_bootstrap" in name):
            level += 1
    warnings.warn(f"{old} is deprecated: {new}", DeprecationWarning, stacklevel=level)


def factory(module: str, method: str) -> Callable[..., Callable[[], CheckResult]]:
    """1.2's `create_<service>_check(...)` of `module`: the same arguments as
    `Health.<method>(...)`; returns a function that runs that one check and returns its
    `CheckResult` (what `Health.register()` takes)."""
    warn_moved(module, f"use Health().{method}(...)")

    def create(*args: Any, **kwargs: Any) -> Callable[[], CheckResult]:
        health: Health = getattr(Health(), method)(*args, **kwargs)

        def check() -> CheckResult:
            return health.run()[0]

        return check

    create.__name__ = create.__qualname__ = f"create_{method}"
    create.__module__ = module
    create.__doc__ = f"Deprecated: `Health().{method}(...)` registers the same check."
    return create
